package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"rcm/api"
)

// TestAccountsAndAuditOnTheCommandLine disables and re-enables a user, lists
// and ends sessions, changes a password, reads the audit log with filters
// and verifies it, then edits a row by hand in PostgreSQL and has
// rcm audit verify name it.
func TestAccountsAndAuditOnTheCommandLine(t *testing.T) {
	e := newCLIEnv(t)
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "a.csv")
	require.NoError(t, os.WriteFile(file, []byte("code,name_vi,name_en,kind,region\nHNI,Thành phố Hà Nội,Hanoi,city,Đồng bằng sông Hồng\n"), 0o644))
	e.staff("agency", "import", file).ok(t)
	out := e.run("mật khẩu văn phòng\n", "user", "create", "--email", "vanphong@hanoi.gov.vn", "--role", "officer", "--agency", "HNI",
		"--password-stdin", "--output", "json", "--server", e.server, "--token", e.staffToken).ok(t)
	var officer []api.User
	require.NoError(t, json.Unmarshal([]byte(out), &officer))
	id := fmt.Sprint(officer[0].ID)
	login := func(password string) result {
		return e.run(password+"\n", "login", "--email", "vanphong@hanoi.gov.vn", "--password-stdin", "--server", e.server)
	}
	token := strings.TrimSpace(login("mật khẩu văn phòng").ok(t))

	// Disable: the token is refused at once; enable: it works again.
	require.Contains(t, e.staff("user", "disable", id, "--output", "csv").ok(t), ",disabled")
	r := e.as(token, "user", "show")
	require.Equal(t, ExitDenied, r.code)
	require.Contains(t, r.stderr, "disabled")
	require.Equal(t, ExitDenied, login("mật khẩu văn phòng").code)
	r = e.as(token, "user", "disable", id)
	require.Equal(t, ExitDenied, r.code)
	require.Contains(t, e.staff("user", "enable", id, "--output", "csv").ok(t), ",active")
	e.as(token, "user", "show").ok(t)
	r = e.staff("user", "disable", "abc")
	require.Equal(t, ExitUsage, r.code)

	// Sessions: login signs out after making the token, so none is open.
	require.Equal(t, "[]\n", e.as(token, "user", "session", "list", "--output", "json").ok(t))
	require.Contains(t, e.staff("user", "session", "end", "--user", id, "--all", "--output", "csv").ok(t), "ended\n0")
	r = e.staff("user", "session", "end", "--user", id)
	require.Equal(t, ExitUsage, r.code)

	// Own password: the current one is required, named when wrong.
	r = e.run("sai mật khẩu\nmật khẩu mới dài\n", "user", "password", "--password-stdin", "--server", e.server, "--token", token)
	require.Equal(t, ExitUsage, r.code)
	require.Contains(t, r.stderr, "current_password")
	e.run("mật khẩu văn phòng\nmật khẩu mới dài\n", "user", "password", "--password-stdin", "--server", e.server, "--token", token).ok(t)
	login("mật khẩu mới dài").ok(t)

	// A reset needs a mail server; this server has none.
	r = e.staff("user", "reset-password", id)
	require.Equal(t, ExitUnavailable, r.code)
	require.Contains(t, r.stderr, "no mail server")

	// The audit log, filtered; then verified whole.
	out = e.staff("audit", "list", "--action", "user.disable", "--output", "json").ok(t)
	var recs []api.AuditRecord
	require.NoError(t, json.Unmarshal([]byte(out), &recs))
	require.Len(t, recs, 1)
	require.Equal(t, "admin@vpcp.gov.vn", recs[0].Actor)
	require.Equal(t, "user/"+id, recs[0].Object)
	require.Contains(t, e.staff("audit", "list", "--actor", "vanphong@hanoi.gov.vn", "--output", "csv").ok(t), "user.password_change")
	require.Equal(t, "[]\n", e.staff("audit", "list", "--action", "user.disable", "--until", "01/01/2020", "--output", "json").ok(t))
	r = e.staff("audit", "list", "--since", "yesterday")
	require.Equal(t, ExitUsage, r.code)
	require.Contains(t, e.staff("audit", "verify").ok(t), "whole")
	r = e.as(token, "audit", "verify")
	require.Equal(t, ExitDenied, r.code)

	// Edited by hand in PostgreSQL: verify names the row and fails.
	_, err := e.store.Pool().Exec(ctx, `UPDATE audit_log SET actor = 'someone@else.vn' WHERE id = $1`, recs[0].ID)
	require.NoError(t, err)
	r = e.staff("audit", "verify")
	require.Equal(t, ExitFailure, r.code)
	require.Contains(t, r.stdout, fmt.Sprintf("BROKEN stream main at record %d", recs[0].ID))
	require.Contains(t, r.stderr, fmt.Sprintf("first at record %d", recs[0].ID))
}
