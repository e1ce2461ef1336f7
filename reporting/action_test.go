package reporting

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTheActionsFollowTheObligationsState(t *testing.T) {
	now := time.Date(2026, 10, 20, 3, 0, 0, 0, time.UTC)
	open := Obligation{CycleID: "SEI-2026-10", AgencyCode: "HNI", Due: now.Add(24 * time.Hour), Close: now.Add(72 * time.Hour)}
	refusal := func(err error) Refusal {
		var r *RefusedError
		if errors.As(err, &r) {
			return r.Refusal
		}
		return 0
	}
	for _, tt := range []struct {
		status                     ObligationStatus
		reopen, nilReport, request Refusal
	}{
		{ObligationPending, RefusedNotAccepted, 0, 0},
		{ObligationOverdue, RefusedNotAccepted, 0, 0},
		{ObligationUnderReview, RefusedNotAccepted, RefusedAwaitingReview, 0},
		{ObligationReturned, RefusedNotAccepted, 0, 0},
		{ObligationAccepted, 0, RefusedAccepted, RefusedAccepted},
		{ObligationOnTime, RefusedReopenClosed, RefusedClosed, RefusedClosed},
	} {
		o := open
		o.Status = tt.status
		if got := refusal(o.MayReopen(CycleOpen, now)); got != tt.reopen {
			t.Errorf("%s: reopen refused %d, want %d", tt.status, got, tt.reopen)
		}
		if got := refusal(o.MayDeclareNil(CycleOpen, now)); got != tt.nilReport {
			t.Errorf("%s: nil report refused %d, want %d", tt.status, got, tt.nilReport)
		}
		if got := refusal(o.MayRequestExtension(CycleOpen, now)); got != tt.request {
			t.Errorf("%s: extension request refused %d, want %d", tt.status, got, tt.request)
		}
	}
	// After its close nothing is taken, even in an open cycle; a reopen is
	// refused pointing to late filing.
	o := open
	o.Status = ObligationAccepted
	if got := refusal(o.MayReopen(CycleOpen, o.Close)); got != RefusedReopenClosed {
		t.Errorf("reopen at close refused %d, want reopen-closed", got)
	}
	// The life of obligations has the edges the actions use.
	if !ObligationReturned.Follows(ObligationAccepted) || !ObligationAccepted.Follows(ObligationNotified) {
		t.Error("a reopen (accepted → returned) and a nil report (notified → accepted) must be transitions")
	}
}

func TestTheRefusalOfAnAcceptedVersionNamesTheReopenCommand(t *testing.T) {
	o := Obligation{CycleID: "SEI-2026-10", AgencyCode: "HNI", Status: ObligationAccepted, Versions: 2,
		Close: time.Now().Add(time.Hour)}
	err := o.MaySubmit(CycleOpen, time.Now())
	if err == nil || !strings.Contains(err.Error(), "rcm review reopen --cycle SEI-2026-10 --agency HNI") {
		t.Errorf("refusal %v does not name the command", err)
	}
}

func TestANilReportIsSubmittedAndTimedByItsDeclaration(t *testing.T) {
	due := time.Date(2026, 10, 16, 17, 0, 0, 0, time.UTC)
	declared := due.Add(-time.Hour)
	o := Obligation{Due: due, Close: due.Add(48 * time.Hour), Status: ObligationAccepted, NilReport: true, LastSubmittedAt: &declared,
		Timeliness: TimelinessAcceptedVersion}
	live := o.Classify(due.Add(time.Hour))
	if live.Final || live.Live != LiveNilReport || !live.Submitted || !live.OnTime {
		t.Errorf("live: %+v", live)
	}
	final := o.Classify(o.Close)
	if !final.Final || final.State != ObligationNilReport || !final.Submitted || !final.OnTime {
		t.Errorf("final: %+v", final)
	}
}
