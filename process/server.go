package process

import (
	"context"

	"go.temporal.io/sdk/client"

	"rcm/web"
)

// ServerConfig is the configuration of the web server (web.Config): the
// commands that start one fill it in without importing the server package.
type ServerConfig = web.Config

// RunServer serves the API and the pages until ctx ends, finishing requests
// in flight; /readyz reports Temporal beside the database. metrics may be
// nil (the server makes its own) or shared with a worker in the same
// process, so that /metrics shows waves and messages too.
func RunServer(ctx context.Context, p Parts, cfg web.Config, metrics *web.Metrics) error {
	srv := web.NewServer(cfg, web.Deps{
		Operations: p.Operations,
		Logger:     p.Logger,
		Metrics:    metrics,
		ReadyChecks: map[string]web.ReadyCheck{
			"temporal": func(ctx context.Context) error {
				_, err := p.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{})
				return err
			},
		},
	})
	return srv.Run(ctx)
}
