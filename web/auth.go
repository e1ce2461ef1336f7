package web

import (
	"errors"
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
	}
}

// signIn checks a password and opens a session, answered with the cookie.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	var req api.SignIn
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	session, err := s.startSession(w, r, req.Email, req.Password)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, api.Session{User: toUserJSON(session.User), ExpiresAt: session.Expires})
	return nil
}

// startSession checks an e-mail address and password, opens a session and
// sets its cookie: the one way in, for the API and the sign-in page alike.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, email, password string) (operations.Session, error) {
	// The sign-in form is a cookie-less request that creates a cookie:
	// refuse it cross-origin too (login CSRF).
	if err := s.csrf.Check(r); err != nil {
		return operations.Session{}, errForbidden("cross-origin sign-in refused")
	}
	if email == "" || password == "" {
		var fields []reporting.FieldError
		if email == "" {
			fields = append(fields, reporting.FieldError{Field: "email", Reason: "required"})
		}
		if password == "" {
			fields = append(fields, reporting.FieldError{Field: "password", Reason: "required"})
		}
		return operations.Session{}, errValidation("give an e-mail address and a password", fields...)
	}
	session, err := s.ops.SignIn(r.Context(), caller(r), email, password, s.cfg.SessionTTL)
	if errors.Is(err, store.ErrUnauthenticated) {
		return operations.Session{}, errUnauthenticated("the e-mail address or the password is wrong")
	}
	if err != nil {
		return operations.Session{}, err
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: session.Secret, Path: "/", Expires: session.Expires,
		HttpOnly: true, Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	return session, nil
}

// signOut ends the session of the cookie, if there is one, and clears it.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.endSession(w, r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// endSession ends the session of the cookie, if there is one, and clears
// the cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.ops.SignOut(r.Context(), caller(r), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
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
