package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	ucli "github.com/urfave/cli/v2"
	"go.temporal.io/sdk/client"
	"golang.org/x/sync/errgroup"

	"rcm/notifications"
	"rcm/operations"
	"rcm/process"
	"rcm/temporalclient"
	"rcm/worker"
	"rcm/workflows"
)

// Flags shared by the commands that run rcm's processes (worker, serve, dev).

// DefaultTemporalAddress is the Temporal frontend rcm dials unless told otherwise.
const DefaultTemporalAddress = "127.0.0.1:7233"

func temporalAddressFlag() *ucli.StringFlag {
	return &ucli.StringFlag{Name: "temporal-address", Usage: "Temporal frontend HOST:PORT", Value: DefaultTemporalAddress,
		EnvVars: []string{"RCM_TEMPORAL_ADDRESS"}}
}

func temporalNamespaceFlag() *ucli.StringFlag {
	return &ucli.StringFlag{Name: "temporal-namespace", Usage: "Temporal namespace", Value: "default",
		EnvVars: []string{"RCM_TEMPORAL_NAMESPACE"}}
}

func taskQueueFlag() *ucli.StringFlag {
	return &ucli.StringFlag{Name: "task-queue", Usage: "Temporal task queue of rcm's workflows; rcm serve and rcm worker must agree",
		Value: workflows.TaskQueue, EnvVars: []string{"RCM_TASK_QUEUE"}}
}

func smtpURLFlag() *ucli.StringFlag {
	return &ucli.StringFlag{Name: "smtp-url", Usage: "SMTP server: smtp://[user:pass@]host:port[?tls=starttls&from=rcm@example.gov.vn] or smtps://...",
		EnvVars: []string{"RCM_SMTP_URL"}}
}

func baseURLFlag() *ucli.StringFlag {
	return &ucli.StringFlag{Name: "base-url", Usage: "public address of rcm's web server, for links in messages and cookies",
		EnvVars: []string{"RCM_BASE_URL"}}
}

func logLevelFlag() *ucli.StringFlag {
	return &ucli.StringFlag{Name: "log-level", Usage: "debug, info, warn or error", Value: "info", EnvVars: []string{"RCM_LOG_LEVEL"}}
}

// newLogger builds the process logger from --log-level.
func newLogger(c *ucli.Context) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.String("log-level"))); err != nil {
		return nil, usageError("--log-level %q: use debug, info, warn or error", c.String("log-level"))
	}
	return slog.New(slog.NewTextHandler(c.App.ErrWriter, &slog.HandlerOptions{Level: level})), nil
}

// dialTemporal connects to the Temporal frontend, with an error that says
// how to start one.
func dialTemporal(ctx context.Context, cfg temporalclient.Config, logger *slog.Logger) (client.Client, error) {
	address, namespace := cfg.Address, cfg.Namespace
	if !strings.Contains(address, ":") {
		return nil, usageError("--temporal-address %q is not HOST:PORT, such as %s", address, DefaultTemporalAddress)
	}
	opts, err := cfg.Options(logger)
	if err != nil {
		return nil, usageError("%v", err)
	}
	dialCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	c, err := client.DialContext(dialCtx, opts)
	if err != nil {
		return nil, &ExitError{Code: ExitUnavailable, Err: fmt.Errorf(
			"cannot reach Temporal at %s (namespace %s): %v; start one with `rcm dev`, or `temporal server start-dev`, or give --temporal-address",
			address, namespace, err)}
	}
	return c, nil
}

// parseSMTP reads --smtp-url.
func parseSMTP(raw string) (notifications.SMTPConfig, error) {
	if raw == "" {
		return notifications.SMTPConfig{}, usageError("no mail server: give --smtp-url or set RCM_SMTP_URL, e.g. smtp://127.0.0.1:1025?from=rcm@example.gov.vn")
	}
	cfg, err := notifications.ParseSMTPURL(raw)
	if err != nil {
		return notifications.SMTPConfig{}, usageError("--smtp-url: %v", err)
	}
	return cfg, nil
}

// workerCommand runs rcm's Temporal worker.
func workerCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "worker",
		Usage:     "run the Temporal worker that carries out the cycles (on the database directly)",
		UsageText: "rcm worker [--database-url URL] [--temporal-address HOST:PORT] --smtp-url URL [--base-url URL]",
		Description: `Runs the workflows and activities of every cycle (notices, reminders,
escalations, close, aggregation), and re-sends hand-offs to Temporal that a
crash left behind. Run as many as you like: they share the work.

Examples:
   rcm worker --database-url postgres://rcm@127.0.0.1:5432/rcm --smtp-url 'smtp://127.0.0.1:1025?from=rcm@example.gov.vn'
   RCM_TEMPORAL_ADDRESS=temporal:7233 RCM_SMTP_URL=smtp://mail:25 rcm worker`,
		Flags: append(append([]ucli.Flag{
			databaseURLFlag(), temporalAddressFlag(), temporalNamespaceFlag(), taskQueueFlag(), smtpURLFlag(), baseURLFlag(), logLevelFlag(),
		}, temporalSecurityFlags()...), []ucli.Flag{
			&ucli.IntFlag{Name: "max-activities", Usage: "activities run at once by this worker (0 = SDK default)", EnvVars: []string{"RCM_MAX_ACTIVITIES"}},
			&ucli.BoolFlag{Name: "migrate", Usage: "apply pending migrations first", Value: true, EnvVars: []string{"RCM_MIGRATE"}},
			&ucli.StringFlag{Name: "metrics-addr", Usage: "serve Prometheus metrics (waves, messages) at http://ADDR/metrics; empty: none",
				EnvVars: []string{"RCM_METRICS_ADDR"}},
		}...),
		Action: func(c *ucli.Context) error {
			logger, err := newLogger(c)
			if err != nil {
				return err
			}
			smtp, err := parseSMTP(c.String("smtp-url"))
			if err != nil {
				return err
			}
			temporalCfg, err := temporalConfig(c)
			if err != nil {
				return err
			}
			st, err := connectDatabase(c, c.Bool("migrate"))
			if err != nil {
				return err
			}
			defer st.Close()
			tc, err := dialTemporal(c.Context, temporalCfg, logger)
			if err != nil {
				return err
			}
			defer tc.Close()
			baseURL := c.String("base-url")
			if baseURL == "" {
				baseURL = "http://" + DefaultAddr
			}
			ops := operations.New(st, tc, logger, operations.WithTaskQueue(c.String("task-queue")))
			parts := process.Parts{Store: st, Temporal: tc, Operations: ops, Logger: logger}
			cfg := process.WorkerConfig{
				SMTP: smtp, BaseURL: baseURL, Namespace: c.String("temporal-namespace"),
				Options: worker.Options{MaxConcurrentActivities: c.Int("max-activities"), TaskQueue: c.String("task-queue")},
			}
			g, ctx := errgroup.WithContext(c.Context)
			if addr := c.String("metrics-addr"); addr != "" {
				reg := prometheus.NewRegistry()
				cfg.Metrics = reg
				g.Go(func() error {
					err := process.ServeMetrics(ctx, addr, reg, logger)
					if errors.Is(err, process.ErrMetricsAddress) {
						return &ExitError{Code: ExitConflict, Err: fmt.Errorf("--metrics-addr: %w", err)}
					}
					return err
				})
			}
			g.Go(func() error { return process.RunWorker(ctx, parts, cfg) })
			return g.Wait()
		},
	}
}
