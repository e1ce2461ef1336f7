package cli

import ucli "github.com/urfave/cli/v2"

// periodCommand answers calendar questions: the cut-off window and due date of a period.
// The reporting helper fills this in.
func periodCommand() *ucli.Command {
	return &ucli.Command{Name: "period", Usage: "show reporting periods, cut-off windows and due dates"}
}
