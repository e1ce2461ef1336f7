package devstack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// provisioned returns the binary of a tool that ./scripts/test (or
// `rcm tools install`) provisioned; tests never build tools themselves.
func provisioned(t *testing.T, tool Tool) string {
	t.Helper()
	cache, err := CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	path, err := Find(tool, cache)
	if err != nil {
		t.Fatalf("%v\nrun ./scripts/test (it provisions the tools) or `go run ./cmd/rcm tools install`", err)
	}
	return path
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	ports := make([]int, n)
	for i := range ports {
		p, err := FreePort()
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = p
	}
	return ports
}

func TestTemporalDevServerStartsWithNamespaceAndSearchAttributes(t *testing.T) {
	bin := provisioned(t, TemporalCLI())
	ports := freePorts(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p, err := StartTemporal(ctx, TemporalOptions{
		Binary:           bin,
		DataDir:          t.TempDir(),
		Port:             ports[0],
		UIPort:           ports[1],
		Namespace:        "rcm-devstack-test",
		SearchAttributes: map[string]string{"RcmCycle": "Keyword", "RcmPeriod": "Keyword"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop(context.Background())

	c, err := client.DialContext(ctx, client.Options{HostPort: hostPort(ports[0]), Namespace: "rcm-devstack-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: "rcm-devstack-test"}); err != nil {
		t.Fatalf("describe namespace: %v", err)
	}
	sa, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: "rcm-devstack-test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"RcmCycle", "RcmPeriod"} {
		if typ, ok := sa.CustomAttributes[name]; !ok || typ.String() != "Keyword" {
			t.Errorf("search attribute %s: %v %v", name, typ, ok)
		}
	}
	// The web UI answers on its port, on loopback only.
	resp, err := http.Get(fmt.Sprintf("http://%s/", hostPort(ports[1])))
	if err != nil {
		t.Fatalf("web UI: %v", err)
	}
	resp.Body.Close()
	if err := p.Stop(context.Background()); err != nil {
		t.Errorf("Stop: %v", err)
	}
}

func TestTemporalThatCannotStartSaysWhy(t *testing.T) {
	bin := provisioned(t, TemporalCLI())
	port := freePorts(t, 1)[0]
	_, err := StartTemporal(context.Background(), TemporalOptions{
		Binary: bin, Port: port, Headless: true,
		SearchAttributes: map[string]string{"RcmCycle": "NotAType"},
	})
	if err == nil {
		t.Fatal("started with a bad search attribute type")
	}
	if !strings.Contains(err.Error(), "Temporal dev server exited before") || !strings.Contains(err.Error(), "NotAType") {
		t.Errorf("error does not explain: %v", err)
	}
}

func TestTemporalRefusesAPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	_, err = StartTemporal(context.Background(), TemporalOptions{Binary: "/nonexistent", Port: port, Headless: true})
	var inUse *PortInUseError
	if !errors.As(err, &inUse) || inUse.Port != port || inUse.Setting != "TemporalOptions.Port" {
		t.Fatalf("got %v", err)
	}
}

func TestMailpitReceivesMail(t *testing.T) {
	bin := provisioned(t, Mailpit())
	ports := freePorts(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := StartMailpit(ctx, MailpitOptions{Binary: bin, SMTPPort: ports[0], HTTPPort: ports[1], DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop(context.Background())

	// Any credentials are accepted over plain SMTP.
	auth := smtp.PlainAuth("", "office", "secret", "127.0.0.1")
	msg := "From: office@example.gov.vn\r\nTo: agency@example.gov.vn\r\nSubject: Deadline notice\r\n\r\nDue on 20 January.\r\n"
	if err := smtp.SendMail(hostPort(ports[0]), auth, "office@example.gov.vn", []string{"agency@example.gov.vn"}, []byte(msg)); err != nil {
		t.Fatalf("send: %v", err)
	}
	resp, err := http.Get(MailpitURL(ports[1]) + "/api/v1/messages")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Deadline notice") {
		t.Errorf("message not listed: %s", body)
	}
	if err := p.Stop(context.Background()); err != nil {
		t.Errorf("Stop: %v", err)
	}
}

func TestMailpitRefusesAPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	_, err = StartMailpit(context.Background(), MailpitOptions{Binary: "/nonexistent", SMTPPort: freePorts(t, 1)[0], HTTPPort: port})
	var inUse *PortInUseError
	if !errors.As(err, &inUse) || inUse.Setting != "MailpitOptions.HTTPPort" {
		t.Fatalf("got %v", err)
	}
}
