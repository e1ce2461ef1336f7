package notifications_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"rcm/notifications"
)

func TestParseSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		raw      string
		want     notifications.SMTPConfig
		redacted string
	}{
		{
			raw: "smtp://127.0.0.1:1025?from=rcm@example.test",
			want: notifications.SMTPConfig{Host: "127.0.0.1", Port: 1025, TLS: notifications.TLSNone,
				From: addr("", "rcm@example.test")},
			redacted: "smtp://127.0.0.1:1025?from=rcm%40example.test",
		},
		{
			raw: "smtp://mail.laocai.gov.vn?from=baocao@laocai.gov.vn",
			want: notifications.SMTPConfig{Host: "mail.laocai.gov.vn", Port: 25, TLS: notifications.TLSNone,
				From: addr("", "baocao@laocai.gov.vn")},
			redacted: "smtp://mail.laocai.gov.vn:25?from=baocao%40laocai.gov.vn",
		},
		{
			raw: "smtp://bot%40laocai.gov.vn:p%40ss%2Fw0rd@smtp.laocai.gov.vn:587?tls=STARTTLS&from=" +
				"V%C4%83n%20ph%C3%B2ng%20%3Cvp%40laocai.gov.vn%3E&helo=rcm.laocai.gov.vn&dial_timeout=3s&command_timeout=1m",
			want: notifications.SMTPConfig{Host: "smtp.laocai.gov.vn", Port: 587, Username: "bot@laocai.gov.vn", Password: "p@ss/w0rd",
				TLS: notifications.TLSStartTLS, From: addr("Văn phòng", "vp@laocai.gov.vn"), HeloName: "rcm.laocai.gov.vn",
				DialTimeout: 3 * time.Second, CommandTimeout: time.Minute},
			redacted: "smtp://bot%40laocai.gov.vn:xxxxx@smtp.laocai.gov.vn:587?command_timeout=1m0s&dial_timeout=3s&from=%22V%C4%83n+ph%C3%B2ng%22+%3Cvp%40laocai.gov.vn%3E&helo=rcm.laocai.gov.vn&tls=starttls",
		},
		{
			raw: "smtps://relay:secret@smtp.example.gov.vn?from=rcm@example.gov.vn&insecure_skip_verify=true",
			want: notifications.SMTPConfig{Host: "smtp.example.gov.vn", Port: 465, Username: "relay", Password: "secret",
				TLS: notifications.TLSImplicit, InsecureSkipVerify: true, From: addr("", "rcm@example.gov.vn")},
			redacted: "smtps://relay:xxxxx@smtp.example.gov.vn:465?from=rcm%40example.gov.vn&insecure_skip_verify=true",
		},
		{
			raw: "SMTP://user@[::1]:2525/?from=rcm@example.test&tls=none",
			want: notifications.SMTPConfig{Host: "::1", Port: 2525, Username: "user", TLS: notifications.TLSNone,
				From: addr("", "rcm@example.test")},
			redacted: "smtp://user@[::1]:2525?from=rcm%40example.test",
		},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			got, err := notifications.ParseSMTPURL(tc.raw)
			if err != nil {
				t.Fatalf("ParseSMTPURL: %v", err)
			}
			if got != tc.want {
				t.Errorf("got  %#v\nwant %#v", fields(got), fields(tc.want))
			}
			if r := got.Redacted(); r != tc.redacted {
				t.Errorf("Redacted() = %s\nwant         %s", r, tc.redacted)
			}
			back, err := notifications.ParseSMTPURL(got.Redacted())
			if err != nil {
				t.Fatalf("Redacted() does not parse back: %v", err)
			}
			if tc.want.Password != "" {
				back.Password = tc.want.Password
			}
			if back != got {
				t.Errorf("Redacted() parses back to %v, want %v", fields(back), fields(got))
			}
		})
	}
}

func addr(name, address string) (a struct{ Name, Address string }) {
	a.Name, a.Address = name, address
	return a
}

// fields prints a configuration with its password, for failure messages.
func fields(c notifications.SMTPConfig) string {
	return fmt.Sprintf("{%s:%d user=%q pass=%q tls=%s insecure=%v from=%q helo=%q dial=%v cmd=%v}",
		c.Host, c.Port, c.Username, c.Password, c.TLS, c.InsecureSkipVerify, c.From.String(), c.HeloName, c.DialTimeout, c.CommandTimeout)
}

func TestParseSMTPURLErrors(t *testing.T) {
	for _, tc := range []struct{ raw, part string }{
		{"", "url"},
		{"mail.example.gov.vn:25", "scheme"},
		{"http://mail.example.gov.vn?from=a@b.vn", "scheme"},
		{"smtp://?from=a@b.vn", "host"},
		{"smtp://mail.example.gov.vn:0?from=a@b.vn", "port"},
		{"smtp://mail.example.gov.vn:70000?from=a@b.vn", "port"},
		{"smtp://mail.example.gov.vn:smtp?from=a@b.vn", "port"},
		{"smtp://mail.example.gov.vn:?from=a@b.vn", "port"},
		{"smtp://mail.example.gov.vn/inbox?from=a@b.vn", "path"},
		{"smtp://:s3cret-pw@mail.example.gov.vn?from=a@b.vn", "user"},
		{"smtp://mail.example.gov.vn", "query from"},
		{"smtp://mail.example.gov.vn?from=not-an-address", "query from"},
		{"smtp://mail.example.gov.vn?from=a@b.vn&from=c@d.vn", "query from"},
		{"smtp://mail.example.gov.vn?from=a@b.vn&tls=ssl", "query tls"},
		{"smtp://mail.example.gov.vn?from=a@b.vn&tls=implicit", "query tls"},
		{"smtps://mail.example.gov.vn?from=a@b.vn&tls=starttls", "query tls"},
		{"smtp://mail.example.gov.vn?from=a@b.vn&insecure_skip_verify=yes please", "query insecure_skip_verify"},
		{"smtp://mail.example.gov.vn?from=a@b.vn&dial_timeout=10", "query dial_timeout"},
		{"smtp://mail.example.gov.vn?from=a@b.vn&command_timeout=-1s", "query command_timeout"},
		{"smtp://mail.example.gov.vn?from=a@b.vn&insecure_skip_verfy=true", "query insecure_skip_verfy"},
		{"smtp://u:s3cret-pw%zz@mail.example.gov.vn?from=a@b.vn", "url"},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			_, err := notifications.ParseSMTPURL(tc.raw)
			if err == nil {
				t.Fatal("no error")
			}
			if want := "smtp url: " + tc.part + ":"; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
			if strings.Contains(err.Error(), "s3cret-pw") {
				t.Errorf("error %q repeats the password", err)
			}
		})
	}
}

func TestSMTPConfigNeverPrintsThePassword(t *testing.T) {
	cfg, err := notifications.ParseSMTPURL("smtp://bot:hunter2@mail.example.gov.vn:587?from=rcm@example.gov.vn&tls=starttls")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(format, cfg); strings.Contains(out, "hunter2") || !strings.Contains(out, "bot:xxxxx@") {
			t.Errorf("Sprintf(%q) = %s", format, out)
		}
	}
}
