package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/store"
	"rcm/testenv"
)

// TestAuditChainVerifiesAndNamesAnEditedRow writes entries on two streams,
// verifies the chain whole, then edits one row by hand and finds it named.
func TestAuditChainVerifiesAndNamesAnEditedRow(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)
	_, err := s.CreateUser(ctx, store.User{Email: "a@hanoi.gov.vn", Role: access.Officer, AgencyCode: "HNI"}, "", store.AuditEntry{Actor: "staff@vpcp.gov.vn", Action: "user.create"})
	require.NoError(t, err)
	for i := range 5 {
		require.NoError(t, s.Audit(ctx, store.AuditEntry{Actor: "staff@vpcp.gov.vn", Action: "submission.create",
			Object: fmt.Sprintf("R-%d", i), Details: map[string]any{"cycle": "KTXH-2026-11", "i": i}}))
		require.NoError(t, s.Audit(ctx, store.AuditEntry{Actor: "staff@vpcp.gov.vn", Action: "token.revoke", Object: fmt.Sprintf("token/%d", i)}))
	}
	v, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, v.Whole(), "%+v", v.Breaks)
	require.Equal(t, 2, v.Streams)

	recs, err := s.AuditLog(ctx, store.AuditFilter{Stream: "cycle/KTXH-2026-11", Limit: 100})
	require.NoError(t, err)
	require.Len(t, recs, 5)
	require.Nil(t, recs[0].PrevHash)
	require.Equal(t, recs[0].Hash, recs[1].PrevHash)

	// Edit the third cycle record by hand, as someone with database access would.
	target := recs[2].ID
	_, err = s.Pool().Exec(ctx, `UPDATE audit_log SET actor = 'someone@else' WHERE id = $1`, target)
	require.NoError(t, err)
	v, err = s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.Len(t, v.Breaks, 1)
	require.Equal(t, target, v.Breaks[0].ID)
	require.Equal(t, "cycle/KTXH-2026-11", v.Breaks[0].Stream)

	// Removing the last record of the main stream is found at its head.
	_, err = s.Pool().Exec(ctx, `UPDATE audit_log SET actor = 'staff@vpcp.gov.vn' WHERE id = $1`, target)
	require.NoError(t, err)
	_, err = s.Pool().Exec(ctx, `DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log WHERE stream = 'main')`)
	require.NoError(t, err)
	v, err = s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.Len(t, v.Breaks, 1)
	require.Equal(t, "main", v.Breaks[0].Stream)
	require.Contains(t, v.Breaks[0].Reason, "removed")
}

// TestAuditChainWritersRacingOnOneStreamKeepItWhole has writers in
// transactions of their own append to one stream at once.
func TestAuditChainWritersRacingOnOneStreamKeepItWhole(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				errs <- s.Audit(ctx, store.AuditEntry{Actor: fmt.Sprintf("w%d", w), Action: "submission.create",
					Object: fmt.Sprintf("%d/%d", w, i), Details: map[string]any{"cycle": "RACE-1"}})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	v, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, v.Whole(), "%+v", v.Breaks)
	recs, err := s.AuditLog(ctx, store.AuditFilter{Stream: "cycle/RACE-1", Limit: 1000})
	require.NoError(t, err)
	require.Len(t, recs, writers*each)
	seen := map[string]bool{}
	for _, r := range recs {
		require.False(t, seen[string(r.PrevHash)], "two records follow the same one")
		seen[string(r.PrevHash)] = true
	}
}

// TestMigrationChainsTheRowsWrittenBeforeIt writes audit rows on the schema
// before the chain, then migrates: every row gets its stream and hash, the
// chain verifies, and the next entry follows the last migrated one.
func TestMigrationChainsTheRowsWrittenBeforeIt(t *testing.T) {
	ctx := context.Background()
	url := testenv.Database(t)
	require.NoError(t, store.MigrateDownTo(ctx, url, 7))
	s, err := store.Open(ctx, url)
	require.NoError(t, err)
	defer s.Close()
	for i, row := range []struct{ action, object, details string }{
		{"agency.import", "agencies", `{"received": 3}`},
		{"cycle.launch", "KTXH-2026-10", `{"regime": "KTXH"}`},
		{"submission.create", "R-1", `{"cycle": "KTXH-2026-10", "version": 1}`},
		{"user.create", "user/1", `{}`},
	} {
		_, err := s.Pool().Exec(ctx, `INSERT INTO audit_log (actor, action, object, details, at) VALUES ('old', $1, $2, $3, now() + $4 * interval '1 ms')`,
			row.action, row.object, row.details, i)
		require.NoError(t, err)
	}
	require.NoError(t, store.MigrateUp(ctx, url))
	v, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, v.Whole(), "%+v", v.Breaks)
	require.Equal(t, 2, v.Streams)
	require.Equal(t, 4, v.Records)

	require.NoError(t, s.Audit(ctx, store.AuditEntry{Actor: "new", Action: "review.accepted", Object: "R-1", Details: map[string]any{"cycle": "KTXH-2026-10"}}))
	recs, err := s.AuditLog(ctx, store.AuditFilter{Stream: "cycle/KTXH-2026-10"})
	require.NoError(t, err)
	require.Len(t, recs, 3)
	require.Equal(t, recs[1].Hash, recs[2].PrevHash, "the first new entry follows the last migrated one")
	v, err = s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, v.Whole(), "%+v", v.Breaks)
}

// TestAgenciesOfOneCycleChainInStreamsOfTheirOwn: what concerns one
// agency's obligation in a cycle is chained in the agency's stream below
// the cycle's, so a transaction holding one agency's head does not hold up
// another agency of the same cycle (with one stream per cycle, every
// submission of a cycle waited for the commit of the one before it).
func TestAgenciesOfOneCycleChainInStreamsOfTheirOwn(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	entry := func(agency string) store.AuditEntry {
		return store.AuditEntry{Actor: "officer@" + agency, Action: "submission.create", Object: "R-" + agency,
			Details: map[string]any{"cycle": "KTXH-2026-11", "agency": agency}}
	}
	require.NoError(t, s.Audit(ctx, store.AuditEntry{Actor: "staff", Action: "cycle.launch", Object: "KTXH-2026-11"}))
	require.NoError(t, s.Audit(ctx, store.AuditEntry{Actor: "staff", Action: "cycle.extend", Object: "KTXH-2026-11",
		Details: map[string]any{"agency": "HPG"}}))
	require.NoError(t, s.Audit(ctx, store.AuditEntry{Actor: "staff", Action: "cycle.extend", Object: "KTXH-2026-11",
		Details: map[string]any{"agency": ""}}))

	// One transaction holds the head of HNI's stream...
	tx, err := s.Pool().Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, `SELECT audit_append(NULL, 'officer@HNI', 'submission.create', 'R-HNI', '', '{"cycle": "KTXH-2026-11", "agency": "HNI"}')`)
	require.NoError(t, err)
	// ...and another agency of the cycle appends meanwhile, without waiting.
	done := make(chan error, 1)
	go func() {
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		done <- s.Audit(wctx, entry("HPG"))
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("HPG's entry waited for HNI's transaction")
	}
	require.NoError(t, tx.Commit(ctx))
	require.NoError(t, s.Audit(ctx, entry("HNI")))

	recs, err := s.AuditLog(ctx, store.AuditFilter{Stream: "cycle/KTXH-2026-11", Limit: 100})
	require.NoError(t, err)
	streams := map[string]int{}
	for _, r := range recs {
		streams[r.Stream]++
	}
	require.Equal(t, map[string]int{"cycle/KTXH-2026-11": 2, "cycle/KTXH-2026-11/agency/HNI": 2,
		"cycle/KTXH-2026-11/agency/HPG": 2}, streams, "a cycle's stream lists its agencies' streams too")
	recs, err = s.AuditLog(ctx, store.AuditFilter{Stream: "cycle/KTXH-2026-11/agency/HNI", Limit: 100})
	require.NoError(t, err)
	require.Len(t, recs, 2)
	require.Nil(t, recs[0].PrevHash)
	require.Equal(t, recs[0].Hash, recs[1].PrevHash)
	v, err := s.VerifyAudit(ctx)
	require.NoError(t, err)
	require.True(t, v.Whole(), "%+v", v.Breaks)
	require.Equal(t, 3, v.Streams)
}
