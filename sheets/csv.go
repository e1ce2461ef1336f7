package sheets

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"rcm/csvfile"
	"rcm/messages"
	"rcm/reporting"
)

// The CSV layout: a header line naming the columns, then one line per
// indicator. Only the indicator and value columns are read; rcm writes name
// and unit too, for the person filling the file in.
const (
	csvIndicator = "indicator"
	csvValue     = "value"
	csvName      = "name"
	csvUnit      = "unit"
)

// WriteCSV writes the CSV an agency fills in for tmpl: columns indicator,
// value (empty), name and unit, with names in lang ("vi" or "en"). The value
// column's header states how figures are written, the way people write them
// in lang (ValueHeader: "value (1.234,5)" in Vietnamese). Cells are
// neutralised against formula injection (csvfile.Neutralise): names and units
// come from office staff and open on every agency's computer.
func WriteCSV(w io.Writer, tmpl reporting.Template, lang messages.Lang) error {
	cw := csvfile.NewWriter(w)
	if err := cw.Write([]string{csvIndicator, ValueHeader(csvValue, messages.Notation(lang)), csvName, csvUnit}); err != nil {
		return fmt.Errorf("write csv for template %s: %w", tmpl.Code, err)
	}
	for _, ind := range tmpl.Indicators {
		if err := cw.Write([]string{ind.Code, "", messages.Name(lang, ind.NameVI, ind.NameEN), ind.Unit}); err != nil {
			return fmt.Errorf("write csv for template %s: %w", tmpl.Code, err)
		}
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("write csv for template %s: %w", tmpl.Code, err)
	}
	return nil
}

// csvLimits are the limits of csvfile.Reader for a filled-in template.
var csvLimits = csvfile.Limits{Bytes: MaxFileBytes, Records: MaxLines, FieldBytes: MaxCellBytes}

// ReadCSV reads the values of a CSV file filled in for tmpl. The header must
// name an indicator and a value column (in any order, any letter case; other
// columns are ignored); each following line gives one indicator's value.
// Figures are read in the notation the value column's header states
// (ValueHeader), or, when it states none, in the canonical notation with
// figures that could be read two ways ("12.000") refused. Blank values are
// left out. The file is read by csvfile.Reader: a byte-order mark, ';' or
// tab separators, Excel's "sep=" line; past MaxFileBytes, MaxLines or
// MaxCellBytes it is refused. Every problem is reported, each with its line,
// in a *FileError: unknown indicator codes, repeated indicators, values that
// are not figures or out of bounds.
func ReadCSV(r io.Reader, tmpl reporting.Template) (reporting.Values, error) {
	cr := csvfile.NewReader(r, csvLimits)
	c := newCollector(tmpl, "csv")

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		c.problems.addKey(1, "", ProblemHeader, "reason.file_empty", csvIndicator, csvValue)
		return c.result()
	}
	if err != nil {
		c.addReadError(err)
		return c.result()
	}
	codeCol, valueCol := -1, -1
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), csvIndicator) {
			codeCol = i
			continue
		}
		notation, isValue, err := parseValueHeader(h, csvValue)
		if err != nil {
			c.problems.add(1, "", ProblemHeader, "%v", err)
			return c.result()
		}
		if isValue {
			valueCol, c.notation = i, notation
		}
	}
	if codeCol < 0 || valueCol < 0 {
		found := strings.Join(header, string(cr.Comma()))
		c.problems.addKey(1, "", ProblemHeader, "reason.file_header", csvIndicator, csvValue, found)
		return c.result()
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.addReadError(err)
			return c.result()
		}
		line := cr.Line()
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if codeCol >= len(rec) {
			c.problems.add(line, "", ProblemMalformed, "no %s column on this line", csvIndicator)
			continue
		}
		if len(rec) > len(header) {
			c.problems.add(line, strings.TrimSpace(rec[codeCol]), reporting.FieldDecimalComma, "%s", splitFigureReason(len(rec), len(header), c.notation))
			continue
		}
		value := ""
		if valueCol < len(rec) {
			value = rec[valueCol]
		}
		c.add(line, rec[codeCol], value)
	}
	return c.result()
}

// splitFigureReason explains a line with more fields than the header: a
// figure with a ',' that was not quoted in a ','-separated file.
func splitFigureReason(fields, columns int, n reporting.Notation) string {
	if n == reporting.NotationVI || n == reporting.NotationEN {
		return fmt.Sprintf("%d fields where the header has %d: a figure written with ',' splits it; put it in double quotes (\"1.234,5\"), or separate the columns with ';'", fields, columns)
	}
	return fmt.Sprintf("%d fields where the header has %d: a number written with ',' splits it; use '.' as the decimal point and no thousands separators", fields, columns)
}

// addReadError records what csvfile.Reader refused.
func (c *collector) addReadError(err error) {
	var ce *csvfile.Error
	if !errors.As(err, &ce) {
		c.problems.add(0, "", ProblemMalformed, "cannot read the file: %v", err)
		return
	}
	code := ProblemMalformed
	switch ce.Code {
	case csvfile.CodeTooLarge:
		code = ProblemTooLarge
	case csvfile.CodeEncoding:
		code = ProblemEncoding
	}
	c.problems.add(ce.Line, "", code, "%s", ce.Detail())
}
