package cli

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/schollz/progressbar/v3"
	ucli "github.com/urfave/cli/v2"
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

// agencyRecord is an agency as the API sends and takes it.
type agencyRecord struct {
	Code         string `json:"code"`
	Parent       string `json:"parent,omitempty"`
	Path         string `json:"path,omitempty"`
	NameVI       string `json:"name_vi"`
	NameEN       string `json:"name_en,omitempty"`
	Kind         string `json:"kind"`
	OfficerEmail string `json:"officer_email,omitempty"`
	HeadEmail    string `json:"head_email,omitempty"`
	Language     string `json:"language,omitempty"`
	ActiveFrom   string `json:"active_from,omitempty"`
	ActiveUntil  string `json:"active_until,omitempty"`
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
	if bar := progressFor(c, len(agencies), int64(body.Len()), "gửi danh sách cơ quan / sending agencies"); bar != nil {
		r := progressbar.NewReader(body, bar)
		reader = &r
		defer bar.Close()
	}
	var result struct {
		Received  int `json:"received"`
		Created   int `json:"created"`
		Updated   int `json:"updated"`
		Unchanged int `json:"unchanged"`
	}
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

// agencyColumns are the columns readAgencyCSV knows; the first four are required.
var agencyColumns = []string{"code", "name_vi", "name_en", "kind", "region", "parent", "officer_email", "head_email", "language"}

// readAgencyCSV reads the agency CSV and returns the agencies to import:
// the root (unless the file has a national row), one per region, then the
// rows, each placed under its parent, region or the root.
func readAgencyCSV(r io.Reader, rootCode string) ([]agencyRecord, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty; the first line must name the columns code,name_vi,name_en,kind,region")
	}
	if err != nil {
		return nil, fmt.Errorf("not CSV: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(agencyColumns, name) {
			return nil, fmt.Errorf("line 1: column %q is unknown; the columns are %s", h, strings.Join(agencyColumns, ", "))
		}
		col[name] = i
	}
	for _, required := range []string{"code", "name_vi", "kind"} {
		if _, ok := col[required]; !ok {
			return nil, fmt.Errorf("line 1: column %s is missing; the first line must name at least code, name_vi and kind", required)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}

	var rows []agencyRecord
	var regions []agencyRecord
	regionCode := map[string]string{} // name → code
	regionName := map[string]string{} // code → name
	hasNational := false
	var problems []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		a := agencyRecord{Code: get(rec, "code"), NameVI: get(rec, "name_vi"), NameEN: get(rec, "name_en"), Kind: get(rec, "kind"),
			Parent: get(rec, "parent"), OfficerEmail: get(rec, "officer_email"), HeadEmail: get(rec, "head_email"), Language: get(rec, "language")}
		if a.Code == "" && a.NameVI == "" {
			continue
		}
		if a.Code == "" || a.NameVI == "" || a.Kind == "" {
			problems = append(problems, fmt.Sprintf("line %d: code, name_vi and kind are required", line))
			continue
		}
		if a.Kind == "national" {
			hasNational, rootCode = true, a.Code
		}
		if region := get(rec, "region"); region != "" && a.Parent == "" {
			code, ok := regionCode[region]
			if !ok {
				code = RegionCode(region)
				if other, taken := regionName[code]; taken {
					problems = append(problems, fmt.Sprintf("line %d: regions %q and %q both abbreviate to %s; give these rows a parent column instead", line, other, region, code))
					continue
				}
				regionCode[region], regionName[code] = code, region
				regions = append(regions, agencyRecord{Code: code, NameVI: region, Kind: "region"})
			}
			a.Parent = code
		}
		rows = append(rows, a)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n  "))
	}
	if len(rows) == 0 {
		return nil, errors.New("the file has no agencies after its header line")
	}
	var out []agencyRecord
	if !hasNational {
		out = append(out, agencyRecord{Code: rootCode, NameVI: "Việt Nam", NameEN: "Viet Nam", Kind: "national"})
	}
	for _, reg := range regions {
		reg.Parent = rootCode
		out = append(out, reg)
	}
	for _, a := range rows {
		if a.Parent == "" && a.Kind != "national" {
			a.Parent = rootCode
		}
		out = append(out, a)
	}
	return out, nil
}

// RegionCode makes the code of a region from its name: "R-" and the
// initial of each word, without diacritics ("Đồng bằng sông Hồng" → R-DBSH,
// "Tây Nguyên" → R-TN).
func RegionCode(name string) string {
	var b strings.Builder
	b.WriteString("R-")
	for _, word := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		first := []rune(word)[0]
		b.WriteRune(unicode.ToUpper(foldVietnamese(first)))
	}
	return b.String()
}

// foldVietnamese maps a Vietnamese letter to its base Latin letter.
func foldVietnamese(r rune) rune {
	lower := unicode.ToLower(r)
	switch {
	case strings.ContainsRune("àáảãạăằắẳẵặâầấẩẫậ", lower):
		return 'a'
	case lower == 'đ':
		return 'd'
	case strings.ContainsRune("èéẻẽẹêềếểễệ", lower):
		return 'e'
	case strings.ContainsRune("ìíỉĩị", lower):
		return 'i'
	case strings.ContainsRune("òóỏõọôồốổỗộơờớởỡợ", lower):
		return 'o'
	case strings.ContainsRune("ùúủũụưừứửữự", lower):
		return 'u'
	case strings.ContainsRune("ỳýỷỹỵ", lower):
		return 'y'
	}
	return r
}

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
	agencies, err := listAll[agencyRecord](c.Context, cl, "/api/v1/agencies", q, c.Int("limit"))
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
	var a agencyRecord
	if err := getNamed(c, "agency show: name one agency code, for example: rcm agency show HNI", "/api/v1/agencies/", &a); err != nil {
		return err
	}
	return printRecord(c, []field{
		{"code", a.Code}, {"parent", a.Parent}, {"path", a.Path}, {"kind", a.Kind}, {"name_vi", a.NameVI},
		{"name_en", a.NameEN}, {"officer_email", a.OfficerEmail}, {"head_email", a.HeadEmail},
		{"language", a.Language}, {"active_from", a.ActiveFrom}, {"active_until", a.ActiveUntil},
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

// nonNil makes JSON output of an empty list [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
