package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"rcm/store"
	"rcm/testenv"
)

// TestExecWithoutFlushCommitsInOneTripAndSurvivesAFailure: the statement is
// committed (another connection sees it) with synchronous_commit off for
// that transaction only, and a failing statement leaves no aborted
// transaction behind on the pooled connection: with a pool of one, the next
// statements run.
func TestExecWithoutFlushCommitsInOneTripAndSurvivesAFailure(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, testenv.Database(t)+"?pool_max_conns=1")
	require.NoError(t, err)
	t.Cleanup(s.Close)
	_, err = s.Pool().Exec(ctx, `CREATE TABLE flush_probe (n int PRIMARY KEY, sync text)`)
	require.NoError(t, err)

	require.NoError(t, s.ExecWithoutFlush(ctx, `INSERT INTO flush_probe VALUES (1, current_setting('synchronous_commit'))`))
	var sync string
	require.NoError(t, s.Pool().QueryRow(ctx, `SELECT sync FROM flush_probe WHERE n = 1`).Scan(&sync))
	require.Equal(t, "off", sync, "the statement ran inside the transaction that set synchronous_commit off")
	require.NoError(t, s.Pool().QueryRow(ctx, `SELECT current_setting('synchronous_commit')`).Scan(&sync))
	require.Equal(t, "on", sync, "SET LOCAL ended with its transaction")

	err = s.ExecWithoutFlush(ctx, `INSERT INTO flush_probe VALUES (1, 'again')`)
	require.Error(t, err, "a duplicate key fails")
	var rows int
	require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(*) FROM flush_probe`).Scan(&rows))
	require.Equal(t, 1, rows)
	require.NoError(t, s.ExecWithoutFlush(ctx, `INSERT INTO flush_probe VALUES (2, 'after')`))
	require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(*) FROM flush_probe`).Scan(&rows))
	require.Equal(t, 2, rows)
}
