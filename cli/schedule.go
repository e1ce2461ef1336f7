package cli

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/messages"
)

// regimeScheduleCommand puts a regime on a schedule, or shows, pauses,
// resumes or deletes it.
func regimeScheduleCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "schedule",
		Usage:     "launch a regime's cycles automatically, the day each data window opens (office staff)",
		ArgsUsage: "CODE",
		UsageText: "rcm regime schedule CODE [--at 08:00] | --show | --pause | --resume | --delete",
		Description: `With --at (or nothing) it creates the regime's Temporal Schedule: each cycle
launches on the day its data window opens, at that time in the regime's
zone. --show prints it with its next launches; --pause and --resume stop and
restart it; --delete removes it (launched cycles go on).

Examples:
   rcm regime schedule KTXH_THANG --at 07:30
   rcm regime schedule KTXH_THANG --show
   rcm regime schedule KTXH_THANG --pause`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "at", Usage: "time of day HH:MM in the regime's zone", Value: "08:00"},
			&ucli.BoolFlag{Name: "show", Usage: "show the schedule and its next launches"},
			&ucli.BoolFlag{Name: "pause", Usage: "pause the automatic launches"},
			&ucli.BoolFlag{Name: "resume", Usage: "resume the automatic launches"},
			&ucli.BoolFlag{Name: "delete", Usage: "delete the schedule"},
			outputFlag(),
		),
		Action: regimeSchedule,
	}
}

func regimeSchedule(c *ucli.Context) error {
	if c.NArg() != 1 {
		return usageError("regime schedule: name one regime, for example: rcm regime schedule KTXH_THANG --at 08:00")
	}
	var actions []string
	for _, a := range []string{"show", "pause", "resume", "delete"} {
		if c.Bool(a) {
			actions = append(actions, a)
		}
	}
	if len(actions) > 1 || (len(actions) == 1 && c.IsSet("at")) {
		return usageError("regime schedule: give one of --at, --show, --pause, --resume, --delete")
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	path := "/api/v1/regimes/" + pathEscape(c.Args().First()) + "/schedule"
	var s api.Schedule
	action := "create"
	if len(actions) == 1 {
		action = actions[0]
	}
	switch action {
	case "create":
		hour, minute, err := parseClock(c.String("at"))
		if err != nil {
			return err
		}
		err = cl.do(c.Context, http.MethodPost, path, api.ScheduleRequest{Hour: hour, Minute: minute}, &s)
		if err != nil {
			return err
		}
	case "show":
		if err := cl.do(c.Context, http.MethodGet, path, nil, &s); err != nil {
			return err
		}
	case "pause", "resume":
		if err := cl.do(c.Context, http.MethodPost, path+"/"+action, nil, &s); err != nil {
			return err
		}
	case "delete":
		if err := cl.do(c.Context, http.MethodDelete, path, nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(c.App.ErrWriter, "Đã xóa lịch / schedule of %s deleted\n", c.Args().First())
		return nil
	}
	return printSchedules(c, []api.Schedule{s}, false)
}

// parseClock reads HH:MM.
func parseClock(text string) (hour, minute int, err error) {
	h, m, ok := strings.Cut(text, ":")
	hour, herr := strconv.Atoi(h)
	minute, merr := strconv.Atoi(m)
	if !ok || herr != nil || merr != nil || hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return 0, 0, usageError("--at %q: write the time of day as HH:MM, such as 08:00", text)
	}
	return hour, minute, nil
}

func printSchedules(c *ucli.Context, list []api.Schedule, asList bool) error {
	rows := make([][]string, len(list))
	for i, s := range list {
		state := messages.Both("cli.schedule_active")
		if s.Paused {
			state = messages.Both("cli.schedule_paused")
		}
		next := ""
		if len(s.NextRuns) > 0 {
			next = strings.Join(s.NextRuns[:min(3, len(s.NextRuns))], "; ")
		}
		rows[i] = []string{s.Regime, state, next, s.Note}
	}
	var js any = nonNil(list)
	if !asList && len(list) == 1 {
		js = list[0]
	}
	return printRecords(c, records{Header: []string{"regime", "state", "next_launches", "note"}, Rows: rows, JSON: js})
}

// scheduleCommand lists every regime's schedule.
func scheduleCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "schedule",
		Usage: "the regimes launched automatically (office staff)",
		Subcommands: []*ucli.Command{{
			Name:      "list",
			Usage:     "list every regime's schedule with its next launches",
			UsageText: "rcm schedule list [--output table|json|csv]",
			Description: `Examples:
   rcm schedule list
   rcm schedule list --output json`,
			Flags: append(clientFlags(), outputFlag()),
			Action: func(c *ucli.Context) error {
				cl, err := newClient(c)
				if err != nil {
					return err
				}
				var p api.Page[api.Schedule]
				if err := cl.do(c.Context, http.MethodGet, "/api/v1/schedules", nil, &p); err != nil {
					return err
				}
				return printSchedules(c, p.Items, true)
			},
		}},
	}
}
