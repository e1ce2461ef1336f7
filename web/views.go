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
var pageNames = []string{"signin", "error", "home", "agency", "dashboard", "review", "reset", "account", "audit"}

// mustParseViews parses the embedded templates; they are part of the binary,
// so a template that does not parse is a bug the tests catch.
func mustParseViews() *views {
	funcs := template.FuncMap{
		"t":           translate,
		"status":      func(lang string, status any) string { return StatusName(lang, fmt.Sprint(status)) },
		"name":        localName,
		"link":        langLink,
		"when":        FormatTime,
		"hex":         func(b []byte) string { return hex.EncodeToString(b) },
		"day":         func(d reporting.Date) string { return d.Format("vi") },
		"pct":         percentText,
		"figure":      figure,
		"treeRow":     treeRow,
		"exp":         func(lang, link string) exportRef { return exportRef{Lang: lang, Link: link} },
		"depth":       func(path string) int { return strings.Count(path, "/") - 1 },
		"period":      periodShort,
		"otherLang":   otherLangLink,
		"periodTitle": periodTitle,
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
	Lang string
	Link string
}

// pageBase is what every page shows: who is signed in, in which language.
type pageBase struct {
	Lang  string
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
// else Vietnamese.
func pageLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		return l
	}
	if p, ok := PrincipalFrom(r.Context()); ok && p.Language == "en" {
		return "en"
	}
	return "vi"
}

// otherLangLink is the page at self in the other language than lang,
// keeping the rest of its query (the node looked at, the page of a list).
func otherLangLink(self, lang string) string {
	other := "en"
	if lang == "en" {
		other = "vi"
	}
	u, err := url.Parse(self)
	if self == "" || err != nil {
		return "?lang=" + other
	}
	q := u.Query()
	q.Set("lang", other)
	return u.Path + "?" + q.Encode()
}

// langLink keeps English on the links of an English page.
func langLink(lang, path string) string {
	if lang != "en" {
		return path
	}
	if strings.Contains(path, "?") {
		return path + "&lang=en"
	}
	return path + "?lang=en"
}

// statusNames are the names people read for the statuses of obligations
// and cycles; review decisions (accepted, returned) share the obligation's.
var statusNames = map[string][2]string{
	// Obligations while the cycle runs.
	string(reporting.ObligationPending):     {"chưa nộp", "not submitted"},
	string(reporting.ObligationNotified):    {"đã thông báo", "notified"},
	string(reporting.ObligationSubmitted):   {"đã nộp", "submitted"},
	string(reporting.ObligationUnderReview): {"đang xem xét", "under review"},
	string(reporting.ObligationReturned):    {"bị trả lại", "returned"},
	string(reporting.ObligationAccepted):    {"đã chấp nhận", "accepted"},
	string(reporting.ObligationOverdue):     {"quá hạn", "overdue"},
	// Final states.
	string(reporting.ObligationOnTime):      {"đúng hạn", "on time"},
	string(reporting.ObligationLate):        {"trễ hạn", "late"},
	string(reporting.ObligationMissing):     {"thiếu", "missing"},
	string(reporting.ObligationNotAccepted): {"không được chấp nhận", "not accepted"},
	string(reporting.ObligationNotReviewed): {"đã nộp, chưa được xem xét", "submitted, not reviewed"},
	string(reporting.ObligationNilReport):   {"không có số liệu để báo cáo", "nothing to report"},
	// Live states that are not obligation statuses.
	string(reporting.LiveNotYetDue):      {"chưa đến hạn", "not yet due"},
	string(reporting.LiveAwaitingReview): {"chờ xem xét", "awaiting review"},
	// Cycles.
	string(reporting.CycleLaunching): {"đang khởi tạo", "launching"},
	string(reporting.CycleOpen):      {"đang mở", "open"},
	string(reporting.CycleClosing):   {"đang đóng", "closing"},
	string(reporting.CycleClosed):    {"đã đóng", "closed"},
	string(reporting.CycleCancelled): {"đã hủy", "cancelled"},
}

// StatusName is the name people read for an obligation, cycle or review
// status code ("late" → "trễ hạn" in Vietnamese, "late" in English); an
// unknown code is returned as it is.
func StatusName(lang, status string) string {
	names, ok := statusNames[status]
	if !ok {
		return status
	}
	if lang == "en" {
		return names[1]
	}
	return names[0]
}

// translate returns the page text for key in lang, from the catalogue.
func translate(lang, key string) string { return messages.Text(messages.Of(lang), key) }

// figure writes a value of an indicator as the page's language writes
// figures ("12.000" on a Vietnamese page, "12,000" on an English one); text
// and values that do not read are written as they are.
func figure(lang string, ind reporting.Indicator, value string) string {
	if ind.Type == reporting.TypeText || value == "" {
		return value
	}
	shown, err := reporting.FormatNumber(value, reporting.NotationFor(lang))
	if err != nil {
		return value
	}
	return shown
}
