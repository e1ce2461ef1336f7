package web

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

// accountRoutes are account control (disable, passwords, sessions) and the
// audit log.
func (s *Server) accountRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/users/{id}/disable", Op: operations.OpDisableUser, Scope: s.userInScope, Handle: s.disableUser},
		{Method: "POST", Path: "/api/v1/users/{id}/enable", Op: operations.OpEnableUser, Scope: s.userInScope, Handle: s.enableUser},
		{Method: "POST", Path: "/api/v1/users/{id}/password-reset", Op: operations.OpResetPassword, Scope: s.userInScope, Handle: s.resetPassword},
		{Method: "PUT", Path: "/api/v1/me/password", Op: operations.OpChangePassword, Handle: s.changePassword},
		{Method: "POST", Path: "/api/v1/password-reset", Op: public, Handle: s.usePasswordReset},
		{Method: "GET", Path: "/api/v1/users/{id}/sessions", Op: operations.OpListSessions, Scope: s.sessionsInScope, Handle: s.listSessions},
		{Method: "DELETE", Path: "/api/v1/users/{id}/sessions", Op: operations.OpEndSessions, Scope: s.sessionsInScope, Handle: s.endSessions},
		{Method: "DELETE", Path: "/api/v1/users/{id}/sessions/{session}", Op: operations.OpEndSessions, Scope: s.sessionsInScope, Handle: s.endSessions},
		{Method: "GET", Path: "/api/v1/audit", Op: operations.OpReadAudit, Handle: s.listAudit},
		{Method: "GET", Path: "/api/v1/audit/verify", Op: operations.OpVerifyAudit, Handle: s.verifyAudit},
	}
}

// sessionsInScope refuses, as not found, the sessions of a user other than
// the caller, unless the caller is office staff.
func (s *Server) sessionsInScope(r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	_, err = s.ops.ListSessions(r.Context(), caller(r), id)
	return err
}

func (s *Server) disableUser(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, true)
}

func (s *Server) enableUser(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, false)
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	change := s.ops.EnableUser
	if disabled {
		change = s.ops.DisableUser
	}
	u, err := change(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toUserJSON(u))
	return nil
}

// resetPassword mails the user of the path a one-time link to set a new password.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	expires, err := s.ops.ResetPassword(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	u, err := s.ops.User(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, api.PasswordResetSent{Email: u.Email, ExpiresAt: expires})
	return nil
}

// changePassword changes the caller's own password; their other sessions end.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	var req api.ChangePassword
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := checkPasswordLengths(map[string]string{"current_password": req.CurrentPassword, "new_password": req.NewPassword}); err != nil {
		return err
	}
	keep := ""
	if c, err := r.Cookie(SessionCookie); err == nil && r.Header.Get("Authorization") == "" {
		keep = c.Value
	}
	if err := s.ops.ChangePassword(r.Context(), caller(r), req.CurrentPassword, req.NewPassword, keep); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// usePasswordReset sets a new password with the secret of a reset link.
func (s *Server) usePasswordReset(w http.ResponseWriter, r *http.Request) error {
	var req api.UsePasswordReset
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := checkPasswordLengths(map[string]string{"token": req.Token, "new_password": req.NewPassword}); err != nil {
		return err
	}
	if _, err := s.ops.UsePasswordReset(r.Context(), caller(r), req.Token, req.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// checkPasswordLengths refuses a secret longer than rcm reads, naming the
// field, before anything is looked up.
func checkPasswordLengths(fields map[string]string) error {
	for _, name := range []string{"token", "current_password", "new_password"} {
		if len(fields[name]) > maxPasswordBytes {
			return errBadRequest(name+" is too long", reporting.FieldError{Field: name, Reason: fmt.Sprintf("at most %d bytes", maxPasswordBytes)})
		}
	}
	return nil
}

func (s *Server) listSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	sessions, err := s.ops.ListSessions(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	page := api.Page[api.UserSession]{Items: make([]api.UserSession, 0, len(sessions))}
	for _, x := range sessions {
		page.Items = append(page.Items, api.UserSession{ID: x.ID, UserID: x.UserID, CreatedAt: x.CreatedAt,
			ExpiresAt: x.ExpiresAt, RemoteAddr: x.RemoteAddr})
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// endSessions ends the session of the path, or every session of the user.
func (s *Server) endSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	var sessionID int64
	if r.PathValue("session") != "" {
		if sessionID, err = pathID(r, "session", "session"); err != nil {
			return err
		}
	}
	n, err := s.ops.EndSessions(r.Context(), caller(r), id, sessionID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.SessionsEnded{Ended: n})
	return nil
}

// listAudit reads the audit log, oldest first: ?actor= ?action= ?object=
// ?stream= ?since= ?until= (RFC 3339) ?after= (the last id seen) ?limit=.
func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), Object: q.Get("object"), Stream: q.Get("stream"), Limit: limit + 1}
	if raw := q.Get("after"); raw != "" {
		if f.After, err = strconv.ParseInt(raw, 10, 64); err != nil || f.After < 0 {
			return errBadRequest(fmt.Sprintf("after %q is not a cursor this list gave", raw), reporting.FieldError{Field: "after", Reason: "an audit record id"})
		}
	}
	for _, p := range []struct {
		name string
		dest **time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		raw := q.Get(p.name)
		if raw == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			return errBadRequest(fmt.Sprintf("%s %q is not a time", p.name, raw),
				reporting.FieldError{Field: p.name, Reason: "an RFC 3339 time such as 2026-11-30T08:00:00+07:00"})
		}
		*p.dest = &t
	}
	recs, err := s.ops.AuditLog(r.Context(), caller(r), f)
	if err != nil {
		return err
	}
	items := make([]api.AuditRecord, len(recs))
	for i, a := range recs {
		items[i] = toAuditJSON(a)
	}
	writeJSON(w, http.StatusOK, makePage(items, limit, func(a api.AuditRecord) string { return strconv.FormatInt(a.ID, 10) }))
	return nil
}

func toAuditJSON(a store.AuditRecord) api.AuditRecord {
	details := a.Details
	if details == nil {
		details = map[string]any{}
	}
	return api.AuditRecord{ID: a.ID, At: a.At, ActorID: a.ActorID, Actor: a.Actor, Action: a.Action, Object: a.Object,
		RemoteAddr: a.RemoteAddr, Details: details, Stream: a.Stream, PrevHash: hex.EncodeToString(a.PrevHash),
		Hash: hex.EncodeToString(a.Hash)}
}

// verifyAudit recomputes the audit log's chains.
func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.ops.VerifyAudit(r.Context(), caller(r))
	if err != nil {
		return err
	}
	out := api.AuditVerification{Whole: v.Whole(), Streams: v.Streams, Records: v.Records, Breaks: make([]api.AuditBreak, 0, len(v.Breaks))}
	for _, b := range v.Breaks {
		out.Breaks = append(out.Breaks, api.AuditBreak{Stream: b.Stream, ID: b.ID, Reason: b.Reason})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
