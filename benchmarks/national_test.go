package benchmarks

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"rcm/access"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
)

// BenchmarkNationalCycleWorker runs one cycle of b.N agencies (100,000 in
// scripts/bench) through `rcm worker` started as its own process, as an
// installation runs it, and reports the worker's resident memory: idle
// after start (the baseline) and at its peak while the cycle runs from
// launch to close. Beside it: the time from launch until the SMTP server
// has accepted the last deadline notice, and from due until the cycle is
// closed (overdue notices to every agency, then close and the summary).
func BenchmarkNationalCycleWorker(b *testing.B) {
	ctx := context.Background()
	temporal := temporalFor(b)
	bin := testenv.BuildRCM(b)
	dbURL := testenv.Database(b)
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(st.Close)
	sink := testenv.SMTPServer(b, testenv.DiscardMessages())
	queue := testenv.TaskQueue(b)

	n := b.N
	regime := uniqueRegime("NATION")
	seedNation(b, st, regime, n)

	worker := exec.Command(bin, "worker", "--database-url", dbURL, "--temporal-address", temporal.HostPort(),
		"--temporal-namespace", temporal.Namespace(), "--task-queue", queue, "--smtp-url", sink.URL(),
		"--base-url", "http://rcm.bench.test", "--metrics-addr", "")
	worker.Env = testenv.CleanEnv()
	logs := &testenv.Buffer{}
	worker.Stdout, worker.Stderr = logs, logs
	if err := worker.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = worker.Process.Kill()
		_ = worker.Wait()
		if b.Failed() {
			b.Logf("worker's output:\n%s", logs.String())
		}
	})
	time.Sleep(3 * time.Second) // started and polling
	idle, err := residentMB(worker.Process.Pid, "VmRSS")
	if err != nil {
		b.Fatal(err)
	}

	eng := operations.New(st, temporal.Client(), slog.New(slog.NewTextHandler(io.Discard, nil)), operations.WithTaskQueue(queue))
	staff := operations.Caller{Principal: access.Principal{Role: access.Staff, Email: "staff@office.test"}}
	// Due after the notice wave could end at a few hundred messages a
	// second, so that the two figures do not overlap.
	due := time.Now().Add(time.Duration(n/400+30) * time.Second).Truncate(time.Second)
	b.ResetTimer()
	launched := time.Now()
	cyc, err := eng.Launch(ctx, staff, operations.LaunchRequest{RegimeCode: regime, Period: "2026-10", Due: &due})
	if err != nil {
		b.Fatal(err)
	}
	var peak atomic.Int64
	stopSampling := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopSampling:
				return
			case <-time.After(250 * time.Millisecond):
			}
			if mb, err := residentMB(worker.Process.Pid, "VmHWM"); err == nil {
				peak.Store(int64(mb))
			}
		}
	}()
	noticed := waitUntil(b, 30*time.Minute, func() (bool, error) {
		counts, err := st.NotificationCounts(ctx, cyc.ID, []reporting.Event{reporting.EventDeadlineNotice}, 0)
		return counts[reporting.NotificationSent] == n, err
	})
	closed := waitUntil(b, 60*time.Minute, func() (bool, error) {
		c, err := st.Cycle(ctx, cyc.ID)
		return c.Status == reporting.CycleClosed, err
	})
	b.StopTimer()
	close(stopSampling)
	final, err := residentMB(worker.Process.Pid, "VmHWM")
	if err != nil {
		b.Fatal(err)
	}
	if noticed.After(due) {
		b.Logf("the notice wave ended after due: the two figures overlap")
	}
	b.ReportMetric(idle, "idle-RSS-MB")
	b.ReportMetric(max(final, float64(peak.Load())), "peak-RSS-MB")
	b.ReportMetric(noticed.Sub(launched).Seconds(), "launch-to-last-notice-s")
	b.ReportMetric(closed.Sub(due).Seconds(), "due-to-closed-s")
}

// seedNation records n provinces under 20 regions, a staff user, the SEI
// template and a regime assigning them all, with no reminders and no
// escalation (every message is a notice, an overdue notice or the summary).
func seedNation(b *testing.B, st *store.Store, regime string, n int) {
	b.Helper()
	ctx := context.Background()
	audit := store.AuditEntry{Actor: "benchmark", Action: "benchmark.seed", Object: "regime/" + regime}
	agencies := []reporting.Agency{{Code: "VN", NameVI: "Việt Nam", Kind: "national"}}
	r := reporting.Regime{Code: regime, NameVI: "Báo cáo quốc gia", TemplateCode: "NSEI", Cadence: reporting.Monthly,
		DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2}, TimeZone: reporting.DefaultZone,
		Policy: reporting.Policy{ReviewTime: time.Hour, CloseAfter: 20 * time.Second}}
	for i := 0; i < 20; i++ {
		agencies = append(agencies, reporting.Agency{Code: fmt.Sprintf("R%02d", i), ParentCode: "VN", NameVI: "Vùng", Kind: "region"})
	}
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("N%06d", i)
		agencies = append(agencies, reporting.Agency{Code: code, ParentCode: fmt.Sprintf("R%02d", i%20), NameVI: "Đơn vị " + code,
			Kind: "province", OfficerEmail: strings.ToLower(code) + "@agency.test"})
		r.Assignments = append(r.Assignments, reporting.Assignment{AgencyCode: code})
	}
	if _, _, err := st.UpsertAgencies(ctx, agencies, audit); err != nil {
		b.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, store.User{Email: "staff@office.test", Role: access.Staff}, "", audit); err != nil {
		b.Fatal(err)
	}
	if err := st.CreateTemplate(ctx, reporting.Template{Code: "NSEI", NameVI: "Mẫu", Indicators: []reporting.Indicator{
		{Code: "X", NameVI: "Chỉ tiêu X", Type: reporting.TypeInteger, Required: true, Aggregation: reporting.AggregationSum}}}, audit); err != nil {
		b.Fatal(err)
	}
	if err := st.CreateRegime(ctx, r, audit); err != nil {
		b.Fatal(err)
	}
}

// waitUntil polls done until it says so, and returns when that was.
func waitUntil(b *testing.B, limit time.Duration, done func() (bool, error)) time.Time {
	b.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		ok, err := done()
		if err != nil {
			b.Fatal(err)
		}
		if ok {
			return time.Now()
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatalf("not done within %s", limit)
	return time.Time{}
}

// residentMB reads a memory figure of /proc/PID/status (VmRSS now, VmHWM
// the peak so far) in MB.
func residentMB(pid int, field string) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read the worker's memory: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(value), " kB"))
		if err != nil {
			return 0, fmt.Errorf("read %s of the worker: %w", field, err)
		}
		return float64(kb) / 1024, nil
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}
