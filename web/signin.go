package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"rcm/api"
	"rcm/messages"
)

type signInPage struct {
	pageBase
	Next   string
	Email  string
	Errors *formErrors
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) error {
	lang := pageLang(r)
	return s.render(w, http.StatusOK, "signin", signInPage{pageBase: pageBase{Lang: lang, Title: translate(lang, "signin")},
		Next: safeNext(r.URL.Query().Get("next"))})
}

// signInForm is the sign-in page's POST: it opens a session as the API's
// sign-in does, sets the cookie and sends the person where they were going;
// a refusal shows the page again, in its language, with the fields marked.
func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return errBadRequest(fmt.Sprintf("cannot read the form: %v", err))
	}
	lang := messages.Negotiate(messages.Explicit(r.PostFormValue("lang")), messages.Given(pageLang(r)))
	data := signInPage{pageBase: pageBase{Lang: lang, Title: translate(lang, "signin")},
		Next: safeNext(r.PostFormValue("next"))}
	err := checkForm(r)
	if err == nil {
		data.Email = strings.TrimSpace(r.PostFormValue("email"))
		_, err = s.startSession(w, r, data.Email, r.PostFormValue("password"))
	}
	if err == nil {
		http.Redirect(w, r, data.Next, http.StatusSeeOther)
		return nil
	}
	p := toProblem(err)
	if p.Status >= 500 {
		return err
	}
	data.Errors = &formErrors{Title: translate(lang, "signin_refused")}
	switch {
	case p.Status == http.StatusUnauthorized:
		data.Errors.add("email", translate(lang, "email"), translate(lang, "signin_wrong"))
		data.Errors.add("password", translate(lang, "password"), translate(lang, "signin_wrong_password"))
	case p.Status == http.StatusTooManyRequests:
		// The same back-off as the API's: say when to try again, in the
		// page's language, and send Retry-After as the API does.
		w.Header().Set("Retry-After", strconv.FormatInt(p.retryAfter, 10))
		data.Errors.add("", "", fmt.Sprintf(translate(lang, "signin_throttled"), p.retryAfter))
	case len(p.Errors) > 0:
		for _, f := range p.Errors {
			if f.Field == "email" || f.Field == "password" {
				data.Errors.add(f.Field, translate(lang, f.Field), signInFieldMessage(lang, f))
			} else {
				data.Errors.add("", "", problemLine(lang, f))
			}
		}
	default:
		data.Errors.add("", "", pageMessage(lang, p.Problem))
	}
	return s.render(w, p.Status, "signin", data)
}

// signOutForm is the sign-out button's POST: it ends the session and shows
// the sign-in page.
func (s *Server) signOutForm(w http.ResponseWriter, r *http.Request) error {
	lang := pageLang(r)
	if err := s.endSession(w, r); err != nil {
		return err
	}
	http.Redirect(w, r, langLink(lang, "/signin"), http.StatusSeeOther)
	return nil
}

// signInFieldMessage says, in the page's language, what is wrong with the
// e-mail address or password typed: missing, too long, or no text.
func signInFieldMessage(lang messages.Lang, f api.FieldProblem) string {
	switch {
	case f.Reason == "required":
		return translate(lang, "required")
	case strings.HasPrefix(f.Reason, "at most"):
		limit := maxEmailBytes
		if f.Field == "password" {
			limit = maxPasswordBytes
		}
		return fmt.Sprintf(translate(lang, "too_long"), limit)
	}
	return translate(lang, "not_text")
}
