package cli

import (
	"fmt"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"rcm/messages"
	"rcm/notifications"
	"rcm/reporting"
)

// notifyCommand groups the commands about rcm's messages.
func notifyCommand() *ucli.Command {
	return &ucli.Command{
		Name:         "notify",
		Usage:        "work with the messages rcm sends",
		OnUsageError: notifyUsageError,
		Subcommands: []*ucli.Command{
			notifyPreviewCommand(),
		},
	}
}

// Parts of a message notify preview can print.
const (
	partAll     = "all"
	partSubject = "subject"
	partText    = "text"
	partHTML    = "html"
)

func notifyPreviewCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "preview",
		Usage:     "print a message of one kind, rendered with demo data",
		ArgsUsage: "KIND",
		UsageText: "rcm notify preview KIND [--lang vi|en] [--part subject|text|html|all]",
		Description: "KIND is one of: " + kindNames() + `.
The demo data is Tỉnh Lào Cai's monthly socio-economic report for October
2026, times in Asia/Ho_Chi_Minh; the reviewer's reason holds markup to show
that the HTML part escapes it. Without --part the subject, the plain-text
part and the HTML part are printed one after the other.

Examples:
   rcm notify preview deadline_notice
   rcm notify preview returned --lang en --part html > returned.html`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "lang", Aliases: []string{"l"}, Value: string(messages.Vietnamese), Usage: "language: vi or en"},
			&ucli.StringFlag{Name: "part", Aliases: []string{"p"}, Value: partAll, Usage: "what to print: subject, text, html or all"},
		},
		OnUsageError: notifyUsageError,
		Action:       notifyPreview,
	}
}

func notifyUsageError(_ *ucli.Context, err error, _ bool) error {
	return &ExitError{Code: ExitUsage, Err: err}
}

func kindNames() string {
	names := make([]string, 0, len(reporting.MessageEvents()))
	for _, k := range reporting.MessageEvents() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

func notifyPreview(c *ucli.Context) error {
	args := c.Args().Slice()
	switch len(args) {
	case 0:
		return usageError("notify preview: KIND is missing; use one of: %s", kindNames())
	case 1:
	default:
		return usageError("notify preview: takes one KIND, got %d: %s", len(args), strings.Join(args, " "))
	}
	kind, err := reporting.ParseMessageEvent(args[0])
	if err != nil {
		return usageError("notify preview: %v", err)
	}
	lang, err := messages.Parse(c.String("lang"))
	if err != nil {
		return usageError("--lang: %v", err)
	}
	part := strings.ToLower(strings.TrimSpace(c.String("part")))
	switch part {
	case partAll, partSubject, partText, partHTML:
	default:
		return usageError("--part: unknown part %q; use subject, text, html or all", c.String("part"))
	}

	renderer, err := notifications.NewRenderer()
	if err != nil {
		return fmt.Errorf("notify preview: %w", err)
	}
	msg, err := renderer.Render(kind, lang, notifications.DemoData(kind, lang))
	if err != nil {
		return fmt.Errorf("notify preview: %w", err)
	}
	return writePreview(c.App.Writer, part, msg)
}

// writePreview prints the chosen part of msg; "all" prints the three parts
// under headings.
func writePreview(w io.Writer, part string, msg notifications.Rendered) error {
	var out string
	switch part {
	case partSubject:
		out = msg.Subject + "\n"
	case partText:
		out = msg.Text
	case partHTML:
		out = msg.HTML
	default:
		out = "Subject: " + msg.Subject + "\n\n" +
			"----- text/plain -----\n" + msg.Text + "\n" +
			"----- text/html -----\n" + msg.HTML
	}
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	if _, err := io.WriteString(w, out); err != nil {
		return fmt.Errorf("notify preview: write: %w", err)
	}
	return nil
}
