package store

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// SignInPolicy is how password sign-ins back off. Every attempt counts
// against the account (the e-mail address typed) and the client address
// before the password is checked, so that attempts sent at once cannot
// outrun the count; a success takes it back. Past the free attempts, each
// attempt locks its subject for Base, doubling with every further attempt up
// to Max; a subject without an attempt for Forget starts again.
type SignInPolicy struct {
	// AccountFree and AddressFree are the attempts allowed before the
	// back-off starts, per account and per client address.
	AccountFree, AddressFree int
	Base, Max, Forget        time.Duration
}

// DefaultSignInPolicy allows 5 attempts per account and 20 per client
// address (an office behind one address), then locks for 1 s, 2 s, 4 s, ...
// up to 15 minutes; an hour without an attempt forgets them.
func DefaultSignInPolicy() SignInPolicy {
	return SignInPolicy{AccountFree: 5, AddressFree: 20, Base: time.Second, Max: 15 * time.Minute, Forget: time.Hour}
}

// Kinds of sign-in subjects.
const (
	SignInAccount = "account"
	SignInAddress = "address"
)

// lockout is how long the attempt numbered failures locks a subject that
// allows free attempts: nothing up to free, then Base doubling up to Max.
func (p SignInPolicy) lockout(failures, free int) time.Duration {
	over := failures - free
	if over <= 0 {
		return 0
	}
	if over > 40 {
		return p.Max
	}
	d := time.Duration(float64(p.Base) * math.Pow(2, float64(over-1)))
	return min(d, p.Max)
}

func (p SignInPolicy) free(kind string) int {
	if kind == SignInAccount {
		return p.AccountFree
	}
	return p.AddressFree
}

// SignInLock is the count of one sign-in subject.
type SignInLock struct {
	// Kind is SignInAccount or SignInAddress; Subject the lower-case e-mail
	// address or the client address.
	Kind, Subject string
	Failures      int
	LockedUntil   time.Time
	LastFailureAt time.Time
}

// SignInAttempt is an attempt counted by BeginSignIn, to be settled by
// SignInFailed or SignInSucceeded.
type SignInAttempt struct {
	policy  SignInPolicy
	subject [2]SignInLock
	// locked are the subjects this attempt locked.
	locked []SignInLock
}

// ThrottledError refuses a sign-in while its account or client address is
// locked.
type ThrottledError struct {
	Kind       string
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many sign-in attempts for this %s; try again in %s", e.Kind, e.RetryAfter.Round(time.Second))
}

// BeginSignIn counts an attempt to sign in as account (the e-mail address
// typed, at most 254 bytes) from address, or refuses it with a
// *ThrottledError while either is locked, counting nothing.
func (s *Store) BeginSignIn(ctx context.Context, p SignInPolicy, account, address string, now time.Time) (SignInAttempt, error) {
	a := SignInAttempt{policy: p, subject: [2]SignInLock{
		{Kind: SignInAccount, Subject: strings.ToLower(account)},
		{Kind: SignInAddress, Subject: address},
	}}
	var throttled *ThrottledError
	err := s.tx(ctx, func(tx pgx.Tx) error {
		throttled, a.locked = nil, nil
		// Always account before address, so two attempts never wait on each other in a circle.
		for i := range a.subject {
			sub := &a.subject[i]
			if _, err := tx.Exec(ctx, `INSERT INTO signin_throttle (kind, subject, last_failure_at) VALUES ($1, $2, $3)
				ON CONFLICT DO NOTHING`, sub.Kind, sub.Subject, now); err != nil {
				return err
			}
			var until *time.Time
			if err := tx.QueryRow(ctx, `SELECT failures, locked_until, last_failure_at FROM signin_throttle
				WHERE kind = $1 AND subject = $2 FOR UPDATE`, sub.Kind, sub.Subject).Scan(&sub.Failures, &until, &sub.LastFailureAt); err != nil {
				return err
			}
			if until != nil && until.After(now) {
				if wait := until.Sub(now); throttled == nil || wait > throttled.RetryAfter {
					throttled = &ThrottledError{Kind: sub.Kind, RetryAfter: wait}
				}
			}
		}
		if throttled != nil {
			return nil // count nothing
		}
		for i := range a.subject {
			sub := &a.subject[i]
			if now.Sub(sub.LastFailureAt) > p.Forget {
				sub.Failures = 0
			}
			sub.Failures++
			sub.LastFailureAt, sub.LockedUntil = now, time.Time{}
			var until *time.Time
			if d := p.lockout(sub.Failures, p.free(sub.Kind)); d > 0 {
				sub.LockedUntil = now.Add(d)
				until = &sub.LockedUntil
				a.locked = append(a.locked, *sub)
			}
			if _, err := tx.Exec(ctx, `UPDATE signin_throttle SET failures = $3, locked_until = $4, last_failure_at = $5
				WHERE kind = $1 AND subject = $2`, sub.Kind, sub.Subject, sub.Failures, until, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return SignInAttempt{}, fmt.Errorf("count sign-in attempt: %w", err)
	}
	if throttled != nil {
		return SignInAttempt{}, throttled
	}
	return a, nil
}

// SignInFailed records a refused sign-in: the entry refused, and for each
// subject the attempt locked a "session.locked" entry naming it, which
// office staff read in the audit log.
func (s *Store) SignInFailed(ctx context.Context, a SignInAttempt, refused AuditEntry) error {
	entries := []AuditEntry{refused}
	for _, l := range a.locked {
		entries = append(entries, AuditEntry{Actor: refused.Actor, Action: "session.locked", Object: l.Kind + "/" + l.Subject,
			RemoteAddr: refused.RemoteAddr, Details: map[string]any{"failures": l.Failures, "locked_until": l.LockedUntil}})
	}
	return s.tx(ctx, func(tx pgx.Tx) error {
		for _, e := range entries {
			if err := writeAudit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// SignInSucceeded takes the attempt back: the account starts afresh, the
// client address loses one attempt and the lock it no longer deserves.
func (s *Store) SignInSucceeded(ctx context.Context, a SignInAttempt) error {
	acc, addr := a.subject[0], a.subject[1]
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM signin_throttle WHERE kind = $1 AND subject = $2`, acc.Kind, acc.Subject); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE signin_throttle
			   SET failures = greatest(failures - 1, 0),
			       locked_until = CASE WHEN failures - 1 > $3 THEN locked_until END
			 WHERE kind = $1 AND subject = $2`, addr.Kind, addr.Subject, a.policy.AddressFree)
		return err
	})
	if err != nil {
		return fmt.Errorf("settle sign-in attempt: %w", err)
	}
	return nil
}

// SignInLocks lists the accounts and client addresses locked at now, the
// longest locked first.
func (s *Store) SignInLocks(ctx context.Context, now time.Time) ([]SignInLock, error) {
	rows, err := s.pool.Query(ctx, `SELECT kind, subject, failures, locked_until, last_failure_at FROM signin_throttle
		WHERE locked_until > $1 ORDER BY locked_until DESC, kind, subject LIMIT 1000`, now)
	if err != nil {
		return nil, fmt.Errorf("list sign-in locks: %w", err)
	}
	locks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SignInLock, error) {
		var l SignInLock
		return l, r.Scan(&l.Kind, &l.Subject, &l.Failures, &l.LockedUntil, &l.LastFailureAt)
	})
	if err != nil {
		return nil, fmt.Errorf("list sign-in locks: %w", err)
	}
	return locks, nil
}
