package sheets

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

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
// value (empty), name (in lang: "vi" or "en") and unit.
func WriteCSV(w io.Writer, tmpl reporting.Template, lang string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{csvIndicator, csvValue, csvName, csvUnit}); err != nil {
		return fmt.Errorf("write csv for template %s: %w", tmpl.Code, err)
	}
	for _, ind := range tmpl.Indicators {
		if err := cw.Write([]string{ind.Code, "", indicatorName(ind, lang), ind.Unit}); err != nil {
			return fmt.Errorf("write csv for template %s: %w", tmpl.Code, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv for template %s: %w", tmpl.Code, err)
	}
	return nil
}

// ReadCSV reads the values of a CSV file filled in for tmpl. The header must
// name an indicator and a value column (in any order, any letter case; other
// columns are ignored); each following line gives one indicator's value.
// Blank values are left out. A UTF-8 byte-order mark, as spreadsheet programs
// write, is skipped. Every problem is reported, each with its line, in a
// *FileError: unknown indicator codes, repeated indicators, values that are
// not numbers or out of bounds.
func ReadCSV(r io.Reader, tmpl reporting.Template) (reporting.Values, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\xef\xbb\xbf" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	c := newCollector(tmpl, "csv")

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		c.problems.add(1, "", ProblemHeader, "the file is empty; the first line must be the header %s,%s", csvIndicator, csvValue)
		return c.result()
	}
	if err != nil {
		c.problems.add(csvLine(err, 1), "", ProblemMalformed, "not CSV: %v", csvCause(err))
		return c.result()
	}
	codeCol, valueCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case csvIndicator:
			codeCol = i
		case csvValue:
			valueCol = i
		}
	}
	if codeCol < 0 || valueCol < 0 {
		c.problems.add(1, "", ProblemHeader, "the first line must name the columns %s and %s (found %q)",
			csvIndicator, csvValue, strings.Join(header, ","))
		return c.result()
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.problems.add(csvLine(err, 0), "", ProblemMalformed, "not CSV: %v", csvCause(err))
			return c.result()
		}
		line, _ := cr.FieldPos(0)
		if line > MaxLines {
			c.problems.add(line, "", ProblemTooLarge, "more than %d lines; a template has far fewer indicators", MaxLines)
			return c.result()
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if codeCol >= len(rec) {
			c.problems.add(line, "", ProblemMalformed, "no %s column on this line", csvIndicator)
			continue
		}
		if len(rec) > len(header) {
			c.problems.add(line, strings.TrimSpace(rec[codeCol]), reporting.FieldDecimalComma,
				"%d fields where the header has %d: a number written with ',' splits it; use '.' as the decimal point and no thousands separators", len(rec), len(header))
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

// csvLine returns the line a csv.ParseError points at, or fallback.
func csvLine(err error, fallback int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return fallback
}

// csvCause strips the position a csv.ParseError repeats in its message.
func csvCause(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func indicatorName(ind reporting.Indicator, lang string) string {
	if strings.HasPrefix(lang, "en") && ind.NameEN != "" {
		return ind.NameEN
	}
	return ind.NameVI
}
