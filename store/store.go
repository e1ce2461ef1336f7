package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is rcm's access to PostgreSQL. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	// templates caches the template of each cycle (cycle ID →
	// reporting.Template), which does not change under a cycle.
	templates sync.Map
}

// DefaultMaxConns is how many connections a Store opens at most unless the
// database URL says otherwise (pool_max_conns=N). pgx's own default, four
// on a two-core machine, is too few: a request's hand-off holds its
// connection while Temporal answers (store.DeliverOutbox), and requests
// then wait for a connection rather than for PostgreSQL. The bound is per
// process: with several rcm processes keep their sum below the server's
// max_connections (100 by default).
const DefaultMaxConns = 32

// Open connects to the database at databaseURL and checks that it answers.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("database URL %s: %w", RedactURL(databaseURL), err)
	}
	if !strings.Contains(databaseURL, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", RedactURL(databaseURL), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", RedactURL(databaseURL), err)
	}
	return &Store{pool: pool}, nil
}

// Pool returns the underlying connection pool.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close releases every connection.
func (s *Store) Close() { s.pool.Close() }

// RedactURL returns a database or SMTP URL with its password replaced, fit for
// logs and error messages.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		if err != nil {
			return "(unparsable URL)"
		}
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Errors callers test for with errors.Is.
var (
	// ErrNotFound: the record does not exist (or is outside the caller's scope).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the state of the records refuses the change.
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input itself is wrong, whatever the state.
	ErrInvalid = errors.New("invalid")
)

// tx runs fn in a transaction, committing when fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// execWithoutFlush runs one statement in a transaction of its own whose
// commit does not wait for the WAL flush (synchronous_commit off), all in
// one round trip: BEGIN, SET LOCAL, the statement and COMMIT travel as one
// pipeline. It is for bookkeeping a crash may lose without harm (a message
// recorded sent stays 'sending', which the next attempt reports as of
// unknown outcome and never resends). A failed statement skips the COMMIT;
// the connection, left in an aborted transaction, is rolled back here.
func (s *Store) execWithoutFlush(ctx context.Context, sql string, args ...any) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire a connection: %w", err)
	}
	defer conn.Release()
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(`SET LOCAL synchronous_commit = off`)
	b.Queue(sql, args...)
	b.Queue(`COMMIT`)
	err = conn.SendBatch(ctx, b).Close()
	if err != nil && conn.Conn().PgConn().TxStatus() != 'I' {
		_, rerr := conn.Exec(context.WithoutCancel(ctx), `ROLLBACK`)
		err = errors.Join(err, rerr)
	}
	return err
}

// isUniqueViolation reports whether err is a unique-constraint violation,
// optionally of the named constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		return false
	}
	return constraint == "" || pgErr.ConstraintName == constraint
}

// Querier is what a pool and a transaction have in common.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}
