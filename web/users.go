package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"rcm/access"
	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

func (s *Server) userRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/users", Op: operations.OpCreateUser, Handle: s.createUser},
		{Method: "GET", Path: "/api/v1/users", Op: operations.OpListUsers, Handle: s.listUsers},
		{Method: "GET", Path: "/api/v1/users/{id}", Op: operations.OpReadUser, Scope: s.userInScope, Handle: s.getUser},
		{Method: "POST", Path: "/api/v1/users/{id}/tokens", Op: operations.OpCreateToken, Scope: s.tokensInScope, Handle: s.createToken},
		{Method: "GET", Path: "/api/v1/users/{id}/tokens", Op: operations.OpListTokens, Scope: s.tokensInScope, Handle: s.listTokens},
		{Method: "DELETE", Path: "/api/v1/tokens/{id}", Op: operations.OpRevokeToken, Scope: s.tokenInScope, Handle: s.revokeToken},
	}
}

func toUserJSON(u store.User) api.User {
	return api.User{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Agency: u.AgencyCode,
		ManagerID: u.ManagerID, Language: u.Language, CreatedAt: u.CreatedAt, DisabledAt: u.DisabledAt}
}

func toTokenJSON(t store.Token) api.Token {
	return api.Token{ID: t.ID, UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt,
		ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt, LastUsedAt: t.LastUsedAt}
}

// pathID reads a numeric path value; anything else names nothing that exists.
func pathID(r *http.Request, param, what string) (int64, error) {
	raw := r.PathValue(param)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound(what, raw)
	}
	return id, nil
}

// userInScope refuses, as not found, a user of the path the caller may not
// reach (operations.User says who may).
func (s *Server) userInScope(r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	_, err = s.ops.User(r.Context(), caller(r), id)
	return err
}

// tokensInScope refuses, as not found, the tokens of a user of the path
// other than the caller, unless the caller is office staff.
func (s *Server) tokensInScope(r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	_, err = s.ops.ListTokens(r.Context(), caller(r), id)
	return err
}

// tokenInScope refuses, as not found, a token that is not the caller's own,
// unless the caller is office staff.
func (s *Server) tokenInScope(r *http.Request) error {
	id, err := pathID(r, "id", "token")
	if err != nil {
		return err
	}
	_, err = s.ops.Token(r.Context(), caller(r), id)
	return err
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var req api.NewUser
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	u := store.User{Email: strings.TrimSpace(req.Email), Name: req.Name, Role: access.Role(req.Role),
		AgencyCode: req.Agency, ManagerID: req.ManagerID, Language: req.Language}
	created, err := s.ops.CreateUser(r.Context(), caller(r), u, req.Password)
	if errors.Is(err, store.ErrConflict) {
		return errConflict(fmt.Sprintf("a user with the e-mail address %s exists already", u.Email))
	}
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/users/%d", created.ID))
	writeJSON(w, http.StatusCreated, toUserJSON(created))
	return nil
}

// listUsers lists the users the caller sees: everyone for staff, the users of
// their subtree for supervisors. ?role= filters; ?after= is the last id seen.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var after int64
	if raw := q.Get("after"); raw != "" {
		if after, err = strconv.ParseInt(raw, 10, 64); err != nil {
			return errBadRequest(fmt.Sprintf("after %q is not a cursor this list gave", raw), reporting.FieldError{Field: "after", Reason: "a user id"})
		}
	}
	role := q.Get("role")
	if role != "" {
		if _, err := access.ParseRole(role); err != nil {
			return errBadRequest(err.Error(), reporting.FieldError{Field: "role", Reason: "staff, officer, supervisor or reviewer"})
		}
	}
	users, err := s.ops.ListUsers(r.Context(), caller(r), store.UserFilter{Role: access.Role(role), After: after, Limit: limit + 1})
	if err != nil {
		return err
	}
	items := make([]api.User, len(users))
	for i, u := range users {
		items[i] = toUserJSON(u)
	}
	writeJSON(w, http.StatusOK, makePage(items, limit, func(u api.User) string { return strconv.FormatInt(u.ID, 10) }))
	return nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	u, err := s.ops.User(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toUserJSON(u))
	return nil
}

// createToken issues an API token for the user of the path; its secret is in
// this answer only.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	var req api.CreateToken
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	expires := req.ExpiresAt
	switch {
	case req.ExpiresAt != nil && req.ExpiresIn != "":
		return errValidation("give expires_at or expires_in, not both", reporting.FieldError{Field: "expires_in", Reason: "conflicts with expires_at"})
	case req.ExpiresIn != "":
		d, err := reporting.ParseOffset(req.ExpiresIn)
		if err != nil || d <= 0 {
			return errValidation("expires_in must be a positive duration such as 90d", reporting.FieldError{Field: "expires_in", Reason: "a positive duration such as 90d or 12h"})
		}
		at := s.now().Add(d)
		expires = &at
	case req.ExpiresAt != nil && !req.ExpiresAt.After(s.now()):
		return errValidation("expires_at is in the past", reporting.FieldError{Field: "expires_at", Reason: "must be in the future"})
	}
	secret, t, err := s.ops.CreateToken(r.Context(), caller(r), id, req.Name, expires)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, api.NewToken{Secret: secret, Token: toTokenJSON(t)})
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	tokens, err := s.ops.ListTokens(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	items := make([]api.Token, len(tokens))
	for i, t := range tokens {
		items[i] = toTokenJSON(t)
	}
	writeJSON(w, http.StatusOK, api.Page[api.Token]{Items: items})
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "token")
	if err != nil {
		return err
	}
	t, err := s.ops.RevokeToken(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toTokenJSON(t))
	return nil
}
