package cli

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"

	"github.com/schollz/progressbar/v3"
	ucli "github.com/urfave/cli/v2"

	"rcm/agencyfile"
	"rcm/api"
	"rcm/messages"
	"rcm/reporting"
)

// agencyCommand manages the agency tree.
func agencyCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "agency",
		Usage: "import, list and show the agencies that report",
		Subcommands: []*ucli.Command{
			agencyImportCommand(),
			agencyListCommand(),
			agencyShowCommand(),
		},
	}
}

func agencyImportCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "import",
		Usage:     "create and update agencies from a CSV file, all or nothing (office staff)",
		ArgsUsage: "FILE.csv",
		UsageText: "rcm agency import FILE.csv [--root CODE] [--server URL] [--token TOKEN]",
		Description: `The CSV file has a header line and the columns code, name_vi, name_en, kind
and region, and optionally parent, officer_email, head_email and language (vi
or en), in any order. kind is one of national, region, ministry,
ministerial_agency, government_agency, province, city, corporation,
department, district, other.

Each distinct region becomes an agency of kind region under the national
root, coded R- and the initials of its name: "Đồng bằng sông Hồng" is R-DBSH.
A row with a parent is placed under it; a row with a region under the
region; any other row under the root (--root, created if the file has no
row of kind national). Rows may come in any order. Importing the same file
again changes nothing; a row that changed updates its agency.

Examples:
   rcm agency import vn-agencies-2025.csv
   RCM_TOKEN=rcm_… rcm agency import departments.csv --server https://rcm.example.gov.vn`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "root", Usage: "code of the national root, used when the file has no row of kind national", Value: "VN"},
			outputFlag(),
		),
		Action: agencyImport,
	}
}

func agencyImport(c *ucli.Context) error {
	if c.NArg() != 1 {
		return usageError("agency import: name one CSV file, for example: rcm agency import agencies.csv")
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	f, err := os.Open(c.Args().First())
	if err != nil {
		return usageError("agency import: %v", err)
	}
	defer f.Close()
	agencies, err := readAgencyCSV(f, c.String("root"))
	if err != nil {
		return usageError("agency import %s: %v", c.Args().First(), err)
	}
	body, err := jsonBody(agencies)
	if err != nil {
		return err
	}
	var reader io.Reader = body
	if bar := progressFor(c, len(agencies), int64(body.Len()), messages.Both("cli.sending_agencies")); bar != nil {
		r := progressbar.NewReader(body, bar)
		reader = &r
		defer bar.Close()
	}
	var result api.ImportResult
	if err := cl.doRaw(c.Context, http.MethodPost, "/api/v1/agencies:import", reader, "application/json", &result); err != nil {
		return err
	}
	return printRecords(c, records{
		Header: []string{"received", "created", "updated", "unchanged"},
		Rows:   [][]string{{itoa(result.Received), itoa(result.Created), itoa(result.Updated), itoa(result.Unchanged)}},
		JSON:   result,
	})
}

// progressLines is the size of an import from which a progress bar shows.
const progressLines = 1000

// progressFor returns a progress bar over size bytes for an operation on n
// records, or nil when n is small or the error stream is not a terminal.
func progressFor(c *ucli.Context, n int, size int64, description string) *progressbar.ProgressBar {
	if n < progressLines || !isTerminal(c.App.ErrWriter) {
		return nil
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(c.App.ErrWriter),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowBytes(true),
		progressbar.OptionClearOnFinish(),
	)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// readAgencyCSV reads the agency CSV (see agencyfile.Read) and returns the
// agencies to send to the API.
func readAgencyCSV(r io.Reader, rootCode string) ([]api.Agency, error) {
	agencies, err := agencyfile.Read(r, rootCode)
	if err != nil {
		return nil, err
	}
	out := make([]api.Agency, len(agencies))
	for i, a := range agencies {
		out[i] = api.Agency{Code: a.Code, Parent: a.ParentCode, NameVI: a.NameVI, NameEN: a.NameEN, Kind: a.Kind,
			OfficerEmail: a.OfficerEmail, HeadEmail: a.HeadEmail, Language: a.Language}
	}
	return out, nil
}

// RegionCode makes the code of a region from its name (see
// agencyfile.RegionCode): "Đồng bằng sông Hồng" → R-DBSH.
func RegionCode(name string) string { return agencyfile.RegionCode(name) }

func agencyListCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "list",
		Usage:     "list the agencies you may see",
		UsageText: "rcm agency list [--under CODE] [--kind KIND] [--limit N] [--output table|json|csv]",
		Description: `Office staff see every agency, supervisors their subtree, officers their own.

Examples:
   rcm agency list
   rcm agency list --under R-DBSH --kind city --output csv`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "under", Usage: "only the subtree rooted at this agency"},
			&ucli.StringFlag{Name: "kind", Usage: "only agencies of this kind (province, city, ministry, ...)"},
			&ucli.IntFlag{Name: "limit", Usage: "at most this many (0 = all)"},
			outputFlag(),
		),
		Action: agencyList,
	}
}

func agencyList(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	q := url.Values{"limit": {"500"}}
	for _, name := range []string{"under", "kind"} {
		if v := c.String(name); v != "" {
			q.Set(name, v)
		}
	}
	agencies, err := listAll[api.Agency](c.Context, cl, "/api/v1/agencies", q, c.Int("limit"))
	if err != nil {
		return err
	}
	rows := make([][]string, len(agencies))
	for i, a := range agencies {
		rows[i] = []string{a.Code, a.Parent, a.Kind, a.NameVI, a.NameEN, a.OfficerEmail}
	}
	return printRecords(c, records{
		Header: []string{"code", "parent", "kind", "name_vi", "name_en", "officer_email"},
		Rows:   rows,
		JSON:   nonNil(agencies),
	})
}

func agencyShowCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "show one agency",
		ArgsUsage: "CODE",
		UsageText: "rcm agency show CODE [--output table|json|csv]",
		Description: `Examples:
   rcm agency show HNI
   rcm agency show R-DBSH --output json`,
		Flags:  append(clientFlags(), outputFlag()),
		Action: agencyShow,
	}
}

func agencyShow(c *ucli.Context) error {
	var a api.Agency
	if err := getNamed(c, "agency show: name one agency code, for example: rcm agency show HNI", "/api/v1/agencies/", &a); err != nil {
		return err
	}
	return printRecord(c, []field{
		{"code", a.Code}, {"parent", a.Parent}, {"path", a.Path}, {"kind", a.Kind}, {"name_vi", a.NameVI},
		{"name_en", a.NameEN}, {"officer_email", a.OfficerEmail}, {"head_email", a.HeadEmail},
		{"language", a.Language}, {"active_from", dateText(a.ActiveFrom)}, {"active_until", dateText(a.ActiveUntil)},
	}, a)
}

// field is one line of a record shown on its own.
type field struct{ name, value string }

// printRecord prints one record: as a two-column table of fields, or as one
// CSV row under a header, or as JSON.
func printRecord(c *ucli.Context, fields []field, jsonValue any) error {
	if f := c.String("output"); f == outputTable || f == "" {
		rows := make([][]string, len(fields))
		for i, fl := range fields {
			rows[i] = []string{fl.name, fl.value}
		}
		return printRecords(c, records{Header: []string{"field", "value"}, Rows: rows})
	}
	header := make([]string, len(fields))
	row := make([]string, len(fields))
	for i, fl := range fields {
		header[i], row[i] = fl.name, fl.value
	}
	return printRecords(c, records{Header: header, Rows: [][]string{row}, JSON: jsonValue})
}

func itoa(n int) string { return strconv.Itoa(n) }

// dateText writes an optional date as the API does, YYYY-MM-DD; none is "".
func dateText(d *reporting.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// nonNil makes JSON output of an empty list [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
