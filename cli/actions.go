package cli

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/reporting"
)

// obligationFlags name one agency's obligation in a cycle.
func obligationFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "cycle", Usage: "the cycle ID (required)"},
		&ucli.StringFlag{Name: "agency", Usage: "the agency's code (required)", EnvVars: []string{"RCM_AGENCY"}},
		&ucli.StringFlag{Name: "reason", Usage: "why (required); the other side reads it"},
	}
}

// reviewReopenCommand reopens an accepted report (rcm review reopen).
func reviewReopenCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "reopen",
		Usage:     "reopen an agency's accepted report (or nil report) with a reason: the agency is told and submits again",
		UsageText: "rcm review reopen --cycle CYCLE-ID --agency CODE --reason TEXT",
		Description: `The obligation becomes returned, awaiting a new version, and is chased like any returned
report (reminders, overdue notice, escalations) until its close. Only while it is open.

Examples:
   rcm review reopen --cycle KTXH_THANG-2026-10 --agency HNI --reason "Cục Thống kê điều chỉnh số liệu GRDP"`,
		Flags:  append(append(clientFlags(), obligationFlags()...), outputFlag()),
		Action: func(c *ucli.Context) error { return postAction(c, "reopen", "", "reopen") },
	}
}

// nilReportCommand declares that an agency has nothing to report.
func nilReportCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "nil-report",
		Usage:     "declare that your agency has nothing to report this period, with a reason (its reporting officer)",
		UsageText: "rcm nil-report --cycle CYCLE-ID --agency CODE --reason TEXT",
		Description: `Counted as submitted (nil report), timed now, taken without review; the office is told.
Refused while a version awaits review or after one was accepted.

Examples:
   rcm nil-report --cycle FDI_QUY-2026-Q3 --agency LCI --reason "Không có dự án FDI giải ngân trong quý"`,
		Flags:  append(append(clientFlags(), obligationFlags()...), outputFlag()),
		Action: func(c *ucli.Context) error { return postAction(c, "nil-report", "", "nil-report") },
	}
}

// extensionCommand asks for, lists and answers extension requests.
func extensionCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "extension",
		Usage: "ask for a later due date (agencies), list and grant or refuse the requests (office staff)",
		Subcommands: []*ucli.Command{
			{
				Name:      "request",
				Usage:     "ask for a later due date with a reason (the agency's reporting officer); the office is told",
				UsageText: "rcm extension request --cycle CYCLE-ID --agency CODE --due YYYY-MM-DD --reason TEXT",
				Description: `Examples:
   rcm extension request --cycle KTXH_THANG-2026-10 --agency LCI --due 2026-10-20 --reason "Bão số 10, mất điện diện rộng"`,
				Flags: append(append(clientFlags(), obligationFlags()...),
					&ucli.StringFlag{Name: "due", Usage: "the due date asked for, YYYY-MM-DD (required)"}, outputFlag()),
				Action: func(c *ucli.Context) error {
					return postAction(c, "extension-requests", c.String("due"), "extension request")
				},
			},
			{
				Name:      "list",
				Usage:     "list extension requests, newest first (office staff)",
				UsageText: "rcm extension list [--cycle CYCLE-ID] [--status pending|granted|refused]",
				Description: `Examples:
   rcm extension list --status pending
   rcm extension list --cycle KTXH_THANG-2026-10 --output json`,
				Flags: append(clientFlags(),
					&ucli.StringFlag{Name: "cycle", Usage: "only this cycle's requests"},
					&ucli.StringFlag{Name: "status", Usage: "pending, granted or refused"},
					&ucli.IntFlag{Name: "limit", Usage: "at most this many (1 to 500)", Value: 100},
					outputFlag()),
				Action: extensionList,
			},
			extensionDecisionCommand("grant", reporting.ActionGranted, "grant a request: an extension for the agency, which is told the new due date",
				"rcm extension grant REQUEST-ID [--due YYYY-MM-DD] [--reason TEXT]"),
			extensionDecisionCommand("refuse", reporting.ActionRefused, "refuse a request with a reason the agency is told",
				"rcm extension refuse REQUEST-ID --reason TEXT"),
		},
	}
}

// postAction posts a reopen, nil report or extension request for the
// obligation the flags name.
func postAction(c *ucli.Context, path, due, what string) error {
	required := []string{"cycle", "agency", "reason"}
	if path == "extension-requests" {
		required = append(required, "due")
	}
	if err := requireFlags(c, required...); err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var a api.Action
	p := fmt.Sprintf("/api/v1/cycles/%s/agencies/%s/%s", pathEscape(c.String("cycle")), pathEscape(c.String("agency")), path)
	if err := cl.do(c.Context, http.MethodPost, p, api.ActionRequest{Reason: c.String("reason"), Due: due}, &a); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return printAction(c, a)
}

func printAction(c *ucli.Context, a api.Action) error {
	fields := []field{{"id", fmt.Sprint(a.ID)}, {"cycle", a.Cycle}, {"agency", a.Agency}, {"kind", a.Kind},
		{"status", a.Status}, {"reason", a.Reason}}
	if a.Version > 0 {
		fields = append(fields, field{"version", itoa(a.Version)})
	}
	if a.RequestedDue != "" {
		fields = append(fields, field{"requested_due", a.RequestedDue})
	}
	fields = append(fields, field{"by", a.CreatedBy}, field{"at", formatVN(a.CreatedAt)})
	if a.DecidedAt != nil {
		fields = append(fields, field{"decided_by", a.DecidedBy}, field{"decided_at", formatVN(*a.DecidedAt)},
			field{"decision_reason", a.DecisionReason})
	}
	return printRecord(c, fields, a)
}

func extensionList(c *ucli.Context) error {
	return listActions(c, "/api/v1/extension-requests", "request", "requested_due", func(a api.Action) string { return a.RequestedDue })
}

// listActions lists the actions path answers (?cycle, ?status, ?limit from
// the flags): the id under idHeader, the column extra under extraHeader.
func listActions(c *ucli.Context, path, idHeader, extraHeader string, extra func(api.Action) string) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	q := url.Values{"limit": {itoa(c.Int("limit"))}}
	for _, name := range []string{"cycle", "status"} {
		if v := c.String(name); v != "" {
			q.Set(name, v)
		}
	}
	var p api.Page[api.Action]
	if err := cl.do(c.Context, http.MethodGet, path+"?"+q.Encode(), nil, &p); err != nil {
		return err
	}
	rows := make([][]string, len(p.Items))
	for i, a := range p.Items {
		rows[i] = []string{fmt.Sprint(a.ID), a.Cycle, a.Agency, extra(a), a.Status, a.Reason, a.CreatedBy, formatVN(a.CreatedAt)}
	}
	return printRecords(c, records{Header: []string{idHeader, "cycle", "agency", extraHeader, "status", "reason", "by", "at"},
		Rows: rows, JSON: nonNil(p.Items)})
}

// decisionID reads the one argument of a decision command: the id of what
// it decides on, listed by listCommand.
func decisionID(c *ucli.Context, command, usageText, listCommand string) (int64, error) {
	if c.NArg() != 1 {
		return 0, usageError("%s: name one, for example: %s (%s shows them)", command, usageText, listCommand)
	}
	id, err := strconv.ParseInt(c.Args().First(), 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError("%s: id %q is not a number; %s shows them", command, c.Args().First(), listCommand)
	}
	return id, nil
}

func extensionDecisionCommand(name string, decision reporting.ActionStatus, usage, usageText string) *ucli.Command {
	flags := append(clientFlags(), &ucli.StringFlag{Name: "reason", Usage: "why; required to refuse (the agency is told)"}, outputFlag())
	if decision == reporting.ActionGranted {
		flags = append(flags, &ucli.StringFlag{Name: "due", Usage: "the due date granted, YYYY-MM-DD (default: the one asked for)"})
	}
	return &ucli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: "REQUEST-ID",
		UsageText: usageText,
		Description: `rcm extension list --status pending shows the requests.

Examples:
   rcm extension grant 12
   rcm extension grant 12 --due 2026-10-18 --reason "Gia hạn 3 ngày thay vì 5"
   rcm extension refuse 13 --reason "Số liệu đã có từ Cục Thống kê; đề nghị nộp đúng hạn"`,
		Flags: flags,
		Action: func(c *ucli.Context) error {
			id, err := decisionID(c, "extension "+name, usageText, "rcm extension list")
			if err != nil {
				return err
			}
			body := api.RequestDecision{Decision: string(decision), Reason: c.String("reason"), Due: c.String("due")}
			return postDecision(c, decision, fmt.Sprintf("/api/v1/extension-requests/%d/decision", id), body)
		},
	}
}

// postDecision posts office staff's decision body to path (a refusal needs
// --reason) and prints the action decided on.
func postDecision(c *ucli.Context, decision reporting.ActionStatus, path string, body any) error {
	if decision == reporting.ActionRefused {
		if err := requireFlags(c, "reason"); err != nil {
			return err
		}
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var a api.Action
	if err := cl.do(c.Context, http.MethodPost, path, body, &a); err != nil {
		return err
	}
	return printAction(c, a)
}
