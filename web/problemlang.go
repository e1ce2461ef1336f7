package web

import (
	"net/http"

	"rcm/api"
	"rcm/messages"
)

// Problems in the reader's language: a client that asks for Vietnamese
// (Accept-Language, or ?lang=vi) gets the title and the detail of a problem
// in Vietnamese, so that a page showing it shows one language; reasons of
// refused figures are already written in the asked language. Without the
// header the API answers in English, as it always has.

// askedLang is the language a request asks for explicitly: ?lang=, else
// the Accept-Language header; false when it asks for neither vi nor en.
func askedLang(r *http.Request) (messages.Lang, bool) {
	if r == nil {
		return "", false
	}
	return messages.Choose(messages.Explicit(r.URL.Query().Get("lang")),
		messages.AcceptLanguage(r.Header.Get("Accept-Language")))
}

// localizeProblem writes p for a reader of lang.
func localizeProblem(lang messages.Lang, p api.Problem) api.Problem {
	if lang != messages.Vietnamese {
		return p
	}
	if key := messages.ProblemTitleKey(p.Status); messages.Has(key) {
		p.Title = messages.Text(lang, key)
	}
	switch {
	case p.Status == http.StatusUnprocessableEntity:
		p.Detail = translate(lang, "problem_422")
	case p.Status == http.StatusUnauthorized && p.Instance == "/api/v1/session":
		p.Detail = translate(lang, "signin_wrong") // a refused sign-in, not an ended session
	default:
		p.Detail = pageMessage(lang, p)
	}
	return p
}
