package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/messages"
)

// Content types of the files rcm submit sends.
const (
	contentTypeCSV  = "text/csv; charset=utf-8"
	contentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// submitCommand submits an agency's report.
func submitCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "submit",
		Usage: "submit your agency's report for a cycle (its reporting officer), from a file or values",
		UsageText: "rcm submit --cycle CYCLE-ID --agency CODE --file REPORT.csv|REPORT.xlsx [--idempotency-key KEY]\n" +
			"   rcm submit --cycle CYCLE-ID --agency CODE --value GRDP=1234.5 --value NOTE=\"...\" [--narrative TEXT]",
		Description: `The file is the template as rcm template export saves it, filled in: the
spreadsheet (.xlsx) or the CSV (indicator,value). "-" reads the file from
standard input. Each --value is CODE=VALUE, with '.' as the decimal point.
The receipt number is printed once the report is stored; keep it.
--idempotency-key makes a retry safe: the same key with the same content
answers the first receipt instead of storing another version. Refused
values are listed one per line, each naming its indicator.

Examples:
   rcm submit --cycle KTXH_THANG-2026-10 --agency HNI --file bao-cao-thang-10.xlsx
   rcm submit --cycle KTXH_THANG-2026-10 --agency HNI --value GRDP=1234.5 --value EMP=5200 --idempotency-key hni-2026-10-1`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "cycle", Usage: "the cycle (rcm cycle list) (required)"},
			&ucli.StringFlag{Name: "agency", Usage: "your agency's code (required)", EnvVars: []string{"RCM_AGENCY"}},
			&ucli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "the filled-in template, .csv or .xlsx (\"-\": standard input)"},
			&ucli.StringSliceFlag{Name: "value", Usage: "CODE=VALUE, repeated for each indicator"},
			&ucli.StringFlag{Name: "narrative", Usage: "a note with the figures (with --value)"},
			&ucli.StringFlag{Name: "idempotency-key", Usage: "retry-safe key: the same key and content answer the first receipt"},
			outputFlag(),
		),
		Action: submit,
	}
}

func submit(c *ucli.Context) error {
	if err := requireFlags(c, "cycle", "agency"); err != nil {
		return err
	}
	file, values := c.String("file"), c.StringSlice("value")
	switch {
	case file != "" && len(values) > 0:
		return usageError("submit: give --file or --value, not both")
	case file == "" && len(values) == 0:
		return usageError("submit: give the filled-in template with --file, or the figures with --value CODE=VALUE")
	case file != "" && c.IsSet("narrative"):
		return usageError("submit: --narrative goes with --value; a file carries its own figures")
	}
	var body []byte
	var contentType string
	var err error
	if file != "" {
		body, contentType, err = readReportFile(c, file)
	} else {
		body, contentType, err = valuesBody(values, c.String("narrative"))
	}
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	if key := c.String("idempotency-key"); key != "" {
		cl = cl.withHeader("Idempotency-Key", key)
	}
	path := fmt.Sprintf("/api/v1/cycles/%s/agencies/%s/submissions", pathEscape(c.String("cycle")), pathEscape(c.String("agency")))
	var receipt api.Receipt
	if err := cl.doRaw(c.Context, http.MethodPost, path, bytes.NewReader(body), contentType, &receipt); err != nil {
		return err
	}
	note, fields := receiptRecord(receipt)
	if f := c.String("output"); f == outputTable || f == "" {
		fmt.Fprintln(c.App.ErrWriter, note)
	}
	return printRecord(c, fields, receipt)
}

// receiptRecord is the line said about a receipt and its fields: figures
// that are estimates (số liệu ước tính) are called so in both.
func receiptRecord(r api.Receipt) (note string, fields []field) {
	note = messages.Both("cli.received")
	if r.Replayed {
		note = messages.Both("cli.received_earlier")
	}
	figures := messages.Both("cli.figures_actual")
	if r.Estimates {
		note += " — " + messages.Both("cli.figures_are_estimate")
		figures = messages.Both("cli.figures_estimate")
	}
	return note, []field{{"receipt", r.Number}, {"cycle", r.CycleID}, {"agency", r.AgencyCode},
		{"version", itoa(r.Version)}, {"submitted_at", formatVN(r.SubmittedAt)}, {"figures", figures}, {"content_hash", r.ContentHash},
		{"submission_id", fmt.Sprint(r.SubmissionID)}, {"replayed", fmt.Sprint(r.Replayed)}}
}

// readReportFile reads the file to submit and tells its type by its name,
// or by its first bytes when it comes from standard input.
func readReportFile(c *ucli.Context, name string) ([]byte, string, error) {
	data, err := readFileFlag(c, name)
	if err != nil {
		return nil, "", err
	}
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case ext == ".xlsx" || (name == "-" && bytes.HasPrefix(data, []byte("PK\x03\x04"))):
		return data, contentTypeXLSX, nil
	case ext == ".csv" || name == "-":
		return data, contentTypeCSV, nil
	default:
		return nil, "", usageError("--file %s: rcm reads the template as .xlsx or .csv (rcm template export); save it as one of those", name)
	}
}

// readFileFlag reads the file --file names, or standard input for "-".
func readFileFlag(c *ucli.Context, name string) ([]byte, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(c.App.Reader)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, usageError("--file: %v", err)
	}
	return data, nil
}

// valuesBody is the JSON body of --value CODE=VALUE flags; each value goes
// as a JSON string.
func valuesBody(pairs []string, narrative string) ([]byte, string, error) {
	req := api.SubmissionRequest{Values: map[string]json.RawMessage{}, Narrative: narrative}
	for _, pair := range pairs {
		code, value, ok := strings.Cut(pair, "=")
		code = strings.TrimSpace(code)
		if !ok || code == "" {
			return nil, "", usageError("--value %q: write CODE=VALUE, such as GRDP=1234.5", pair)
		}
		if _, dup := req.Values[code]; dup {
			return nil, "", usageError("--value: %s is given twice", code)
		}
		text, err := json.Marshal(value)
		if err != nil {
			return nil, "", fmt.Errorf("encode --value %s: %w", code, err)
		}
		req.Values[code] = text
	}
	buf, err := jsonBody(req)
	if err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "application/json", nil
}

// withHeader returns a copy of the client that sends one more header on
// every request.
func (cl *apiClient) withHeader(name, value string) *apiClient {
	out := *cl
	base := cl.http.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	out.http = &http.Client{Timeout: cl.http.Timeout, Transport: headerTransport{base: base, name: name, value: value}}
	return &out
}

// headerTransport sets a header on each request it carries.
type headerTransport struct {
	base        http.RoundTripper
	name, value string
}

// RoundTrip sends a copy of r with the header set.
func (t headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(t.name, t.value)
	return t.base.RoundTrip(r)
}
