package cli

import (
	"context"
	"log/slog"
	"net"
	"time"

	ucli "github.com/urfave/cli/v2"
	"go.temporal.io/sdk/client"

	"rcm/notifications"
	"rcm/operations"
	"rcm/process"
	"rcm/temporalclient"
)

// DefaultAddr is where rcm serve listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8080"

// serveCommand runs the HTTP API on the database directly.
func serveCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "serve",
		Usage:     "run the HTTP API and the pages (on the database directly; the cycles run in rcm worker)",
		UsageText: "rcm serve [--addr HOST:PORT] [--database-url URL] [--base-url URL] [--temporal-address HOST:PORT]",
		Description: `Applies pending migrations (unless --migrate=false), then serves the API
and the pages until interrupted, finishing requests in flight before it
stops. It hands cycle commands (launch, submit, review, ...) to Temporal at
--temporal-address; the workflows themselves run in rcm worker (rcm dev runs
both). --base-url is the address people reach the server at; when it is
https://, session cookies are marked Secure.

Examples:
   rcm serve --database-url postgres://rcm@127.0.0.1:5432/rcm
   RCM_ADDR=0.0.0.0:8080 RCM_BASE_URL=https://rcm.example.gov.vn RCM_TEMPORAL_ADDRESS=temporal:7233 rcm serve`,
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "addr", Usage: "address to listen on", Value: DefaultAddr, EnvVars: []string{"RCM_ADDR"}},
			databaseURLFlag(),
			&ucli.StringFlag{Name: "base-url", Usage: "public address of the server (default http://ADDR)", EnvVars: []string{"RCM_BASE_URL"}},
			temporalAddressFlag(),
			temporalNamespaceFlag(),
			taskQueueFlag(),
			&ucli.BoolFlag{Name: "migrate", Usage: "apply pending migrations first", Value: true, EnvVars: []string{"RCM_MIGRATE"}},
			&ucli.DurationFlag{Name: "session-ttl", Usage: "how long a password sign-in lasts", Value: 12 * time.Hour, EnvVars: []string{"RCM_SESSION_TTL"}},
			&ucli.BoolFlag{Name: "debug", Usage: "log every request", EnvVars: []string{"RCM_DEBUG"}},
			&ucli.StringFlag{Name: "smtp-url", Usage: "SMTP server for the mail the web server sends itself (password-reset links): " +
				"smtp://[user:pass@]host:port[?tls=starttls&from=rcm@example.gov.vn]; without it staff cannot reset passwords", EnvVars: []string{"RCM_SMTP_URL"}},
		}, temporalSecurityFlags()...),
		Action: serve,
	}
}

func serve(c *ucli.Context) error {
	addr := c.String("addr")
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usageError("--addr %q is not HOST:PORT, such as %s", addr, DefaultAddr)
	}
	level := slog.LevelInfo
	if c.Bool("debug") {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(c.App.ErrWriter, &slog.HandlerOptions{Level: level}))
	temporalCfg, err := temporalConfig(c)
	if err != nil {
		return err
	}
	st, err := connectDatabase(c, c.Bool("migrate"))
	if err != nil {
		return err
	}
	defer st.Close()
	tc, err := lazyTemporal(c.Context, temporalCfg, logger)
	if err != nil {
		return err
	}
	defer tc.Close()
	baseURL := c.String("base-url")
	if baseURL == "" {
		baseURL = "http://" + addr
	}
	cfg := process.ServerConfig{Addr: addr, BaseURL: baseURL, SessionTTL: c.Duration("session-ttl")}
	opts := []operations.Option{operations.WithTaskQueue(c.String("task-queue"))}
	if raw := c.String("smtp-url"); raw != "" {
		smtp, err := parseSMTP(raw)
		if err != nil {
			return err
		}
		opts = append(opts, operations.WithMail(notifications.NewMailer(smtp), baseURL))
	}
	eng := operations.New(st, tc, logger, opts...)
	return process.RunServer(c.Context, process.Parts{Store: st, Temporal: tc, Operations: eng, Logger: logger}, cfg, nil)
}

// lazyTemporal is a Temporal client that connects on first use: the server
// starts, and answers everything but the cycle commands, while Temporal is
// still starting or down; /readyz says so, and the cycle commands answer 503
// until it answers.
func lazyTemporal(ctx context.Context, cfg temporalclient.Config, logger *slog.Logger) (client.Client, error) {
	address, namespace := cfg.Address, cfg.Namespace
	if _, _, err := net.SplitHostPort(address); err != nil {
		return nil, usageError("--temporal-address %q is not HOST:PORT, such as %s", address, DefaultTemporalAddress)
	}
	opts, err := cfg.Options(logger)
	if err != nil {
		return nil, usageError("%v", err)
	}
	tc, err := client.NewLazyClient(opts)
	if err != nil {
		return nil, usageError("Temporal client for %s: %v", address, err)
	}
	checkCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := tc.CheckHealth(checkCtx, &client.CheckHealthRequest{}); err != nil {
		logger.Warn("Temporal does not answer yet; the API serves, and cycle commands answer 503 until it does",
			"temporal", address, "namespace", namespace, "error", err)
	}
	return tc, nil
}
