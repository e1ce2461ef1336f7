package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"rcm/access"
	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

// SessionCookie is the name of the web session cookie.
const SessionCookie = "rcm_session"

// authenticate finds the caller: an API token in "Authorization: Bearer",
// or else a session cookie, whose requests must also pass the cross-origin
// check (CSRF). Tokens and cookies are never logged.
func (s *Server) authenticate(r *http.Request) (access.Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return access.Principal{}, errUnauthenticated(`the Authorization header must be "Bearer <token>"`)
		}
		p, err := s.ops.AuthenticateToken(r.Context(), strings.TrimSpace(token))
		if err != nil {
			return access.Principal{}, authProblem(err)
		}
		return p, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return access.Principal{}, errUnauthenticated("sign in, or send an API token as \"Authorization: Bearer <token>\" (create one with rcm user token create)")
	}
	if err := s.csrf.Check(r); err != nil {
		return access.Principal{}, errForbidden("cross-origin request refused: a page of another site cannot act with your session")
	}
	p, err := s.ops.AuthenticateSession(r.Context(), c.Value)
	if err != nil {
		return access.Principal{}, authProblem(err)
	}
	return p, nil
}

// authProblem explains a refused token or session to its holder.
func authProblem(err error) error {
	switch {
	case errors.Is(err, store.ErrTokenExpired):
		return errUnauthenticated("the token has expired; create a new one (rcm user token create)")
	case errors.Is(err, store.ErrTokenRevoked):
		return errUnauthenticated("the token was revoked; create a new one (rcm user token create)")
	case errors.Is(err, store.ErrUserDisabled):
		return errUnauthenticated("your user is disabled; ask the office staff")
	case errors.Is(err, store.ErrSessionExpired):
		return errUnauthenticated("the session has ended; sign in again")
	case errors.Is(err, store.ErrUnauthenticated):
		return errUnauthenticated("the token is not valid; check it, or create a new one (rcm user token create)")
	}
	return err
}

func (s *Server) sessionRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/session", Op: public, Handle: s.signIn},
		{Method: "DELETE", Path: "/api/v1/session", Op: operations.OpDeleteSession, Handle: s.signOut},
		{Method: "GET", Path: "/api/v1/me", Op: operations.OpReadSelf, Handle: s.me},
		{Method: "GET", Path: "/api/v1/sign-in-locks", Op: operations.OpReadSignInLocks, Handle: s.signInLocks},
	}
}

// signIn checks a password and opens a session, answered with the cookie.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	// The sign-in form is a cookie-less request that creates a cookie:
	// refuse it cross-origin too (login CSRF).
	if err := s.csrf.Check(r); err != nil {
		return errForbidden("cross-origin sign-in refused")
	}
	var req api.SignIn
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := checkSignInLengths(req); err != nil {
		return err
	}
	if req.Email == "" || req.Password == "" {
		return errValidation("give an e-mail address and a password",
			reporting.FieldError{Field: "email", Reason: "required"}, reporting.FieldError{Field: "password", Reason: "required"})
	}
	session, err := s.ops.SignIn(r.Context(), caller(r), operations.SignInRequest{Email: req.Email, Password: req.Password,
		TTL: s.cfg.SessionTTL, Policy: s.cfg.SignIn, At: s.now()})
	var throttled *store.ThrottledError
	if errors.As(err, &throttled) {
		return errTooManyAttempts(throttled)
	}
	if errors.Is(err, store.ErrUnauthenticated) {
		return errUnauthenticated("the e-mail address or the password is wrong")
	}
	if err != nil {
		return err
	}
	u, expires := session.User, session.Expires
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: session.Secret, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	writeJSON(w, http.StatusCreated, api.Session{User: toUserJSON(u), ExpiresAt: expires})
	return nil
}

// The longest e-mail address (RFC 5321 with its errata) and password a
// sign-in reads; anything longer is refused before it is looked up, counted
// or written to the audit log.
const (
	maxEmailBytes    = 254
	maxPasswordBytes = 1024
)

// checkSignInLengths refuses an e-mail address or password longer than rcm
// reads, naming the field.
func checkSignInLengths(req api.SignIn) error {
	var fields []reporting.FieldError
	if len(req.Email) > maxEmailBytes {
		fields = append(fields, reporting.FieldError{Field: "email", Reason: fmt.Sprintf("at most %d bytes", maxEmailBytes)})
	}
	if len(req.Password) > maxPasswordBytes {
		fields = append(fields, reporting.FieldError{Field: "password", Reason: fmt.Sprintf("at most %d bytes", maxPasswordBytes)})
	}
	if len(fields) > 0 {
		return errBadRequest("the sign-in is refused: "+fields[0].Field+" is too long", fields...)
	}
	return nil
}

// errTooManyAttempts refuses a sign-in while its account or client address
// is locked, saying when to try again (also as Retry-After).
func errTooManyAttempts(t *store.ThrottledError) *apiError {
	secs := int64(math.Ceil(t.RetryAfter.Seconds()))
	e := problem(http.StatusTooManyRequests, typeTooMany, "Too many sign-in attempts",
		fmt.Sprintf("too many sign-in attempts for this %s; try again in %d seconds", t.Kind, secs))
	e.retryAfter = secs
	return e
}

// signOut ends the session of the cookie, if there is one, and clears it.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.ops.SignOut(r.Context(), caller(r), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// me answers who the caller is and what part of the tree they see.
func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	u, scope, err := s.ops.Me(r.Context(), caller(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.Me{User: toUserJSON(u), Scope: scope.Path, ScopeExact: scope.Exact})
	return nil
}

// signInLocks lists for office staff the accounts and client addresses
// whose sign-ins are refused for now; each lock-out is also in the audit log
// as session.locked.
func (s *Server) signInLocks(w http.ResponseWriter, r *http.Request) error {
	locks, err := s.ops.SignInLocks(r.Context(), caller(r), s.now())
	if err != nil {
		return err
	}
	page := api.Page[api.SignInLock]{Items: make([]api.SignInLock, 0, len(locks))}
	for _, l := range locks {
		page.Items = append(page.Items, api.SignInLock{Kind: l.Kind, Subject: l.Subject, Failures: l.Failures,
			LockedUntil: l.LockedUntil, LastFailureAt: l.LastFailureAt})
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
