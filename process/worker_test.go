package process

import (
	"net/mail"
	"testing"

	"rcm/notifications"
)

// TestMessageIDDomainIsTheSitesOrTheSenders: Message-IDs name the site
// people reach (a dotted host of the base URL), else the sender's domain,
// else a placeholder that is never a real host.
func TestMessageIDDomainIsTheSitesOrTheSenders(t *testing.T) {
	from := notifications.SMTPConfig{From: mail.Address{Address: "rcm@vpcp.gov.vn"}}
	for _, tc := range []struct {
		baseURL string
		smtp    notifications.SMTPConfig
		want    string
	}{
		{"https://rcm.example.gov.vn", from, "rcm.example.gov.vn"},
		{"http://127.0.0.1:8080", from, "127.0.0.1"},
		{"http://localhost:8080", from, "vpcp.gov.vn"},
		{"http://localhost:8080", notifications.SMTPConfig{}, "rcm.localhost"},
		{"::not a url", from, "vpcp.gov.vn"},
	} {
		if got := MessageIDDomain(tc.baseURL, tc.smtp); got != tc.want {
			t.Errorf("MessageIDDomain(%q, %q) = %q, want %q", tc.baseURL, tc.smtp.From.Address, got, tc.want)
		}
	}
}
