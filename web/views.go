package web

import (
	"bytes"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"rcm/access"
	"rcm/messages"
	"rcm/reporting"
)

// The pages' templates: one layout, one content template per page.
//
//go:embed views/*.html
var viewFiles embed.FS

// views are the parsed page templates, by page name.
type views struct {
	pages map[string]*template.Template
}

// pageNames are the pages, each views/<name>.html defining "content".
var pageNames = []string{"signin", "error", "home", "agency", "dashboard", "review", "reset", "account", "audit", "launch"}

// mustParseViews parses the embedded templates; they are part of the binary,
// so a template that does not parse is a bug the tests catch.
func mustParseViews() *views {
	funcs := template.FuncMap{
		"t":           translate,
		"status":      func(lang messages.Lang, status any) string { return messages.StatusName(lang, fmt.Sprint(status)) },
		"name":        messages.Name,
		"link":        langLink,
		"when":        FormatTime,
		"hex":         func(b []byte) string { return hex.EncodeToString(b) },
		"day":         func(d reporting.Date) string { return d.Format("vi") },
		"pct":         percentText,
		"figure":      figure,
		"treeRow":     treeRow,
		"exp":         func(lang messages.Lang, link string) exportRef { return exportRef{Lang: lang, Link: link} },
		"depth":       func(path string) int { return strings.Count(path, "/") - 1 },
		"period":      periodShort,
		"otherLang":   otherLangLink,
		"periodTitle": periodTitle,
		"join":        func(codes []string) string { return strings.Join(codes, ", ") },
		"event":       messages.EventName,
		"source":      sourceName,
		"minus":       func(a, b int) int { return a - b },
		"launchInput": newLaunchInput,
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		v.pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(viewFiles, "views/layout.html", "views/parts.html", "views/"+name+".html"))
	}
	return v
}

// FormatTime writes an instant as pages show it: reporting.FormatInstant.
func FormatTime(t time.Time) string { return reporting.FormatInstant(t) }

// exportRef is what the "exports" template needs: the page's language and
// the link to a table's export without its format.
type exportRef struct {
	Lang messages.Lang
	Link string
}

// pageBase is what every page shows: who is signed in, in which language.
type pageBase struct {
	Lang  messages.Lang
	Title string
	User  access.Principal
	// Self is the page's own address when switching language should keep
	// it (the dashboard's drill-down and paging); "" switches on the same
	// path.
	Self string
}

// render writes the page name with data, whose pageBase the caller filled.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := s.views.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render page %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// pageLang is the language of the pages: ?lang=, else the caller's own,
// else Vietnamese (pages do not follow Accept-Language).
func pageLang(r *http.Request) messages.Lang {
	own := ""
	if p, ok := PrincipalFrom(r.Context()); ok {
		own = p.Language
	}
	return messages.Negotiate(messages.Explicit(r.URL.Query().Get("lang")), messages.Own(own))
}

// otherLangLink is the page at self in the other language than lang,
// keeping the rest of its query (the node looked at, the page of a list).
func otherLangLink(self string, lang messages.Lang) string {
	other := string(lang.Other())
	u, err := url.Parse(self)
	if self == "" || err != nil {
		return "?lang=" + other
	}
	q := u.Query()
	q.Set("lang", other)
	return u.Path + "?" + q.Encode()
}

// langLink keeps English on the links of an English page.
func langLink(lang messages.Lang, path string) string {
	if lang != messages.English {
		return path
	}
	if strings.Contains(path, "?") {
		return path + "&lang=en"
	}
	return path + "?lang=en"
}

// translate returns the page text for key in lang, from the catalogue.
func translate(lang messages.Lang, key string) string { return messages.Text(lang, key) }

// sourceName is how a version came in (form, api, csv, xlsx), in lang.
func sourceName(lang messages.Lang, source string) string {
	if messages.Has("source_" + source) {
		return translate(lang, "source_"+source)
	}
	return source
}

// figure writes a value of an indicator as the page's language writes
// figures ("12.000" on a Vietnamese page, "12,000" on an English one); text
// and values that do not read are written as they are.
func figure(lang messages.Lang, ind reporting.Indicator, value string) string {
	if ind.Type == reporting.TypeText || value == "" {
		return value
	}
	shown, err := reporting.FormatNumber(value, messages.Notation(lang))
	if err != nil {
		return value
	}
	return shown
}
