// Package process assembles rcm's long-running processes from their parts:
// the web server (rcm serve), the worker (rcm worker), and both in one
// process (rcm dev). It is the composition root: it builds the renderer,
// the mailer, the activities, the worker's registrations, the outbox
// sweeper and the web server, and runs them until the context ends. The
// connections it is given (PostgreSQL, Temporal) and the services rcm dev
// starts beside it are the command line's (package cli), which also turns
// flags into the configurations here.
package process

import (
	"log/slog"

	"go.temporal.io/sdk/client"

	"rcm/operations"
	"rcm/store"
)

// Parts are the connections a process runs on, opened by its command.
type Parts struct {
	Store *store.Store
	// Temporal is the client of the Temporal frontend.
	Temporal client.Client
	// Operations is the application layer over Store and Temporal.
	Operations *operations.Engine
	Logger     *slog.Logger
}
