package web

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"

	"rcm/access"
	"rcm/operations"
)

// Route is one endpoint of the API: the operation it runs, which package
// operations authorizes (its role table says who may run what), and how
// the path values are looked up for the caller. Tests check the table
// against the OpenAPI description and against the authorization matrix, so
// a route added here without both fails them.
type Route struct {
	// Method and Path form the http.ServeMux pattern ("GET", "/api/v1/agencies/{code}").
	Method, Path string
	// Op is the operation the route runs, asked of operations.Authorize
	// once the caller is known. "" (public) means anyone, without
	// authentication.
	Op operations.Op
	// Scope, when set, runs after the authorization and looks up what the
	// path values name through operations: a thing outside the caller's
	// scope is refused with the same not-found problem as a thing that does
	// not exist.
	Scope ScopeCheck
	// Upload routes accept bodies up to Config.MaxUploadBytes instead of
	// Config.MaxBodyBytes.
	Upload bool
	// Handle answers the request; an error it returns becomes a problem.
	Handle HandlerFunc
}

// HandlerFunc answers a request. The principal, for authenticated routes,
// is in the request's context (PrincipalFrom).
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ScopeCheck looks up, through operations, what the path values name, and
// fails as not found when the caller may not see it.
type ScopeCheck func(r *http.Request) error

// public is the Op of routes anyone may call, without authentication.
const public operations.Op = ""

// Roles returns the roles that may call the route (the role table of
// package operations); none for a public route.
func (rt Route) Roles() []access.Role { return operations.Roles(rt.Op) }

// routeTable lists every route of the server. Later parts of the API add
// their groups here.
func (s *Server) routeTable() []Route {
	return slices.Concat(
		s.systemRoutes(),
		s.sessionRoutes(),
		s.agencyRoutes(),
		s.userRoutes(),
		s.accountRoutes(),
		s.templateRoutes(),
		s.regimeRoutes(),
		s.cycleRoutes(),
		s.submissionRoutes(),
		s.reviewRoutes(),
		s.actionRoutes(),
		s.lateFilingRoutes(),
		s.resultRoutes(),
		s.tierRoutes(),
		s.notificationRoutes(),
		s.scheduleRoutes(),
		s.calendarRoutes(),
		s.periodRoutes(),
	)
}

// Routes returns a copy of the route table.
func (s *Server) Routes() []Route { return slices.Clone(s.routes) }

// Pattern returns the route's http.ServeMux pattern.
func (rt Route) Pattern() string { return rt.Method + " " + rt.Path }

type principalKey struct{}

// PrincipalFrom returns the authenticated caller of a request.
func PrincipalFrom(ctx context.Context) (access.Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(access.Principal)
	return p, ok
}

func principal(r *http.Request) access.Principal {
	p, _ := PrincipalFrom(r.Context())
	return p
}

func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Pattern(), s.wrap(rt))
	}
	for _, pg := range s.pages {
		mux.Handle(pg.Pattern(), s.wrapPage(pg))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.setSecurityHeaders(w.Header())
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		s.unmatched(w, r, mux)
	})
}

// unmatched answers requests no route matches with a problem instead of the
// mux's plain text, keeping its status (404, 405) and headers (Allow, Location).
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request, mux *http.ServeMux) {
	start := time.Now()
	capture := &headerCapture{header: http.Header{}}
	mux.ServeHTTP(capture, r)
	for _, h := range []string{"Allow", "Location"} {
		if v := capture.header.Get(h); v != "" {
			w.Header().Set(h, v)
		}
	}
	switch capture.status {
	case http.StatusMethodNotAllowed:
		writeProblem(w, r, problem(http.StatusMethodNotAllowed, typeMethod, "Method not allowed",
			"this path does not accept "+r.Method+"; allowed: "+capture.header.Get("Allow")).Problem)
	case http.StatusNotFound, 0:
		writeProblem(w, r, problem(http.StatusNotFound, typeNotFound, "Not found",
			"no API endpoint at "+r.URL.Path+"; the API is described at /api/openapi.json").Problem)
	default:
		w.WriteHeader(capture.status)
	}
	s.metrics.observe("unmatched", capture.status, time.Since(start))
}

// headerCapture records what the mux would answer, without a body.
type headerCapture struct {
	header http.Header
	status int
}

func (c *headerCapture) Header() http.Header { return c.header }
func (c *headerCapture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return len(b), nil
}
func (c *headerCapture) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap runs a route: body limit, authentication, role, scope, handler; then
// the problem for any error, the metrics and the log line.
func (s *Server) wrap(rt Route) http.Handler {
	pattern := rt.Pattern()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec, r, err := s.run(rt, w, r)
		if err != nil {
			p := toProblem(err)
			if p.Status >= 500 {
				s.log.Error("request failed", "route", pattern, "error", err)
			}
			if rec.status == 0 {
				if p.retryAfter > 0 {
					rec.Header().Set("Retry-After", strconv.FormatInt(p.retryAfter, 10))
				}
				writeProblem(rec, r, p.Problem)
			}
		}
		if rec.status == 0 {
			rec.WriteHeader(http.StatusNoContent)
		}
		elapsed := time.Since(start)
		s.metrics.observe(pattern, rec.status, elapsed)
		p, _ := PrincipalFrom(r.Context())
		s.log.Debug("request", "route", pattern, "path", r.URL.Path, "status", rec.status,
			"duration", elapsed, "user", p.UserID, "remote", remoteAddr(r))
	})
}

// run applies the route's body limit, authorizes the caller and runs the
// handler, recording the status it answers with; the error is the caller's
// to answer (as a problem for the API, as a page for the pages).
func (s *Server) run(rt Route, w http.ResponseWriter, r *http.Request) (*statusRecorder, *http.Request, error) {
	limit := s.cfg.MaxBodyBytes
	if rt.Upload {
		limit = s.cfg.MaxUploadBytes
	}
	rec := &statusRecorder{ResponseWriter: w}
	r.Body = http.MaxBytesReader(rec, r.Body, limit)
	// Path and query values are checked before the scope check reads them.
	if err := checkRequestText(r, rt); err != nil {
		return rec, r, err
	}
	r, err := s.authorize(rec, r, rt)
	if err == nil {
		err = rt.Handle(rec, r)
	}
	return rec, r, err
}

// authorize authenticates the caller of an authenticated route, asks
// operations whether they may run its operation, before the body is read,
// and looks up its path values. It returns the request with the principal.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, rt Route) (*http.Request, error) {
	if rt.Op == public {
		return r, nil
	}
	p, err := s.authenticate(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="rcm"`)
		return r, err
	}
	r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
	if err := s.ops.Authorize(caller(r), rt.Op); err != nil {
		return r, operationError(r, err)
	}
	if rt.Scope != nil {
		if err := rt.Scope(r); err != nil {
			return r, err
		}
	}
	return r, nil
}

func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
