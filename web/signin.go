package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

type signInPage struct {
	pageBase
	Next   string
	Email  string
	Errors *formErrors
}

// safeNext is where to go after signing in: a path of this site, else "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
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
	lang := pageLang(r)
	if l := r.PostFormValue("lang"); l == "vi" || l == "en" {
		lang = l
	}
	data := signInPage{pageBase: pageBase{Lang: lang, Title: translate(lang, "signin")},
		Next: safeNext(r.PostFormValue("next")), Email: strings.TrimSpace(r.PostFormValue("email"))}
	_, err := s.startSession(w, r, data.Email, r.PostFormValue("password"))
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
	case len(p.Errors) > 0:
		for _, f := range p.Errors {
			if f.Field == "email" || f.Field == "password" {
				data.Errors.add(f.Field, translate(lang, f.Field), translate(lang, "required"))
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
