package web

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

// accountPages are the pages of account control: setting a new password
// from a mailed link, one's own account (password, sessions), and the
// audit log for office staff.
func (s *Server) accountPages() []Route {
	return []Route{
		{Method: "GET", Path: "/reset-password", Op: public, Handle: s.resetPasswordPage},
		{Method: "POST", Path: "/reset-password", Op: public, Handle: s.resetPasswordForm},
		{Method: "GET", Path: "/account", Op: operations.OpListSessions, Handle: s.accountPage},
		{Method: "POST", Path: "/account/password", Op: operations.OpChangePassword, Handle: s.accountPasswordForm},
		{Method: "GET", Path: "/audit", Op: operations.OpReadAudit, Handle: s.auditPage},
	}
}

// readForm parses a page's form and checks its text.
func readForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return errBadRequest(fmt.Sprintf("cannot read the form: %v", err))
	}
	return checkForm(r)
}

type resetPasswordPage struct {
	pageBase
	Token  string
	Done   bool
	Errors []string
}

func (s *Server) resetPasswordPage(w http.ResponseWriter, r *http.Request) error {
	lang := pageLang(r)
	return s.render(w, http.StatusOK, "reset", resetPasswordPage{pageBase: pageBase{Lang: lang, Title: translate(lang, "new_password")},
		Token: r.URL.Query().Get("token")})
}

// resetPasswordForm sets a new password with the link's secret; the two
// entries must match.
func (s *Server) resetPasswordForm(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(r); err != nil {
		return err
	}
	lang := pageLang(r)
	data := resetPasswordPage{pageBase: pageBase{Lang: lang, Title: translate(lang, "new_password")}, Token: r.PostFormValue("token")}
	password := r.PostFormValue("new_password")
	var err error
	if password != r.PostFormValue("confirm_password") {
		err = errValidation("the two passwords differ", reporting.FieldError{Field: "confirm_password", Reason: translate(lang, "passwords_differ")})
	} else if err = checkPasswordLengths(map[string]string{"token": data.Token, "new_password": password}); err == nil {
		_, err = s.ops.UsePasswordReset(r.Context(), caller(r), data.Token, password)
	}
	if err != nil {
		if data.Errors = userMessages(lang, err); data.Errors == nil {
			return err
		}
		return s.render(w, toProblem(err).Status, "reset", data)
	}
	data.Done = true
	return s.render(w, http.StatusOK, "reset", data)
}

type accountPage struct {
	pageBase
	Sessions []store.Session
	Changed  bool
	Errors   []string
}

func (s *Server) accountPageData(r *http.Request) (accountPage, error) {
	lang := pageLang(r)
	p := principal(r)
	sessions, err := s.ops.ListSessions(r.Context(), caller(r), p.UserID)
	return accountPage{pageBase: pageBase{Lang: lang, Title: translate(lang, "account"), User: p}, Sessions: sessions}, err
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	data, err := s.accountPageData(r)
	if err != nil {
		return err
	}
	data.Changed = r.URL.Query().Get("changed") == "1"
	return s.render(w, http.StatusOK, "account", data)
}

// accountPasswordForm changes the caller's own password; the session used
// stays, the others end.
func (s *Server) accountPasswordForm(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(r); err != nil {
		return err
	}
	data, err := s.accountPageData(r)
	if err != nil {
		return err
	}
	current, next := r.PostFormValue("current_password"), r.PostFormValue("new_password")
	if next != r.PostFormValue("confirm_password") {
		err = errValidation("the two passwords differ", reporting.FieldError{Field: "confirm_password", Reason: translate(data.Lang, "passwords_differ")})
	} else if err = checkPasswordLengths(map[string]string{"current_password": current, "new_password": next}); err == nil {
		keep := ""
		if c, cerr := r.Cookie(SessionCookie); cerr == nil && r.Header.Get("Authorization") == "" {
			keep = c.Value
		}
		err = s.ops.ChangePassword(r.Context(), caller(r), current, next, keep)
	}
	if err != nil {
		if data.Errors = userMessages(data.Lang, err); data.Errors == nil {
			return err
		}
		return s.render(w, toProblem(err).Status, "account", data)
	}
	http.Redirect(w, r, langLink(data.Lang, "/account?changed=1"), http.StatusSeeOther)
	return nil
}

type auditRow struct {
	store.AuditRecord
	Hash string
}

type auditPage struct {
	pageBase
	Actor, Action, Object, Since, Until string
	Records                             []auditRow
	Verified                            *store.AuditVerification
	Next                                string
	Errors                              []string
}

// auditPage lists the audit log for office staff, filtered by actor,
// action, object and days (dd/mm/yyyy, Asia/Ho_Chi_Minh), 100 a page; with
// ?verify=1 it checks the chain first.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	lang := pageLang(r)
	q := r.URL.Query()
	data := auditPage{pageBase: pageBase{Lang: lang, Title: translate(lang, "audit_log"), User: principal(r)},
		Actor: q.Get("actor"), Action: q.Get("action"), Object: q.Get("object"), Since: q.Get("since"), Until: q.Get("until")}
	f := store.AuditFilter{Actor: data.Actor, Action: data.Action, Object: data.Object, Limit: defaultPageSize + 1}
	loc, err := reporting.DefaultLocation()
	if err != nil {
		return err
	}
	for _, d := range []struct {
		field, raw string
		dest       **time.Time
		days       int
	}{{"since", data.Since, &f.Since, 0}, {"until", data.Until, &f.Until, 1}} {
		if d.raw == "" {
			continue
		}
		day, err := time.ParseInLocation("02/01/2006", d.raw, loc)
		if err != nil {
			return errBadRequest(fmt.Sprintf("%s %q is not a day", d.field, d.raw), reporting.FieldError{Field: d.field, Reason: "a day dd/mm/yyyy"})
		}
		day = day.AddDate(0, 0, d.days)
		*d.dest = &day
	}
	if raw := q.Get("after"); raw != "" {
		if _, err := fmt.Sscan(raw, &f.After); err != nil || f.After < 0 {
			return errBadRequest(fmt.Sprintf("after %q is not a cursor this list gave", raw), reporting.FieldError{Field: "after", Reason: "an audit record id"})
		}
	}
	if q.Get("verify") == "1" {
		v, err := s.ops.VerifyAudit(r.Context(), caller(r))
		if err != nil {
			return err
		}
		data.Verified = &v
	}
	recs, err := s.ops.AuditLog(r.Context(), caller(r), f)
	if err != nil {
		if data.Errors = userMessages(lang, err); data.Errors == nil {
			return err
		}
		return s.render(w, toProblem(err).Status, "audit", data)
	}
	if len(recs) > defaultPageSize {
		recs = recs[:defaultPageSize]
		next := q
		next.Set("after", fmt.Sprint(recs[len(recs)-1].ID))
		next.Del("verify")
		data.Next = "/audit?" + next.Encode()
	}
	for _, rec := range recs {
		data.Records = append(data.Records, auditRow{AuditRecord: rec, Hash: hex.EncodeToString(rec.Hash)[:12]})
	}
	return s.render(w, http.StatusOK, "audit", data)
}
