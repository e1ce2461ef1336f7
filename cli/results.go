package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/messages"
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
agency. Once the cycle has closed the figures are final (on time, late,
missing, not accepted, submitted not reviewed, nil report); before, each
agency counts with its live state (not yet due, awaiting review, returned,
overdue, accepted, nil report) and the on-time rate is over what was
submitted so far. The DHIS2-compatible "submitted on time" rate counts a
first version before due whatever its review.

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
		Description: `Each indicator rolls up by its aggregation (sum, avg, min, max, a mean
weighted by another indicator such as weighted_mean:GRDP, or none) over the
accepted reports, with its coverage: contributors of the agencies expected.
Final once the cycle has closed; before, over the versions accepted so far.

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
	fmt.Fprintf(c.App.ErrWriter, "%s %s (%d bytes)\n", messages.Both("cli.saved"), file, buf.Len())
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
		fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", cycle, messages.Both("cli.final_figures"))
	} else {
		fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", cycle, messages.Both("cli.provisional_figures"))
	}
}

func percentText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) + "%" }

func compliance(c *ucli.Context) error {
	var res api.Compliance
	if saved, err := fetchResult(c, "compliance", &res); saved || err != nil {
		return err
	}
	table := c.String("output") == outputTable || c.String("output") == ""
	// The columns are the classification's: final states once closed, live
	// states before (nobody is missing or not accepted while the cycle runs).
	states := []string{string(reporting.ObligationOnTime), string(reporting.ObligationLate), string(reporting.ObligationMissing),
		string(reporting.ObligationNotAccepted), string(reporting.ObligationNotReviewed), string(reporting.ObligationNilReport)}
	onTimeName := "tỷ lệ đúng hạn"
	if !res.Final {
		states = []string{string(reporting.LiveNotYetDue), string(reporting.LiveAwaitingReview), string(reporting.LiveReturned),
			string(reporting.LiveOverdue), string(reporting.LiveAccepted), string(reporting.LiveNilReport)}
		onTimeName = "tỷ lệ đúng hạn (trên số đã nộp)"
	}
	header := append(append([]string{"agency", "name", "expected", "submitted"}, states...),
		"reporting_rate", "on_time_rate", "submitted_on_time_rate", "review_backlog", "versions_before_acceptance")
	if table {
		header = []string{"đơn vị", "tên", "phải nộp", "đã nộp"}
		for _, s := range states {
			header = append(header, statusName(s))
		}
		header = append(header, "tỷ lệ nộp", onTimeName, "tỷ lệ gửi đúng hạn (DHIS2)", "chờ xem xét", "số lần nộp trước khi chấp nhận")
	}
	rows := make([][]string, len(res.Items))
	for i, it := range res.Items {
		rate := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
		if table {
			rate = percentText
		}
		counts := []int{it.OnTime, it.Late, it.Missing, it.NotAccepted, it.NotReviewed, it.NilReport}
		if !res.Final {
			counts = []int{it.NotYetDue, it.AwaitingReview, it.Returned, it.Overdue, it.Accepted, it.NilReport}
		}
		row := []string{it.Agency, it.NameVI, itoa(it.Expected), itoa(it.Submitted)}
		for _, n := range counts {
			row = append(row, itoa(n))
		}
		rows[i] = append(row, rate(it.ReportingRate), rate(it.OnTimeRate), rate(it.SubmittedOnTimeRate),
			itoa(it.ReviewBacklog), itoa(it.VersionsBeforeAcceptance))
	}
	finalNote(c, res.Cycle, res.Final)
	return printRecords(c, records{Header: header, Rows: rows, JSON: res})
}

func aggregate(c *ucli.Context) error {
	var res api.Aggregates
	if saved, err := fetchResult(c, "aggregates", &res); saved || err != nil {
		return err
	}
	units, methods := map[string]string{}, map[string]string{}
	for _, ind := range res.Indicators {
		units[ind.Code], methods[ind.Code] = ind.Unit, ind.Aggregation
	}
	rows := make([][]string, len(res.Items))
	for i, it := range res.Items {
		rows[i] = []string{it.Agency, it.NameVI, it.Indicator, it.Value, units[it.Indicator], methods[it.Indicator],
			itoa(it.Contributors), itoa(it.Expected)}
	}
	finalNote(c, res.Cycle, res.Final)
	return printRecords(c, records{Header: []string{"agency", "name", "indicator", "value", "unit", "aggregation", "contributors", "expected"},
		Rows: rows, JSON: res})
}
