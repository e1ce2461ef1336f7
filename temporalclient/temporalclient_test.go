package temporalclient_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"rcm/temporalclient"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestOptionsNameTheFlagOfABadFile(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cfg  temporalclient.Config
		want []string
	}{
		{"missing CA file", temporalclient.Config{CAFile: filepath.Join(dir, "nope.pem")}, []string{"--temporal-tls-ca", "nope.pem", "cannot read"}},
		{"CA file without PEM", temporalclient.Config{CAFile: notPEM}, []string{"--temporal-tls-ca", "no PEM certificate"}},
		{"certificate without key", temporalclient.Config{CertFile: notPEM}, []string{"--temporal-tls-cert", "--temporal-tls-key"}},
		{"key without certificate", temporalclient.Config{KeyFile: notPEM}, []string{"--temporal-tls-key", "--temporal-tls-cert"}},
		{"unreadable key pair", temporalclient.Config{CertFile: notPEM, KeyFile: notPEM}, []string{"--temporal-tls-cert", "cannot load"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Address = "127.0.0.1:7233"
			_, err := tc.cfg.Options(quiet)
			if err == nil {
				t.Fatal("Options accepted a bad file")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestPlainConnectionHasNoTLS(t *testing.T) {
	opts, err := temporalclient.Config{Address: "127.0.0.1:7233", Namespace: "default"}.Options(quiet)
	if err != nil {
		t.Fatal(err)
	}
	if opts.ConnectionOptions.TLS != nil || opts.Credentials != nil {
		t.Errorf("TLS %v, credentials %v: want none without TLS flags", opts.ConnectionOptions.TLS, opts.Credentials)
	}
}

// TestClientWithCAConnectsToTLSFrontend serves the gRPC health service that
// the Temporal client checks over TLS, with a certificate of a private CA:
// the client trusts it only with that CA, and sends its API key.
func TestClientWithCAConnectsToTLSFrontend(t *testing.T) {
	dir := t.TempDir()
	caFile, serverCert := privateCA(t, dir, "temporal.internal")
	addr, keys := tlsFrontend(t, serverCert)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	cfg := temporalclient.Config{Address: addr, Namespace: "default", CAFile: caFile, ServerName: "temporal.internal", APIKey: "s3cret"}
	opts, err := cfg.Options(quiet)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		t.Fatalf("dial %s over TLS with the CA: %v", addr, err)
	}
	if _, err := c.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		t.Fatalf("health over TLS: %v", err)
	}
	c.Close()
	if got := keys.seen(); got != "Bearer s3cret" {
		t.Errorf("authorization sent = %q, want the API key as a bearer token", got)
	}

	// Without the CA the same server is refused: the options did the work.
	cfg.CAFile = ""
	opts, err = cfg.Options(quiet)
	if err != nil {
		t.Fatal(err)
	}
	shortCtx, cancelShort := context.WithTimeout(ctx, 5*time.Second)
	defer cancelShort()
	if c, err := client.DialContext(shortCtx, opts); err == nil {
		c.Close()
		t.Fatal("a client without the private CA connected")
	}
}

// authorizations records the authorization header of the calls served.
type authorizations struct {
	mu   sync.Mutex
	last string
}

func (a *authorizations) seen() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last
}

func tlsFrontend(t *testing.T, cert tls.Certificate) (string, *authorizations) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	keys := &authorizations{}
	record := func(ctx context.Context) {
		if md, ok := metadata.FromIncomingContext(ctx); ok && len(md.Get("authorization")) > 0 {
			keys.mu.Lock()
			keys.last = md.Get("authorization")[0]
			keys.mu.Unlock()
		}
	}
	srv := grpc.NewServer(
		grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})),
		grpc.UnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			record(ctx)
			return h(ctx, req)
		}),
		// Every Temporal call but the health check (GetSystemInfo at dial)
		// is answered as a server that does not know it, which the client
		// accepts.
		grpc.UnknownServiceHandler(func(_ any, stream grpc.ServerStream) error {
			record(stream.Context())
			return status.Error(codes.Unimplemented, "unknown method")
		}),
	)
	hs := health.NewServer()
	hs.SetServingStatus("temporal.api.workflowservice.v1.WorkflowService", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	return ln.Addr().String(), keys
}

// privateCA writes a CA certificate to dir and returns its path with a
// server certificate for name signed by it.
func privateCA(t *testing.T, dir, name string) (string, tls.Certificate) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "rcm test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	srvKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srvTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	srvDER, err := x509.CreateCertificate(rand.Reader, srvTmpl, caCert, &srvKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return caFile, tls.Certificate{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}
}
