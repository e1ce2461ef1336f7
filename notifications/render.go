package notifications

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"rcm/messages"
	"rcm/reporting"
	"strings"
	texttemplate "text/template"
	"time"
)

// templateFS holds the message templates: for each language and kind a
// <kind>.txt (defines "subject" and "text", parsed with text/template) and a
// <kind>.html (defines "heading" and "content", parsed with html/template and
// placed in the shared layout.html). common.txt and common.html hold the
// parts every kind of a language shares.
//
//go:embed templates
var templateFS embed.FS

// Rendered is a message ready to send: one subject line and two bodies.
type Rendered struct {
	Subject string // one line, without line breaks
	Text    string // the plain-text part
	HTML    string // the HTML part, user text escaped
}

// Envelope addresses the rendered message. messageID must stay the same
// when the same notification is sent again (see Envelope.MessageID).
func (r Rendered) Envelope(messageID string, to, cc []string) Envelope {
	return Envelope{MessageID: messageID, To: to, Cc: cc, Subject: r.Subject, Text: r.Text, HTML: r.HTML}
}

// Renderer writes messages from the embedded templates. It is safe for
// concurrent use.
type Renderer struct {
	sets map[setKey]templateSet
}

type setKey struct {
	kind reporting.Event
	lang messages.Lang
}

type templateSet struct {
	text *texttemplate.Template // "subject" and "text"
	html *htmltemplate.Template // the layout, with "heading" and "content"
}

// NewRenderer parses every template once. It fails if a kind lacks a
// template in a language, or a template does not parse.
func NewRenderer() (*Renderer, error) {
	r := &Renderer{sets: make(map[setKey]templateSet)}
	for _, lang := range messages.Langs() {
		for _, kind := range reporting.MessageEvents() {
			set, err := parseSet(kind, lang)
			if err != nil {
				return nil, err
			}
			r.sets[setKey{kind, lang}] = set
		}
	}
	return r, nil
}

func parseSet(kind reporting.Event, lang messages.Lang) (templateSet, error) {
	dir := "templates/" + string(lang) + "/"
	text, err := texttemplate.New(string(kind)).
		Option("missingkey=error").
		Funcs(texttemplate.FuncMap(templateFuncs())).
		ParseFS(templateFS, dir+"common.txt", dir+string(kind)+".txt")
	if err != nil {
		return templateSet{}, fmt.Errorf("parse %s (%s) text templates: %w", kind, lang, err)
	}
	html, err := htmltemplate.New("layout.html").
		Option("missingkey=error").
		Funcs(htmltemplate.FuncMap(templateFuncs())).
		ParseFS(templateFS, "templates/layout.html", dir+"common.html", dir+string(kind)+".html")
	if err != nil {
		return templateSet{}, fmt.Errorf("parse %s (%s) html templates: %w", kind, lang, err)
	}
	for _, name := range []string{"subject", "text"} {
		if text.Lookup(name) == nil {
			return templateSet{}, fmt.Errorf("parse %s (%s): %s%s.txt does not define %q", kind, lang, dir, kind, name)
		}
	}
	for _, name := range []string{"heading", "content"} {
		if html.Lookup(name) == nil {
			return templateSet{}, fmt.Errorf("parse %s (%s): %s%s.html does not define %q", kind, lang, dir, kind, name)
		}
	}
	return templateSet{text: text, html: html}, nil
}

// Render writes the message of the given kind in lang ("" means Vietnamese)
// from d. A field the kind requires but d leaves empty gives a
// *MissingFieldError naming it: no message goes out with a blank.
func (r *Renderer) Render(kind reporting.Event, lang messages.Lang, d Data) (Rendered, error) {
	if lang == "" {
		lang = messages.Vietnamese
	}
	set, ok := r.sets[setKey{kind, lang}]
	if !ok {
		if _, err := reporting.ParseMessageEvent(string(kind)); err != nil {
			return Rendered{}, fmt.Errorf("render (%s): %w", lang, err)
		}
		return Rendered{}, fmt.Errorf("render %s (%q): unknown language; use vi or en", kind, lang)
	}
	if err := checkRequired(kind, lang, d); err != nil {
		return Rendered{}, err
	}
	v := view{Data: oneLineFields(d), Kind: kind, Lang: lang}

	var buf bytes.Buffer
	if err := set.text.ExecuteTemplate(&buf, "subject", v); err != nil {
		return Rendered{}, fmt.Errorf("render %s (%s) subject: %w", kind, lang, err)
	}
	subject := strings.Join(strings.Fields(buf.String()), " ")
	if subject == "" {
		return Rendered{}, fmt.Errorf("render %s (%s) subject: template wrote an empty subject", kind, lang)
	}
	v.Subject = subject

	buf.Reset()
	if err := set.text.ExecuteTemplate(&buf, "text", v); err != nil {
		return Rendered{}, fmt.Errorf("render %s (%s) text part: %w", kind, lang, err)
	}
	text := tidyText(buf.String())

	buf.Reset()
	if err := set.html.Execute(&buf, v); err != nil {
		return Rendered{}, fmt.Errorf("render %s (%s) html part: %w", kind, lang, err)
	}
	return Rendered{Subject: subject, Text: text, HTML: buf.String()}, nil
}

// oneLineFields collapses runs of white space (line breaks included) in the
// fields that are names, labels or links, so none of them can break a line
// of the message. Reasons keep their lines.
func oneLineFields(d Data) Data {
	for _, f := range []*string{&d.AgencyCode, &d.AgencyName, &d.RegimeName, &d.PeriodLabel, &d.ReceiptNumber, &d.SubmissionLink, &d.DashboardLink} {
		*f = strings.Join(strings.Fields(*f), " ")
	}
	return d
}

// tidyText trims trailing spaces, keeps at most one blank line in a row
// (optional sections leave gaps) and ends the text with one line break.
func tidyText(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	blank := true // drops leading blank lines
	for _, line := range lines {
		if line != "-- " { // the signature separator keeps its space
			line = strings.TrimRight(line, " \t")
		}
		if line == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, line)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

// templateFuncs builds values for the shared HTML partials; they know no
// language, so both engines and both languages share them.
func templateFuncs() map[string]any {
	return map[string]any{
		"row":  func(label, value string) detailRow { return detailRow{Label: label, Value: value} },
		"rows": func(rs ...detailRow) []detailRow { return rs },
		"link": func(label, url string) actionLink { return actionLink{Label: label, URL: url} },
	}
}

// detailRow is one line of the details table of the HTML part.
type detailRow struct{ Label, Value string }

// actionLink is the button of the HTML part.
type actionLink struct{ Label, URL string }

// maxListed is how many names a list of agencies shows before "and N more".
const maxListed = 30

// nameList is a list of agency names cut to maxListed.
type nameList struct {
	Shown []string
	More  string // how many more, formatted; "" when all are shown
}

// view is what the templates see: the data, with formatting methods that
// know the message's language and time zone.
type view struct {
	Data
	Kind    reporting.Event
	Lang    messages.Lang
	Subject string // set before the bodies are written
}

// Time shows an instant as "15/10/2026 14:30" in the data's time zone.
func (v view) Time(t time.Time) string {
	return t.In(v.Location).Format(messages.DateTimeLayout)
}

// Date shows the calendar day of an instant, "15/10/2026".
func (v view) Date(t time.Time) string {
	return t.In(v.Location).Format(messages.DateLayout)
}

// Deadline shows a deadline: one at midnight is the end of the day before
// ("hết ngày 15/10/2026", "end of 15/10/2026"), any other one its time.
func (v view) Deadline(t time.Time) string { return messages.Deadline(v.Lang, t, v.Location) }

// DeadlineShort shows a deadline compactly for subjects: "15/10/2026" when
// it falls at the end of that day, "15/10/2026 14:30" otherwise.
func (v view) DeadlineShort(t time.Time) string {
	if day, ok := messages.DayEndingAt(t, v.Location); ok {
		return day
	}
	return v.Time(t)
}

// Number shows an integer with the language's thousands separator
// ("10.000" in Vietnamese, "10,000" in English).
func (v view) Number(n int) string { return messages.Integer(v.Lang, n) }

// Percent shows a percentage with one decimal ("87,5%", "87.5%").
func (v view) Percent(f float64) string { return messages.Percent(v.Lang, f) }

// Indent prefixes every line of user text with four spaces, so a quoted
// reason stands apart in the plain-text part.
func (v view) Indent(s string) string {
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")), "\n")
	for i, line := range lines {
		lines[i] = "    " + strings.TrimRight(line, " \t")
	}
	return strings.Join(lines, "\n")
}

// Names cuts a list of agency names to what a message shows.
func (v view) Names(names []string) nameList {
	if len(names) <= maxListed {
		return nameList{Shown: names}
	}
	return nameList{Shown: names[:maxListed], More: v.Number(len(names) - maxListed)}
}
