package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/reporting"
	"rcm/store"
)

// The dashboard's fast path: obligations counted by PostgreSQL into groups
// (store.ObligationGroups, reporting.RollUpGroups) must give exactly the
// rates of the slow definition, every obligation loaded and classified
// (store.SubtreeObligations, reporting.RollUpLevels), for every node, root,
// scope, timeliness rule and instant, instants on due and close included.
func TestObligationGroupsRollUpAsTheObligationsThemselves(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	agencies := []reporting.Agency{{Code: "VN", NameVI: "Việt Nam", Kind: "national"}}
	for r := 1; r <= 3; r++ {
		region := fmt.Sprintf("R%d", r)
		agencies = append(agencies, reporting.Agency{Code: region, ParentCode: "VN", NameVI: region, Kind: "region"})
		for p := 1; p <= 3; p++ {
			province := fmt.Sprintf("%s-P%d", region, p)
			agencies = append(agencies, reporting.Agency{Code: province, ParentCode: region, NameVI: province, Kind: "province"})
			for d := 1; d <= 6; d++ {
				agencies = append(agencies, reporting.Agency{Code: fmt.Sprintf("%s-D%d", province, d), ParentCode: province,
					NameVI: "district", Kind: "district"})
			}
		}
	}
	_, _, err := s.UpsertAgencies(ctx, agencies, testAudit)
	require.NoError(t, err)
	user, err := s.CreateUser(ctx, store.User{Email: "staff@vpcp.gov.vn", Role: access.Staff}, "", testAudit)
	require.NoError(t, err)
	due := insertOctoberCycle(t, s, []reporting.Assignment{{AgencyCode: "VN"}})
	const cycle = "KTXH_THANG-2026-10"
	_, err = s.OpenCycle(ctx, cycle)
	require.NoError(t, err)
	_, err = s.Pool().Exec(ctx, `INSERT INTO obligations (cycle_id, agency_code, due_at, close_at)
		SELECT $1, code, $2, $3 FROM agencies ON CONFLICT DO NOTHING`, cycle, due, due.Add(48*time.Hour))
	require.NoError(t, err)

	// Every obligation gets a random standing: a state (final ones
	// finalized), its own due and close, versions timed just before, on
	// or just after due, a nil report or not, an accepted version or not.
	rnd := rand.New(rand.NewPCG(12, 2026))
	pick := func(xs ...time.Duration) time.Duration { return xs[rnd.IntN(len(xs))] }
	near := []time.Duration{-time.Hour, -time.Microsecond, 0, time.Microsecond, time.Hour}
	states := reporting.ObligationStatuses()
	pool := s.Pool()
	for i, a := range agencies {
		status := states[rnd.IntN(len(states))]
		ownDue := due.Add(pick(0, 0, time.Hour, -time.Hour))
		ownClose := ownDue.Add(pick(0, time.Microsecond, time.Hour, 2*time.Hour))
		versions := rnd.IntN(4)
		var first, last, finalized, nilAt *time.Time
		at := func(d time.Duration) *time.Time { x := ownDue.Add(d); return &x }
		if versions > 0 {
			first, last = at(pick(near...)), at(pick(near...))
		}
		if status.IsFinal() {
			finalized = at(time.Hour)
		}
		if rnd.IntN(5) == 0 {
			nilAt = at(pick(near...))
		}
		tag, err := pool.Exec(ctx, `UPDATE obligations SET status = $3, due_at = $4, close_at = $5, versions = $6,
			first_submitted_at = $7, last_submitted_at = $8, finalized_at = $9, nil_reported_at = $10
			WHERE cycle_id = $1 AND agency_code = $2`, cycle, a.Code, status, ownDue, ownClose, versions, first, last, finalized, nilAt)
		require.NoError(t, err, a.Code)
		require.EqualValues(t, 1, tag.RowsAffected(), a.Code)
		if versions > 0 && rnd.IntN(2) == 0 {
			v := 1 + rnd.IntN(versions)
			_, err := pool.Exec(ctx, `WITH s AS (
				INSERT INTO submissions (cycle_id, agency_code, version, "values", source, submitted_by, submitted_at, content_hash, receipt_number)
				VALUES ($1, $2, $3, '{}', 'json', $4, $5, sha256('x'::bytea), $6) RETURNING id)
				UPDATE obligations SET accepted_submission = (SELECT id FROM s) WHERE cycle_id = $1 AND agency_code = $2`,
				cycle, a.Code, v, user.ID, *at(pick(near...)), fmt.Sprintf("R-%d", i))
			require.NoError(t, err, a.Code)
		}
	}

	nows := []time.Time{due.Add(-2 * time.Hour), due.Add(-time.Hour), due.Add(-time.Microsecond), due, due.Add(time.Microsecond),
		due.Add(time.Hour), due.Add(time.Hour + time.Microsecond), due.Add(2 * time.Hour), due.Add(3 * time.Hour), due.Add(72 * time.Hour)}
	type place struct {
		root  reporting.Agency
		scope access.Scope
	}
	byCode := map[string]reporting.Agency{}
	all, err := s.AgenciesByCode(ctx, []string{"VN", "R2", "R2-P3", "R2-P3-D4", "R1-P1-D1"})
	require.NoError(t, err)
	for _, a := range all {
		byCode[a.Code] = a
	}
	places := []place{
		{root: byCode["VN"]},
		{root: byCode["R2"]},
		{root: byCode["VN"], scope: access.Scope{Path: byCode["R2"].Path}},
		{root: byCode["R2-P3"], scope: access.Scope{Path: byCode["R2-P3"].Path}},
		{root: byCode["R2-P3-D4"], scope: access.Scope{Path: byCode["R2-P3-D4"].Path, Exact: true}},
		{root: byCode["R1-P1-D1"]},
	}
	counted := 0
	for _, timeliness := range reporting.Timelinesses() {
		_, err := pool.Exec(ctx, `UPDATE cycles SET timeliness = $2 WHERE id = $1`, cycle, timeliness)
		require.NoError(t, err)
		for _, p := range places {
			obligations, err := s.SubtreeObligations(ctx, cycle, p.root.Path)
			require.NoError(t, err)
			inScope := obligations[:0]
			for _, o := range obligations {
				if p.scope.Contains(o.AgencyPath) {
					inScope = append(inScope, o)
				}
			}
			for _, now := range nows {
				want := reporting.RollUpLevels(p.root.Code, p.root.Path, 2, inScope, now)
				groups, err := s.ObligationGroups(ctx, store.GroupFilter{CycleID: cycle, RootPath: p.root.Path, Depth: 2,
					ScopePath: p.scope.Path, ExactPath: p.scope.Exact}, now)
				require.NoError(t, err)
				got := reporting.RollUpGroups(p.root.Code, groups, now)
				require.Equal(t, want, got, "%s under %s (scope %q) at due%+v", timeliness, p.root.Code, p.scope.Path, now.Sub(due))
				counted += len(want)
				if p.root.Code == "VN" && p.scope.Path == "" {
					require.Len(t, want, 1+3+9, "the root and two levels below it")
					n := 0
					for _, g := range groups {
						n += g.Count
					}
					require.Equal(t, len(inScope), n, "every obligation in one group")
				}
			}
		}
	}
	require.Greater(t, counted, 200)
	require.True(t, strings.HasPrefix(byCode["R2-P3"].Path, byCode["R2"].Path))
}

// The chronic latecomers within a scope (read agency first) are exactly
// those of the whole tree (read cycle first) that the scope contains.
func TestLatecomersWithinAScopeAreTheWholeTreesInIt(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)
	insertOctoberCycle(t, s, []reporting.Assignment{{AgencyCode: "VN"}})
	pool := s.Pool()
	var cycles []string
	for i := range 5 {
		id := fmt.Sprintf("KTXH_THANG-2025-%02d", i+1)
		cycles = append(cycles, id)
		_, err := pool.Exec(ctx, `CREATE TEMP TABLE c AS SELECT * FROM cycles WHERE id = 'KTXH_THANG-2026-10';
			UPDATE c SET id = '`+id+`', period = '2025-`+fmt.Sprintf("%02d", i+1)+`', window_start = window_start - interval '1 month' * (20 - `+fmt.Sprint(i)+`);
			INSERT INTO cycles SELECT * FROM c; DROP TABLE c`)
		require.NoError(t, err)
		// HPG and HNI-SYT late every time; HNI on time once; the rest on time.
		_, err = pool.Exec(ctx, `INSERT INTO obligations (cycle_id, agency_code, due_at, close_at, status, finalized_at)
			SELECT $1, code, now(), now(), CASE WHEN code IN ('HPG', 'HNI-SYT') OR (code = 'HNI' AND $2 <> 3) THEN 'late' ELSE 'on_time' END, now()
			  FROM agencies`, id, i)
		require.NoError(t, err)
	}
	_, err := pool.Exec(ctx, `UPDATE obligations SET status = 'missing', first_submitted_at = NULL, versions = 0 WHERE agency_code = 'HNI-SYT' AND cycle_id = $1`, cycles[0])
	require.NoError(t, err)
	all, err := s.Latecomers(ctx, store.MatrixFilter{CycleIDs: cycles, Limit: 100}, reporting.NotOnTimeStates(), reporting.ChronicMinPeriods)
	require.NoError(t, err)
	require.Equal(t, []string{"HNI-SYT", "HPG"}, latecomerCodes(all))
	agencies, err := s.AgenciesByCode(ctx, []string{"VN", "R-DBSH", "HNI", "HPG", "BYT"})
	require.NoError(t, err)
	for _, a := range agencies {
		for _, exact := range []bool{false, true} {
			scope := access.Scope{Path: a.Path, Exact: exact}
			var want []string
			for _, l := range all {
				if p, err := s.AgenciesByCode(ctx, []string{l.AgencyCode}); err == nil && scope.Contains(p[0].Path) {
					want = append(want, l.AgencyCode)
				}
			}
			got, err := s.Latecomers(ctx, store.MatrixFilter{CycleIDs: cycles, ScopePath: scope.Path, ExactPath: exact, Limit: 100},
				reporting.NotOnTimeStates(), reporting.ChronicMinPeriods)
			require.NoError(t, err)
			require.Equal(t, want, latecomerCodes(got), "scope %+v", scope)
		}
	}
}

func latecomerCodes(ls []store.Latecomer) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.AgencyCode)
	}
	return out
}
