// Package operations is rcm's application layer: every command and every
// derived read goes through it, whoever asks — the HTTP API and the pages,
// the command line's direct commands, the demo seed, the schedules. Each
// operation takes its Caller (who asks, from where) and decides, from one
// role table (Authorize) and the subtree rule of package access, who may
// do it; each change is written with its audit entry, naming the caller, in
// the transaction of the change (package store). A cycle command is a
// PostgreSQL transaction (the record) followed by a hand-off to Temporal
// (the process): the hand-off is committed with its record in the outbox, so
// a crash between the commit and the signal loses nothing: the sweeper sends
// it again.
package operations

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"

	"rcm/access"
	"rcm/notifications"
	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// Engine runs the operations.
type Engine struct {
	store     *store.Store
	temporal  client.Client
	logger    *slog.Logger
	now       func() time.Time
	taskQueue string
	// handOffTimeout bounds a request's hand-off (HandOffTimeout).
	handOffTimeout time.Duration
	// mailer sends the operations' own mail (password-reset links), with
	// links to baseURL; nil: no mail server.
	mailer   *notifications.Mailer
	baseURL  string
	resetTTL time.Duration
}

// Option configures an Engine.
type Option func(*Engine)

// WithTaskQueue makes the operations start workflows on queue instead of
// workflows.TaskQueue; the workers must poll the same queue.
func WithTaskQueue(queue string) Option { return func(e *Engine) { e.taskQueue = queue } }

// WithHandOffTimeout bounds a request's hand-off to Temporal by d instead of
// HandOffTimeout.
func WithHandOffTimeout(d time.Duration) Option { return func(e *Engine) { e.handOffTimeout = d } }

// New builds the operations over the store and a Temporal client. Without a
// client (tc nil) every operation that needs Temporal — launching, changing
// and scheduling cycles, submitting, reviewing, timelines — answers
// ErrNoTemporal; the rest work.
func New(st *store.Store, tc client.Client, logger *slog.Logger, opts ...Option) *Engine {
	if logger == nil {
		logger = slog.Default()
	}
	e := &Engine{store: st, temporal: tc, logger: logger, now: time.Now, taskQueue: workflows.TaskQueue, handOffTimeout: HandOffTimeout}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Caller is who asks for an operation, and from where. Every operation
// takes one; rcm's own actions use the named system callers.
type Caller struct {
	access.Principal
	RemoteAddr string
}

// systemCaller is rcm itself acting with office staff's rights, named for
// the audit log.
func systemCaller(name, from string) Caller {
	return Caller{Principal: access.Principal{Role: access.Staff, Email: name}, RemoteAddr: from}
}

// SystemCaller is rcm itself acting on a schedule.
func SystemCaller() Caller { return systemCaller("system", "schedule") }

// BootstrapCaller is `rcm user bootstrap` creating the first office-staff user.
func BootstrapCaller() Caller { return systemCaller("bootstrap", "cli") }

// DemoCaller is the demo seed (`rcm demo seed`, `rcm dev --demo`).
func DemoCaller() Caller { return systemCaller("demo", "cli") }

func (c Caller) actor() store.Actor {
	return store.Actor{UserID: c.UserID, Email: c.Email, RemoteAddr: c.RemoteAddr}
}

// audit is the audit entry of a change the caller makes.
func (c Caller) audit(action Op, object string, details map[string]any) store.AuditEntry {
	e := store.AuditEntry{Actor: c.Email, Action: string(action), Object: object, RemoteAddr: c.RemoteAddr, Details: details}
	if c.UserID != 0 {
		id := c.UserID
		e.ActorID = &id
	}
	return e
}

// Errors the API maps to statuses; every one is wrapped with the specifics.
var (
	// ErrForbidden: the caller's role or scope does not allow the command.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: what the command names does not exist (or is outside the caller's scope).
	ErrNotFound = store.ErrNotFound
	// ErrConflict: the state of the cycle refuses the command.
	ErrConflict = store.ErrConflict
	// ErrUnavailable: Temporal could not be reached; nothing was changed.
	ErrUnavailable = errors.New("temporal unavailable")
	// ErrNoTemporal: the operations were built without a Temporal client
	// (errors.Is ErrUnavailable too).
	ErrNoTemporal = fmt.Errorf("the cycle engine is not configured: no Temporal client: %w", ErrUnavailable)
)

// invalid refuses one field of a command's input: a *reporting.InputError,
// like every refusal of what an input says.
func invalid(field, reason string) error {
	return &reporting.InputError{Fields: []reporting.FieldError{{Field: field, Reason: reason}}}
}

// invalidKey refuses one field with its reason from the messages catalogue
// (a field people fill in on the pages): the text of key with args.
func invalidKey(field, key string, args ...any) error {
	return &reporting.InputError{Fields: []reporting.FieldError{reporting.Keyed(field, key, args...)}}
}

// requireTemporal refuses an operation that needs Temporal when there is none.
func (e *Engine) requireTemporal() error {
	if e.temporal == nil {
		return ErrNoTemporal
	}
	return nil
}
