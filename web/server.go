package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"rcm/operations"
	"rcm/sheets"
	"rcm/store"
)

// Config is how the server listens and what it accepts.
type Config struct {
	// Addr is the address to listen on ("127.0.0.1:8080").
	Addr string
	// BaseURL is the address people and clients reach the server at
	// ("https://rcm.example.gov.vn"). Session cookies are marked Secure when
	// it starts with https://; it is also the origin trusted for cookie
	// requests.
	BaseURL string
	// MaxBodyBytes bounds JSON request bodies (default 1 MiB); larger ones
	// are refused with 413.
	MaxBodyBytes int64
	// MaxUploadBytes bounds file uploads (default 10 MiB).
	MaxUploadBytes int64
	// SignIn is how password sign-ins back off (zero: store.DefaultSignInPolicy).
	SignIn store.SignInPolicy
	// SessionTTL is how long a password sign-in lasts (default 12 hours).
	SessionTTL time.Duration
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout bound the
	// phases of a connection (defaults 5 s, 60 s, 120 s, 120 s).
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown (default 15 s).
	ShutdownTimeout time.Duration
}

func (c Config) withDefaults() Config {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = 10 << 20
	}
	if c.SignIn == (store.SignInPolicy{}) {
		c.SignIn = store.DefaultSignInPolicy()
	}
	def(&c.SessionTTL, 12*time.Hour)
	def(&c.ReadHeaderTimeout, 5*time.Second)
	def(&c.ReadTimeout, 60*time.Second)
	def(&c.WriteTimeout, 120*time.Second)
	def(&c.IdleTimeout, 120*time.Second)
	def(&c.ShutdownTimeout, 15*time.Second)
	return c
}

// ReadyCheck reports whether a service the server needs answers.
type ReadyCheck func(ctx context.Context) error

// Deps are the parts of rcm the server works with. Fields may be added; the
// zero value of a new field must keep the server working without it.
type Deps struct {
	// Operations runs every command and read the server answers, and
	// decides who may run them; the server only finds out who asks. Built
	// without Temporal, the cycle commands (launch, submit, review, ...)
	// answer 503.
	Operations *operations.Engine
	Logger     *slog.Logger
	// Metrics is the registry /metrics exposes; nil makes a new one.
	Metrics *Metrics
	// ReadyChecks are asked by /readyz besides the database, by name
	// ("temporal").
	ReadyChecks map[string]ReadyCheck
	// Now tells the time (default time.Now); tests set it.
	Now func() time.Time
}

// Server is rcm's HTTP server: the JSON API and, later, the pages.
type Server struct {
	cfg     Config
	ops     *operations.Engine
	log     *slog.Logger
	metrics *Metrics
	ready   map[string]ReadyCheck
	now     func() time.Time
	csrf    *http.CrossOriginProtection
	secure  bool
	handler http.Handler
	routes  []Route
	pages   []Route
	openapi func() ([]byte, error)
	counts  *cycleMetrics
	views   *views
	// sheetReads bounds the uploaded files parsed at once.
	sheetReads *sheets.Limiter
}

// NewServer builds the server and its route table.
func NewServer(cfg Config, deps Deps) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:     cfg,
		ops:     deps.Operations,
		log:     deps.Logger,
		metrics: deps.Metrics,
		ready:   deps.ReadyChecks,
		now:     deps.Now,
		csrf:    http.NewCrossOriginProtection(),
		secure:  strings.HasPrefix(cfg.BaseURL, "https://"),
		openapi: sync.OnceValues(openAPIDocument),

		sheetReads: sheets.NewLimiter(sheets.DefaultConcurrentReads),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if origin := originOf(cfg.BaseURL); origin != "" {
		// Behind a proxy the Host header may differ from the public origin.
		_ = s.csrf.AddTrustedOrigin(origin)
	}
	s.counts = newCycleMetrics(s.metrics.Registry)
	s.views = mustParseViews()
	s.routes = s.routeTable()
	s.pages = s.pageTable()
	s.handler = s.buildHandler()
	return s
}

func originOf(baseURL string) string {
	scheme, rest, ok := strings.Cut(baseURL, "://")
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host
}

// Handler returns the server's whole HTTP handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// Run listens on Config.Addr and serves until ctx ends, then shuts down
// gracefully, letting requests in flight finish within ShutdownTimeout.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another rcm serve already running?)", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on a listener the caller opened.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving the rcm API", "addr", ln.Addr().String(), "base_url", s.cfg.BaseURL)
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down the server on %s: %w", ln.Addr(), err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	s.log.Info("server stopped", "addr", ln.Addr().String())
	return nil
}
