package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/reporting"
)

// resultFlags are the flags of rcm compliance and rcm aggregate.
func resultFlags() []ucli.Flag {
	return append(clientFlags(),
		&ucli.StringFlag{Name: "cycle", Usage: "the cycle (rcm cycle list) (required)"},
		&ucli.StringFlag{Name: "under", Usage: "only the subtree of this agency (one you may see)"},
		&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Value: outputTable, Usage: "output format: table, json, csv or xlsx (with --file)", EnvVars: []string{"RCM_OUTPUT"}},
		&ucli.StringFlag{Name: "file", Usage: "where to save the xlsx output (\"-\": standard output)"},
		&ucli.StringFlag{Name: "lang", Usage: "language of the xlsx headers and names: vi or en", Value: "vi"},
	)
}

func complianceCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "compliance",
		Usage:     "who reported, on time, late, missing or not accepted, for every part of the tree you see",
		UsageText: "rcm compliance --cycle CYCLE-ID [--under CODE] [--output table|json|csv|xlsx --file FILE]",
		Description: `Office staff see the whole tree, supervisors their subtree, officers their
agency. Once the cycle has closed the figures are final; before, they are
provisional: each agency counted as if the cycle closed now.

Examples:
   rcm compliance --cycle KTXH_THANG-2026-10
   rcm compliance --cycle KTXH_THANG-2026-10 --under R-DBSH --output xlsx --file tuan-thu.xlsx`,
		Flags:  resultFlags(),
		Action: compliance,
	}
}

func aggregateCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "aggregate",
		Usage:     "the indicator figures rolled up for every part of the tree you see",
		UsageText: "rcm aggregate --cycle CYCLE-ID [--under CODE] [--output table|json|csv|xlsx --file FILE]",
		Description: `Each indicator rolls up by its aggregation (sum, average, min, max) over
the accepted reports. Final once the cycle has closed; before, over the
versions accepted so far.

Examples:
   rcm aggregate --cycle KTXH_THANG-2026-10
   rcm aggregate --cycle KTXH_THANG-2026-10 --under R-DBSH --output csv > tong-hop.csv`,
		Flags:  resultFlags(),
		Action: aggregate,
	}
}

// resultPath is the API path of a cycle's results, with the query of the flags.
func resultPath(c *ucli.Context, what, format string) string {
	q := url.Values{}
	if under := c.String("under"); under != "" {
		q.Set("under", under)
	}
	if format != "" {
		q.Set("format", format)
		q.Set("lang", c.String("lang"))
	}
	path := "/api/v1/cycles/" + pathEscape(c.String("cycle")) + "/" + what
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return path
}

// saveXLSX downloads the spreadsheet of a result to --file.
func saveXLSX(c *ucli.Context, cl *apiClient, what string) error {
	file := c.String("file")
	if file == "" {
		return usageError("--output xlsx needs --file FILE.xlsx (or --file - for standard output)")
	}
	return saveDownload(c, cl, resultPath(c, what, "xlsx"), file)
}

// saveDownload saves the body of a GET to file, or writes it to standard
// output when file is "-".
func saveDownload(c *ucli.Context, cl *apiClient, path, file string) error {
	var buf bytes.Buffer
	if err := cl.download(c.Context, path, &buf); err != nil {
		return err
	}
	if file == "-" {
		_, err := c.App.Writer.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(file, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(c.App.ErrWriter, "Đã lưu / saved %s (%d bytes)\n", file, buf.Len())
	return nil
}

// fetchResult reads a cycle's result into out, or saves it as a spreadsheet
// with --output xlsx (then saved is true).
func fetchResult(c *ucli.Context, what string, out any) (saved bool, err error) {
	if err := requireFlags(c, "cycle"); err != nil {
		return false, err
	}
	cl, err := newClient(c)
	if err != nil {
		return false, err
	}
	if c.String("output") == "xlsx" {
		return true, saveXLSX(c, cl, what)
	}
	return false, cl.do(c.Context, http.MethodGet, resultPath(c, what, ""), nil, out)
}

// finalNote says, in table output, whether the figures are final.
func finalNote(c *ucli.Context, cycle string, final bool) {
	if f := c.String("output"); f != outputTable && f != "" {
		return
	}
	if final {
		fmt.Fprintf(c.App.ErrWriter, "%s: số liệu chính thức (kỳ đã đóng) / final figures\n", cycle)
	} else {
		fmt.Fprintf(c.App.ErrWriter, "%s: số liệu tạm tính (kỳ chưa đóng) / provisional figures, the cycle is still open\n", cycle)
	}
}

func percentText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) + "%" }

func compliance(c *ucli.Context) error {
	var res api.Compliance
	if saved, err := fetchResult(c, "compliance", &res); saved || err != nil {
		return err
	}
	table := c.String("output") == outputTable || c.String("output") == ""
	header := []string{"agency", "name", "expected", "submitted", "on_time", "late", "missing", "not_accepted", "reporting_rate", "on_time_rate"}
	if table {
		header = []string{"đơn vị", "tên", "phải nộp", "đã nộp", statusName(string(reporting.ObligationOnTime)), statusName(string(reporting.ObligationLate)), statusName(string(reporting.ObligationMissing)),
			statusName(string(reporting.ObligationNotAccepted)), "tỷ lệ nộp", "tỷ lệ đúng hạn"}
	}
	rows := make([][]string, len(res.Items))
	for i, it := range res.Items {
		rr, otr := strconv.FormatFloat(it.ReportingRate, 'f', -1, 64), strconv.FormatFloat(it.OnTimeRate, 'f', -1, 64)
		if table {
			rr, otr = percentText(it.ReportingRate), percentText(it.OnTimeRate)
		}
		rows[i] = []string{it.Agency, it.NameVI, itoa(it.Expected), itoa(it.Submitted), itoa(it.OnTime), itoa(it.Late),
			itoa(it.Missing), itoa(it.NotAccepted), rr, otr}
	}
	finalNote(c, res.Cycle, res.Final)
	return printRecords(c, records{Header: header, Rows: rows, JSON: res})
}

func aggregate(c *ucli.Context) error {
	var res api.Aggregates
	if saved, err := fetchResult(c, "aggregates", &res); saved || err != nil {
		return err
	}
	units := map[string]string{}
	for _, ind := range res.Indicators {
		units[ind.Code] = ind.Unit
	}
	rows := make([][]string, len(res.Items))
	for i, it := range res.Items {
		rows[i] = []string{it.Agency, it.NameVI, it.Indicator, it.Value, units[it.Indicator], itoa(it.Contributors)}
	}
	finalNote(c, res.Cycle, res.Final)
	return printRecords(c, records{Header: []string{"agency", "name", "indicator", "value", "unit", "contributors"}, Rows: rows, JSON: res})
}
