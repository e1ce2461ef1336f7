package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/csvfile"
)

// templateCommand manages report templates.
func templateCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "template",
		Usage: "create, list, show and export report templates",
		Subcommands: []*ucli.Command{
			templateCreateCommand(),
			templateListCommand(),
			templateShowCommand(),
			templateExportCommand(),
		},
	}
}

func templateCreateCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "create",
		Usage: "create a report template from a JSON or CSV file (office staff)",
		UsageText: "rcm template create --file template.json\n" +
			"   rcm template create --file indicators.csv --code CODE --name-vi NAME [--name-en NAME]",
		Description: `A JSON file is the API's template: {"code", "name_vi", "name_en",
"indicators": [{"code", "name_vi", "name_en", "unit", "type", "required",
"min", "max", "aggregation"}]}. A CSV file lists the indicators, one a line,
under a header naming those columns (code, name_vi and type are required);
--code and --name-vi then name the template. type is integer, decimal,
percent or text; aggregation sum, avg, min, max or none; required true/false
(also yes/no, có/không, x). Templates never change once created.

Examples:
   rcm template create --file ktxh.json
   rcm template create --file ktxh.csv --code KTXH --name-vi "Báo cáo kinh tế - xã hội"`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "the template (.json) or its indicators (.csv)", Required: true},
			&ucli.StringFlag{Name: "code", Usage: "template code, for a CSV file"},
			&ucli.StringFlag{Name: "name-vi", Usage: "Vietnamese name, for a CSV file"},
			&ucli.StringFlag{Name: "name-en", Usage: "English name, for a CSV file"},
			outputFlag(),
		),
		Action: templateCreate,
	}
}

func templateCreate(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	file := c.String("file")
	raw, err := os.ReadFile(file)
	if err != nil {
		return usageError("--file: %v", err)
	}
	var body []byte
	switch strings.ToLower(filepath.Ext(file)) {
	case ".json":
		if c.String("code") != "" || c.String("name-vi") != "" {
			return usageError("--code and --name-vi are for CSV files; a JSON template names itself")
		}
		body = raw
	case ".csv":
		t := api.Template{Code: c.String("code"), NameVI: c.String("name-vi"), NameEN: c.String("name-en")}
		if t.Code == "" || t.NameVI == "" {
			return usageError("a CSV file lists indicators only: name the template with --code and --name-vi")
		}
		if t.Indicators, err = readIndicatorCSV(bytes.NewReader(raw)); err != nil {
			return usageError("%s: %v", file, err)
		}
		if body, err = json.Marshal(t); err != nil {
			return fmt.Errorf("encode template: %w", err)
		}
	default:
		return usageError("--file %s: give a .json or .csv file", file)
	}
	var created api.Template
	if err := cl.doRaw(c.Context, http.MethodPost, "/api/v1/templates", bytes.NewReader(body), "application/json", &created); err != nil {
		return err
	}
	return printIndicators(c, created)
}

var indicatorColumns = []string{"code", "name_vi", "name_en", "unit", "type", "required", "min", "max", "aggregation"}

// readIndicatorCSV reads a template's indicators from CSV (read by csvfile,
// as every CSV from outside). Bounds are figures in the canonical notation,
// as the API takes them.
func readIndicatorCSV(r io.Reader) ([]api.Indicator, error) {
	cr := csvfile.NewReader(r, csvfile.Limits{})
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty; the first line must name the columns " + strings.Join(indicatorColumns, ","))
	}
	if err != nil {
		return nil, err // a *csvfile.Error, naming its line
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(indicatorColumns, name) {
			return nil, fmt.Errorf("line 1: column %q is unknown; the columns are %s", h, strings.Join(indicatorColumns, ", "))
		}
		col[name] = i
	}
	for _, need := range []string{"code", "name_vi", "type"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("line 1: column %s is missing", need)
		}
	}
	var out []api.Indicator
	var problems []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err // a *csvfile.Error, naming its line
		}
		line := cr.Line()
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if get("code") == "" && get("name_vi") == "" {
			continue
		}
		required, ok := parseYesNo(get("required"))
		if !ok {
			problems = append(problems, fmt.Sprintf("line %d: required %q is not true or false", line, get("required")))
		}
		out = append(out, api.Indicator{Code: get("code"), NameVI: get("name_vi"), NameEN: get("name_en"), Unit: get("unit"),
			Type: get("type"), Required: required, Min: api.DecimalText(get("min")), Max: api.DecimalText(get("max")),
			Aggregation: get("aggregation")})
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n  "))
	}
	return out, nil
}

func parseYesNo(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "", "false", "no", "0", "không", "khong", "n":
		return false, true
	case "true", "yes", "1", "có", "co", "x", "y":
		return true, true
	}
	return false, false
}

func printIndicators(c *ucli.Context, t api.Template) error {
	rows := make([][]string, len(t.Indicators))
	for i, ind := range t.Indicators {
		required := ""
		if ind.Required {
			required = "yes"
		}
		rows[i] = []string{ind.Code, ind.NameVI, ind.Unit, ind.Type, required, string(ind.Min), string(ind.Max), ind.Aggregation}
	}
	if f := c.String("output"); f == outputTable || f == "" {
		fmt.Fprintf(c.App.Writer, "%s — %s\n", t.Code, t.NameVI)
	}
	return printRecords(c, records{
		Header: []string{"indicator", "name_vi", "unit", "type", "required", "min", "max", "aggregation"},
		Rows:   rows,
		JSON:   t,
	})
}

func templateListCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "list",
		Usage:     "list the report templates",
		UsageText: "rcm template list [--output table|json|csv]",
		Description: `Examples:
   rcm template list
   rcm template list --output json`,
		Flags:  append(clientFlags(), outputFlag()),
		Action: templateList,
	}
}

func templateList(c *ucli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var p api.Page[api.Template]
	if err := cl.do(c.Context, http.MethodGet, "/api/v1/templates", nil, &p); err != nil {
		return err
	}
	rows := make([][]string, len(p.Items))
	for i, t := range p.Items {
		rows[i] = []string{t.Code, t.NameVI, t.NameEN, itoa(len(t.Indicators))}
	}
	return printRecords(c, records{Header: []string{"code", "name_vi", "name_en", "indicators"}, Rows: rows, JSON: nonNil(p.Items)})
}

func templateShowCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "show a template's indicators",
		ArgsUsage: "CODE",
		UsageText: "rcm template show CODE [--output table|json|csv]",
		Description: `Examples:
   rcm template show KTXH
   rcm template show KTXH --output json > ktxh.json`,
		Flags:  append(clientFlags(), outputFlag()),
		Action: templateShow,
	}
}

func templateShow(c *ucli.Context) error {
	var t api.Template
	if err := getNamed(c, "template show: name one template code, for example: rcm template show KTXH", "/api/v1/templates/", &t); err != nil {
		return err
	}
	return printIndicators(c, t)
}

func templateExportCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "export",
		Usage:     "save the file an agency fills in: the template as a spreadsheet (--xlsx) or CSV (--csv)",
		ArgsUsage: "CODE",
		UsageText: "rcm template export CODE --xlsx FILE.xlsx | --csv FILE.csv [--lang vi|en]",
		Description: `The agency fills in the value column and submits the file as it is (rcm
submit). FILE "-" writes to standard output.

Examples:
   rcm template export KTXH --xlsx ktxh.xlsx
   rcm template export KTXH --csv ktxh.csv --lang en`,
		Flags: append(clientFlags(),
			&ucli.StringFlag{Name: "xlsx", Usage: "save the spreadsheet to this file"},
			&ucli.StringFlag{Name: "csv", Usage: "save the CSV to this file"},
			&ucli.StringFlag{Name: "lang", Usage: "language of names and headers: vi or en (default: yours)"},
		),
		Action: templateExport,
	}
}

func templateExport(c *ucli.Context) error {
	if c.NArg() != 1 {
		return usageError("template export: name one template code, for example: rcm template export KTXH --xlsx ktxh.xlsx")
	}
	format, file := "xlsx", c.String("xlsx")
	switch {
	case file != "" && c.String("csv") != "":
		return usageError("template export: give --xlsx or --csv, not both")
	case file == "" && c.String("csv") != "":
		format, file = "csv", c.String("csv")
	case file == "":
		return usageError("template export: say where to save it: --xlsx FILE.xlsx or --csv FILE.csv")
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	path := fmt.Sprintf("/api/v1/templates/%s/%s", pathEscape(c.Args().First()), format)
	if lang := c.String("lang"); lang != "" {
		path += "?lang=" + lang
	}
	return saveDownload(c, cl, path, file)
}

// writeFileAtomic writes data to a temporary file beside name, then renames
// it, so that a failure never leaves half a file.
func writeFileAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("save %s: %w", name, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("save %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	return nil
}
