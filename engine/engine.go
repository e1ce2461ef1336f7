// Package engine holds the commands that change a reporting cycle — launch,
// submit, review, extend, close, cancel, schedule — each one a PostgreSQL
// transaction (the record) followed by a hand-off to Temporal (the process).
// A hand-off is committed with its record in the outbox, so a crash between
// the commit and the signal loses nothing: the sweeper sends it again.
// The HTTP API and the scheduled launches call it; it checks who may do what
// with package access.
package engine

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"

	"rcm/access"
	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// Engine runs the cycle commands.
type Engine struct {
	store     *store.Store
	temporal  client.Client
	logger    *slog.Logger
	now       func() time.Time
	taskQueue string
	// handOffTimeout bounds a request's hand-off (HandOffTimeout).
	handOffTimeout time.Duration
}

// Option configures an Engine.
type Option func(*Engine)

// WithTaskQueue makes the engine start workflows on queue instead of
// workflows.TaskQueue; the workers must poll the same queue.
func WithTaskQueue(queue string) Option { return func(e *Engine) { e.taskQueue = queue } }

// WithHandOffTimeout bounds a request's hand-off to Temporal by d instead of
// HandOffTimeout.
func WithHandOffTimeout(d time.Duration) Option { return func(e *Engine) { e.handOffTimeout = d } }

// New builds an engine over the store and a Temporal client.
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

// Caller is who asks for a command, and from where.
type Caller struct {
	access.Principal
	RemoteAddr string
}

// SystemCaller is rcm itself acting on a schedule.
func SystemCaller() Caller {
	return Caller{Principal: access.Principal{Role: access.Staff, Email: "system"}, RemoteAddr: "schedule"}
}

func (c Caller) actor() store.Actor {
	return store.Actor{UserID: c.UserID, Email: c.Email, RemoteAddr: c.RemoteAddr}
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
)

// invalid refuses one field of a command's input: a *reporting.InputError,
// like every refusal of what an input says.
func invalid(field, reason string) error {
	return &reporting.InputError{Fields: []reporting.FieldError{{Field: field, Reason: reason}}}
}

func requireStaff(c Caller, what string) error {
	if !c.IsStaff() {
		return fmt.Errorf("%s: only office staff may do this: %w", what, ErrForbidden)
	}
	return nil
}
