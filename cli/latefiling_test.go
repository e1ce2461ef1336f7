package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLateFilingCommandsRefuseBadInputBeforeAsking: each late filing
// command names what is missing or wrong, with the usage exit status, and
// sends nothing (no server is reachable here).
func TestLateFilingCommandsRefuseBadInputBeforeAsking(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"late-file", "--cycle", "SEI-2026-11", "--agency", "HNI", "--value", "GRDP=1"}, "--reason is required"},
		{[]string{"late-file", "--agency", "HNI", "--reason", "mất điện", "--value", "GRDP=1"}, "--cycle is required"},
		{[]string{"late-file", "--cycle", "SEI-2026-11", "--agency", "HNI", "--reason", "mất điện"}, "--file, or the figures with --value"},
		{[]string{"late-file", "--cycle", "SEI-2026-11", "--agency", "HNI", "--reason", "x", "--file", "a.csv", "--value", "GRDP=1"}, "--file or --value, not both"},
		{[]string{"late-file", "--cycle", "SEI-2026-11", "--agency", "HNI", "--reason", "x", "--value", "GRDP"}, "write CODE=VALUE"},
		{[]string{"late-file", "--cycle", "SEI-2026-11", "--agency", "HNI", "--reason", "x", "--file", "a.pdf"}, "open a.pdf"},
		{[]string{"late-filing", "admit"}, "name one"},
		{[]string{"late-filing", "admit", "abc"}, `id "abc" is not a number`},
		{[]string{"late-filing", "refuse", "3"}, "--reason is required"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append(append([]string{"rcm"}, tt.args...), "--server", "http://127.0.0.1:1", "--token", "x")
			code := runCLI(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
			assert.Equal(t, ExitUsage, code, stderr.String())
			assert.Contains(t, stderr.String(), tt.want)
		})
	}
}
