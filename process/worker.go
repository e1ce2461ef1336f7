package process

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"rcm/activities"
	"rcm/notifications"
	"rcm/web"
	"rcm/worker"
)

// WorkerConfig is what a worker process needs beyond its Parts.
type WorkerConfig struct {
	SMTP    notifications.SMTPConfig
	BaseURL string
	// Namespace is the Temporal namespace, where rcm's search attributes are
	// registered.
	Namespace string
	Options   worker.Options
	// SweepEvery is how often undelivered hand-offs are re-sent (default 1 s).
	SweepEvery time.Duration
	// Metrics registers the worker's metrics (waves, messages); nil keeps none.
	Metrics prometheus.Registerer
}

// RunWorker runs the Temporal worker with rcm's activities and the outbox
// sweeper until ctx ends.
func RunWorker(ctx context.Context, p Parts, cfg WorkerConfig) error {
	logger := p.Logger
	if err := worker.EnsureSearchAttributes(ctx, p.Temporal, cfg.Namespace); err != nil {
		// Not fatal: the cycles run; only the UI's search by cycle suffers.
		logger.WarnContext(ctx, "custom search attributes not registered", "error", err)
	}
	renderer, err := notifications.NewRenderer()
	if err != nil {
		return fmt.Errorf("load message templates: %w", err)
	}
	actsCfg := activities.Config{BaseURL: cfg.BaseURL, MessageIDDomain: MessageIDDomain(cfg.BaseURL, cfg.SMTP)}
	if cfg.Metrics != nil {
		actsCfg.Metrics = activities.NewMetrics(cfg.Metrics)
	}
	ops := p.Operations
	acts := activities.New(p.Store, renderer, notifications.NewMailer(cfg.SMTP), ops, ops, logger, actsCfg)
	if cfg.SweepEvery <= 0 {
		// A hand-off lost with a crashed web server reaches its workflow
		// about 3 s after its commit (2 s of age, then the next sweep).
		cfg.SweepEvery = time.Second
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return worker.Run(ctx, p.Temporal, acts, cfg.Options) })
	g.Go(func() error { return ops.RunOutboxSweeper(ctx, cfg.SweepEvery, 2*time.Second) })
	logger.InfoContext(ctx, "worker running", "smtp", cfg.SMTP.Redacted(), "base_url", cfg.BaseURL)
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// RunDev runs the worker and the web server in one process, as rcm dev
// does, with one metrics registry: the web server's /metrics shows the
// worker's waves and messages too.
func RunDev(ctx context.Context, p Parts, wcfg WorkerConfig, scfg web.Config) error {
	metrics := web.NewMetrics()
	wcfg.Metrics = metrics.Registry
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return RunWorker(ctx, p, wcfg) })
	g.Go(func() error { return RunServer(ctx, p, scfg, metrics) })
	return g.Wait()
}

// ErrMetricsAddress is returned by ServeMetrics when its address cannot be
// listened on.
var ErrMetricsAddress = errors.New("metrics address unusable")

// ServeMetrics serves reg at http://addr/metrics until ctx ends.
func ServeMetrics(ctx context.Context, addr string, reg *prometheus.Registry, logger *slog.Logger) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	logger.InfoContext(ctx, "serving worker metrics", "addr", addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("%w: %s: %w", ErrMetricsAddress, addr, err)
	}
	return nil
}

// MessageIDDomain is the host of the base URL, or of the sender's address:
// the right-hand side of the Message-IDs of rcm's mail.
func MessageIDDomain(baseURL string, smtp notifications.SMTPConfig) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" && strings.Contains(u.Hostname(), ".") {
		return u.Hostname()
	}
	if _, domain, ok := strings.Cut(smtp.From.Address, "@"); ok {
		return domain
	}
	return "rcm.localhost"
}
