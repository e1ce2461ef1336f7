package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/reporting"
	"rcm/sheets"
	"rcm/store"
	"rcm/testenv"
)

func TestRegionCode(t *testing.T) {
	tests := map[string]string{
		"Đồng bằng sông Hồng":                  "R-DBSH",
		"Đồng bằng sông Cửu Long":              "R-DBSCL",
		"Tây Nguyên":                           "R-TN",
		"Đông Nam Bộ":                          "R-DNB",
		"Trung du và miền núi phía Bắc":        "R-TDVMNPB",
		"Bắc Trung Bộ và duyên hải miền Trung": "R-BTBVDHMT",
		"Ấp Ông Ích":                           "R-AOI",
	}
	for name, want := range tests {
		require.Equal(t, want, RegionCode(name), name)
	}
}

func TestMigrateAndBootstrap(t *testing.T) {
	url := testenv.EmptyDatabase(t)
	e := &cliEnv{t: t, dbURL: url}
	out := e.run("", "migrate", "status", "--database-url", url, "--output", "csv").ok(t)
	require.Contains(t, out, "1,00001_schema.sql,pending")
	out = e.run("", "migrate", "up", "--database-url", url).ok(t)
	require.Contains(t, out, "00001_schema.sql")
	require.Contains(t, e.run("", "migrate", "up", "--database-url", url).ok(t), "up to date")

	r := e.run("", "migrate", "status")
	if os.Getenv("RCM_DATABASE_URL") == "" && os.Getenv("DATABASE_URL") == "" {
		require.Equal(t, ExitUsage, r.code)
		require.Contains(t, r.stderr, "--database-url")
	}

	r = e.run("mật khẩu đủ dài\n", "user", "bootstrap", "--email", "admin@vpcp.gov.vn", "--password-stdin", "--database-url", url)
	token := strings.TrimSpace(r.ok(t))
	require.True(t, strings.HasPrefix(token, store.TokenPrefix), token)
	require.Contains(t, r.stderr, "Save it now")
	st, err := store.Open(context.Background(), url)
	require.NoError(t, err)
	defer st.Close()
	p, err := st.PrincipalForToken(context.Background(), token)
	require.NoError(t, err)
	require.True(t, p.IsStaff())
	_, err = st.AuthenticatePassword(context.Background(), "admin@vpcp.gov.vn", "mật khẩu đủ dài")
	require.NoError(t, err)

	r = e.run("", "user", "bootstrap", "--email", "second@vpcp.gov.vn", "--database-url", url)
	require.Equal(t, ExitConflict, r.code, r.stderr)
	require.Contains(t, r.stderr, "exists already")
}

func TestAgencyImportOfTheReferenceFile(t *testing.T) {
	e := newCLIEnv(t)
	file := filepath.Join("testdata", "vn-agencies-2025.csv")
	out := e.staff("agency", "import", file, "--output", "json").ok(t)
	var res struct{ Received, Created, Updated, Unchanged int }
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	// 51 agencies, 6 regions and the national root.
	require.Equal(t, 58, res.Received)
	require.Equal(t, 58, res.Created)

	out = e.staff("agency", "import", file, "--output", "json").ok(t)
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Equal(t, 0, res.Created+res.Updated, "importing again changes nothing")

	var hni api.Agency
	require.NoError(t, json.Unmarshal([]byte(e.staff("agency", "show", "HNI", "--output", "json").ok(t)), &hni))
	require.Equal(t, "R-DBSH", hni.Parent)
	require.Equal(t, "/VN/R-DBSH/HNI/", hni.Path)
	var byt api.Agency
	require.NoError(t, json.Unmarshal([]byte(e.staff("agency", "show", "BYT", "--output", "json").ok(t)), &byt))
	require.Equal(t, "VN", byt.Parent, "ministries hang under the root")

	csvOut := e.staff("agency", "list", "--output", "csv").ok(t)
	require.Equal(t, 59, strings.Count(csvOut, "\n"), "header and 58 agencies")
	out = e.staff("agency", "list", "--under", "R-TN", "--output", "csv").ok(t)
	require.Equal(t, "code,parent,kind,name_vi,name_en,officer_email\nDLK,R-TN,province,Tỉnh Đắk Lắk,Dak Lak,\nGLI,R-TN,province,Tỉnh Gia Lai,Gia Lai,\nLDG,R-TN,province,Tỉnh Lâm Đồng,Lam Dong,\nR-TN,VN,region,Tây Nguyên,,\n", out)
	require.Contains(t, e.staff("agency", "list", "--kind", "ministry").ok(t), "Bộ Y tế")
	require.Equal(t, 4, strings.Count(e.staff("agency", "list", "--limit", "3", "--output", "csv").ok(t), "\n"))

	// A supervisor of one region sees that region only.
	e.run("mật khẩu lãnh đạo\n", "user", "create", "--email", "lanhdao@tn.gov.vn", "--role", "supervisor", "--agency", "R-TN",
		"--password-stdin", "--server", e.server, "--token", e.staffToken).ok(t)
	token := strings.TrimSpace(e.run("mật khẩu lãnh đạo\n", "login", "--email", "lanhdao@tn.gov.vn", "--password-stdin", "--server", e.server).ok(t))
	out = e.as(token, "agency", "list", "--output", "csv").ok(t)
	require.Equal(t, 5, strings.Count(out, "\n"))
	r := e.as(token, "agency", "show", "HNI")
	require.Equal(t, ExitNotFound, r.code)
	require.Contains(t, r.stderr, "does not exist or is outside what you may see")
}

func TestAgencyImportRefusesBadFiles(t *testing.T) {
	e := newCLIEnv(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	tests := []struct {
		name, content string
		code          int
		want          string
	}{
		{"unknown column", "code,name_vi,kind,provnce\nX,X,city,Y\n", ExitUsage, `column "provnce" is unknown`},
		{"missing parent", "code,name_vi,kind,parent\nX1,X,city,NOWHERE\n", ExitUsage, "[1].parent: agency NOWHERE does not exist"},
		{"bad kind", "code,name_vi,kind\nX1,X,planet\n", ExitUsage, "[1].kind"},
		{"empty", "", ExitUsage, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.staff("agency", "import", write(tt.name+".csv", tt.content))
			require.Equal(t, tt.code, r.code, r.stderr)
			require.Contains(t, r.stderr, tt.want)
		})
	}
	out := e.staff("agency", "list", "--output", "csv").ok(t)
	require.Equal(t, "code,parent,kind,name_vi,name_en,officer_email\n", out, "nothing of a refused import was written")
}

func TestUsersAndTokens(t *testing.T) {
	e := newCLIEnv(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "a.csv")
	require.NoError(t, os.WriteFile(file, []byte("code,name_vi,name_en,kind,region\nHNI,Thành phố Hà Nội,Hanoi,city,Đồng bằng sông Hồng\n"), 0o644))
	e.staff("agency", "import", file).ok(t)

	out := e.staff("user", "create", "--email", "vanphong@hanoi.gov.vn", "--role", "officer", "--agency", "HNI", "--output", "json").ok(t)
	var officer []api.User
	require.NoError(t, json.Unmarshal([]byte(out), &officer))
	require.Equal(t, "HNI", officer[0].Agency)

	r := e.staff("user", "create", "--email", "vanphong@hanoi.gov.vn", "--role", "officer", "--agency", "HNI")
	require.Equal(t, ExitConflict, r.code)
	r = e.staff("user", "create", "--email", "x@y.vn", "--role", "officer")
	require.Equal(t, ExitUsage, r.code)
	require.Contains(t, r.stderr, "agency: an officer must belong to an agency")
	r = e.staff("user", "create", "--email", "x@y.vn", "--role", "king")
	require.Equal(t, ExitUsage, r.code)

	// Nobody mints a token for someone else, staff included: the officer
	// signs in with the password staff gave them and gets their own.
	r = e.staff("user", "token", "create", "--user", fmt.Sprint(officer[0].ID), "--name", "máy văn phòng", "--expires", "90d")
	require.Equal(t, ExitDenied, r.code)
	require.Contains(t, r.stderr, "nobody may act as another user")
	require.NoError(t, e.store.SetPassword(context.Background(), officer[0].ID, "mật khẩu văn phòng", store.AuditEntry{Actor: "test", Action: "user.password_set"}))
	r = e.run("mật khẩu văn phòng\n", "login", "--email", "vanphong@hanoi.gov.vn", "--password-stdin", "--name", "máy văn phòng", "--expires", "90d", "--server", e.server)
	token := strings.TrimSpace(r.ok(t))
	require.Contains(t, r.stderr, "expires")
	me := e.as(token, "user", "show", "--output", "csv").ok(t)
	require.Contains(t, me, "vanphong@hanoi.gov.vn,,officer,HNI,vi,active")
	out = e.as(token, "user", "token", "list", "--output", "json").ok(t)
	var tokens []api.Token
	require.NoError(t, json.Unmarshal([]byte(out), &tokens))
	require.Len(t, tokens, 1)
	require.NotContains(t, out, token, "listing never shows the secret")

	r = e.as(token, "user", "list")
	require.Equal(t, ExitDenied, r.code, "officers do not list users")
	require.Contains(t, r.stderr, "role")

	e.as(token, "user", "revoke", fmt.Sprint(tokens[0].ID)).ok(t)
	r = e.as(token, "user", "show")
	require.Equal(t, ExitDenied, r.code)
	require.Contains(t, r.stderr, "revoked")

	require.Contains(t, e.staff("user", "list", "--output", "csv").ok(t), "admin@vpcp.gov.vn,,staff,,vi,active")
	r = e.staff("user", "revoke", "999999")
	require.Equal(t, ExitNotFound, r.code)
	r = e.staff("user", "revoke", "abc")
	require.Equal(t, ExitUsage, r.code)
}

func TestTemplatesAndRegimes(t *testing.T) {
	e := newCLIEnv(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	e.staff("agency", "import", write("a.csv", "code,name_vi,kind,region\nHNI,Hà Nội,city,Đồng bằng sông Hồng\nHPG,Hải Phòng,city,Đồng bằng sông Hồng\n")).ok(t)

	csvTemplate := write("ktxh.csv", "code,name_vi,unit,type,required,min,aggregation\nGRDP,Tổng sản phẩm,tỷ đồng,decimal,có,0,sum\nNOTE,Ghi chú,,text,,,none\n")
	out := e.staff("template", "create", "--file", csvTemplate, "--code", "KTXH", "--name-vi", "Báo cáo KT-XH").ok(t)
	require.Contains(t, out, "GRDP")
	require.Equal(t, ExitConflict, e.staff("template", "create", "--file", csvTemplate, "--code", "KTXH", "--name-vi", "x").code)
	jsonTemplate := write("t.json", `{"code": "DAN_SO", "name_vi": "Dân số", "indicators": [{"code": "POP", "name_vi": "Dân số", "type": "integer", "min": -1}]}`)
	e.staff("template", "create", "--file", jsonTemplate).ok(t)
	r := e.staff("template", "create", "--file", write("bad.json", `{"code": "X", "name_vi": "x", "indicators": [{"code": "A", "name_vi": "a", "type": "number"}]}`))
	require.Equal(t, ExitUsage, r.code)
	require.Contains(t, r.stderr, `indicators[0]: template "X": indicator "A" (position 1): type "number" is unknown`)
	r = e.staff("template", "create", "--file", write("typo.json", `{"code": "X", "name_vi": "x", "indicator": []}`))
	require.Equal(t, ExitUsage, r.code)
	require.Contains(t, r.stderr, `unknown field "indicator"`)
	out = e.staff("template", "list", "--output", "csv").ok(t)
	require.Contains(t, out, "KTXH,Báo cáo KT-XH,,2")
	var shown api.Template
	require.NoError(t, json.Unmarshal([]byte(e.staff("template", "show", "KTXH", "--output", "json").ok(t)), &shown))
	require.Equal(t, api.DecimalText("0"), shown.Indicators[0].Min)
	require.True(t, shown.Indicators[0].Required)

	xlsx := filepath.Join(dir, "ktxh.xlsx")
	e.staff("template", "export", "KTXH", "--xlsx", xlsx).ok(t)
	f, err := os.Open(xlsx)
	require.NoError(t, err)
	defer f.Close()
	tmpl := reporting.Template{Code: "KTXH", NameVI: "x", Indicators: []reporting.Indicator{
		{Code: "GRDP", NameVI: "x", Type: reporting.TypeDecimal}, {Code: "NOTE", NameVI: "x", Type: reporting.TypeText}}}
	values, err := sheets.Read(f, tmpl)
	require.NoError(t, err, "the exported spreadsheet is the template's")
	require.Empty(t, values)
	csvOut := e.staff("template", "export", "KTXH", "--csv", "-").ok(t)
	require.True(t, strings.HasPrefix(csvOut, "indicator,\"value (1.234,5)\",name,unit\nGRDP,,"), csvOut)
	require.Equal(t, ExitNotFound, e.staff("template", "export", "NOPE", "--xlsx", filepath.Join(dir, "x.xlsx")).code)
	_, err = os.Stat(filepath.Join(dir, "x.xlsx"))
	require.True(t, os.IsNotExist(err), "no file is left after a failed export")

	out = e.staff("regime", "create", "--code", "KTXH_THANG", "--name-vi", "Báo cáo KT-XH tháng", "--template", "KTXH",
		"--cadence", "monthly", "--deadline-rule", "workdays:2", "--reminders", "3d,1d",
		"--escalation", "1d:officer+head", "--escalation", "3d:supervisor:1d:3", "--assign", "HNI,HPG", "--output", "json").ok(t)
	var regime api.Regime
	require.NoError(t, json.Unmarshal([]byte(out), &regime))
	require.Equal(t, []string{"3d", "1d"}, regime.Policy.ReminderOffsets)
	require.Equal(t, []reporting.EscalationDoc{{After: "1d", Recipients: []string{"officer", "head"}, Times: 1},
		{After: "3d", Recipients: []string{"supervisor"}, Repeat: "1d", Times: 3}}, regime.Policy.Escalations)
	require.Len(t, regime.Assignments, 2)

	r = e.staff("regime", "create", "--code", "BAD", "--name-vi", "x", "--template", "KTXH", "--cadence", "weekly", "--deadline-rule", "days:2")
	require.Equal(t, ExitUsage, r.code)
	require.Contains(t, r.stderr, "cadence")

	regimeFile := write("regime.json", `{"code": "KTXH_QUY", "name_vi": "Báo cáo quý", "template": "KTXH", "cadence": "quarterly",
		"deadline_rule": "day:6", "policy": {"reminder_offsets": ["2d"], "close_after": "15d"}, "assignments": [{"agency": "HNI"}]}`)
	e.staff("regime", "create", "--file", regimeFile).ok(t)
	out = e.staff("regime", "list", "--output", "csv").ok(t)
	require.Contains(t, out, "KTXH_QUY,Báo cáo quý,KTXH,quarterly,day:6,2d,15d,1")
	require.Contains(t, out, "KTXH_THANG,Báo cáo KT-XH tháng,KTXH,monthly,workdays:2,3d 1d,10d,2")
	require.Contains(t, e.staff("regime", "show", "KTXH_THANG").ok(t), "1d → officer+head; 3d → supervisor ×3 every 1d")

	out = e.staff("regime", "assign", "KTXH_QUY", "--agencies", "HPG", "--from", "2026-07-01", "--output", "json").ok(t)
	require.NoError(t, json.Unmarshal([]byte(out), &regime))
	from := reporting.MustParseDate("2026-07-01")
	require.Equal(t, []api.Assignment{{Agency: "HPG", ActiveFrom: &from}}, regime.Assignments)
	r = e.staff("regime", "assign", "KTXH_QUY", "--agencies", "NOPE")
	require.Equal(t, ExitUsage, r.code)
	require.Contains(t, r.stderr, "assignments[0].agency")
}

func TestExitCodes(t *testing.T) {
	e := newCLIEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	r := e.run("", "agency", "list", "--server", closed, "--token", e.staffToken)
	require.Equal(t, ExitUnavailable, r.code)
	require.Contains(t, r.stderr, "is `rcm serve` or `rcm dev` running at "+closed)

	r = e.as("rcm_wrong", "agency", "list")
	require.Equal(t, ExitDenied, r.code)
	require.Contains(t, r.stderr, "RCM_TOKEN")
	r = e.staff("agency", "show", "NOPE")
	require.Equal(t, ExitNotFound, r.code)
	r = e.run("", "agency", "list", "--server", "ftp://x")
	require.Equal(t, ExitUsage, r.code)
	r = e.staff("agency", "list", "--output", "yaml")
	require.Equal(t, ExitUsage, r.code)
	r = e.staff("agency", "show")
	require.Equal(t, ExitUsage, r.code)
	r = e.staff("agency", "list", "--bogus")
	require.Equal(t, ExitUsage, r.code)
}

func TestServe(t *testing.T) {
	url := testenv.Database(t)
	temporal := testenv.Temporal(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- runCLI(ctx, []string{"rcm", "serve", "--addr", addr, "--database-url", url, "--temporal-address", temporal.HostPort()}, strings.NewReader(""), &bytes.Buffer{}, &stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			require.Equal(t, 200, resp.StatusCode)
			break
		}
		require.True(t, time.Now().Before(deadline), "rcm serve did not answer: %v", err)
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		require.Equal(t, ExitOK, code)
	case <-time.After(20 * time.Second):
		t.Fatal("rcm serve did not stop")
	}
}

// TestEveryCommandHasHelpWithAnExample walks the reference commands.
func TestEveryCommandHasHelpWithAnExample(t *testing.T) {
	var walk func(path []string, c *ucli.Command)
	walk = func(path []string, c *ucli.Command) {
		path = append(path, c.Name)
		if len(c.Subcommands) > 0 {
			for _, sub := range c.Subcommands {
				walk(path, sub)
			}
			return
		}
		name := strings.Join(path, " ")
		require.NotEmpty(t, c.Usage, name)
		require.NotEmpty(t, c.UsageText, name)
		require.Contains(t, c.Description, "Examples:", name)
		var stdout, stderr bytes.Buffer
		code := runCLI(context.Background(), append(append([]string{"rcm"}, path...), "--help"), strings.NewReader(""), &stdout, &stderr)
		require.Equal(t, ExitOK, code, name)
		require.Contains(t, stdout.String(), "Examples:", name)
	}
	for _, mk := range referenceCommands() {
		walk(nil, mk())
	}
}
