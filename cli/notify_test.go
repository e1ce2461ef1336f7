package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	ucli "github.com/urfave/cli/v2"

	"rcm/reporting"
)

// runNotify runs "rcm notify ARGS..." on an app that has only the notify
// command, and returns the exit status, stdout and stderr.
func runNotify(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := &ucli.App{
		Name:           "rcm",
		Writer:         &stdout,
		ErrWriter:      &stderr,
		ExitErrHandler: func(*ucli.Context, error) {},
		Commands:       []*ucli.Command{notifyCommand()},
	}
	full, err := flagsFirst(app, append([]string{"rcm", "notify"}, args...))
	if err == nil {
		err = app.RunContext(context.Background(), full)
	}
	if err == nil {
		return ExitOK, stdout.String(), stderr.String()
	}
	stderr.WriteString(err.Error())
	var exitErr *ExitError
	if errors.As(err, &exitErr) {
		return exitErr.Code, stdout.String(), stderr.String()
	}
	return ExitFailure, stdout.String(), stderr.String()
}

func TestNotifyPreviewEveryKind(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		for _, kind := range reporting.MessageEvents() {
			code, out, errOut := runNotify(t, "preview", string(kind), "--lang", lang, "--part", "subject")
			if code != ExitOK {
				t.Fatalf("%s --lang %s: exit %d: %s", kind, lang, code, errOut)
			}
			if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "[rcm] ") || !strings.Contains(out, "Lào Cai") {
				t.Errorf("%s --lang %s: subject = %q", kind, lang, out)
			}
		}
	}
}

func TestNotifyPreviewPrintsAllPartsByDefault(t *testing.T) {
	code, out, errOut := runNotify(t, "preview", "deadline_notice")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Subject: [rcm] Thông báo hạn nộp báo cáo tháng 10/2026 (Tỉnh Lào Cai) — Hạn: 15/10/2026\n",
		"----- text/plain -----\nKính gửi: Tỉnh Lào Cai\n",
		"Hạn nộp báo cáo: hết ngày 15/10/2026",
		"----- text/html -----\n<!DOCTYPE html>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestNotifyPreviewShowsEscapingInHTMLOnly(t *testing.T) {
	code, html, errOut := runNotify(t, "preview", "returned", "--part", "html", "--lang", "en")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(html, "<script>") || !strings.Contains(html, "&lt;script&gt;") || !strings.Contains(html, "&amp;") {
		t.Errorf("html part does not escape the reason:\n%s", html)
	}
	code, text, _ := runNotify(t, "preview", "returned", "-p", "text", "-l", "en")
	if code != ExitOK || !strings.Contains(text, `<script>alert("x")</script>`) || !strings.Contains(text, " & ") {
		t.Errorf("text part: exit %d\n%s", code, text)
	}
}

func TestNotifyPreviewRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"preview"}, "deadline_notice, reminder"},
		{[]string{"preview", "weekly"}, "escalation_digest"},
		{[]string{"preview", "reminder", "overdue"}, "takes one KIND"},
		{[]string{"preview", "reminder", "--lang", "fr"}, "--lang"},
		{[]string{"preview", "reminder", "--part", "pdf"}, "--part"},
		{[]string{"preview", "reminder", "--colour"}, "colour"},
	} {
		code, out, errOut := runNotify(t, tc.args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stdout %q)", tc.args, code, ExitUsage, out)
		}
		if !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: message %q lacks %q", tc.args, errOut, tc.want)
		}
	}
}
