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

// reviewCommand lists and decides the submissions waiting for review.
func reviewCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "review",
		Usage: "list submissions waiting for review, accept them, return them or reopen an accepted one with a reason (office staff)",
		Subcommands: []*ucli.Command{
			reviewListCommand(),
			reviewDecisionCommand("accept", reporting.DecisionAccepted, "accept a submitted version: it becomes the agency's final report",
				`Only the latest version of an agency can be decided; the agency is told.

Examples:
   rcm review accept 1042`),
			reviewDecisionCommand("return", reporting.DecisionReturned, "return a submitted version with a reason: the agency is told and resubmits",
				`The reason goes to the agency as it is written: say what to correct.

Examples:
   rcm review return 1042 --reason "GRDP quý III chưa khớp số liệu Cục Thống kê"`),
			reviewReopenCommand(),
		},
	}
}

func reviewListCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "list",
		Usage:     "list the latest versions waiting for a decision, oldest first",
		UsageText: "rcm review list [--cycle CYCLE-ID] [--limit N] [--output table|json|csv]",
		Description: `Examples:
   rcm review list
   rcm review list --cycle KTXH_THANG-2026-10 --output json`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "cycle", Usage: "only this cycle's submissions"},
			&ucli.IntFlag{Name: "limit", Usage: "at most this many (1 to 500)", Value: 100},
			outputFlag(),
		),
		Action: reviewList,
	}
}

func reviewList(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	q := url.Values{"limit": {itoa(c.Int("limit"))}}
	if cycle := c.String("cycle"); cycle != "" {
		q.Set("cycle", cycle)
	}
	var p api.Page[api.Submission]
	if err := cl.do(c.Context, http.MethodGet, "/api/v1/reviews?"+q.Encode(), nil, &p); err != nil {
		return err
	}
	rows := make([][]string, len(p.Items))
	for i, s := range p.Items {
		rows[i] = []string{fmt.Sprint(s.ID), s.ReceiptNumber, s.Agency, itoa(s.Version), formatVN(s.SubmittedAt), s.SubmittedBy, s.Source}
	}
	return printRecords(c, records{Header: []string{"submission", "receipt", "agency", "version", "submitted_at", "by", "source"},
		Rows: rows, JSON: nonNil(p.Items)})
}

// reviewDecisionCommand builds review accept and review return.
func reviewDecisionCommand(name string, decision reporting.Decision, usage, description string) *ucli.Command {
	flags := append(clientFlags(), outputFlag())
	usageText := "rcm review " + name + " SUBMISSION-ID"
	if decision == reporting.DecisionReturned {
		flags = append(flags, &ucli.StringFlag{Name: "reason", Usage: "what the agency must correct (required)"},
			&ucli.StringFlag{Name: "reopen", Usage: "a consolidated report in a two-tier cycle: also reopen these agencies of the level below, comma-separated"})
		usageText += " --reason TEXT [--reopen CODE,CODE]"
	}
	return &ucli.Command{
		Name:        name,
		Usage:       usage,
		ArgsUsage:   "SUBMISSION-ID",
		UsageText:   usageText,
		Description: description,
		Flags:       flags,
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usageError("review %s: name one submission, for example: %s (rcm review list shows them)", name, usageText)
			}
			id, err := strconv.ParseInt(c.Args().First(), 10, 64)
			if err != nil || id <= 0 {
				return usageError("review %s: submission id %q is not a number; rcm review list shows them", name, c.Args().First())
			}
			if decision == reporting.DecisionReturned {
				if err := requireFlags(c, "reason"); err != nil {
					return err
				}
			}
			cl, err := newClient(c)
			if err != nil {
				return err
			}
			var rv api.Review
			body := api.ReviewRequest{Decision: string(decision), Reason: c.String("reason")}
			if c.String("reopen") != "" {
				body.Reopen = splitList([]string{c.String("reopen")})
			}
			if err := cl.do(c.Context, http.MethodPost, fmt.Sprintf("/api/v1/submissions/%d/review", id), body, &rv); err != nil {
				return err
			}
			return printRecord(c, []field{{"submission", fmt.Sprint(rv.SubmissionID)}, {"decision", statusName(rv.Decision)},
				{"reason", rv.Reason}, {"reviewer", rv.Reviewer}, {"decided_at", formatVN(rv.DecidedAt)}}, rv)
		},
	}
}
