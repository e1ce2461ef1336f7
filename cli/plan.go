package cli

import (
	"fmt"
	"rcm/messages"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
)

func cyclePlanCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "plan",
		Usage: "preview what launching a cycle would send, without launching it (office staff)",
		UsageText: "rcm cycle plan --regime CODE --period PERIOD [--due +2m|DATE|RFC3339] [--reminders 3d,1d]\n" +
			"      [--escalations AFTER:RECIPIENTS[*TIMES/REPEAT],...] [--review-time 3d] [--close-after 10d] [--output table|json|csv]",
		Description: `Takes the flags of rcm cycle launch and lays out the cycle it would
create, as its workflow will: the deadline notice at launch, every reminder,
the overdue notice at due, every escalation and the close, each at its
instant (dd/mm/yyyy HH:MM in the regime's zone, Vietnam by default) with its
recipients and how many people it writes to. Flagged: agencies without an
officer's or head's address (their mail is skipped) and moments outside
office hours (before the regime's send time, from 17:00, or on a day off of
the shared calendar). Nothing is launched.

Examples:
   rcm cycle plan --regime KTXH_THANG --period 2026-10
   rcm cycle plan --regime KTXH_THANG --period 2026-10 --reminders 3d,1d --output json`,
		Flags:  slices.Concat(clientFlags(), launchFlags(), []ucli.Flag{outputFlag()}),
		Action: cyclePlan,
	}
}

func cyclePlan(c *ucli.Context) error {
	var plan api.LaunchPlan
	if _, err := postLaunch(c, "/api/v1/cycles/plan", &plan); err != nil {
		return err
	}
	if f := c.String("output"); f != outputTable && f != "" {
		recs := planSendRecords(plan)
		recs.JSON = plan
		return printRecords(c, recs)
	}
	if err := printRecord(c, planFields(plan), plan); err != nil {
		return err
	}
	return printRecords(c, planSendRecords(plan))
}

// planFields are the plan's cycle and audience, one field a line.
func planFields(p api.LaunchPlan) []field {
	names := func(refs []api.AgencyRef) string {
		out := make([]string, len(refs))
		for i, r := range refs {
			out[i] = r.Code + " (" + r.NameVI + ")"
		}
		return strings.Join(out, ", ")
	}
	return []field{
		{"cycle", p.ID}, {"report", "Báo cáo " + p.LabelVI + " / Report for " + p.LabelEN},
		{"cut_off", formatVN(p.CutOff)}, {"due", formatVN(p.Due)}, {"close", formatVN(p.Close)},
		{"send_time", p.SendTime}, {"agencies", itoa(p.Agencies)},
		{"no_officer_address", fmt.Sprintf("%d %s", len(p.NoOfficerAddress), names(p.NoOfficerAddress))},
		{"no_head_address", fmt.Sprintf("%d %s", len(p.NoHeadAddress), names(p.NoHeadAddress))},
		{"supervisors", itoa(p.Supervisors)}, {"unsupervised", itoa(p.Unsupervised)}, {"staff", itoa(p.Staff)},
	}
}

// planSendRecords are the plan's moments, one a row: instant, kind (step
// n/m), recipients, people, agencies without an address, and a flag when
// outside office hours.
func planSendRecords(p api.LaunchPlan) records {
	rows := make([][]string, len(p.Sends))
	for i, s := range p.Sends {
		kind := messages.EventName(messages.Vietnamese, s.Kind)
		if s.Of > 1 {
			kind = fmt.Sprintf("%s %d/%d", kind, s.Step, s.Of)
		}
		who := make([]string, len(s.Recipients))
		for j, r := range s.Recipients {
			who[j] = messages.EventName(messages.Vietnamese, r)
		}
		flag := ""
		if s.When != "in_hours" {
			flag = "⚠ " + messages.EventName(messages.Vietnamese, s.When)
		}
		rows[i] = []string{formatVNSeconds(s.At), kind, strings.Join(who, " + "), itoa(s.Count), itoa(s.NoAddress), flag}
	}
	return records{Header: []string{"thời điểm / at", "loại / kind", "người nhận / recipients", "số người / people",
		"thiếu địa chỉ / no address", "ngoài giờ / out of hours"}, Rows: rows}
}
