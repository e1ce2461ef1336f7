package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
)

// laterDate is the date n days from today in Vietnam, yyyy-mm-dd: after the
// fixture cycles' due (an hour from launch).
func laterDate(n int) string {
	loc, _ := reporting.DefaultLocation()
	return reporting.DateOf(time.Now(), loc).AddDays(n).String()
}

// acceptedCycle opens a cycle for the agency (HNI or HCM), submits and
// accepts a version, and returns the cycle's id.
func (f *fixture) acceptedCycle(agency string) string {
	f.t.Helper()
	cycleID := f.openCycle(agency)
	r := f.submitFor(cycleID, agency, "321")
	_, err := f.engine.Review(context.Background(), f.caller("staff"), operations.ReviewRequest{SubmissionID: r.SubmissionID, Decision: reporting.DecisionAccepted})
	require.NoError(f.t, err)
	return cycleID
}

// extensionRequest records a pending extension request of the agency.
func (f *fixture) extensionRequest(cycleID, agency string) reporting.Action {
	f.t.Helper()
	a, err := f.engine.RequestExtension(context.Background(), f.caller(officerOf[agency]), operations.ActionRequest{
		CycleID: cycleID, AgencyCode: agency, Reason: "bão lũ", RequestedDue: laterDate(3)})
	require.NoError(f.t, err)
	return a
}

// actionCounts counts what an action writes: actions, hand-offs to the
// agency's loop, audit records of actions and extensions.
func (f *fixture) actionCounts(cycleID string) [4]int {
	f.t.Helper()
	var out [4]int
	ctx := context.Background()
	pool := f.store.Pool()
	require.NoError(f.t, pool.QueryRow(ctx, `SELECT count(*) FROM obligation_actions WHERE cycle_id = $1`, cycleID).Scan(&out[0]))
	require.NoError(f.t, pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE workflow_id LIKE 'cycle/' || $1 || '%'`, cycleID).Scan(&out[1]))
	require.NoError(f.t, pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE details->>'cycle' = $1`, cycleID).Scan(&out[2]))
	require.NoError(f.t, pool.QueryRow(ctx, `SELECT count(*) FROM extensions WHERE cycle_id = $1`, cycleID).Scan(&out[3]))
	return out
}

// TestActionsRefuseBadInputNamingTheFieldAndChangeNothing: every new route
// refuses bad input with a problem naming the field (422), or the state of
// things (409), and writes nothing: no action, no hand-off, no audit row.
func TestActionsRefuseBadInputNamingTheFieldAndChangeNothing(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	open := f.openCycle("HNI")
	accepted := f.acceptedCycle("HNI")
	pending := f.openCycle("HNI")
	req := f.extensionRequest(pending, "HNI")
	obligation := func(cycleID, what string) string { return "/api/v1/cycles/" + cycleID + "/agencies/HNI/" + what }
	for _, tt := range []struct {
		name, role, cycle, path string
		body                    any
		status                  int
		field                   string
	}{
		{"reopen without a reason", "staff", accepted, obligation(accepted, "reopen"), map[string]string{"reason": "  "}, 422, "reason"},
		{"reopen with a due date", "staff", accepted, obligation(accepted, "reopen"), map[string]string{"reason": "x", "due": "2027-01-01"}, 422, "due"},
		{"reopen of a report not accepted", "staff", open, obligation(open, "reopen"), map[string]string{"reason": "x"}, 409, ""},
		{"nil report without a reason", "officer", open, obligation(open, "nil-report"), map[string]string{"reason": ""}, 422, "reason"},
		{"nil report after acceptance", "officer", accepted, obligation(accepted, "nil-report"), map[string]string{"reason": "không có"}, 409, ""},
		{"extension request without a date", "officer", open, obligation(open, "extension-requests"), map[string]string{"reason": "bão"}, 422, "due"},
		{"extension request with a bad date", "officer", open, obligation(open, "extension-requests"), map[string]string{"reason": "bão", "due": "2026-02-30"}, 422, "due"},
		{"extension request before the current due", "officer", open, obligation(open, "extension-requests"), map[string]string{"reason": "bão", "due": laterDate(-1)}, 422, "due"},
		{"a second pending request", "officer", pending, obligation(pending, "extension-requests"), map[string]string{"reason": "bão", "due": laterDate(4)}, 409, ""},
		{"a decision that is neither", "staff", pending, fmt.Sprintf("/api/v1/extension-requests/%d/decision", req.ID), map[string]string{"decision": "maybe"}, 422, "decision"},
		{"a refusal without a reason", "staff", pending, fmt.Sprintf("/api/v1/extension-requests/%d/decision", req.ID), map[string]string{"decision": "refused"}, 422, "reason"},
		{"a grant of a date that passed", "staff", pending, fmt.Sprintf("/api/v1/extension-requests/%d/decision", req.ID), map[string]string{"decision": "granted", "due": laterDate(-2)}, 422, "due"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := f.actionCounts(tt.cycle)
			resp := f.do(tt.role, "POST", tt.path, tt.body)
			require.Equal(t, tt.status, resp.status, "%s", resp.body)
			if tt.field != "" {
				var p api.Problem
				resp.decode(t, &p)
				require.NotEmpty(t, p.Errors, "%s", resp.body)
				assert.Equal(t, tt.field, p.Errors[0].Field, "%s", resp.body)
			}
			assert.Equal(t, before, f.actionCounts(tt.cycle), "a refused action writes nothing")
		})
	}
	// Staff cannot declare a nil report for an agency, nor an officer grant.
	before := f.actionCounts(open)
	resp := f.do("staff", "POST", obligation(open, "nil-report"), map[string]string{"reason": "không có"})
	require.Equal(t, http.StatusForbidden, resp.status)
	resp = f.do("officer", "POST", fmt.Sprintf("/api/v1/extension-requests/%d/decision", req.ID), map[string]string{"decision": "granted"})
	require.Equal(t, http.StatusForbidden, resp.status)
	assert.Equal(t, before, f.actionCounts(open))
}
