package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCalendarImportRefusesABadFileBeforeSendingIt: bad input is exit status
// 2, each problem named with its line, and nothing is sent (the server
// address leads nowhere).
func TestCalendarImportRefusesABadFileBeforeSendingIt(t *testing.T) {
	file := filepath.Join(t.TempDir(), "lich.csv")
	require.NoError(t, os.WriteFile(file, []byte("date,kind\n2026-12-31,holiday\n2027-02-17,working\n2027-03-01,bridge\n"), 0o644))
	var out, errOut bytes.Buffer
	code := runCLI(context.Background(), []string{"rcm", "calendar", "import", "2027", "--file", file,
		"--server", "http://127.0.0.1:1", "--token", "rcm_x"}, nil, &out, &errOut)
	require.Equal(t, 2, code, errOut.String())
	for _, want := range []string{"line 2: date: 2026-12-31 is not in 2027", "line 3: kind:", `line 4: kind: "bridge" is unknown`} {
		require.Contains(t, errOut.String(), want)
	}
	code = runCLI(context.Background(), []string{"rcm", "calendar", "import", "27", "--file", file}, nil, &out, &errOut)
	require.Equal(t, 2, code)
	require.Contains(t, errOut.String(), `"27" is not a year`)
}
