package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter"
	ucli "github.com/urfave/cli/v2"

	"rcm/csvfile"
)

// Output formats every listing command accepts with --output.
const (
	outputTable = "table"
	outputJSON  = "json"
	outputCSV   = "csv"
)

// outputFlag is the --output flag shared by commands that print records.
func outputFlag() *ucli.StringFlag {
	return &ucli.StringFlag{
		Name:    "output",
		Aliases: []string{"o"},
		Value:   outputTable,
		Usage:   "output format: table, json or csv",
		EnvVars: []string{"RCM_OUTPUT"},
	}
}

// records is what a command prints: rows for table and CSV output, and the
// value encoded for JSON output (usually the API's own objects).
type records struct {
	Header []string
	Rows   [][]string
	JSON   any
}

// printRecords writes recs to w in the format named by the --output flag.
func printRecords(c *ucli.Context, recs records) error {
	return writeRecords(c.App.Writer, c.String("output"), recs)
}

func writeRecords(w io.Writer, format string, recs records) error {
	switch format {
	case outputTable, "":
		table := tablewriter.NewWriter(w)
		table.Header(toAny(recs.Header)...)
		if err := table.Bulk(recs.Rows); err != nil {
			return fmt.Errorf("format table: %w", err)
		}
		if err := table.Render(); err != nil {
			return fmt.Errorf("print table: %w", err)
		}
		return nil
	case outputJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(recs.JSON); err != nil {
			return fmt.Errorf("print json: %w", err)
		}
		return nil
	case outputCSV:
		// csvfile neutralises cells a spreadsheet program would run as
		// formulas (names typed by staff and agencies); figures, negative
		// ones included, stay numbers.
		cw := csvfile.NewWriter(w)
		if err := cw.Write(recs.Header); err != nil {
			return fmt.Errorf("print csv: %w", err)
		}
		if err := cw.WriteAll(recs.Rows); err != nil {
			return fmt.Errorf("print csv: %w", err)
		}
		return nil
	default:
		return usageError("--output: unknown format %q; use table, json or csv", format)
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
