package sheets_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"rcm/messages"
	"rcm/reporting"
	"rcm/sheets"
)

func template() reporting.Template {
	return reporting.Template{Code: "KTXH", NameVI: "Báo cáo kinh tế - xã hội", NameEN: "Socio-economic report", Indicators: []reporting.Indicator{
		{Code: "GRDP", NameVI: "Tổng sản phẩm", NameEN: "GRDP", Unit: "tỷ đồng", Type: reporting.TypeDecimal, Required: true, Min: "0"},
		{Code: "JOBS", NameVI: "Việc làm mới", Unit: "người", Type: reporting.TypeInteger},
		{Code: "GROWTH", NameVI: "Tăng trưởng", Unit: "%", Type: reporting.TypePercent, Min: "-50", Max: "50"},
		{Code: "NOTE", NameVI: "Ghi chú", Type: reporting.TypeText},
	}}
}

// problemCodes returns "line:code" for each problem of a *FileError.
func problemCodes(t *testing.T, err error) []string {
	t.Helper()
	var fe *sheets.FileError
	require.True(t, errors.As(err, &fe), "want a *FileError, got %v", err)
	out := make([]string, len(fe.Problems))
	for i, p := range fe.Problems {
		out[i] = fmt.Sprintf("%d:%s", p.Line, p.Code)
	}
	return out
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		want    reporting.Values
		wantErr []string
	}{
		{"plain", "indicator,value\nGRDP,1250.5\nJOBS,300\n", reporting.Values{"GRDP": "1250.5", "JOBS": "300"}, nil},
		{"columns in any order, extra columns, BOM, blank values",
			"\xef\xbb\xbfName,Value,Indicator\nTổng,12,GRDP\nx,,JOBS\n\nghi chú,\"a, b\",NOTE\n",
			reporting.Values{"GRDP": "12", "NOTE": "a, b"}, nil},
		{"the exported file filled in", "indicator,value,name,unit\nGRDP, 7 ,Tổng sản phẩm,tỷ đồng\n", reporting.Values{"GRDP": "7"}, nil},
		{"unknown codes and non-numbers, each on its line",
			"indicator,value\nGRDP,abc\nNOPE,1\nJOBS,1.5\nGROWTH,1,5\nGROWTH,\"1,5\"\n",
			nil, []string{"2:not_a_number", "3:unknown_indicator", "4:not_an_integer", "5:decimal_comma", "6:decimal_comma"}},
		{"out of bounds", "indicator,value\nGRDP,-1\nGROWTH,51\n", nil, []string{"2:below_min", "3:above_max"}},
		{"duplicate", "indicator,value\nGRDP,1\nGRDP,2\n", nil, []string{"3:duplicate_indicator"}},
		{"empty file", "", nil, []string{"1:bad_header"}},
		{"wrong header", "code,amount\nGRDP,1\n", nil, []string{"1:bad_header"}},
		{"broken quoting", "indicator,value\nGRDP,\"1\n", nil, []string{"2:malformed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sheets.ReadCSV(strings.NewReader(tt.csv), template())
			checkRead(t, got, err, tt.want, tt.wantErr)
		})
	}
}

// checkRead checks what a read returned: the values wanted, or, when
// wantErr is given, a *FileError with exactly those "line:code" problems
// and no values.
func checkRead(t *testing.T, got reporting.Values, err error, want reporting.Values, wantErr []string) {
	t.Helper()
	if wantErr != nil {
		require.Equal(t, wantErr, problemCodes(t, err))
		require.Nil(t, got)
		return
	}
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func TestWriteCSVReadsBack(t *testing.T) {
	for lang, header := range map[messages.Lang]string{"vi": `indicator,"value (1.234,5)",name,unit`, "en": `indicator,"value (1,234.5)",name,unit`} {
		var buf bytes.Buffer
		require.NoError(t, sheets.WriteCSV(&buf, template(), lang))
		require.True(t, strings.HasPrefix(buf.String(), header+"\nGRDP,,"), buf.String())
		got, err := sheets.ReadCSV(&buf, template())
		require.NoError(t, err)
		require.Empty(t, got)
	}
}

// TestWriteCSVNeutralisesFormulas: names and units set by office staff
// reach every agency's spreadsheet program as text, never as formulas.
func TestWriteCSVNeutralisesFormulas(t *testing.T) {
	tmpl := template()
	tmpl.Indicators[0].NameVI = `=HYPERLINK("http://evil.example","Tổng")`
	tmpl.Indicators[1].Unit = "@người"
	tmpl.Indicators[2].NameVI = "-2+3"
	var buf bytes.Buffer
	require.NoError(t, sheets.WriteCSV(&buf, tmpl, "vi"))
	assert.Contains(t, buf.String(), "\nGRDP,,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Tổng\"\")\",tỷ đồng\n")
	assert.Contains(t, buf.String(), "\nJOBS,,Việc làm mới,'@người\n")
	assert.Contains(t, buf.String(), "\nGROWTH,,'-2+3,%\n")
}

// exported is tmpl's spreadsheet in lang, changed by change before it is
// saved, as a person or another program fills it in.
func exported(t testing.TB, tmpl reporting.Template, lang messages.Lang, change func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, sheets.Write(&buf, tmpl, lang))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	change(f, f.GetSheetName(0))
	var out bytes.Buffer
	require.NoError(t, f.Write(&out))
	return out.Bytes()
}

// fill sets cells of an exported spreadsheet before reading it back.
func fill(t testing.TB, lang messages.Lang, cells map[string]any) []byte {
	t.Helper()
	return exported(t, template(), lang, func(f *excelize.File, sheet string) {
		for c, v := range cells {
			require.NoError(t, f.SetCellValue(sheet, c, v))
		}
	})
}

// fillRaw sets number cells of an exported spreadsheet to raw text, as
// another program may write them.
func fillRaw(t *testing.T, cells map[string]string) []byte {
	t.Helper()
	return exported(t, template(), "vi", func(f *excelize.File, sheet string) {
		for c, v := range cells {
			require.NoError(t, f.SetCellDefault(sheet, c, v))
		}
	})
}

func TestXLSXRoundTrip(t *testing.T) {
	for _, lang := range messages.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			file := fill(t, lang, map[string]any{"H5": 1250.5, "H6": 300, "H8": "ghi chú"})
			got, err := sheets.Read(bytes.NewReader(file), template())
			require.NoError(t, err)
			require.Equal(t, reporting.Values{"GRDP": "1250.5", "JOBS": "300", "NOTE": "ghi chú"}, got)
		})
	}
}

func TestXLSXLayout(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, sheets.Write(&buf, template(), "vi"))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("BaoCao")
	require.NoError(t, err)
	require.Equal(t, "KTXH", rows[0][1])
	require.Equal(t, []string{"Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị", "Kiểu", "Bắt buộc", "Tối thiểu", "Tối đa", "Giá trị (1.234,5)"}, rows[3])
	require.Equal(t, []string{"GRDP", "Tổng sản phẩm", "tỷ đồng", "decimal", "có", "0"}, rows[4])
	require.Equal(t, []string{"GROWTH", "Tăng trưởng", "%", "percent", "không", "-50", "50"}, rows[6])
	for _, bound := range []string{"F5", "F7", "G7"} {
		kind, err := f.GetCellType("BaoCao", bound)
		require.NoError(t, err)
		require.Contains(t, []excelize.CellType{excelize.CellTypeUnset, excelize.CellTypeNumber}, kind, "%s is a number cell", bound)
	}
	validations, err := f.GetDataValidations("BaoCao")
	require.NoError(t, err)
	got := map[string]string{}
	for _, dv := range validations {
		got[dv.Sqref] = fmt.Sprintf("%s %s %s..%s", dv.Type, dv.Operator, dv.Formula1, dv.Formula2)
	}
	require.Equal(t, map[string]string{
		"H5": "decimal between 0..1E+300",
		"H6": "whole between -999999999999999..999999999999999",
		"H7": "decimal between -50..50",
	}, got, "numeric value cells take numbers only; the text indicator is free")
}

func TestXLSXRefusesOtherFiles(t *testing.T) {
	other := template()
	other.Code = "OTHER"
	var otherFile bytes.Buffer
	require.NoError(t, sheets.Write(&otherFile, other, "vi"))

	blank := excelize.NewFile()
	var blankFile bytes.Buffer
	require.NoError(t, blank.Write(&blankFile))

	tests := []struct {
		name string
		file []byte
		want []string
	}{
		{"not a spreadsheet", []byte("indicator,value\nGRDP,1\n"), []string{"0:malformed"}},
		{"another template", otherFile.Bytes(), []string{"1:not_the_template"}},
		{"a blank workbook", blankFile.Bytes(), []string{"0:not_the_template"}},
		{"header changed", fill(t, "vi", map[string]any{"A4": "Code"}), []string{"4:bad_header"}},
		{"bad values", fill(t, "vi", map[string]any{"H5": "abc", "H6": 1.5, "A7": "NOPE", "H7": 1}),
			[]string{"5:not_a_number", "6:not_an_integer", "7:unknown_indicator"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sheets.Read(bytes.NewReader(tt.file), template())
			require.Nil(t, got)
			require.Equal(t, tt.want, problemCodes(t, err))
		})
	}
}
