package notifications_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/messages"
	"rcm/notifications"
	"rcm/reporting"
)

func newRenderer(t *testing.T) *notifications.Renderer {
	t.Helper()
	r, err := notifications.NewRenderer()
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	return r
}

func hanoi(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatalf("load Asia/Ho_Chi_Minh: %v", err)
	}
	return loc
}

func TestRenderEveryKindInBothLanguages(t *testing.T) {
	r := newRenderer(t)
	for _, lang := range messages.Langs() {
		for _, kind := range reporting.MessageEvents() {
			t.Run(fmt.Sprintf("%s/%s", kind, lang), func(t *testing.T) {
				d := notifications.DemoData(kind, lang)
				out, err := r.Render(kind, lang, d)
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				if !strings.HasPrefix(out.Subject, "[rcm] ") {
					t.Errorf("subject %q does not start with [rcm]", out.Subject)
				}
				for _, want := range []string{d.PeriodLabel, d.AgencyName} {
					if !strings.Contains(out.Subject, want) {
						t.Errorf("subject %q lacks %q", out.Subject, want)
					}
				}
				if strings.ContainsAny(out.Subject, "\r\n") {
					t.Errorf("subject %q has a line break", out.Subject)
				}
				link := d.SubmissionLink
				if contains(notifications.RequiredFields(kind), "DashboardLink") {
					link = d.DashboardLink
				}
				for part, body := range map[string]string{"text": out.Text, "html": out.HTML} {
					for _, want := range []string{d.AgencyName, d.PeriodLabel, link} {
						if !strings.Contains(body, want) {
							t.Errorf("%s part lacks %q", part, want)
						}
					}
					for _, bad := range []string{"<no value>", "ZgotmplZ", "{{", "%!"} {
						if strings.Contains(body, bad) {
							t.Errorf("%s part contains %q", part, bad)
						}
					}
				}
				if !strings.Contains(out.HTML, `<html lang="`+string(lang)+`">`) {
					t.Errorf("html part does not declare lang=%q", lang)
				}
				if !strings.Contains(out.HTML, `href="`+link+`"`) {
					t.Errorf("html part has no link to %s", link)
				}
				if !strings.HasSuffix(out.Text, "\n") || strings.Contains(out.Text, "\n\n\n") {
					t.Errorf("text part is not tidy:\n%s", out.Text)
				}
			})
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestRenderVietnameseDeadlineNoticeSubject(t *testing.T) {
	out, err := newRenderer(t).Render(reporting.EventDeadlineNotice, messages.Vietnamese,
		notifications.DemoData(reporting.EventDeadlineNotice, messages.Vietnamese))
	if err != nil {
		t.Fatal(err)
	}
	want := "[rcm] Thông báo hạn nộp báo cáo tháng 10/2026 (Tỉnh Lào Cai) — Hạn: 15/10/2026"
	if out.Subject != want {
		t.Errorf("subject = %q\nwant      %q", out.Subject, want)
	}
}

// Times are given in UTC; the messages must show them in Asia/Ho_Chi_Minh,
// where the calendar day differs.
func TestRenderShowsTimesInTheDataLocation(t *testing.T) {
	r := newRenderer(t)
	utc := func(day, hour, minute int) time.Time {
		return time.Date(2026, time.October, day, hour, minute, 0, 0, time.UTC)
	}
	for _, tc := range []struct {
		lang     messages.Lang
		kind     reporting.Event
		edit     func(*notifications.Data)
		want     []string
		wantNot  []string
		subjects []string
	}{
		{
			// 14/10 23:30 UTC is 15/10 06:30 in Hanoi.
			lang: messages.Vietnamese, kind: reporting.EventReceipt,
			edit:    func(d *notifications.Data) { d.SubmittedAt = utc(14, 23, 30) },
			want:    []string{"Thời điểm nộp: 15/10/2026 06:30"},
			wantNot: []string{"14/10/2026", "23:30"},
		},
		{
			lang: messages.English, kind: reporting.EventReceipt,
			edit:    func(d *notifications.Data) { d.SubmittedAt = utc(14, 23, 30) },
			want:    []string{"Submitted at: 15/10/2026 06:30"},
			wantNot: []string{"14/10/2026", "23:30"},
		},
		{
			// Due 15/10 17:00 UTC is 16/10 00:00 in Hanoi: the end of 15/10.
			lang: messages.Vietnamese, kind: reporting.EventReminder,
			edit:     func(d *notifications.Data) { d.Due = utc(15, 17, 0) },
			want:     []string{"Hạn nộp báo cáo: hết ngày 15/10/2026"},
			wantNot:  []string{"16/10/2026", "17:00"},
			subjects: []string{"Hạn: 15/10/2026"},
		},
		{
			lang: messages.English, kind: reporting.EventReminder,
			edit:     func(d *notifications.Data) { d.Due = utc(15, 17, 0) },
			want:     []string{"Report due: end of 15/10/2026"},
			wantNot:  []string{"16/10/2026", "17:00"},
			subjects: []string{"due 15/10/2026"},
		},
		{
			// A deadline that is not a midnight (a demo timeline) shows its time:
			// 15/10 22:05 UTC is 16/10 05:05 in Hanoi.
			lang: messages.Vietnamese, kind: reporting.EventReminder,
			edit:     func(d *notifications.Data) { d.Due = utc(15, 22, 5) },
			want:     []string{"Hạn nộp báo cáo: 16/10/2026 05:05"},
			wantNot:  []string{"hết ngày", "22:05"},
			subjects: []string{"Hạn: 16/10/2026 05:05"},
		},
	} {
		t.Run(fmt.Sprintf("%s/%s", tc.kind, tc.lang), func(t *testing.T) {
			d := notifications.DemoData(tc.kind, tc.lang)
			d.Location = hanoi(t)
			tc.edit(&d)
			out, err := r.Render(tc.kind, tc.lang, d)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.Text, w) {
					t.Errorf("text part lacks %q:\n%s", w, out.Text)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(out.Text, w) || strings.Contains(out.HTML, w) {
					t.Errorf("message shows %q", w)
				}
			}
			for _, w := range tc.subjects {
				if !strings.Contains(out.Subject, w) {
					t.Errorf("subject %q lacks %q", out.Subject, w)
				}
			}
		})
	}
}

func TestRenderEscapesUserTextInHTMLOnly(t *testing.T) {
	r := newRenderer(t)
	const evil = `Số liệu <script>alert("x")</script> & <b>sai</b>`
	for _, tc := range []struct {
		kind reporting.Event
		set  func(*notifications.Data)
	}{
		{reporting.EventReturned, func(d *notifications.Data) { d.Reason = evil }},
		{reporting.EventDeadlineExtended, func(d *notifications.Data) { d.ExtensionReason = evil }},
		{reporting.EventReminder, func(d *notifications.Data) { d.AgencyName = evil }},
	} {
		for _, lang := range messages.Langs() {
			d := notifications.DemoData(tc.kind, lang)
			tc.set(&d)
			out, err := r.Render(tc.kind, lang, d)
			if err != nil {
				t.Fatalf("%s/%s: %v", tc.kind, lang, err)
			}
			if strings.Contains(out.HTML, "<script>") || strings.Contains(out.HTML, "<b>sai") {
				t.Errorf("%s/%s: html part carries the markup unescaped", tc.kind, lang)
			}
			if !strings.Contains(out.HTML, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;sai&lt;/b&gt;") {
				t.Errorf("%s/%s: html part lacks the escaped text", tc.kind, lang)
			}
			if !strings.Contains(out.Text, evil) {
				t.Errorf("%s/%s: text part does not show the text as written", tc.kind, lang)
			}
		}
	}
}

func TestRenderSubjectIsOneLine(t *testing.T) {
	d := notifications.DemoData(reporting.EventReceipt, messages.Vietnamese)
	d.AgencyName = "Tỉnh\r\nLào  Cai\n"
	d.ReceiptNumber = "A\nB"
	out, err := newRenderer(t).Render(reporting.EventReceipt, messages.Vietnamese, d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.Subject, "\r\n") || !strings.Contains(out.Subject, "(Tỉnh Lào Cai)") {
		t.Errorf("subject = %q", out.Subject)
	}
}

func TestRenderRequiresEveryDeclaredField(t *testing.T) {
	r := newRenderer(t)
	for _, lang := range messages.Langs() {
		for _, kind := range reporting.MessageEvents() {
			fields := notifications.RequiredFields(kind)
			if len(fields) < 5 {
				t.Errorf("%s requires only %v", kind, fields)
			}
			for _, field := range fields {
				d := notifications.DemoData(kind, lang)
				for _, name := range strings.Split(field, "|") { // "A|B": one of them is required
					f := reflect.ValueOf(&d).Elem().FieldByName(name)
					if !f.IsValid() {
						t.Fatalf("%s requires %s, which Data does not have", kind, name)
					}
					f.Set(reflect.Zero(f.Type()))
				}
				_, err := r.Render(kind, lang, d)
				var missing *notifications.MissingFieldError
				if !errors.As(err, &missing) || missing.Field != field || missing.Kind != kind || missing.Lang != lang {
					t.Errorf("%s/%s without %s: err = %v", kind, lang, field, err)
				}
				if !notifications.IsPermanent(err) {
					t.Errorf("%s/%s without %s: IsPermanent = false", kind, lang, field)
				}
			}
		}
	}
}

// TestRenderChasesReturnedReports: a reminder, overdue notice and
// escalation about a returned version say it was returned and quote the
// reviewer's reason, in both languages; the digest counts missing and
// returned agencies apart and renders with either list alone.
func TestRenderChasesReturnedReports(t *testing.T) {
	r := newRenderer(t)
	says := map[messages.Lang][]string{
		messages.Vietnamese: {"bị trả lại", "phiên bản 2"},
		messages.English:    {"returned", "version 2"},
	}
	for _, lang := range messages.Langs() {
		for _, kind := range []reporting.Event{reporting.EventReminder, reporting.EventOverdue, reporting.EventEscalation} {
			d := notifications.DemoData(kind, lang)
			plain, err := r.Render(kind, lang, d)
			require.NoError(t, err)
			for _, word := range says[lang][:1] {
				assert.NotContains(t, plain.Text, word, "%s/%s: not returned, not said so", kind, lang)
			}
			d.Reason = "Số liệu xuất khẩu chưa khớp với Cục Hải quan"
			d.Version = 2
			out, err := r.Render(kind, lang, d)
			require.NoError(t, err)
			for _, want := range says[lang] {
				assert.Contains(t, out.Text, want, "%s/%s text", kind, lang)
				assert.Contains(t, out.HTML, want, "%s/%s html", kind, lang)
			}
			assert.Contains(t, out.Text, d.Reason, "%s/%s quotes the reason", kind, lang)
			assert.Contains(t, out.HTML, d.Reason, "%s/%s quotes the reason", kind, lang)
		}
		d := notifications.DemoData(reporting.EventEscalationDigest, lang)
		d.ReturnedAgencies = []string{"Tỉnh Sơn La", "Tỉnh Điện Biên"}
		out, err := r.Render(reporting.EventEscalationDigest, lang, d)
		require.NoError(t, err)
		want := map[messages.Lang]string{messages.Vietnamese: "3 chưa nộp, 2 bị trả lại chờ nộp lại",
			messages.English: "3 missing, 2 returned awaiting resubmission"}[lang]
		assert.Contains(t, out.Subject, want)
		assert.Contains(t, out.Text, "Tỉnh Điện Biên")
		d.OverdueAgencies = nil
		out, err = r.Render(reporting.EventEscalationDigest, lang, d)
		require.NoError(t, err, "returned agencies alone make a digest")
		assert.Contains(t, out.Text, "Tỉnh Sơn La")
	}
}

func TestRenderMissingFieldMessage(t *testing.T) {
	d := notifications.DemoData(reporting.EventReturned, messages.Vietnamese)
	d.Reason = "  \n "
	_, err := newRenderer(t).Render(reporting.EventReturned, messages.Vietnamese, d)
	if err == nil || err.Error() != "render returned (vi): field Reason is required" {
		t.Errorf("err = %v", err)
	}
}

func TestRenderRejectsUnknownKindAndLanguage(t *testing.T) {
	r := newRenderer(t)
	d := notifications.DemoData(reporting.EventReminder, messages.Vietnamese)
	if _, err := r.Render("weekly_digest", messages.Vietnamese, d); err == nil || !strings.Contains(err.Error(), "deadline_notice") {
		t.Errorf("unknown kind: err = %v (want the list of kinds)", err)
	}
	if _, err := r.Render(reporting.EventReminder, "fr", d); err == nil {
		t.Error("unknown language: no error")
	}
	if out, err := r.Render(reporting.EventReminder, "", d); err != nil || !strings.Contains(out.Subject, "Nhắc nộp") {
		t.Errorf("empty language: %q, %v; want Vietnamese", out.Subject, err)
	}
}

func TestRenderNumbersAndLongLists(t *testing.T) {
	r := newRenderer(t)
	names := make([]string, 45)
	for i := range names {
		names[i] = fmt.Sprintf("Đơn vị %02d", i+1)
	}
	for _, tc := range []struct {
		lang              messages.Lang
		expected, percent string
		more              string
	}{
		{messages.Vietnamese, "10.000", "87,5%", "… và 15 đơn vị khác"},
		{messages.English, "10,000", "87.5%", "… and 15 more"},
	} {
		d := notifications.DemoData(reporting.EventCycleSummary, tc.lang)
		d.Summary.Expected = 10000
		d.Summary.ReportingRate = 87.5
		d.Summary.MissingAgencies = names
		out, err := r.Render(reporting.EventCycleSummary, tc.lang, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{tc.expected, tc.percent, tc.more, "Đơn vị 30"} {
			if !strings.Contains(out.Text, want) || !strings.Contains(out.HTML, want) {
				t.Errorf("%s: message lacks %q", tc.lang, want)
			}
		}
		if strings.Contains(out.Text, "Đơn vị 31") {
			t.Errorf("%s: the list is not cut after 30 names", tc.lang)
		}
		if !strings.Contains(out.Subject, tc.percent) {
			t.Errorf("%s: subject %q lacks the reporting rate", tc.lang, out.Subject)
		}
	}
}

func TestParseKindAndLang(t *testing.T) {
	for _, k := range reporting.MessageEvents() {
		got, err := reporting.ParseMessageEvent(" " + strings.ToUpper(string(k)) + " ")
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	if got, err := reporting.ParseMessageEvent("review-waiting"); err != nil || got != reporting.EventReviewWaiting {
		t.Errorf("ParseKind(review-waiting) = %q, %v", got, err)
	}
	if _, err := reporting.ParseMessageEvent("weekly"); err == nil || !strings.Contains(err.Error(), "escalation_digest") {
		t.Errorf("ParseKind(weekly) err = %v", err)
	}
	for in, want := range map[string]messages.Lang{"": "vi", "vi": "vi", "VI-vn": "vi", "en": "en", "en_US": "en"} {
		if got, err := messages.Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"fr", "-en", "vietnamese"} {
		if _, err := messages.Parse(in); err == nil {
			t.Errorf("Parse(%q): no error", in)
		}
	}
}

// A regime that reports estimates says so in its deadline notice, its
// reminders and its receipts, in both parts and both languages, naming the
// cut-off; one that does not says nothing of estimates.
func TestRenderSaysWhenTheFiguresAreEstimates(t *testing.T) {
	r := newRenderer(t)
	word := map[messages.Lang]string{messages.Vietnamese: "ước tính", messages.English: "estimate"}
	cutOff := map[messages.Lang]string{messages.Vietnamese: "chốt số liệu (hết ngày 14/10/2026)", messages.English: "data cut-off (end of 14/10/2026)"}
	for _, lang := range messages.Langs() {
		for _, kind := range []reporting.Event{reporting.EventDeadlineNotice, reporting.EventReminder, reporting.EventReceipt} {
			t.Run(fmt.Sprintf("%s/%s", kind, lang), func(t *testing.T) {
				d := notifications.DemoData(kind, lang)
				plain, err := r.Render(kind, lang, d)
				if err != nil {
					t.Fatal(err)
				}
				d.Estimates = true
				est, err := r.Render(kind, lang, d)
				if err != nil {
					t.Fatal(err)
				}
				for part, body := range map[string][2]string{"text": {plain.Text, est.Text}, "html": {plain.HTML, est.HTML}} {
					if strings.Contains(strings.ToLower(body[0]), word[lang]) {
						t.Errorf("%s part speaks of estimates for a regime that reports none:\n%s", part, body[0])
					}
					if !strings.Contains(body[1], word[lang]) {
						t.Errorf("%s part does not say %q:\n%s", part, word[lang], body[1])
					}
					if kind != reporting.EventReceipt && !strings.Contains(body[1], cutOff[lang]) {
						t.Errorf("%s part does not name the cut-off (%q):\n%s", part, cutOff[lang], body[1])
					}
				}
			})
		}
	}
}

// TestRenderReceiptShowsTheContentHash: the receipt mail carries the hash
// rcm receipt verify checks, in both parts and both languages.
func TestRenderReceiptShowsTheContentHash(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	for lang, label := range map[messages.Lang]string{messages.Vietnamese: "Mã băm nội dung (SHA-256)", messages.English: "Content hash (SHA-256)"} {
		d := notifications.DemoData(reporting.EventReceipt, lang)
		d.ContentHash = hash
		out, err := newRenderer(t).Render(reporting.EventReceipt, lang, d)
		require.NoError(t, err)
		require.Contains(t, out.Text, label+": "+hash)
		require.Contains(t, out.HTML, hash)
	}
}
