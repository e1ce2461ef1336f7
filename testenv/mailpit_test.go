package testenv

import (
	"context"
	"net/http"
	"net/smtp"
	"strings"
	"testing"
	"time"
)

func TestMailpitReceivesMailSentWithNetSMTP(t *testing.T) {
	ctx := context.Background()
	mp := Mailpit(t)
	if !strings.HasPrefix(mp.SMTPURL(), "smtp://127.0.0.1:") || !strings.HasSuffix(mp.SMTPURL(), "?from="+SMTPFrom) {
		t.Errorf("SMTPURL = %s", mp.SMTPURL())
	}
	msg := strings.Join([]string{
		"From: Office <office@example.gov.vn>",
		"To: agency-017@example.gov.vn",
		"Subject: =?UTF-8?Q?Nh=E1=BA=AFc_h=E1=BA=A1n?=",
		"Message-ID: <reminder-1@rcm.test>",
		"Content-Type: text/plain; charset=UTF-8",
		"",
		"Báo cáo quý 1 đến hạn ngày 20/4.",
		"",
	}, "\r\n")
	auth := smtp.PlainAuth("", "rcm", "any-password", "127.0.0.1")
	if err := smtp.SendMail(mp.SMTPAddr(), auth, "office@example.gov.vn", []string{"agency-017@example.gov.vn", "archive@example.gov.vn"}, []byte(msg)); err != nil {
		t.Fatalf("send: %v", err)
	}

	msgs := mp.WaitForMessages(t, 1, 10*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Subject != "Nhắc hạn" || m.MessageID != "reminder-1@rcm.test" || m.From.Address != "office@example.gov.vn" {
		t.Errorf("listed as %+v", m)
	}
	if len(m.To) != 1 || m.To[0].Address != "agency-017@example.gov.vn" || len(m.Bcc) != 1 || m.Bcc[0].Address != "archive@example.gov.vn" {
		t.Errorf("recipients To %v Bcc %v", m.To, m.Bcc)
	}

	detail, err := mp.Message(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(detail.Text, "Báo cáo quý 1 đến hạn ngày 20/4.") {
		t.Errorf("text %q", detail.Text)
	}
	headers, err := mp.Headers(ctx, m.ID)
	if err != nil || len(headers["Message-Id"]) == 0 && len(headers["Message-ID"]) == 0 {
		t.Errorf("headers %v (%v)", headers, err)
	}
	raw, err := mp.Raw(ctx, m.ID)
	if err != nil || !strings.Contains(string(raw), "Message-ID: <reminder-1@rcm.test>") {
		t.Errorf("raw %q (%v)", raw, err)
	}
	if resp, err := http.Get(mp.WebURL()); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("web inbox %s: %v %v", mp.WebURL(), resp, err)
	} else {
		resp.Body.Close()
	}

	if err := mp.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if left, err := mp.Messages(ctx); err != nil || len(left) != 0 {
		t.Errorf("after DeleteAll: %d messages (%v)", len(left), err)
	}
}

func TestMailpitListsMoreThanOnePage(t *testing.T) {
	mp := Mailpit(t)
	c, err := smtp.Dial(mp.SMTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const n = 520 // more than one page of 500
	for i := range n {
		if err := c.Mail("office@example.gov.vn"); err != nil {
			t.Fatal(err)
		}
		if err := c.Rcpt("agency@example.gov.vn"); err != nil {
			t.Fatal(err)
		}
		w, err := c.Data()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("Subject: n" + strings.Repeat("x", i%3) + "\r\n\r\nbody\r\n")); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if got := mp.WaitForMessages(t, n, 30*time.Second); len(got) != n {
		t.Errorf("%d messages, want %d", len(got), n)
	}
}

func TestWaitForMessagesFailsTheTest(t *testing.T) {
	mp := Mailpit(t)
	rec := &fatalCatcher{TB: t}
	rec.run(func() { mp.WaitForMessages(rec, 1, 200*time.Millisecond) })
	if !rec.failed || !strings.Contains(rec.message, "Mailpit has 0 messages") {
		t.Errorf("failed %v: %q", rec.failed, rec.message)
	}
}
