// Package temporalclient builds the options rcm's processes (serve, worker,
// dev) use to reach Temporal: address, namespace, TLS and API key, from one
// Config that the command line fills from its flags and RCM_* variables.
package temporalclient

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
)

// Flag names, used in errors so that an operator knows which setting to fix.
const (
	FlagCAFile     = "temporal-tls-ca"
	FlagCertFile   = "temporal-tls-cert"
	FlagKeyFile    = "temporal-tls-key"
	FlagServerName = "temporal-tls-server-name"
	FlagTLS        = "temporal-tls"
	FlagAPIKey     = "temporal-api-key"
)

// Config says how to reach Temporal.
type Config struct {
	// Address is the frontend's HOST:PORT.
	Address string
	// Namespace is the Temporal namespace of rcm's workflows.
	Namespace string
	// TLS turns on TLS with the system's roots when no CA file is given.
	TLS bool
	// CAFile is a PEM file of the certificate authorities that sign the
	// frontend's certificate; setting it turns on TLS.
	CAFile string
	// CertFile and KeyFile are the client's certificate and key (PEM) for
	// mutual TLS; both or neither; setting them turns on TLS.
	CertFile, KeyFile string
	// ServerName is the name expected in the frontend's certificate, when it
	// differs from the host of Address; setting it turns on TLS.
	ServerName string
	// APIKey is sent as a bearer token on every call (Temporal Cloud and
	// servers with an authorizer); it turns on TLS unless TLS is configured.
	APIKey string
}

// Secure reports whether the connection uses TLS.
func (c Config) Secure() bool {
	return c.TLS || c.CAFile != "" || c.CertFile != "" || c.KeyFile != "" || c.ServerName != "" || c.APIKey != ""
}

// Options builds the SDK client options, reading the certificate files now
// so that a wrong path is reported at start, naming its flag.
func (c Config) Options(logger *slog.Logger) (client.Options, error) {
	opts := client.Options{
		HostPort:  c.Address,
		Namespace: c.Namespace,
		Logger:    tlog.NewStructuredLogger(logger.With("component", "temporal")),
	}
	tlsCfg, err := c.tlsConfig()
	if err != nil {
		return client.Options{}, err
	}
	opts.ConnectionOptions.TLS = tlsCfg
	if c.APIKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(c.APIKey)
	}
	return opts, nil
}

// Check reads the certificate files as Options does, for a command to
// refuse a wrong path before it starts anything else.
func (c Config) Check() error {
	_, err := c.tlsConfig()
	return err
}

// tlsConfig is nil when TLS is off.
func (c Config) tlsConfig() (*tls.Config, error) {
	if !c.Secure() {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.ServerName}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--%s %s: cannot read the CA file: %w", FlagCAFile, c.CAFile, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--%s %s: no PEM certificate in the file", FlagCAFile, c.CAFile)
		}
		cfg.RootCAs = pool
	}
	switch {
	case c.CertFile != "" && c.KeyFile != "":
		cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("--%s %s and --%s %s: cannot load the client certificate: %w",
				FlagCertFile, c.CertFile, FlagKeyFile, c.KeyFile, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	case c.CertFile != "":
		return nil, fmt.Errorf("--%s is given without --%s: mutual TLS needs both", FlagCertFile, FlagKeyFile)
	case c.KeyFile != "":
		return nil, fmt.Errorf("--%s is given without --%s: mutual TLS needs both", FlagKeyFile, FlagCertFile)
	}
	return cfg, nil
}
