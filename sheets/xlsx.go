package sheets

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

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

// xlsxHeaders are the column headers, in Vietnamese and English. Read accepts either.
var xlsxHeaders = map[string][]string{
	"vi": {"Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị", "Kiểu", "Bắt buộc", "Tối thiểu", "Tối đa", "Giá trị"},
	"en": {"Indicator code", "Indicator", "Unit", "Type", "Required", "Min", "Max", "Value"},
}

var xlsxText = map[string]struct{ template, howTo, yes, no string }{
	"vi": {"Mã biểu mẫu", "Nhập số liệu vào cột Giá trị (H), dùng dấu chấm (.) làm dấu thập phân; không sửa các cột khác.", "có", "không"},
	"en": {"Template", "Fill in the Value column (H), with '.' as the decimal point; do not change the other columns.", "yes", "no"},
}

// Limits on spreadsheets read from outside, against zip bombs.
const (
	maxUnzipped = 64 << 20
)

func xlsxLang(lang string) string {
	if strings.HasPrefix(lang, "en") {
		return "en"
	}
	return "vi"
}

// Write writes tmpl as the spreadsheet an agency fills in, with names and
// headers in lang ("vi" or "en").
func Write(w io.Writer, tmpl reporting.Template, lang string) error {
	lang = xlsxLang(lang)
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

func writeSheet(f *excelize.File, tmpl reporting.Template, lang string) error {
	text := xlsxText[lang]
	if err := f.SetSheetName(f.GetSheetName(0), xlsxSheet); err != nil {
		return err
	}
	name := tmpl.NameVI
	if lang == "en" && tmpl.NameEN != "" {
		name = tmpl.NameEN
	}
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
		{text.template, tmpl.Code, name},
		{text.howTo},
	}
	for i, r := range rows {
		if err := f.SetSheetRow(xlsxSheet, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return err
		}
	}
	header := make([]any, len(xlsxHeaders[lang]))
	for i, h := range xlsxHeaders[lang] {
		header[i] = h
	}
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
		required := text.no
		if ind.Required {
			required = text.yes
		}
		values := []any{ind.Code, indicatorName(ind, lang), ind.Unit, string(ind.Type), required, ind.Min, ind.Max}
		if err := f.SetSheetRow(xlsxSheet, fmt.Sprintf("A%d", row), &values); err != nil {
			return err
		}
		cell := fmt.Sprintf("%s%d", xlsxLastCol, row)
		if err := f.SetCellStyle(xlsxSheet, cell, cell, open); err != nil {
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

// Read reads the values of a spreadsheet exported by Write for tmpl and
// filled in. The file must be that template's: the sheet, the template code
// in B1 and the header row are checked. Each row's value is checked against
// its indicator; every problem is reported with its row in a *FileError.
// Rows whose value is blank are left out.
func Read(r io.Reader, tmpl reporting.Template) (reporting.Values, error) {
	c := newCollector(tmpl, "xlsx")
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		c.problems.add(0, "", ProblemMalformed, "not an XLSX spreadsheet (%v); export the template with rcm template export and fill that in", err)
		return c.result()
	}
	defer f.Close()
	if idx, err := f.GetSheetIndex(xlsxSheet); err != nil || idx < 0 {
		c.problems.add(0, "", ProblemNotTheTemplate, "no sheet %q: this is not a spreadsheet exported from template %s", xlsxSheet, tmpl.Code)
		return c.result()
	}
	rows, err := f.Rows(xlsxSheet)
	if err != nil {
		c.problems.add(0, "", ProblemMalformed, "sheet %s cannot be read: %v", xlsxSheet, err)
		return c.result()
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		if n > MaxLines {
			c.problems.add(n, "", ProblemTooLarge, "more than %d rows; a template has far fewer indicators", MaxLines)
			return c.result()
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			c.problems.add(n, "", ProblemMalformed, "row %d cannot be read: %v", n, err)
			return c.result()
		}
		switch {
		case n == 1:
			if code := cell(cols, 1); code != tmpl.Code {
				c.problems.add(n, "", ProblemNotTheTemplate, "cell %s holds template %q, not %s; export template %s and fill that in",
					xlsxCodeCell, code, tmpl.Code, tmpl.Code)
				return c.result()
			}
		case n == xlsxHeaderRow:
			if !knownHeader(cols) {
				c.problems.add(n, "", ProblemHeader, "row %d is not the template's header row (%s …); do not insert or delete rows above the indicators",
					n, strings.Join(xlsxHeaders["vi"][:2], ", "))
				return c.result()
			}
		case n >= xlsxFirstRow:
			code, value := cell(cols, xlsxCodeCol), cell(cols, xlsxValueCol)
			if code == "" && value == "" {
				continue
			}
			c.add(n, code, value)
		}
	}
	if err := rows.Error(); err != nil {
		c.problems.add(0, "", ProblemMalformed, "sheet %s cannot be read: %v", xlsxSheet, err)
	}
	if len(c.lineOf) == 0 && len(c.list) == 0 && len(tmpl.Indicators) > 0 {
		c.problems.add(0, "", ProblemNotTheTemplate, "no indicator rows from row %d on; export template %s and fill that in", xlsxFirstRow, tmpl.Code)
	}
	return c.result()
}

func cell(cols []string, i int) string {
	if i < len(cols) {
		return strings.TrimSpace(cols[i])
	}
	return ""
}

func knownHeader(cols []string) bool {
	for _, h := range xlsxHeaders {
		if cell(cols, xlsxCodeCol) == h[xlsxCodeCol] && cell(cols, xlsxValueCol) == h[xlsxValueCol] {
			return true
		}
	}
	return false
}
