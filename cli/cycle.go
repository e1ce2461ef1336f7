package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/messages"
	"rcm/reporting"
)

// cycleCommand launches and manages reporting cycles.
func cycleCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "cycle",
		Usage: "launch reporting cycles, follow them, extend, close or cancel them",
		Subcommands: []*ucli.Command{
			cyclePlanCommand(),
			cycleLaunchCommand(),
			cycleListCommand(),
			cycleStatusCommand(),
			cycleTiersCommand(),
			cycleConsolidationCommand(),
			cycleExtendCommand(),
			cycleCloseCommand(),
			cycleCancelCommand(),
		},
	}
}

// formatVN writes an instant as people in Vietnam read it (reporting.FormatInstant):
// dd/mm/yyyy hh:mm, a deadline at the end of a day as 24:00 of that day.
func formatVN(t time.Time) string { return reporting.FormatInstant(t) }

// formatVNSeconds writes an instant of a timeline to the second, since
// demo timelines run in seconds.
func formatVNSeconds(t time.Time) string {
	loc, err := reporting.DefaultLocation()
	if err != nil {
		loc = time.FixedZone("ICT", 7*3600)
	}
	return t.In(loc).Format("02/01/2006 15:04:05")
}

func formatVNPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatVN(*t)
}

// statusName is the Vietnamese name of a status code, for tables.
func statusName(code string) string { return messages.StatusName(messages.Vietnamese, code) }

// requireFlags refuses, with ExitUsage, a run without one of the flags
// (urfave/cli's own Required check would exit with status 1).
func requireFlags(c *ucli.Context, names ...string) error {
	for _, name := range names {
		if strings.TrimSpace(c.String(name)) == "" {
			return usageError("%s: --%s is required; see rcm %s --help", c.Command.FullName(), name, c.Command.FullName())
		}
	}
	return nil
}

// cycleArg returns the one CYCLE-ID argument, or a usage error naming the example.
func cycleArg(c *ucli.Context, example string) (string, error) {
	if c.NArg() != 1 {
		return "", usageError("%s: name one cycle, for example: %s", c.Command.FullName(), example)
	}
	return c.Args().First(), nil
}

func cycleLaunchCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "launch",
		Usage: "launch the cycle of a regime for a period (office staff)",
		UsageText: "rcm cycle launch --regime CODE --period PERIOD [--due +2m|DATE|RFC3339] [--reminders 3d,1d]\n" +
			"      [--escalations AFTER:RECIPIENTS[*TIMES/REPEAT],...] [--review-time 3d] [--close-after 10d] [--wait]",
		Description: `Computes cut-off, due and close from the regime, creates one obligation
per agency assigned, and sends the deadline notice. The policy flags replace
the regime's for this cycle only, down to seconds, so a demo runs a whole
cycle in minutes. --due takes +2m (from now), a date (the end of that day in
the regime's zone) or an RFC 3339 time. Each escalation step is
AFTER:RECIPIENTS (officer, head, supervisor joined with +), optionally
*TIMES/REPEAT: sent TIMES times, REPEAT apart. --wait shows a progress bar
until the deadline notice has gone to every agency.

Examples:
   rcm cycle launch --regime KTXH_THANG --period 2026-10
   rcm cycle launch --regime KTXH_THANG --period 2026-10 --due +2m --reminders 60s,30s \
      --escalations "10s:officer+head,30s:supervisor*2/10s" --review-time 30s --close-after 2m --wait
   rcm cycle launch --regime SEI_TWO_TIER --period 2026-11 --tier-due 1=+4m --due +8m`,
		Flags: slices.Concat(clientFlags(), launchFlags(), []ucli.Flag{
			&ucli.BoolFlag{Name: "wait", Usage: "wait until the deadline notice has gone out, with a progress bar"},
			&ucli.DurationFlag{Name: "wait-timeout", Usage: "give up waiting after this long", Value: 5 * time.Minute},
			outputFlag(),
		}),
		Action: cycleLaunch,
	}
}

// launchBody reads the flags of cycle launch and cycle plan.
func launchBody(c *ucli.Context) (api.Launch, error) {
	if err := requireFlags(c, "regime", "period"); err != nil {
		return api.Launch{}, err
	}
	body := api.Launch{Regime: c.String("regime"), Period: c.String("period"), Due: c.String("due"),
		ReviewTime: c.String("review-time"), CloseAfter: c.String("close-after")}
	for _, td := range c.StringSlice("tier-due") {
		level, when, ok := strings.Cut(td, "=")
		n, err := strconv.Atoi(level)
		if !ok || err != nil || when == "" {
			return api.Launch{}, usageError("--tier-due %q: write LEVEL=WHEN, such as 1=+3m (level 1 is the lowest)", td)
		}
		body.TierDue = append(body.TierDue, api.TierDue{Level: n, Due: when})
	}
	if c.IsSet("reminders") {
		offsets := nonNil(splitList([]string{c.String("reminders")}))
		body.ReminderOffsets = &offsets
	}
	if c.IsSet("escalations") {
		steps := []reporting.EscalationDoc{}
		for _, s := range splitList([]string{c.String("escalations")}) {
			e, err := parseEscalationStep(s)
			if err != nil {
				return api.Launch{}, err
			}
			steps = append(steps, e)
		}
		body.Escalations = &steps
	}
	return body, nil
}

// launchFlags are the flags of the cycle a launch or a plan asks for.
func launchFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "regime", Usage: "regime code (required)"},
		&ucli.StringFlag{Name: "period", Usage: "period in the regime's cadence: 2026-10, 2026-Q1, 2026-H1, 2026-9M, 2026 (required)"},
		&ucli.StringFlag{Name: "due", Usage: "replace the due date: +2m, 2026-11-20 or 2026-11-20T17:00:00+07:00"},
		&ucli.StringSliceFlag{Name: "tier-due", Usage: "replace a lower level's due in a two-tier regime: LEVEL=WHEN (1=+3m), repeatable"},
		&ucli.StringFlag{Name: "reminders", Usage: "how long before due each reminder goes, comma-separated (\"\" for none)"},
		&ucli.StringFlag{Name: "escalations", Usage: "escalation steps after due, comma-separated: AFTER:RECIPIENTS[*TIMES/REPEAT]"},
		&ucli.StringFlag{Name: "review-time", Usage: "how long a reviewer has before being reminded (0s: no limit)"},
		&ucli.StringFlag{Name: "close-after", Usage: "how long after due the cycle closes"},
	}
}

// postLaunch sends the launch flags' body to path and reads the answer
// into out, returning the client for what follows.
func postLaunch(c *ucli.Context, path string, out any) (*apiClient, error) {
	body, err := launchBody(c)
	if err != nil {
		return nil, err
	}
	cl, err := newClient(c)
	if err != nil {
		return nil, err
	}
	return cl, cl.do(c.Context, http.MethodPost, path, body, out)
}

func cycleLaunch(c *ucli.Context) error {
	var cyc api.Cycle
	cl, err := postLaunch(c, "/api/v1/cycles", &cyc)
	if err != nil {
		return err
	}
	if err := printCycle(c, cyc, nil); err != nil {
		return err
	}
	if !c.Bool("wait") {
		return nil
	}
	return waitForNotice(c, cl, cyc.ID, c.Duration("wait-timeout"))
}

// parseEscalationStep reads AFTER:RECIPIENTS[*TIMES/REPEAT] ("30s:supervisor*2/10s"),
// or the AFTER:RECIPIENTS:REPEAT:TIMES of rcm regime create.
func parseEscalationStep(s string) (reporting.EscalationDoc, error) {
	if strings.Count(s, ":") == 3 {
		return parseEscalation(s)
	}
	e, err := reporting.ParseEscalationText(s)
	if err != nil {
		return reporting.EscalationDoc{}, usageError("--escalations %v", err)
	}
	return e, nil
}

// waitForNotice follows the cycle until its deadline notice wave is done:
// a progress bar over the agencies notified when the error stream is a
// terminal, then one line saying what the wave did.
func waitForNotice(c *ucli.Context, cl *apiClient, cycleID string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(c.Context, timeout)
	defer cancel()
	var bar *progressbar.ProgressBar
	defer func() {
		if bar != nil {
			_ = bar.Finish()
		}
	}()
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()
	var lastErr error
	for {
		var cyc api.Cycle
		err := cl.do(ctx, http.MethodGet, "/api/v1/cycles/"+pathEscape(cycleID), nil, &cyc)
		if err == nil && cyc.Expected > 0 && isTerminal(c.App.ErrWriter) {
			if bar == nil {
				bar = progressbar.NewOptions(cyc.Expected, progressbar.OptionSetWriter(c.App.ErrWriter),
					progressbar.OptionSetDescription(messages.Both("cli.deadline_notice")), progressbar.OptionClearOnFinish())
			}
			_ = bar.Set(cyc.Expected - cyc.Counts[string(reporting.ObligationPending)])
		}
		var tl api.Timeline
		if err == nil && cyc.Status != string(reporting.CycleLaunching) {
			err = cl.do(ctx, http.MethodGet, "/api/v1/cycles/"+pathEscape(cycleID)+"/timeline", nil, &tl)
		}
		if err == nil {
			for _, m := range tl.Moments {
				if m.Kind == string(reporting.EventDeadlineNotice) && m.Done && m.Result != nil {
					if bar != nil {
						_ = bar.Finish()
						bar = nil
					}
					fmt.Fprintf(c.App.ErrWriter, "%s: %d agencies, %d sent, %d failed, %d skipped\n", messages.Both("cli.deadline_notice_done"),
						m.Result.Selected, m.Result.Sent, m.Result.Failed, m.Result.Skipped)
					return nil
				}
			}
		}
		var exitErr *ExitError
		if err != nil && (!errors.As(err, &exitErr) || exitErr.Code != ExitUnavailable) {
			return err
		}
		if err != nil {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			hint := "is rcm worker running?"
			if lastErr != nil {
				hint = lastErr.Error()
			}
			return &ExitError{Code: ExitUnavailable, Err: fmt.Errorf(
				"the deadline notice of cycle %s was not done within %s (%s); the cycle is launched: follow it with rcm cycle status %s",
				cycleID, timeout, hint, cycleID)}
		case <-tick.C:
		}
	}
}

// printCycle prints one cycle: its fields, the counts by status within the
// caller's scope, and the timeline when given.
func printCycle(c *ucli.Context, cyc api.Cycle, tl *api.Timeline) error {
	if f := c.String("output"); f != outputTable && f != "" {
		var js any = cyc
		if tl != nil {
			js = struct {
				api.Cycle
				Timeline *api.Timeline `json:"timeline"`
			}{cyc, tl}
		}
		return printRecord(c, cycleFields(cyc), js)
	}
	if err := printRecord(c, cycleFields(cyc), cyc); err != nil {
		return err
	}
	if len(cyc.Counts) > 0 {
		codes := make([]string, 0, len(cyc.Counts))
		for code := range cyc.Counts {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		rows := make([][]string, len(codes))
		for i, code := range codes {
			rows[i] = []string{statusName(code), itoa(cyc.Counts[code])}
		}
		if err := printRecords(c, records{Header: []string{messages.Both("cli.status"), messages.Both("cli.agencies")}, Rows: rows}); err != nil {
			return err
		}
	}
	if tl != nil {
		rows := make([][]string, len(tl.Moments))
		for i, m := range tl.Moments {
			kind := m.Kind
			if m.Of > 1 {
				kind = fmt.Sprintf("%s %d/%d", m.Kind, m.Step, m.Of)
			}
			if m.Tier > 0 {
				kind = fmt.Sprintf("level %d: %s", m.Tier, kind)
			}
			done, result := "", ""
			if m.Done {
				done = "✓"
			}
			if m.Result != nil {
				result = fmt.Sprintf("%d agencies, %d sent, %d failed", m.Result.Selected, m.Result.Sent, m.Result.Failed)
			}
			rows[i] = []string{formatVNSeconds(m.At), kind, done, result}
		}
		return printRecords(c, records{Header: []string{"at", "moment", "done", "wave"}, Rows: rows})
	}
	return nil
}

func cycleFields(cyc api.Cycle) []field {
	inScope := ""
	if cyc.InScope != nil {
		inScope = itoa(*cyc.InScope)
	}
	return []field{
		{"id", cyc.ID}, {"regime", cyc.Regime}, {"period", cyc.Period}, {"status", statusName(cyc.Status)},
		{"window", cyc.WindowStart.String() + " .. " + cyc.WindowEnd.String()}, {"cut_off", formatVN(cyc.CutOff)},
		{"due", formatVN(cyc.Due)}, {"close", formatVN(cyc.Close)}, {"expected", itoa(cyc.Expected)},
		{"in_your_scope", inScope}, {"reminders", strings.Join(cyc.Policy.ReminderOffsets, ", ")},
		{"escalations", escalationText(cyc.Policy.Escalations)}, {"review_time", cyc.Policy.ReviewTime},
		{"close_after", cyc.Policy.CloseAfter}, {"launched_at", formatVN(cyc.LaunchedAt)},
		{"closed_at", formatVNPtr(cyc.ClosedAt)}, {"cancel_reason", cyc.CancelReason},
	}
}

func escalationText(steps []reporting.EscalationDoc) string {
	var out []string
	for _, e := range steps {
		step := e.After + " → " + strings.Join(e.Recipients, "+")
		if e.Times > 1 {
			step += fmt.Sprintf(" ×%d every %s", e.Times, e.Repeat)
		}
		out = append(out, step)
	}
	return strings.Join(out, "; ")
}

func cycleListCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "list",
		Usage:     "list the cycles, most recently launched first",
		UsageText: "rcm cycle list [--regime CODE] [--status open|closed|...] [--limit N] [--output table|json|csv]",
		Description: `A tiered cycle's levels column gives each level's due and close (the
cycle's own are its top level's).

Examples:
   rcm cycle list
   rcm cycle list --regime KTXH_THANG --status open --output json`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "regime", Usage: "only this regime's cycles"},
			&ucli.StringFlag{Name: "status", Usage: "only cycles in this status: launching, open, closing, closed, cancelled"},
			&ucli.IntFlag{Name: "limit", Usage: "at most this many (0: all)", Value: 100},
			outputFlag(),
		),
		Action: cycleList,
	}
}

func cycleList(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	q := url.Values{}
	for _, name := range []string{"regime", "status"} {
		if v := c.String(name); v != "" {
			q.Set(name, v)
		}
	}
	cycles, err := listAll[api.Cycle](c.Context, cl, "/api/v1/cycles", q, c.Int("limit"))
	if err != nil {
		return err
	}
	rows := make([][]string, len(cycles))
	for i, cyc := range cycles {
		status := cyc.Status
		if c.String("output") == outputTable || c.String("output") == "" {
			status = statusName(status)
		}
		rows[i] = []string{cyc.ID, cyc.Regime, cyc.Period, status, formatVN(cyc.Due), formatVN(cyc.Close), itoa(cyc.Expected), levelDates(cyc.Tiers)}
	}
	return printRecords(c, records{Header: []string{"id", "regime", "period", "status", "due", "close", "expected", "levels"}, Rows: rows, JSON: nonNil(cycles)})
}

// levelDates writes the due and close of each level of a tiered cycle
// ("1 Sở, ngành: due 06/11/2026 23:59, close …; 2 …"); nothing for a
// single-tier cycle, whose due and close are the cycle's.
func levelDates(tiers []api.CycleTier) string {
	parts := make([]string, len(tiers))
	for i, t := range tiers {
		parts[i] = fmt.Sprintf("%d %s: due %s, close %s", t.Level, t.NameVI, formatVN(t.Due), formatVN(t.Close))
	}
	return strings.Join(parts, "; ")
}

func cycleStatusCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "status",
		Usage:     "show a cycle: dates, status, agencies by status within your scope, and with --timeline its moments",
		ArgsUsage: "CYCLE-ID",
		UsageText: "rcm cycle status CYCLE-ID [--timeline] [--output table|json|csv]",
		Description: `--timeline (office staff and supervisors) asks the cycle's workflow for the
moments done, with what each wave did, and those still ahead.

Examples:
   rcm cycle status KTXH_THANG-2026-10
   rcm cycle status KTXH_THANG-2026-10 --timeline --output json`,
		Flags:  append(clientFlags(), &ucli.BoolFlag{Name: "timeline", Usage: "also show the timeline"}, outputFlag()),
		Action: cycleStatus,
	}
}

func cycleStatus(c *ucli.Context) error {
	id, err := cycleArg(c, "rcm cycle status KTXH_THANG-2026-10")
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var cyc api.Cycle
	if err := cl.do(c.Context, http.MethodGet, "/api/v1/cycles/"+pathEscape(id), nil, &cyc); err != nil {
		return err
	}
	var tl *api.Timeline
	if c.Bool("timeline") {
		tl = &api.Timeline{}
		if err := cl.do(c.Context, http.MethodGet, "/api/v1/cycles/"+pathEscape(id)+"/timeline", nil, tl); err != nil {
			return err
		}
	}
	return printCycle(c, cyc, tl)
}

func cycleExtendCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "extend",
		Usage:     "extend the due date (and close) for one agency or for all (office staff)",
		ArgsUsage: "CYCLE-ID",
		UsageText: "rcm cycle extend CYCLE-ID [--agency CODE] --due DATE --reason TEXT [--close DATE]",
		Description: `DATE is a day (the end of that day in the cycle's zone), an RFC 3339 time,
or +3d from now. Without --agency every agency gets the new date. The
agencies concerned are told, and nobody is reminded of the old date.

Examples:
   rcm cycle extend KTXH_THANG-2026-10 --agency LCI --due 2026-10-25 --reason "Lũ lụt tại Lào Cai"
   rcm cycle extend KTXH_THANG-2026-10 --due 2026-10-22 --reason "Nghỉ lễ bù"`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "agency", Usage: "only this agency"},
			&ucli.StringFlag{Name: "due", Usage: "the new due date (required)"},
			&ucli.StringFlag{Name: "close", Usage: "the new close (default: due plus the cycle's close-after)"},
			&ucli.StringFlag{Name: "reason", Usage: "why; the agencies are told (required)"},
			outputFlag(),
		),
		Action: cycleExtend,
	}
}

func cycleExtend(c *ucli.Context) error {
	id, err := cycleArg(c, `rcm cycle extend KTXH_THANG-2026-10 --due 2026-10-25 --reason "..."`)
	if err != nil {
		return err
	}
	if err := requireFlags(c, "due", "reason"); err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	body := api.ExtensionRequest{Agency: c.String("agency"), Due: c.String("due"), Close: c.String("close"), Reason: c.String("reason")}
	var ext api.Extension
	if err := cl.do(c.Context, http.MethodPost, "/api/v1/cycles/"+pathEscape(id)+"/extensions", body, &ext); err != nil {
		return err
	}
	agency := ext.Agency
	if agency == "" {
		agency = "(" + messages.Both("cli.all_agencies") + ")"
	}
	return printRecord(c, []field{{"cycle", ext.Cycle}, {"agency", agency}, {"old_due", formatVNPtr(ext.OldDue)},
		{"due", formatVN(ext.Due)}, {"close", formatVN(ext.Close)}, {"reason", ext.Reason}, {"agencies_moved", itoa(ext.Affected)}}, ext)
}

func cycleCloseCommand() *ucli.Command {
	return reasonCommand("close", "close the cycle now: final states, aggregates and the summary (office staff)",
		`Agencies that have not submitted are missing; versions not accepted are
not accepted. The cycle's workflow finishes the close within seconds:
follow it with rcm cycle status.

Examples:
   rcm cycle close KTXH_THANG-2026-10 --reason "Đã đủ số liệu"`)
}

func cycleCancelCommand() *ucli.Command {
	return reasonCommand("cancel", "cancel the cycle: no more notices, no final states (office staff)",
		`Examples:
   rcm cycle cancel KTXH_THANG-2026-10 --reason "Phát hành nhầm kỳ"`)
}

// reasonCommand builds cycle close and cycle cancel, which differ in name only.
func reasonCommand(name, usage, description string) *ucli.Command {
	return &ucli.Command{
		Name:        name,
		Usage:       usage,
		ArgsUsage:   "CYCLE-ID",
		UsageText:   "rcm cycle " + name + " CYCLE-ID --reason TEXT",
		Description: description,
		Flags:       append(clientFlags(), &ucli.StringFlag{Name: "reason", Usage: "why; it is recorded (required)"}, outputFlag()),
		Action: func(c *ucli.Context) error {
			id, err := cycleArg(c, fmt.Sprintf(`rcm cycle %s KTXH_THANG-2026-10 --reason "..."`, name))
			if err != nil {
				return err
			}
			if err := requireFlags(c, "reason"); err != nil {
				return err
			}
			cl, err := newClient(c)
			if err != nil {
				return err
			}
			var cyc api.Cycle
			if err := cl.do(c.Context, http.MethodPost, "/api/v1/cycles/"+pathEscape(id)+"/"+name, api.Reason{Reason: c.String("reason")}, &cyc); err != nil {
				return err
			}
			return printCycle(c, cyc, nil)
		},
	}
}

func cycleTiersCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "tiers",
		Usage:     "show a tiered cycle level by level: each level's rates, and what each upper-level agency waits for",
		ArgsUsage: "CYCLE-ID",
		UsageText: "rcm cycle tiers CYCLE-ID [--under CODE] [--output table|json|csv]",
		Description: `A cycle of a regime with levels (departments → province → office): each
level's due, expected, submitted and accepted reports within your scope,
then each agency of an upper level with the agencies of the level below it
that it still waits for (not accepted, no nil report, not closed out).
--output json adds each level's states and its own figures rolled up.

Examples:
   rcm cycle tiers SEI_TWO_TIER-2026-11
   rcm cycle tiers SEI_TWO_TIER-2026-11 --under HNI --output json`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "under", Usage: "only the subtree of this agency"},
			outputFlag(),
		),
		Action: cycleTiers,
	}
}

func cycleTiers(c *ucli.Context) error {
	id, err := cycleArg(c, "rcm cycle tiers SEI_TWO_TIER-2026-10")
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	path := "/api/v1/cycles/" + pathEscape(id) + "/tiers"
	if under := c.String("under"); under != "" {
		path += "?under=" + url.QueryEscape(under)
	}
	var tp api.TierProgress
	if err := cl.do(c.Context, http.MethodGet, path, nil, &tp); err != nil {
		return err
	}
	recs := records{Header: []string{"level", "agency", "due", "expected", "submitted", "accepted", "waiting for"}, JSON: tp}
	for _, l := range tp.Levels {
		recs.Rows = append(recs.Rows, []string{strconv.Itoa(l.Level), l.NameVI, formatVN(l.Due), strconv.Itoa(l.Rates.Expected),
			strconv.Itoa(l.Rates.Submitted), strconv.Itoa(l.Rates.Accepted), ""})
	}
	for _, p := range tp.Parents {
		recs.Rows = append(recs.Rows, []string{strconv.Itoa(p.Level), p.Agency, "", strconv.Itoa(p.Children), "",
			strconv.Itoa(p.Settled), fmt.Sprintf("%d/%d %s", len(p.WaitingFor), p.Children, strings.Join(p.WaitingFor, " "))})
	}
	return printRecords(c, recs)
}

func cycleConsolidationCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "consolidation",
		Usage:     "show an upper-level agency's report pre-filled from the accepted reports of the level below",
		ArgsUsage: "CYCLE-ID AGENCY",
		UsageText: "rcm cycle consolidation CYCLE-ID AGENCY [--output table|json|csv]",
		Description: `The figures an upper-level agency's report starts from: each indicator
of the accepted reports of the level below, rolled up by its aggregation
method, with its coverage (contributors/expected), the agencies still
missing, and those the agency's latest version was sent without. The
agency's page pre-fills its form with them.

Examples:
   rcm cycle consolidation SEI_TWO_TIER-2026-11 HNI
   rcm cycle consolidation SEI_TWO_TIER-2026-11 HNI --output json`,
		Flags:  append(clientFlags(), outputFlag()),
		Action: cycleConsolidation,
	}
}

func cycleConsolidation(c *ucli.Context) error {
	if c.NArg() != 2 {
		return usageError("%s: name one cycle and one agency, for example: rcm cycle consolidation SEI_TWO_TIER-2026-10 HNI", c.Command.FullName())
	}
	id, agency := c.Args().Get(0), c.Args().Get(1)
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var cons api.Consolidation
	if err := cl.do(c.Context, http.MethodGet, "/api/v1/cycles/"+pathEscape(id)+"/agencies/"+pathEscape(agency)+"/consolidation", nil, &cons); err != nil {
		return err
	}
	recs := records{Header: []string{"indicator", "aggregation", "value", "coverage"}, JSON: cons}
	for _, v := range cons.Values {
		recs.Rows = append(recs.Rows, []string{v.Indicator, v.Aggregation, v.Value, fmt.Sprintf("%d/%d", v.Contributors, v.Expected)})
	}
	if len(cons.WaitingFor) > 0 {
		recs.Rows = append(recs.Rows, []string{"(missing)", "", strings.Join(cons.WaitingFor, " "), ""})
	}
	if len(cons.SentWithout) > 0 {
		recs.Rows = append(recs.Rows, []string{fmt.Sprintf("(version %d sent without)", cons.LatestVersion), "", strings.Join(cons.SentWithout, " "), ""})
	}
	return printRecords(c, recs)
}
