package messages

import "golang.org/x/text/language"

// A Source is one place a request may say its language: see Explicit, Own
// and AcceptLanguage. The zero Source says nothing.
type Source struct {
	lang Lang
	ok   bool
}

// IsLang reports whether s names a language rcm writes exactly: "vi" or
// "en", as stored in users' and agencies' records.
func IsLang(s string) bool { return Lang(s) == Vietnamese || Lang(s) == English }

// Explicit is a language chosen on purpose, as ?lang= or a form's lang
// field give it: exactly "vi" or "en" (IsLang); anything else says nothing.
func Explicit(s string) Source {
	if !IsLang(s) {
		return Source{}
	}
	return Source{lang: Lang(s), ok: true}
}

// Given is a language already chosen (a page's, found before): it says
// itself when it is vi or en.
func Given(l Lang) Source {
	if !IsLang(string(l)) {
		return Source{}
	}
	return Source{lang: l, ok: true}
}

// Own is the language a user or an agency keeps in their record ("vi",
// "en", "en-US"); empty or unknown says nothing.
func Own(s string) Source {
	if s == "" {
		return Source{}
	}
	l, err := Parse(s)
	if err != nil {
		return Source{}
	}
	return Source{lang: l, ok: true}
}

// supported are the languages the matcher chooses from, the default first.
var supported = []language.Tag{language.Vietnamese, language.English}

// matcher matches what a client accepts against supported; it is read only.
var matcher = language.NewMatcher(supported)

// AcceptLanguage is what an Accept-Language header prefers of vi and en,
// by golang.org/x/text/language's matcher: "en-US,en;q=0.9" is English,
// "fr,en;q=0.5" English, "vi-VN" Vietnamese. A header that asks for
// neither ("fr", "*"), excludes both (q=0) or is not well-formed says
// nothing.
func AcceptLanguage(header string) Source {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return Source{}
	}
	_, index, confidence := matcher.Match(tags...)
	if confidence == language.No {
		return Source{}
	}
	return Source{lang: Lang(supported[index].String()), ok: true}
}

// Choose returns the language of the first source that says one, in the
// order given, and false when none does.
func Choose(sources ...Source) (Lang, bool) {
	for _, s := range sources {
		if s.ok {
			return s.lang, true
		}
	}
	return "", false
}

// Negotiate returns the language of the first source that says one, in
// the order given, else Vietnamese. Pages ask Explicit(?lang=) then Own
// (the signed-in user's language); the API's answers to people ask
// Explicit, then AcceptLanguage, then Own.
func Negotiate(sources ...Source) Lang {
	if l, ok := Choose(sources...); ok {
		return l
	}
	return Vietnamese
}
