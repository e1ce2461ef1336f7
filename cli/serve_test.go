package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	ucli "github.com/urfave/cli/v2"

	"rcm/operations"
	"rcm/reporting"
)

// TestServeWithoutTemporal: the API serves while Temporal is down; /readyz
// says so, and the cycle commands answer 503 with what to do.
func TestServeWithoutTemporal(t *testing.T) {
	e := newCLIEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	deadAddr := dead.Addr().String()
	require.NoError(t, ln.Close())
	require.NoError(t, dead.Close())

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- runCLI(ctx, []string{"rcm", "serve", "--addr", addr, "--database-url", e.dbURL, "--temporal-address", deadAddr},
			strings.NewReader(""), io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		require.Equal(t, ExitOK, <-done)
	}()
	var body string
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body = string(b)
		return resp.StatusCode == http.StatusServiceUnavailable
	}, 30*time.Second, 100*time.Millisecond)
	require.Contains(t, body, `"temporal":"unavailable"`)
	require.Contains(t, body, `"database":"ok"`)

	tmpl := reporting.Template{Code: "T", NameVI: "Mẫu", Indicators: []reporting.Indicator{
		{Code: "GRDP", NameVI: "GRDP", Type: reporting.TypeDecimal, Aggregation: reporting.AggregationSum}}}
	seed := operations.New(e.store, nil, nil)
	require.NoError(t, seed.CreateTemplate(context.Background(), operations.SystemCaller(), tmpl))
	_, err = seed.CreateRegime(context.Background(), operations.SystemCaller(), reporting.Regime{Code: "R", NameVI: "Chế độ", TemplateCode: "T",
		Cadence: reporting.Monthly, DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2},
		Policy: reporting.Policy{ReviewTime: time.Hour, CloseAfter: 48 * time.Hour}})
	require.NoError(t, err)
	r := e.run("", "cycle", "launch", "--regime", "R", "--period", "2026-10", "--due", "+1h", "--server", "http://"+addr, "--token", e.staffToken)
	require.Equal(t, ExitUnavailable, r.code, r.stderr)
	require.Contains(t, r.stderr, "Temporal cannot be reached")
	r = e.run("", "agency", "list", "--server", "http://"+addr, "--token", e.staffToken)
	require.Equal(t, ExitOK, r.code, "everything else works: %s", r.stderr)
}

// TestCycleCommandsHaveHelpWithAnExample walks the commands of cycles,
// submissions, reviews, results and schedules.
func TestCycleCommandsHaveHelpWithAnExample(t *testing.T) {
	var leaves [][]string
	var walk func(path []string, c *ucli.Command)
	walk = func(path []string, c *ucli.Command) {
		path = append(append([]string{}, path...), c.Name)
		for _, sub := range c.Subcommands {
			walk(path, sub)
		}
		if len(c.Subcommands) == 0 {
			require.NotEmpty(t, c.UsageText, path)
			require.Contains(t, c.Description, "Examples:", path)
			leaves = append(leaves, path)
		}
	}
	for _, c := range []*ucli.Command{cycleCommand(), submitCommand(), receiptCommand(), reviewCommand(), complianceCommand(), aggregateCommand(),
		scheduleCommand(), regimeScheduleCommand(), nilReportCommand(), extensionCommand(), lateFileCommand(), lateFilingCommand()} {
		walk(nil, c)
	}
	require.Len(t, leaves, 28)
	for _, path := range leaves {
		if path[0] == "schedule" && len(path) == 1 {
			path = []string{"regime", "schedule"} // regimeScheduleCommand stands under regime
		}
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), append(append([]string{"rcm"}, path...), "--help"), strings.NewReader(""), &stdout, &stderr)
		require.Equal(t, ExitOK, code, fmt.Sprint(path))
		require.Contains(t, stdout.String(), "Examples:", path)
	}
	// A missing required flag is a usage error, with the command's name.
	var stderr bytes.Buffer
	require.Equal(t, ExitUsage, Run(context.Background(), []string{"rcm", "submit", "--cycle", "X", "--server", "http://127.0.0.1:1"},
		strings.NewReader(""), io.Discard, &stderr))
	require.Contains(t, stderr.String(), "--agency is required")
	stderr.Reset()
	require.Equal(t, ExitUsage, Run(context.Background(), []string{"rcm", "receipt", "verify", "R-1", "--server", "http://127.0.0.1:1"},
		strings.NewReader(""), io.Discard, &stderr))
	require.Contains(t, stderr.String(), "--file is required")
	stderr.Reset()
	require.Equal(t, ExitUsage, Run(context.Background(), []string{"rcm", "receipt", "verify", "--file", "x.csv", "--server", "http://127.0.0.1:1"},
		strings.NewReader(""), io.Discard, &stderr))
	require.Contains(t, stderr.String(), "give one receipt number")
}

// TestProcessesRefuseABadTemporalCAFile: serve and worker name the flag of a
// CA file they cannot read, before they touch the database.
func TestProcessesRefuseABadTemporalCAFile(t *testing.T) {
	t.Setenv("RCM_TEMPORAL_TLS_CA", "")
	for _, args := range [][]string{
		{"rcm", "serve", "--database-url", "postgres://nobody@127.0.0.1:1/none", "--temporal-tls-ca", "/nonexistent/ca.pem"},
		{"rcm", "worker", "--database-url", "postgres://nobody@127.0.0.1:1/none", "--smtp-url", "smtp://127.0.0.1:1025?from=rcm@example.gov.vn",
			"--temporal-tls-ca", "/nonexistent/ca.pem"},
	} {
		var stderr strings.Builder
		code := Run(context.Background(), args, strings.NewReader(""), io.Discard, &stderr)
		require.Equal(t, ExitUsage, code, "%s: %s", args[1], stderr.String())
		require.Contains(t, stderr.String(), "--temporal-tls-ca /nonexistent/ca.pem: cannot read the CA file", args[1])
	}
}
