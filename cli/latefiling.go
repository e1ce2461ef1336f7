package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/reporting"
)

// lateFileCommand files a report after its obligation's close.
func lateFileCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "late-file",
		Usage: "file your agency's report late, after close (khóa sổ), with a reason (its reporting officer); the office admits or refuses it",
		UsageText: "rcm late-file --cycle CYCLE-ID --agency CODE --reason TEXT --file REPORT.csv|REPORT.xlsx\n" +
			"   rcm late-file --cycle CYCLE-ID --agency CODE --reason TEXT --value CODE=VALUE ... [--narrative TEXT]",
		Description: `After an obligation's close (khóa sổ) nothing is submitted and its final state stands.
An agency whose report was missing or not accepted at close may still file it late, within
the regime's late filing window (late_filing_days after the close, 30 by default). The
version gets a receipt marked late-filed and counts only once office staff admit it: then
it is the agency's accepted report, counted late (never on time), and the cycle's
compliance and aggregates are recomputed. A refusal leaves the state at close.

Examples:
   rcm late-file --cycle KTXH_THANG-2026-10 --agency LCI --file bao-cao.csv --reason "Mất điện diện rộng do bão số 10"
   rcm late-file --cycle KTXH_THANG-2026-10 --agency LCI --value GRDP=1234.5 --reason "Bị trả lại, chưa kịp nộp lại"`,
		Flags: append(append(clientFlags(), obligationFlags()...),
			&ucli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "the filled-in template, .csv or .xlsx (\"-\": standard input)"},
			&ucli.StringSliceFlag{Name: "value", Usage: "CODE=VALUE, repeated for each indicator"},
			&ucli.StringFlag{Name: "narrative", Usage: "a note with the figures (with --value)"},
			outputFlag()),
		Action: lateFile,
	}
}

func lateFile(c *ucli.Context) error {
	if err := requireFlags(c, "cycle", "agency", "reason"); err != nil {
		return err
	}
	file, values := c.String("file"), c.StringSlice("value")
	switch {
	case file != "" && len(values) > 0:
		return usageError("late-file: give --file or --value, not both")
	case file == "" && len(values) == 0:
		return usageError("late-file: give the filled-in template with --file, or the figures with --value CODE=VALUE")
	case file != "" && c.IsSet("narrative"):
		return usageError("late-file: --narrative goes with --value; a file carries its own figures")
	}
	var body []byte
	var contentType string
	var err error
	if file != "" {
		body, contentType, err = lateFileForm(c, file)
	} else {
		body, contentType, err = lateValuesBody(values, c.String("narrative"), c.String("reason"))
	}
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	path := fmt.Sprintf("/api/v1/cycles/%s/agencies/%s/late-filings", pathEscape(c.String("cycle")), pathEscape(c.String("agency")))
	var out api.LateFiling
	if err := cl.doRaw(c.Context, http.MethodPost, path, bytes.NewReader(body), contentType, &out); err != nil {
		return fmt.Errorf("late filing: %w", err)
	}
	if f := c.String("output"); f == outputTable || f == "" {
		fmt.Fprintf(c.App.ErrWriter, "Late filing %d recorded, receipt %s; it counts once the office admits it (rcm late-filing list).\n",
			out.LateFiling.ID, out.Receipt.Number)
	}
	return printRecord(c, []field{{"late_filing", fmt.Sprint(out.LateFiling.ID)}, {"status", out.LateFiling.Status},
		{"receipt", out.Receipt.Number}, {"version", itoa(out.Receipt.Version)}, {"submitted_at", formatVN(out.Receipt.SubmittedAt)},
		{"reason", out.LateFiling.Reason}}, out)
}

// lateFileForm is the multipart form of a late filing from a file: the
// file and the reason.
func lateFileForm(c *ucli.Context, name string) ([]byte, string, error) {
	data, contentType, err := readReportFile(c, name)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filepath.Base(name)))
	h.Set("Content-Type", contentType)
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := part.Write(data); err != nil {
		return nil, "", err
	}
	if err := w.WriteField("reason", c.String("reason")); err != nil {
		return nil, "", err
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// lateValuesBody is the JSON body of a late filing from --value flags.
func lateValuesBody(pairs []string, narrative, reason string) ([]byte, string, error) {
	body, _, err := valuesBody(pairs, narrative)
	if err != nil {
		return nil, "", err
	}
	var req api.SubmissionRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, "", fmt.Errorf("late filing body: %w", err)
	}
	buf, err := jsonBody(api.LateFilingRequest{Values: req.Values, Narrative: req.Narrative, Reason: reason})
	if err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "application/json", nil
}

// lateFilingCommand lists and answers late filings (office staff).
func lateFilingCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "late-filing",
		Usage: "list late filings and admit or refuse them (office staff)",
		Subcommands: []*ucli.Command{
			{
				Name:      "list",
				Usage:     "list late filings, newest first",
				UsageText: "rcm late-filing list [--cycle CYCLE-ID] [--status pending|admitted|refused]",
				Description: `Examples:
   rcm late-filing list --status pending
   rcm late-filing list --cycle KTXH_THANG-2026-10 --output json`,
				Flags: append(clientFlags(),
					&ucli.StringFlag{Name: "cycle", Usage: "only this cycle's late filings"},
					&ucli.StringFlag{Name: "status", Usage: "pending, admitted or refused"},
					&ucli.IntFlag{Name: "limit", Usage: "at most this many (1 to 500)", Value: 100},
					outputFlag()),
				Action: lateFilingList,
			},
			lateFilingDecisionCommand("admit", reporting.ActionAdmitted,
				"admit a late filing: its version is the agency's accepted report, counted late; the cycle's results are recomputed",
				"rcm late-filing admit LATE-FILING-ID [--reason TEXT]"),
			lateFilingDecisionCommand("refuse", reporting.ActionRefused,
				"refuse a late filing with a reason the agency is told; the state at close stands",
				"rcm late-filing refuse LATE-FILING-ID --reason TEXT"),
		},
	}
}

func lateFilingList(c *ucli.Context) error {
	return listActions(c, "/api/v1/late-filings", "late_filing", "version", func(a api.Action) string { return itoa(a.Version) })
}

func lateFilingDecisionCommand(name string, decision reporting.ActionStatus, usage, usageText string) *ucli.Command {
	return &ucli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: "LATE-FILING-ID",
		UsageText: usageText,
		Description: `rcm late-filing list --status pending shows them.

Examples:
   rcm late-filing admit 21
   rcm late-filing refuse 22 --reason "Đã quá thời hạn tổng hợp báo cáo Chính phủ"`,
		Flags: append(clientFlags(), &ucli.StringFlag{Name: "reason", Usage: "why; required to refuse (the agency is told)"}, outputFlag()),
		Action: func(c *ucli.Context) error {
			id, err := decisionID(c, "late-filing "+name, usageText, "rcm late-filing list")
			if err != nil {
				return err
			}
			body := api.LateFilingDecision{Decision: string(decision), Reason: c.String("reason")}
			return postDecision(c, decision, fmt.Sprintf("/api/v1/late-filings/%d/decision", id), body)
		},
	}
}
