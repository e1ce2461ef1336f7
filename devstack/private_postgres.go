package devstack

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// PrivatePostgresOptions says where a private PostgreSQL cluster lives and
// on which port it listens.
type PrivatePostgresOptions struct {
	// DataDir holds the cluster (data/) and its socket (run/); the first
	// start creates it with initdb. When rcm runs as root the cluster runs
	// as the postgres user, who must be able to enter every folder above.
	DataDir string
	// Port is the TCP port on 127.0.0.1; 0 picks a free one. Starting a
	// stopped cluster again on the same port gives its clients the same URL.
	Port int
	// Log receives the cluster's output; nil discards it.
	Log io.Writer
}

// StartPrivatePostgres starts a private cluster under opts.DataDir (creating
// it the first time) and returns once it answers, never looking for another
// server first (FindPostgres does). Tests use it to own a server they may
// stop and start again without touching the shared one.
func StartPrivatePostgres(ctx context.Context, opts PrivatePostgresOptions) (*Postgres, error) {
	if opts.DataDir == "" {
		return nil, errors.New("private PostgreSQL cluster: no data folder given")
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("private PostgreSQL cluster: port %d is not a TCP port", opts.Port)
	}
	pg, err := startPrivate(ctx, PostgresOptions{DataDir: opts.DataDir, Log: opts.Log, port: opts.Port})
	if errors.Is(err, errNoServerBinaries) {
		return nil, fmt.Errorf("private PostgreSQL cluster: %w; install them (apt install postgresql)", err)
	}
	return pg, err
}
