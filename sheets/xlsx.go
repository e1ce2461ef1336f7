package sheets

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"rcm/messages"
	"rcm/reporting"
)

// The XLSX layout, the one place it is defined. One sheet:
//
//	row 1           A1 label, B1 the template code, C1 the template name
//	row 2           A2 how to fill it in
//	row 4           column headers
//	row 5 onwards   one indicator per row: code, name, unit, type, required,
//	                min, max, and the value column the agency fills in
//
// Only column H (the values) is unlocked; the sheet is protected without a
// password, so people do not change codes by mistake.
const (
	xlsxSheet     = "BaoCao"
	xlsxCodeCell  = "B1"
	xlsxHeaderRow = 4
	xlsxFirstRow  = 5
	xlsxCodeCol   = 0 // A
	xlsxValueCol  = 7 // H
	xlsxLastCol   = "H"
)

// The column headers and the words of the sheet are in the catalogue
// (messages.SheetHeaders, the "sheet." keys), in Vietnamese and English.
// Read accepts the headers of either language. The value column's header
// states how figures written as text are read (ValueHeader: "Giá trị
// (1.234,5)"); Read also accepts it bare, as rcm wrote it before.

// Write writes tmpl as the spreadsheet an agency fills in, with names and
// headers in lang ("vi" or "en"). Bounds are number cells, and each numeric
// indicator's value cell refuses, in the spreadsheet program, what is not a
// number of its type within its bounds.
func Write(w io.Writer, tmpl reporting.Template, lang messages.Lang) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := writeSheet(f, tmpl, lang); err != nil {
		return fmt.Errorf("write spreadsheet for template %s: %w", tmpl.Code, err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write spreadsheet for template %s: %w", tmpl.Code, err)
	}
	return nil
}

func writeSheet(f *excelize.File, tmpl reporting.Template, lang messages.Lang) error {
	text := func(key string) string { return messages.Text(lang, "sheet."+key) }
	if err := f.SetSheetName(f.GetSheetName(0), xlsxSheet); err != nil {
		return err
	}
	name := messages.Name(lang, tmpl.NameVI, tmpl.NameEN)
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	open, err := f.NewStyle(&excelize.Style{
		Protection: &excelize.Protection{Locked: false},
		Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
		Border: []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
			{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}},
	})
	if err != nil {
		return err
	}
	rows := [][]any{
		{text("template"), tmpl.Code, name},
		{text("how_to")},
	}
	for i, r := range rows {
		if err := f.SetSheetRow(xlsxSheet, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return err
		}
	}
	headers := messages.SheetHeaders(lang)
	header := make([]any, len(headers))
	for i, h := range headers {
		header[i] = h
	}
	header[xlsxValueCol] = ValueHeader(headers[xlsxValueCol], messages.Notation(lang))
	if err := f.SetSheetRow(xlsxSheet, fmt.Sprintf("A%d", xlsxHeaderRow), &header); err != nil {
		return err
	}
	for _, cell := range []struct{ from, to string }{{"A1", "B1"}, {fmt.Sprintf("A%d", xlsxHeaderRow), fmt.Sprintf("%s%d", xlsxLastCol, xlsxHeaderRow)}} {
		if err := f.SetCellStyle(xlsxSheet, cell.from, cell.to, bold); err != nil {
			return err
		}
	}
	for i, ind := range tmpl.Indicators {
		row := xlsxFirstRow + i
		required := text("no")
		if ind.Required {
			required = text("yes")
		}
		values := []any{ind.Code, messages.Name(lang, ind.NameVI, ind.NameEN), ind.Unit, string(ind.Type), required}
		if err := f.SetSheetRow(xlsxSheet, fmt.Sprintf("A%d", row), &values); err != nil {
			return err
		}
		for col, bound := range map[string]string{"F": ind.Min, "G": ind.Max} {
			if bound != "" { // a number cell, with the bound's exact text
				if err := f.SetCellDefault(xlsxSheet, fmt.Sprintf("%s%d", col, row), bound); err != nil {
					return err
				}
			}
		}
		cell := fmt.Sprintf("%s%d", xlsxLastCol, row)
		if err := f.SetCellStyle(xlsxSheet, cell, cell, open); err != nil {
			return err
		}
		if err := addFigureValidation(f, cell, ind, lang); err != nil {
			return err
		}
	}
	for col, width := range map[string]float64{"A": 18, "B": 48, "C": 12, "D": 10, "E": 10, "F": 12, "G": 12, "H": 18} {
		if err := f.SetColWidth(xlsxSheet, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetPanes(xlsxSheet, &excelize.Panes{Freeze: true, YSplit: xlsxHeaderRow, TopLeftCell: fmt.Sprintf("A%d", xlsxFirstRow), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.ProtectSheet(xlsxSheet, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true,
	})
}

// addFigureValidation makes the spreadsheet program refuse, in the value cell
// of a numeric indicator, what is not a number of the indicator's type
// within its bounds, so that figures arrive as number cells, which read the
// same in every language. Text indicators are left free.
func addFigureValidation(f *excelize.File, cell string, ind reporting.Indicator, lang messages.Lang) error {
	if ind.Type == reporting.TypeText {
		return nil
	}
	kind, prompt := excelize.DataValidationTypeDecimal, messages.Text(lang, "sheet.a_number")
	lo, hi := "-1E+300", "1E+300"
	if ind.Type == reporting.TypeInteger {
		kind, prompt = excelize.DataValidationTypeWhole, messages.Text(lang, "sheet.whole_number")
		lo, hi = "-999999999999999", "999999999999999" // 15 digits, a spreadsheet's exact integers
	}
	if ind.Min != "" {
		lo = ind.Min
	}
	if ind.Max != "" {
		hi = ind.Max
	}
	if ind.Min != "" || ind.Max != "" {
		prompt += " " + messages.Text(lang, "sheet.between", displayBound(ind.Min, "−∞", lang), displayBound(ind.Max, "∞", lang))
	}
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(cell)
	if err := dv.SetRange(lo, hi, kind, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, messages.Text(lang, "sheet.not_a_number"), prompt+".")
	return f.AddDataValidation(xlsxSheet, dv)
}

// displayBound writes a bound for people in lang, or none when there is none.
func displayBound(bound, none string, lang messages.Lang) string {
	if bound == "" {
		return none
	}
	if shown, err := reporting.FormatNumber(bound, messages.Notation(lang)); err == nil {
		return shown
	}
	return bound
}

// Read reads the values of a spreadsheet exported by Write for tmpl and
// filled in. The file must be that template's: the sheet, the template code
// in B1 and the header row are checked. Each row's value is checked against
// its indicator: a number cell is a figure as it is; a figure typed as text
// is read in the notation the value column's header states (ValueHeader),
// or, for files that state none, in the canonical notation with figures
// that could be read two ways refused. Every problem is reported with its
// row in a *FileError. Rows whose value is blank are left out. A file past
// MaxFileBytes, MaxUnzippedBytes, MaxLines rows or MaxCellBytes in a cell is
// refused with ProblemTooLarge.
func Read(r io.Reader, tmpl reporting.Template) (reporting.Values, error) {
	c := newCollector(tmpl, "xlsx")
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read spreadsheet: %w", err)
	}
	if len(data) > MaxFileBytes {
		c.problems.add(0, "", ProblemTooLarge, "the file is larger than %d bytes; a filled-in template is far smaller", MaxFileBytes)
		return c.result()
	}
	if !c.checkZip(data, tmpl.Code) {
		return c.result()
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzippedBytes, UnzipXMLSizeLimit: MaxUnzippedBytes})
	if err != nil {
		c.problems.add(0, "", ProblemMalformed, "not an XLSX spreadsheet (%v); export the template with rcm template export and fill that in", err)
		return c.result()
	}
	defer f.Close()
	if idx, err := f.GetSheetIndex(xlsxSheet); err != nil || idx < 0 {
		c.problems.addKey(0, "", ProblemNotTheTemplate, "reason.file_no_sheet", xlsxSheet, tmpl.Code)
		return c.result()
	}
	cells, ok := c.readRows(f, tmpl)
	if !ok {
		return c.result()
	}
	for _, fc := range cells {
		c.addCell(f, fc)
	}
	if len(c.lineOf) == 0 && len(c.list) == 0 && len(tmpl.Indicators) > 0 {
		c.problems.addKey(0, "", ProblemNotTheTemplate, "reason.file_no_rows", xlsxFirstRow, tmpl.Code)
	}
	return c.result()
}

// checkZip refuses, before the spreadsheet is opened, what is not a zip
// file and a zip file whose parts are too many or unzip past
// MaxUnzippedBytes (a zip bomb), and reports whether the file may be opened.
func (c *collector) checkZip(data []byte, template string) bool {
	if bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")) {
		c.problems.addKey(0, "", ProblemMalformed, "reason.file_old_excel")
		return false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		c.problems.add(0, "", ProblemMalformed, "not an XLSX spreadsheet (%v); export the template with rcm template export %s and fill that in", err, template)
		return false
	}
	if len(zr.File) > maxZipEntries {
		c.problems.add(0, "", ProblemTooLarge, "the spreadsheet has %d parts; a filled-in template has about ten", len(zr.File))
		return false
	}
	var unzipped uint64
	for _, zf := range zr.File {
		unzipped += zf.UncompressedSize64 // archive/zip refuses parts longer than they say
	}
	if unzipped > MaxUnzippedBytes {
		c.problems.add(0, "", ProblemTooLarge, "the spreadsheet unzips to %d bytes, more than the %d a filled-in template needs", unzipped, MaxUnzippedBytes)
		return false
	}
	return true
}

// figureCell is an indicator row of the sheet: its row, code and value.
type figureCell struct {
	row         int
	code, value string
}

// readRows streams the sheet: it checks the template code and the header
// row, takes the notation the header states, and returns the indicator
// rows; false when the sheet cannot be read as the template's.
func (c *collector) readRows(f *excelize.File, tmpl reporting.Template) ([]figureCell, bool) {
	rows, err := f.Rows(xlsxSheet)
	if err != nil {
		c.problems.add(0, "", ProblemMalformed, "sheet %s cannot be read: %v", xlsxSheet, err)
		return nil, false
	}
	defer rows.Close()
	var out []figureCell
	for n := 1; rows.Next(); n++ {
		if n > MaxLines {
			c.problems.add(n, "", ProblemTooLarge, "more than %d rows; a template has far fewer indicators", MaxLines)
			return nil, false
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			c.problems.add(n, "", ProblemMalformed, "row %d cannot be read: %v", n, err)
			return nil, false
		}
		for i, v := range cols {
			if len(v) > MaxCellBytes {
				col, _ := excelize.ColumnNumberToName(i + 1)
				c.problems.add(n, "", ProblemTooLarge, "cell %s%d holds more than %d bytes", col, n, MaxCellBytes)
				return nil, false
			}
		}
		switch {
		case n == 1:
			if code := cell(cols, 1); code != tmpl.Code {
				c.problems.addKey(n, "", ProblemNotTheTemplate, "reason.file_other_template", xlsxCodeCell, code, tmpl.Code, tmpl.Code)
				return nil, false
			}
		case n == xlsxHeaderRow:
			notation, known, err := readHeader(cols)
			if err != nil || !known {
				reason := fmt.Sprintf("row %d is not the template's header row (%s …); do not insert or delete rows above the indicators",
					n, strings.Join(messages.SheetHeaders(messages.Vietnamese)[:2], ", "))
				if err != nil {
					reason = err.Error()
				}
				c.problems.add(n, "", ProblemHeader, "%s", reason)
				return nil, false
			}
			c.notation = notation
		case n >= xlsxFirstRow:
			code, value := cell(cols, xlsxCodeCol), cell(cols, xlsxValueCol)
			if code != "" || value != "" {
				out = append(out, figureCell{row: n, code: code, value: value})
			}
		}
	}
	if err := rows.Error(); err != nil {
		c.problems.add(0, "", ProblemMalformed, "sheet %s cannot be read: %v", xlsxSheet, err)
		return nil, false
	}
	return out, true
}

// addCell records an indicator row: a number cell holds a figure in the
// canonical notation; text is read in the file's notation.
func (c *collector) addCell(f *excelize.File, fc figureCell) {
	ind, known := c.tmpl.Indicator(fc.code)
	if !known || ind.Type == reporting.TypeText || fc.value == "" {
		c.add(fc.row, fc.code, fc.value)
		return
	}
	ref := fmt.Sprintf("%s%d", xlsxLastCol, fc.row)
	kind, err := f.GetCellType(xlsxSheet, ref)
	if err != nil {
		c.problems.add(fc.row, fc.code, ProblemMalformed, "cell %s cannot be read: %v", ref, err)
		return
	}
	switch kind {
	case excelize.CellTypeUnset, excelize.CellTypeNumber:
		figure, ok := numberCell(fc.value)
		if !ok {
			c.problems.addKey(fc.row, fc.code, reporting.FieldNotANumber, "reason.cell_not_a_number", ref, fc.value)
			return
		}
		c.addIn(fc.row, fc.code, figure, reporting.NotationCanonical)
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula:
		c.add(fc.row, fc.code, fc.value)
	default: // a TRUE/FALSE, a date or an error (#DIV/0!)
		c.problems.addKey(fc.row, fc.code, reporting.FieldNotANumber, "reason.cell_not_a_figure", ref, fc.value)
	}
}

// numberCell returns the figure of a number cell: the shortest decimal
// that is the same binary number (a spreadsheet stores numbers as 64-bit
// floating point, and some programs write 8.2 as 8.1999999999999993 or
// 1E+20).
func numberCell(raw string) (string, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return "", false
	}
	return strconv.FormatFloat(v, 'f', -1, 64), true
}

func cell(cols []string, i int) string {
	if i < len(cols) {
		return strings.TrimSpace(cols[i])
	}
	return ""
}

// readHeader reports whether cols is the template's header row (in either
// language) and the notation its value column states.
func readHeader(cols []string) (reporting.Notation, bool, error) {
	for _, lang := range messages.Langs() {
		h := messages.SheetHeaders(lang)
		if cell(cols, xlsxCodeCol) != h[xlsxCodeCol] {
			continue
		}
		notation, isValue, err := parseValueHeader(cell(cols, xlsxValueCol), h[xlsxValueCol])
		if isValue || err != nil {
			return notation, isValue, err
		}
	}
	return "", false, nil
}
