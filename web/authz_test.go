package web

import (
	"fmt"
	"testing"
)

// call is one request of the matrix.
type call struct {
	method, path string
	body         any
}

// cell is the expected status inside and outside the caller's subtree.
type cell struct{ in, out int }

// matrixRow is one route of the authorization matrix: how to call it as a
// role on something inside or outside that role's scope (for staff, "outside"
// is outside the officer's and supervisor's scope), and the status expected
// for each role.
type matrixRow struct {
	route string
	call  func(f *fixture, role string, inside bool) call
	want  map[string]cell
}

// Shorthands for the expected statuses.
var (
	publicOK = func(status int) map[string]cell {
		return map[string]cell{"anonymous": {status, status}, "staff": {status, status}, "officer": {status, status}, "supervisor": {status, status}, "reviewer": {status, status}}
	}
	everyoneOK = func(status int) map[string]cell {
		return map[string]cell{"anonymous": {401, 401}, "staff": {status, status}, "officer": {status, status}, "supervisor": {status, status}, "reviewer": {status, status}}
	}
	scoped = func(status int) map[string]cell {
		return map[string]cell{"anonymous": {401, 401}, "staff": {status, status}, "officer": {status, 404}, "supervisor": {status, 404}, "reviewer": {status, 404}}
	}
	staffOnlyWant = func(status int) map[string]cell {
		return map[string]cell{"anonymous": {401, 401}, "staff": {status, status}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {403, 403}}
	}
)

// same is a call that does not depend on the role or the scope.
func same(method, path string, body any) func(*fixture, string, bool) call {
	return func(*fixture, string, bool) call { return call{method, path, body} }
}

// agencyFor returns an agency code inside or outside the officer's and supervisor's scope.
func agencyFor(inside bool) string {
	if inside {
		return "HNI"
	}
	return "HCM"
}

// userFor returns the id of the caller itself (inside) or of the HCM officer
// (outside); anonymous callers name the HNI officer.
func userFor(f *fixture, role string, inside bool) int64 {
	switch {
	case !inside:
		return f.users["outsider"].ID
	case role == "anonymous":
		return f.users["officer"].ID
	default:
		return f.users[role].ID
	}
}

func matrix() []matrixRow {
	return []matrixRow{
		{"GET /healthz", same("GET", "/healthz", nil), publicOK(200)},
		{"GET /readyz", same("GET", "/readyz", nil), publicOK(200)},
		{"GET /metrics", same("GET", "/metrics", nil), staffOnlyWant(200)},
		{"GET /api/openapi.json", same("GET", "/api/openapi.json", nil), publicOK(200)},
		{"POST /api/v1/session", same("POST", "/api/v1/session", map[string]string{"email": "staff@vpcp.gov.vn", "password": staffPassword}), publicOK(201)},
		{"DELETE /api/v1/session", same("DELETE", "/api/v1/session", nil), everyoneOK(204)},
		{"GET /api/v1/me", same("GET", "/api/v1/me", nil), everyoneOK(200)},
		{"GET /api/v1/sign-in-locks", same("GET", "/api/v1/sign-in-locks", nil), staffOnlyWant(200)},
		{"GET /api/v1/agencies", func(_ *fixture, _ string, inside bool) call {
			return call{"GET", "/api/v1/agencies?under=" + agencyFor(inside), nil}
		}, scoped(200)},
		{"GET /api/v1/agencies/{code}", func(_ *fixture, _ string, inside bool) call {
			return call{"GET", "/api/v1/agencies/" + agencyFor(inside), nil}
		}, scoped(200)},
		{"POST /api/v1/agencies:import", func(f *fixture, _ string, inside bool) call {
			return call{"POST", "/api/v1/agencies:import", []map[string]string{
				{"code": fmt.Sprintf("NEW-%d", f.next()), "parent": agencyFor(inside), "name_vi": "Đơn vị mới", "kind": "department"}}}
		}, staffOnlyWant(200)},
		{"POST /api/v1/users", func(f *fixture, _ string, inside bool) call {
			return call{"POST", "/api/v1/users", map[string]string{
				"email": fmt.Sprintf("new%d@x.gov.vn", f.next()), "role": "officer", "agency": agencyFor(inside)}}
		}, staffOnlyWant(201)},
		{"GET /api/v1/users", same("GET", "/api/v1/users", nil),
			map[string]cell{"anonymous": {401, 401}, "staff": {200, 200}, "officer": {403, 403}, "supervisor": {200, 200}, "reviewer": {200, 200}}},
		{"GET /api/v1/users/{id}", func(f *fixture, role string, inside bool) call {
			return call{"GET", fmt.Sprintf("/api/v1/users/%d", userFor(f, role, inside)), nil}
		}, scoped(200)},
		{"POST /api/v1/users/{id}/tokens", func(f *fixture, role string, inside bool) call {
			return call{"POST", fmt.Sprintf("/api/v1/users/%d/tokens", userFor(f, role, inside)), map[string]string{"name": "matrix", "expires_in": "1d"}}
		}, map[string]cell{"anonymous": {401, 401}, "staff": {201, 403}, "officer": {201, 404}, "supervisor": {201, 404}, "reviewer": {201, 404}}},
		{"GET /api/v1/users/{id}/tokens", func(f *fixture, role string, inside bool) call {
			return call{"GET", fmt.Sprintf("/api/v1/users/%d/tokens", userFor(f, role, inside)), nil}
		}, scoped(200)},
		{"DELETE /api/v1/tokens/{id}", func(f *fixture, role string, inside bool) call {
			owner := "outsider"
			switch {
			case inside && role == "anonymous":
				owner = "officer"
			case inside:
				owner = role
			}
			return call{"DELETE", fmt.Sprintf("/api/v1/tokens/%d", f.freshToken(owner)), nil}
		}, scoped(200)},
		{"POST /api/v1/users/{id}/disable", func(f *fixture, _ string, inside bool) call {
			return call{"POST", fmt.Sprintf("/api/v1/users/%d/disable", f.freshUser(agencyFor(inside))), nil}
		}, staffOnlyWant(200)},
		{"POST /api/v1/users/{id}/enable", func(f *fixture, _ string, inside bool) call {
			return call{"POST", fmt.Sprintf("/api/v1/users/%d/enable", f.freshUser(agencyFor(inside))), nil}
		}, staffOnlyWant(200)},
		{"POST /api/v1/users/{id}/password-reset", func(f *fixture, role string, inside bool) call {
			return call{"POST", fmt.Sprintf("/api/v1/users/%d/password-reset", userFor(f, role, inside)), nil}
		}, staffOnlyWant(202)},
		{"PUT /api/v1/me/password", same("PUT", "/api/v1/me/password", map[string]string{"current_password": staffPassword, "new_password": staffPassword}),
			// Only staff have a password in the fixture; the others are refused on current_password.
			map[string]cell{"anonymous": {401, 401}, "staff": {204, 204}, "officer": {422, 422}, "supervisor": {422, 422}, "reviewer": {422, 422}}},
		{"POST /api/v1/password-reset", same("POST", "/api/v1/password-reset", map[string]string{"token": "not-a-link", "new_password": "mật khẩu mới dài"}), publicOK(422)},
		{"GET /api/v1/users/{id}/sessions", func(f *fixture, role string, inside bool) call {
			return call{"GET", fmt.Sprintf("/api/v1/users/%d/sessions", userFor(f, role, inside)), nil}
		}, scoped(200)},
		{"DELETE /api/v1/users/{id}/sessions", func(f *fixture, role string, inside bool) call {
			return call{"DELETE", fmt.Sprintf("/api/v1/users/%d/sessions", userFor(f, role, inside)), nil}
		}, scoped(200)},
		{"DELETE /api/v1/users/{id}/sessions/{session}", func(f *fixture, role string, inside bool) call {
			owner := "outsider"
			switch {
			case inside && role == "anonymous":
				owner = "officer"
			case inside:
				owner = role
			}
			return call{"DELETE", fmt.Sprintf("/api/v1/users/%d/sessions/%d", f.users[owner].ID, f.freshSession(owner)), nil}
		}, scoped(200)},
		{"GET /api/v1/audit", same("GET", "/api/v1/audit?action=user.create&limit=5", nil), staffOnlyWant(200)},
		{"GET /api/v1/audit/verify", same("GET", "/api/v1/audit/verify", nil), staffOnlyWant(200)},
		{"POST /api/v1/templates", func(f *fixture, _ string, _ bool) call {
			t := toTemplateJSON(testTemplate(fmt.Sprintf("T%d", f.next())))
			return call{"POST", "/api/v1/templates", t}
		}, staffOnlyWant(201)},
		{"GET /api/v1/templates", same("GET", "/api/v1/templates", nil), everyoneOK(200)},
		{"GET /api/v1/templates/{code}", same("GET", "/api/v1/templates/KTXH", nil), everyoneOK(200)},
		{"GET /api/v1/templates/{code}/xlsx", same("GET", "/api/v1/templates/KTXH/xlsx", nil), everyoneOK(200)},
		{"GET /api/v1/templates/{code}/csv", same("GET", "/api/v1/templates/KTXH/csv", nil), everyoneOK(200)},
		{"POST /api/v1/regimes", func(f *fixture, _ string, inside bool) call {
			return call{"POST", "/api/v1/regimes", map[string]any{
				"code": fmt.Sprintf("R%d", f.next()), "name_vi": "Chế độ", "template": "KTXH", "cadence": "monthly",
				"deadline_rule": "days:2", "policy": map[string]any{"reminder_offsets": []string{"1d"}},
				"assignments": []map[string]string{{"agency": agencyFor(inside)}}}}
		}, staffOnlyWant(201)},
		{"GET /api/v1/regimes", same("GET", "/api/v1/regimes", nil), everyoneOK(200)},
		{"GET /api/v1/regimes/{code}", same("GET", "/api/v1/regimes/KTXH_MONTHLY", nil), everyoneOK(200)},
		{"GET /api/v1/regimes/{code}/periods/{period}", same("GET", "/api/v1/regimes/KTXH_MONTHLY/periods/2026-10", nil), everyoneOK(200)},
		{"PUT /api/v1/regimes/{code}/assignments", func(f *fixture, _ string, inside bool) call {
			code := fmt.Sprintf("R%d", f.next())
			f.createRegime(code)
			return call{"PUT", "/api/v1/regimes/" + code + "/assignments", []map[string]string{{"agency": agencyFor(inside)}}}
		}, staffOnlyWant(200)},
		// Cycles.
		{"POST /api/v1/cycles", func(f *fixture, _ string, inside bool) call {
			return call{"POST", "/api/v1/cycles", map[string]any{"regime": f.freshRegime(agencyFor(inside)), "period": pastPeriod(f.t), "due": "+1h"}}
		}, staffOnlyWant(201)},
		{"POST /api/v1/cycles/plan", func(f *fixture, _ string, inside bool) call {
			return call{"POST", "/api/v1/cycles/plan", map[string]any{"regime": f.freshRegime(agencyFor(inside)), "period": pastPeriod(f.t), "due": "+1h"}}
		}, staffOnlyWant(200)},
		{"GET /api/v1/cycles", same("GET", "/api/v1/cycles", nil), everyoneOK(200)},
		{"GET /api/v1/cycles/{id}", func(f *fixture, _ string, _ bool) call {
			return call{"GET", "/api/v1/cycles/" + f.cycles().cycleID, nil}
		}, everyoneOK(200)},
		{"GET /api/v1/cycles/{id}/timeline", func(f *fixture, _ string, _ bool) call {
			return call{"GET", "/api/v1/cycles/" + f.cycles().cycleID + "/timeline", nil}
		}, map[string]cell{"anonymous": {401, 401}, "staff": {200, 200}, "officer": {403, 403}, "supervisor": {200, 200}, "reviewer": {200, 200}}},
		{"POST /api/v1/cycles/{id}/extensions", func(f *fixture, _ string, inside bool) call {
			return call{"POST", "/api/v1/cycles/" + f.cycles().cycleID + "/extensions",
				map[string]string{"agency": agencyFor(inside), "due": "+2h", "reason": "lũ lụt"}}
		}, staffOnlyWant(201)},
		{"POST /api/v1/cycles/{id}/close", func(f *fixture, role string, _ bool) call {
			return call{"POST", "/api/v1/cycles/" + f.cycleToChange(role) + "/close", map[string]string{"reason": "đủ số liệu"}}
		}, staffOnlyWant(202)},
		{"POST /api/v1/cycles/{id}/cancel", func(f *fixture, role string, _ bool) call {
			return call{"POST", "/api/v1/cycles/" + f.cycleToChange(role) + "/cancel", map[string]string{"reason": "phát hành nhầm"}}
		}, staffOnlyWant(200)},
		// Obligations and submissions.
		{"GET /api/v1/cycles/{id}/obligations", func(f *fixture, _ string, inside bool) call {
			return call{"GET", "/api/v1/cycles/" + f.cycles().cycleID + "/obligations?under=" + agencyFor(inside), nil}
		}, scoped(200)},
		{"GET /api/v1/cycles/{id}/agencies/{code}", func(f *fixture, _ string, inside bool) call {
			return call{"GET", "/api/v1/cycles/" + f.cycles().cycleID + "/agencies/" + agencyFor(inside), nil}
		}, scoped(200)},
		{"POST /api/v1/cycles/{id}/agencies/{code}/submissions", func(f *fixture, _ string, inside bool) call {
			return call{"POST", "/api/v1/cycles/" + f.cycles().cycleID + "/agencies/" + agencyFor(inside) + "/submissions",
				map[string]any{"values": map[string]any{"GRDP": f.next() + 1000}}}
		}, map[string]cell{"anonymous": {401, 401}, "staff": {403, 403}, "officer": {201, 404}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"GET /api/v1/submissions/{id}", func(f *fixture, _ string, inside bool) call {
			return call{"GET", fmt.Sprintf("/api/v1/submissions/%d", f.cycles().subs[agencyFor(inside)].SubmissionID), nil}
		}, scoped(200)},
		{"POST /api/v1/receipts/{number}/verify", func(f *fixture, _ string, inside bool) call {
			return call{"POST", "/api/v1/receipts/" + f.cycles().subs[agencyFor(inside)].Number + "/verify",
				map[string]any{"values": map[string]any{"GRDP": "1"}}}
		}, scoped(200)},
		// Reviews.
		{"GET /api/v1/reviews", same("GET", "/api/v1/reviews", nil),
			map[string]cell{"anonymous": {401, 401}, "staff": {200, 200}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {200, 200}}},
		{"POST /api/v1/submissions/{id}/review", func(f *fixture, role string, inside bool) call {
			id := f.cycles().subs[agencyFor(inside)].SubmissionID
			if role == "staff" || role == "reviewer" && inside { // a version of its own, so each decision is on the latest
				id = f.submitFor(f.cycles().cycleID, agencyFor(inside), fmt.Sprint(f.next()+5000)).SubmissionID
			}
			return call{"POST", fmt.Sprintf("/api/v1/submissions/%d/review", id), map[string]string{"decision": "returned", "reason": "thiếu số liệu"}}
		}, map[string]cell{"anonymous": {401, 401}, "staff": {201, 201}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {201, 404}}},
		// The agency's side of the conversation.
		{"POST /api/v1/cycles/{id}/agencies/{code}/reopen", func(f *fixture, role string, inside bool) call {
			cycleID := f.cycles().cycleID
			if role == "staff" { // an accepted report of its own to reopen
				cycleID = f.acceptedCycle(agencyFor(inside))
			}
			return call{"POST", "/api/v1/cycles/" + cycleID + "/agencies/" + agencyFor(inside) + "/reopen", map[string]string{"reason": "số liệu điều chỉnh"}}
		}, staffOnlyWant(201)},
		{"POST /api/v1/cycles/{id}/agencies/{code}/nil-report", func(f *fixture, role string, inside bool) call {
			cycleID := f.cycles().cycleID
			if role == "officer" && inside { // an obligation with nothing submitted
				cycleID = f.openCycle("HNI")
			}
			return call{"POST", "/api/v1/cycles/" + cycleID + "/agencies/" + agencyFor(inside) + "/nil-report", map[string]string{"reason": "không phát sinh"}}
		}, map[string]cell{"anonymous": {401, 401}, "staff": {403, 403}, "officer": {201, 404}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"POST /api/v1/cycles/{id}/agencies/{code}/extension-requests", func(f *fixture, role string, inside bool) call {
			cycleID := f.cycles().cycleID
			if role == "officer" && inside { // one pending request per obligation
				cycleID = f.openCycle("HNI")
			}
			return call{"POST", "/api/v1/cycles/" + cycleID + "/agencies/" + agencyFor(inside) + "/extension-requests",
				map[string]string{"reason": "bão lũ", "due": laterDate(3)}}
		}, map[string]cell{"anonymous": {401, 401}, "staff": {403, 403}, "officer": {201, 404}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"GET /api/v1/extension-requests", same("GET", "/api/v1/extension-requests?status=pending", nil), staffOnlyWant(200)},
		{"POST /api/v1/extension-requests/{id}/decision", func(f *fixture, role string, _ bool) call {
			var id int64 = 1
			if role == "staff" {
				id = f.extensionRequest(f.openCycle("HNI"), "HNI").ID
			}
			return call{"POST", fmt.Sprintf("/api/v1/extension-requests/%d/decision", id), map[string]string{"decision": "refused", "reason": "đủ thời gian"}}
		}, staffOnlyWant(200)},
		// Late filing after close.
		{"POST /api/v1/cycles/{id}/agencies/{code}/late-filings", func(f *fixture, role string, inside bool) call {
			cycleID := f.cycles().cycleID
			if role == "officer" && inside { // an obligation closed missing
				cycleID = f.closedCycle(nil, "HNI")
			}
			return call{"POST", "/api/v1/cycles/" + cycleID + "/agencies/" + agencyFor(inside) + "/late-filings",
				map[string]any{"values": map[string]any{"GRDP": 1}, "reason": "mất điện"}}
		}, map[string]cell{"anonymous": {401, 401}, "staff": {403, 403}, "officer": {201, 404}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"GET /api/v1/late-filings", same("GET", "/api/v1/late-filings?status=pending", nil), staffOnlyWant(200)},
		{"POST /api/v1/late-filings/{id}/decision", func(f *fixture, role string, _ bool) call {
			var id int64 = 1
			if role == "staff" {
				id = f.lateFiling(f.closedCycle(nil, "HNI"), "HNI").Action.ID
			}
			return call{"POST", fmt.Sprintf("/api/v1/late-filings/%d/decision", id), map[string]string{"decision": "refused", "reason": "quá hạn"}}
		}, staffOnlyWant(200)},
		// Results.
		{"GET /api/v1/cycles/{id}/compliance", func(f *fixture, _ string, inside bool) call {
			return call{"GET", "/api/v1/cycles/" + f.cycles().cycleID + "/compliance?under=" + agencyFor(inside), nil}
		}, scoped(200)},
		{"GET /api/v1/cycles/{id}/aggregates", func(f *fixture, _ string, inside bool) call {
			return call{"GET", "/api/v1/cycles/" + f.cycles().cycleID + "/aggregates?under=" + agencyFor(inside), nil}
		}, scoped(200)},
		{"GET /api/v1/cycles/{id}/matrix", func(f *fixture, _ string, inside bool) call {
			return call{"GET", "/api/v1/cycles/" + f.cycles().cycleID + "/matrix?under=" + agencyFor(inside), nil}
		}, scoped(200)},
		{"GET /api/v1/cycles/{id}/tiers", func(f *fixture, _ string, inside bool) call {
			return call{"GET", "/api/v1/cycles/" + f.tieredCycle().ID + "/tiers?under=" + agencyFor(inside), nil}
		}, scoped(200)},
		{"GET /api/v1/cycles/{id}/agencies/{code}/consolidation", func(f *fixture, _ string, inside bool) call {
			return call{"GET", "/api/v1/cycles/" + f.tieredCycle().ID + "/agencies/" + agencyFor(inside) + "/consolidation", nil}
		}, scoped(200)},
		{"GET /api/v1/notifications", same("GET", "/api/v1/notifications?status=failed", nil), staffOnlyWant(200)},
		// Schedules.
		{"POST /api/v1/regimes/{code}/schedule", func(f *fixture, role string, _ bool) call {
			code := f.cycles().scheduled
			if role == "staff" {
				code = f.freshRegime("HNI")
				f.deleteScheduleAtEnd(code)
			}
			return call{"POST", "/api/v1/regimes/" + code + "/schedule", map[string]int{"hour": 7, "minute": 30}}
		}, staffOnlyWant(201)},
		{"GET /api/v1/regimes/{code}/schedule", func(f *fixture, _ string, _ bool) call {
			return call{"GET", "/api/v1/regimes/" + f.cycles().scheduled + "/schedule", nil}
		}, staffOnlyWant(200)},
		{"POST /api/v1/regimes/{code}/schedule/pause", func(f *fixture, _ string, _ bool) call {
			return call{"POST", "/api/v1/regimes/" + f.cycles().scheduled + "/schedule/pause", nil}
		}, staffOnlyWant(200)},
		{"POST /api/v1/regimes/{code}/schedule/resume", func(f *fixture, _ string, _ bool) call {
			return call{"POST", "/api/v1/regimes/" + f.cycles().scheduled + "/schedule/resume", nil}
		}, staffOnlyWant(200)},
		{"DELETE /api/v1/regimes/{code}/schedule", func(f *fixture, role string, _ bool) call {
			code := f.cycles().scheduled
			if role == "staff" {
				code = f.scheduledRegime()
			}
			return call{"DELETE", "/api/v1/regimes/" + code + "/schedule", nil}
		}, staffOnlyWant(204)},
		{"GET /api/v1/schedules", same("GET", "/api/v1/schedules", nil), staffOnlyWant(200)},
		// The shared holiday calendar.
		{"GET /api/v1/calendars", same("GET", "/api/v1/calendars", nil), staffOnlyWant(200)},
		{"PUT /api/v1/calendars/{year}", same("PUT", "/api/v1/calendars/2031", map[string]any{
			"source": "test", "days": []map[string]string{{"date": "2031-01-01", "kind": "holiday", "name_vi": "Tết Dương lịch"}}}), staffOnlyWant(200)},
		{"GET /api/v1/calendars/{year}", func(f *fixture, _ string, _ bool) call {
			f.calendar(2032)
			return call{"GET", "/api/v1/calendars/2032", nil}
		}, staffOnlyWant(200)},
	}
}

// cycleToChange is a fresh open cycle for office staff to close or cancel,
// and the fixture's cycle for everyone else (who is refused before it
// matters).
func (f *fixture) cycleToChange(role string) string {
	if role == "staff" {
		return f.openCycle("HNI", "HCM")
	}
	return f.cycles().cycleID
}

// TestAuthorizationMatrix calls every route as every role, on something
// inside and outside the caller's subtree, against the real server and
// database, and checks the status of each cell. A route without a row fails.
func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	rows := map[string]matrixRow{}
	for _, row := range matrix() {
		rows[row.route] = row
	}
	for _, rt := range f.server.Routes() {
		if _, ok := rows[rt.Pattern()]; !ok {
			t.Errorf("route %s has no row in the authorization matrix; add one", rt.Pattern())
		}
	}
	for _, row := range matrix() {
		t.Run(row.route, func(t *testing.T) {
			if len(row.want) != len(roleNames) {
				t.Fatalf("row names %d roles, want %d", len(row.want), len(roleNames))
			}
			for _, role := range roleNames {
				for _, inside := range []bool{true, false} {
					c := row.call(f, role, inside)
					want := row.want[role].out
					where := "outside"
					if inside {
						want, where = row.want[role].in, "inside"
					}
					got := f.do(role, c.method, c.path, c.body)
					if got.status != want {
						t.Errorf("%s %s as %s (%s): status %d, want %d; body %s", c.method, c.path, role, where, got.status, want, got.body)
					}
				}
			}
		})
	}
}
