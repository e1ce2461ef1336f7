package reporting

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestALateFilingIsTakenOnlyFromAMissingOrNotAcceptedReportWithinTheWindow(t *testing.T) {
	closeAt := time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)
	finalized := closeAt
	base := Obligation{CycleID: "SEI-2026-11", AgencyCode: "HNI", Due: closeAt.Add(-10 * 24 * time.Hour), Close: closeAt, FinalizedAt: &finalized}
	refusal := func(err error) Refusal {
		var r *RefusedError
		if errors.As(err, &r) {
			return r.Refusal
		}
		return 0
	}
	after := closeAt.Add(time.Hour)
	for _, tt := range []struct {
		name   string
		status ObligationStatus
		open   bool
		cycle  CycleStatus
		now    time.Time
		window int
		want   Refusal
	}{
		{"missing, within the window", ObligationMissing, false, CycleClosed, after, 30, 0},
		{"not accepted, within the window", ObligationNotAccepted, false, CycleClosed, after, 30, 0},
		{"missing, in a cycle still open for others", ObligationMissing, false, CycleOpen, after, 30, 0},
		{"on time", ObligationOnTime, false, CycleClosed, after, 30, RefusedNothingToFile},
		{"late", ObligationLate, false, CycleClosed, after, 30, RefusedNothingToFile},
		{"nil report", ObligationNilReport, false, CycleClosed, after, 30, RefusedNothingToFile},
		{"not reviewed", ObligationNotReviewed, false, CycleClosed, after, 30, RefusedNothingToFile},
		{"still open", ObligationReturned, true, CycleOpen, closeAt.Add(-time.Hour), 30, RefusedNotClosed},
		{"the last instant of the window", ObligationMissing, false, CycleClosed, closeAt.Add(30*24*time.Hour - time.Second), 30, 0},
		{"the window's end", ObligationMissing, false, CycleClosed, closeAt.Add(30 * 24 * time.Hour), 30, RefusedLateWindowOver},
		{"a regime that takes none", ObligationMissing, false, CycleClosed, after, 0, RefusedLateWindowOver},
		{"a cancelled cycle", ObligationMissing, false, CycleCancelled, after, 30, RefusedCancelled},
	} {
		o := base
		o.Status = tt.status
		if tt.open {
			o.FinalizedAt = nil
		}
		err := o.MayFileLate(tt.cycle, tt.now, tt.window)
		if got := refusal(err); got != tt.want {
			t.Errorf("%s: refused %d (%v), want %d", tt.name, got, err, tt.want)
		}
	}
	o := base
	o.Status = ObligationMissing
	if err := o.MayAdmitLateFiling(); err != nil {
		t.Errorf("admit a missing report's late filing: %v", err)
	}
	o.Status = ObligationLate
	if refusal(o.MayAdmitLateFiling()) != RefusedNothingToFile {
		t.Error("a second late filing admitted over an admitted one")
	}
	o.Status, o.Close = ObligationMissing, closeAt
	if err := o.MayFileLate(CycleClosed, closeAt.Add(31*24*time.Hour), 30); err == nil || !strings.Contains(err.Error(), "30 days after its close") {
		t.Errorf("the window's refusal does not say the window: %v", err)
	}
}

func TestAnAdmittedLateFilingIsLateWhateverTheRule(t *testing.T) {
	due := time.Date(2026, 11, 16, 17, 0, 0, 0, time.UTC)
	closeAt := due.Add(10 * 24 * time.Hour)
	first := due.Add(-48 * time.Hour) // a version on time, returned, never replaced by close
	late := closeAt.Add(48 * time.Hour)
	for _, rule := range Timelinesses() {
		o := Obligation{Due: due, Close: closeAt, FinalizedAt: &closeAt, Timeliness: rule, Versions: 2,
			FirstSubmittedAt: &first, LastSubmittedAt: &late, AcceptedVersion: 2, AcceptedSubmittedAt: &late,
			Status: ObligationLate}
		c := o.Classify(late.Add(time.Hour))
		if !c.Final || c.State != ObligationLate || c.OnTime || !c.Submitted {
			t.Errorf("%s: an admitted late filing classified %+v", rule, c)
		}
		if c.VersionsBeforeAcceptance != 1 {
			t.Errorf("%s: versions before acceptance %d, want 1", rule, c.VersionsBeforeAcceptance)
		}
	}
}

func TestAReopenAfterClosePointsToLateFiling(t *testing.T) {
	closeAt := time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)
	o := Obligation{CycleID: "SEI-2026-11", AgencyCode: "HNI", Status: ObligationOnTime, Close: closeAt, FinalizedAt: &closeAt}
	err := o.MayReopen(CycleClosed, closeAt.Add(time.Hour))
	var r *RefusedError
	if !errors.As(err, &r) || r.Refusal != RefusedReopenClosed {
		t.Fatalf("reopen after close: %v", err)
	}
	for _, want := range []string{"only before its close", "on_time", "rcm late-file --cycle SEI-2026-11 --agency HNI"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not say %q", err, want)
		}
	}
}

func TestTheMatrixCountsAnAdmittedLateFilingLateByItsFiling(t *testing.T) {
	due := time.Date(2026, 11, 16, 17, 0, 0, 0, time.UTC)
	closeAt := due.Add(10 * 24 * time.Hour)
	first := due.Add(-time.Hour) // on time, returned, not replaced by close
	filed := closeAt.Add(36 * time.Hour)
	o := Obligation{Due: due, Close: closeAt, FinalizedAt: &closeAt, Timeliness: TimelinessFirstVersion, Status: ObligationLate,
		Versions: 2, FirstSubmittedAt: &first, LastSubmittedAt: &filed, AcceptedVersion: 2, AcceptedSubmittedAt: &filed}
	cell := CellOf(o, false, filed)
	if cell.State != string(ObligationLate) || cell.DaysLate != 12 {
		t.Errorf("cell %+v, want late by 12 days", cell)
	}
}
