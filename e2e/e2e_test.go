package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"rcm/devstack"
	"rcm/reporting"
	"rcm/testenv"
)

var temporal *testenv.TemporalServer

func TestMain(m *testing.M) {
	testenv.RunWithTemporal(m, func(s *testenv.TemporalServer) { temporal = s })
}

// Exit statuses of rcm (cli/app.go), as a script sees them.
const (
	exitOK       = 0
	exitUsage    = 2
	exitDenied   = 3
	exitNotFound = 4
	exitConflict = 5
)

// system is the built rcm running as serve and worker processes.
type system struct {
	t      *testing.T
	bin    string
	dir    string
	dbURL  string
	server string
	env    []string
}

// result is one run of the command line.
type result struct {
	code           int
	stdout, stderr string
}

// process is an rcm process the test started, with its output.
type process struct {
	*testenv.Buffer
	cmd  *exec.Cmd
	done chan struct{} // closed once it has exited
}

// start runs `rcm args...` in the background until the test ends.
func (s *system) start(name string, args ...string) *process {
	t := s.t
	p := &process{Buffer: &testenv.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(s.bin, args...)
	p.cmd.Env = s.env
	p.cmd.Stdout, p.cmd.Stderr = p.Buffer, p.Buffer
	require.NoError(t, p.cmd.Start())
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("rcm %s output:\n%s", name, p.String())
		}
	})
	return p
}

// rcm runs the command line with RCM_SERVER and, when token is set, RCM_TOKEN.
func (s *system) rcm(token, stdin string, args ...string) result {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Dir = s.dir
	cmd.Env = append(append([]string{}, s.env...), "RCM_SERVER="+s.server)
	if token != "" {
		cmd.Env = append(cmd.Env, "RCM_TOKEN="+token)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		exitErr, ok := err.(*exec.ExitError)
		require.True(s.t, ok, "rcm %v: %v", args, err)
		code = exitErr.ExitCode()
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// ok runs rcm and requires it to succeed, returning its standard output.
func (s *system) ok(token string, args ...string) string {
	s.t.Helper()
	r := s.rcm(token, "", args...)
	require.Equal(s.t, exitOK, r.code, "rcm %s\nstderr: %s\nstdout: %s", strings.Join(args, " "), r.stderr, r.stdout)
	return r.stdout
}

// fails runs rcm and requires the exit status, returning the error output.
func (s *system) fails(code int, token string, args ...string) string {
	s.t.Helper()
	r := s.rcm(token, "", args...)
	require.Equal(s.t, code, r.code, "rcm %s\nstderr: %s\nstdout: %s", strings.Join(args, " "), r.stderr, r.stdout)
	return r.stderr
}

func (s *system) write(name, content string) string {
	s.t.Helper()
	p := filepath.Join(s.dir, name)
	require.NoError(s.t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

// newUser creates a user as staff and returns a token of theirs.
func (s *system) newUser(staff, email, role, agency string) string {
	s.t.Helper()
	var users []struct {
		ID int64 `json:"id"`
	}
	// Nobody mints a token for someone else: staff give the user a
	// password, and the user gets a token of their own with rcm login.
	const password = "mật khẩu của người dùng"
	r := s.rcm(staff, password+"\n", "user", "create", "--email", email, "--role", role, "--agency", agency, "--password-stdin", "--output", "json")
	require.Equal(s.t, exitOK, r.code, r.stderr)
	require.NoError(s.t, json.Unmarshal([]byte(r.stdout), &users), r.stdout)
	require.Len(s.t, users, 1)
	r = s.rcm("", password+"\n", "login", "--email", email, "--password-stdin", "--name", "e2e")
	require.Equal(s.t, exitOK, r.code, r.stderr)
	return strings.TrimSpace(r.stdout)
}

// pastPeriod is the latest monthly period whose data cut-off has passed.
func pastPeriod(t *testing.T) string {
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	current, ok := reporting.PeriodContaining(reporting.Monthly, reporting.DateOf(time.Now(), loc))
	require.True(t, ok)
	start, _ := current.Window()
	previous, ok := reporting.PeriodContaining(reporting.Monthly, start.AddDays(-1))
	require.True(t, ok)
	return previous.ID
}

// startSystem builds rcm and starts `rcm serve` and `rcm worker` against a
// fresh database, the package's Temporal dev server and an SMTP server.
func startSystem(t *testing.T) (*system, *testenv.SMTP) {
	t.Helper()
	s := &system{t: t, bin: testenv.BuildRCM(t), dir: t.TempDir(), dbURL: testenv.Database(t), env: testenv.CleanEnv()}
	sink := testenv.SMTPServer(t)
	port, err := devstack.FreePort()
	require.NoError(t, err)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	s.server = "http://" + addr
	serveLog := s.start("serve", "serve", "--addr", addr, "--database-url", s.dbURL, "--temporal-address", temporal.HostPort())
	s.start("worker", "worker", "--database-url", s.dbURL, "--temporal-address", temporal.HostPort(),
		"--smtp-url", sink.URL(), "--base-url", s.server)
	require.Eventually(t, func() bool {
		resp, err := http.Get(s.server + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 60*time.Second, 100*time.Millisecond, "rcm serve never became ready:\n%s", serveLog)
	return s, sink
}

// cycleStatus is what the story reads of rcm cycle status --output json.
type cycleStatus struct {
	ID     string         `json:"id"`
	Status string         `json:"status"`
	Counts map[string]int `json:"counts"`
}

// TestReadmeStory walks the "Done when" of issue 5 with the built binary:
// a staff user, agencies, a template and a regime, a cycle with a timeline
// of seconds, two agencies submitting from the command line (CSV and XLSX),
// one returned with a reason, the other accepted, and a supervisor of one
// region who sees that region's compliance and nothing else.
func TestReadmeStory(t *testing.T) {
	start := time.Now()
	s, sink := startSystem(t)
	t.Logf("binary built, serve and worker ready in %s", time.Since(start).Round(time.Millisecond))

	// 1. The first office-staff user, on the database directly.
	r := s.rcm("", "", "user", "bootstrap", "--email", "admin@vpcp.gov.vn", "--database-url", s.dbURL)
	require.Equal(t, exitOK, r.code, r.stderr)
	staff := strings.TrimSpace(r.stdout)
	require.True(t, strings.HasPrefix(staff, "rcm_"), staff)
	s.fails(exitDenied, "rcm_wrong", "cycle", "list")

	// 2. Agencies: the reference file, then the officers' addresses of two.
	out := s.ok(staff, "agency", "import", filepath.Join(wd(t), "testdata", "vn-agencies-2025.csv"), "--output", "json")
	require.Contains(t, out, `"created": 58`)
	s.ok(staff, "agency", "import", s.write("emails.csv",
		"code,name_vi,name_en,kind,region,officer_email,head_email\n"+
			"HNI,Thành phố Hà Nội,Hanoi,city,Đồng bằng sông Hồng,vanphong@hanoi.gov.vn,chutich@hanoi.gov.vn\n"+
			"HCM,Thành phố Hồ Chí Minh,Ho Chi Minh City,city,Đông Nam Bộ,vanphong@tphcm.gov.vn,chutich@tphcm.gov.vn\n"))

	// 3. A template and a monthly regime for four cities in two regions.
	s.ok(staff, "template", "create", "--file", s.write("ktxh.json", `{"code": "KTXH", "name_vi": "Báo cáo kinh tế - xã hội tháng",
		"name_en": "Monthly socio-economic report", "indicators": [
		{"code": "GRDP", "name_vi": "Tổng sản phẩm trên địa bàn", "unit": "tỷ đồng", "type": "decimal", "required": true, "min": "0", "aggregation": "sum"},
		{"code": "EMP", "name_vi": "Số lao động có việc làm", "unit": "người", "type": "integer", "required": true, "min": "0", "aggregation": "sum"},
		{"code": "NOTE", "name_vi": "Tình hình nổi bật", "type": "text"}]}`))
	s.ok(staff, "regime", "create", "--code", "KTXH_THANG", "--name-vi", "Báo cáo KT-XH hằng tháng", "--template", "KTXH",
		"--cadence", "monthly", "--deadline-rule", "workdays:2", "--reminders", "3d,1d", "--assign", "HNI,HPG,HCM,CTO")
	hni := s.newUser(staff, "vanphong@hanoi.gov.vn", "officer", "HNI")
	hcm := s.newUser(staff, "vanphong@tphcm.gov.vn", "officer", "HCM")
	dbsh := s.newUser(staff, "lanhdao@dbsh.gov.vn", "supervisor", "R-DBSH")

	// 4. A cycle with a timeline of seconds; --wait follows the deadline notice.
	period := pastPeriod(t)
	cycleID := "KTXH_THANG-" + period
	r = s.rcm(staff, "", "cycle", "launch", "--regime", "KTXH_THANG", "--period", period, "--due", "+45s",
		"--reminders", "20s", "--escalations", "5s:officer+head,20s:supervisor*2/5s", "--review-time", "30s", "--close-after", "2m", "--wait")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, cycleID)
	require.Contains(t, r.stderr, "deadline notice done: 4 agencies, 2 sent")
	s.fails(exitConflict, staff, "cycle", "launch", "--regime", "KTXH_THANG", "--period", period)
	s.fails(exitDenied, hni, "cycle", "launch", "--regime", "KTXH_THANG", "--period", "2026-01")
	require.Contains(t, s.ok(hni, "cycle", "list"), cycleID)
	timeline := s.ok(dbsh, "cycle", "status", cycleID, "--timeline")
	require.Contains(t, timeline, "notice")
	require.Contains(t, timeline, "escalation 3/3", "one notice to officer and head, two to the supervisor")
	s.fails(exitDenied, hni, "cycle", "status", cycleID, "--timeline")
	extendTo := reporting.DateOf(time.Now().Add(72*time.Hour), vietnam(t))
	out = s.ok(staff, "cycle", "extend", cycleID, "--agency", "CTO", "--due", extendTo.String(), "--reason", "Ngập lụt")
	require.Contains(t, out, extendTo.Format("vi")+" 24:00", "a date is the end of that day")

	// 5. Hà Nội submits the CSV, Hồ Chí Minh City the spreadsheet, both
	// exported with rcm template export and filled in.
	csvFile := filepath.Join(s.dir, "hni.csv")
	s.ok(hni, "template", "export", "KTXH", "--csv", csvFile)
	exported, err := os.ReadFile(csvFile)
	require.NoError(t, err)
	// The CSV exported in Vietnamese states Vietnamese figures: 1.250,5 is
	// 1250.5, and 1250.5 could be a misreading, so it is refused.
	filled := fillCSV(t, string(exported), map[string]string{"GRDP": "1.250,5", "EMP": "5.200"})
	s.write("hni-bad.csv", strings.Replace(filled, `"1.250,5"`, "1250.5", 1))
	stderr := s.fails(exitUsage, hni, "submit", "--cycle", cycleID, "--agency", "HNI", "--file", "hni-bad.csv")
	require.Contains(t, stderr, "values.GRDP")
	s.write("hni.csv", filled)
	out = s.ok(hni, "submit", "--cycle", cycleID, "--agency", "HNI", "--file", "hni.csv", "--idempotency-key", "hni-1")
	require.Contains(t, out, cycleID+"-HNI-v1")
	out = s.ok(hni, "submit", "--cycle", cycleID, "--agency", "HNI", "--file", "hni.csv", "--idempotency-key", "hni-1", "--output", "json")
	require.Contains(t, out, `"replayed": true`, "a retry with the same key is the same receipt")
	var hniReceipt struct {
		Number      string `json:"receipt_number"`
		ContentHash string `json:"content_hash"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &hniReceipt))
	require.Len(t, hniReceipt.ContentHash, 64, "the receipt shows the content hash")
	// The receipt and the file check out; a changed figure is named.
	out = s.ok(hni, "receipt", "verify", hniReceipt.Number, "--file", "hni.csv")
	require.Contains(t, out, "khớp / match")
	require.Contains(t, out, hniReceipt.ContentHash)
	s.write("hni-changed.csv", fillCSV(t, string(exported), map[string]string{"GRDP": "1.250,5", "EMP": "5.300"}))
	stderr = s.fails(1, hni, "receipt", "verify", hniReceipt.Number, "--file", "hni-changed.csv")
	require.Contains(t, stderr, "the file is not the report of receipt "+hniReceipt.Number+": EMP differ")
	s.fails(exitNotFound, hni, "submit", "--cycle", cycleID, "--agency", "HCM", "--value", "GRDP=1", "--value", "EMP=1")

	xlsxFile := filepath.Join(s.dir, "hcm.xlsx")
	s.ok(hcm, "template", "export", "KTXH", "--xlsx", xlsxFile)
	fillXLSX(t, xlsxFile, map[string]any{"H5": 2100, "H6": 8100})
	out = s.ok(hcm, "submit", "--cycle", cycleID, "--agency", "HCM", "--file", xlsxFile, "--output", "json")
	var hcmReceipt struct {
		Number       string `json:"receipt_number"`
		SubmissionID int64  `json:"submission_id"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &hcmReceipt))
	require.True(t, strings.HasPrefix(hcmReceipt.Number, cycleID+"-HCM-v1-"), hcmReceipt.Number)

	// 6. Office staff return Hồ Chí Minh City's with a reason and accept Hà Nội's.
	var queue []struct {
		ID     int64  `json:"id"`
		Agency string `json:"agency"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.ok(staff, "review", "list", "--cycle", cycleID, "--output", "json")), &queue))
	require.Len(t, queue, 2)
	ids := map[string]int64{}
	for _, q := range queue {
		ids[q.Agency] = q.ID
	}
	require.Equal(t, hcmReceipt.SubmissionID, ids["HCM"])
	reason := "Số lao động chưa khớp với báo cáo của Cục Thống kê"
	s.fails(exitUsage, staff, "review", "return", fmt.Sprint(ids["HCM"]))
	s.fails(exitDenied, dbsh, "review", "accept", fmt.Sprint(ids["HNI"]))
	out = s.ok(staff, "review", "return", fmt.Sprint(ids["HCM"]), "--reason", reason)
	require.Contains(t, out, "bị trả lại")
	require.Contains(t, s.ok(staff, "review", "accept", fmt.Sprint(ids["HNI"])), "đã chấp nhận")
	s.fails(exitConflict, staff, "review", "accept", fmt.Sprint(ids["HNI"]))
	require.Eventually(t, func() bool {
		for _, m := range sink.Messages() {
			text, _ := m.Text()
			if len(m.To) > 0 && m.To[0] == "vanphong@tphcm.gov.vn" && strings.Contains(text, reason) {
				return true
			}
		}
		return false
	}, 30*time.Second, 200*time.Millisecond, "Hồ Chí Minh City's officer is told the reason")

	// 7. Close the cycle; the worker classifies and aggregates.
	s.ok(staff, "cycle", "close", cycleID, "--reason", "Đã đủ số liệu")
	var status cycleStatus
	require.Eventually(t, func() bool {
		status = cycleStatus{}
		return json.Unmarshal([]byte(s.ok(staff, "cycle", "status", cycleID, "--output", "json")), &status) == nil && status.Status == "closed"
	}, 60*time.Second, 500*time.Millisecond, "the cycle closes")
	require.Equal(t, map[string]int{"on_time": 1, "missing": 2, "not_accepted": 1}, status.Counts)

	// 8. The supervisor of the Red River Delta sees that region and nothing else.
	var comp struct {
		Final bool `json:"final"`
		Items []struct {
			Agency      string  `json:"agency"`
			Path        string  `json:"path"`
			Expected    int     `json:"expected"`
			OnTime      int     `json:"on_time"`
			Missing     int     `json:"missing"`
			NotAccepted int     `json:"not_accepted"`
			Rate        float64 `json:"reporting_rate"`
		} `json:"items"`
	}
	require.NoError(t, json.Unmarshal([]byte(s.ok(dbsh, "compliance", "--cycle", cycleID, "--output", "json")), &comp))
	require.True(t, comp.Final)
	var seen []string
	for _, it := range comp.Items {
		seen = append(seen, it.Agency)
		require.True(t, strings.HasPrefix(it.Path, "/VN/R-DBSH/"), "%s is outside the region", it.Agency)
	}
	require.ElementsMatch(t, []string{"R-DBSH", "HNI", "HPG"}, seen)
	for _, it := range comp.Items {
		if it.Agency == "R-DBSH" {
			require.Equal(t, 2, it.Expected)
			require.Equal(t, 1, it.OnTime)
			require.Equal(t, 1, it.Missing)
			require.Equal(t, 50.0, it.Rate)
		}
	}
	table := s.ok(dbsh, "compliance", "--cycle", cycleID)
	require.Contains(t, table, "ĐÚNG HẠN", "Vietnamese column names")
	require.Contains(t, table, "Thành phố Hà Nội")
	require.NotContains(t, table, "Hồ Chí Minh")
	require.Contains(t, s.fails(exitNotFound, dbsh, "compliance", "--cycle", cycleID, "--under", "HCM"), "does not exist or is outside what you may see")
	s.fails(exitNotFound, dbsh, "agency", "show", "HCM")
	s.fails(exitNotFound, dbsh, "compliance", "--cycle", cycleID, "--under", "R-DNB")
	aggregates := s.ok(dbsh, "aggregate", "--cycle", cycleID, "--output", "csv")
	require.Contains(t, aggregates, "R-DBSH,Đồng bằng sông Hồng,GRDP,1250.5")
	require.NotContains(t, aggregates, "2100", "Hồ Chí Minh City's figures were returned, and are another region's")
	xlsxOut := filepath.Join(s.dir, "dbsh.xlsx")
	s.ok(dbsh, "compliance", "--cycle", cycleID, "--output", "xlsx", "--file", xlsxOut)
	x, err := excelize.OpenFile(xlsxOut)
	require.NoError(t, err)
	rows, err := x.GetRows(x.GetSheetName(0))
	require.NoError(t, err)
	require.Len(t, rows, 2+3, "a title, a header and the region's three nodes")
	require.NoError(t, x.Close())

	// Office staff see both regions; Hồ Chí Minh City's officer sees their own
	// agency, returned and so not accepted.
	require.Contains(t, s.ok(staff, "compliance", "--cycle", cycleID, "--output", "csv"), "HCM,Thành phố Hồ Chí Minh,1,1,0,0,0,1,0,0,100,0,100,0,0")
	out = s.ok(hcm, "compliance", "--cycle", cycleID, "--output", "csv")
	require.Equal(t, 2, strings.Count(out, "\n"), out)

	// The regime launches its next cycles by itself, on a Temporal Schedule.
	out = s.ok(staff, "regime", "schedule", "KTXH_THANG", "--at", "07:30")
	require.Contains(t, out, "07:30 +07:00")
	s.fails(exitConflict, staff, "regime", "schedule", "KTXH_THANG")
	require.Contains(t, s.ok(staff, "regime", "schedule", "KTXH_THANG", "--pause"), "tạm dừng")
	require.Contains(t, s.ok(staff, "schedule", "list"), "KTXH_THANG")
	s.fails(exitDenied, dbsh, "schedule", "list")
	s.ok(staff, "regime", "schedule", "KTXH_THANG", "--delete")
	s.fails(exitNotFound, staff, "regime", "schedule", "KTXH_THANG", "--show")
	t.Logf("the story took %s", time.Since(start).Round(time.Millisecond))
}

func vietnam(t *testing.T) *time.Location {
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	return loc
}

// wd is the test's directory, for its testdata.
func wd(t *testing.T) string {
	dir, err := os.Getwd()
	require.NoError(t, err)
	return dir
}

// fillCSV writes values into the value column of an exported CSV, as a
// person would in a spreadsheet program.
func fillCSV(t *testing.T, exported string, values map[string]string) string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(exported)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"indicator", "value (1.234,5)"}, records[0][:2])
	for _, rec := range records[1:] {
		if v, ok := values[rec[0]]; ok {
			rec[1] = v
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	require.NoError(t, w.WriteAll(records))
	return buf.String()
}

// fillXLSX sets cells of an exported spreadsheet and saves it.
func fillXLSX(t *testing.T, path string, cells map[string]any) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	for c, v := range cells {
		require.NoError(t, f.SetCellValue(f.GetSheetName(0), c, v))
	}
	require.NoError(t, f.Save())
	require.NoError(t, f.Close())
}
