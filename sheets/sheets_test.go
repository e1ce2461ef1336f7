package sheets_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

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
			if tt.wantErr != nil {
				require.Equal(t, tt.wantErr, problemCodes(t, err))
				require.Nil(t, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestWriteCSVReadsBack(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, sheets.WriteCSV(&buf, template(), "vi"))
	require.True(t, strings.HasPrefix(buf.String(), "indicator,value,name,unit\nGRDP,,Tổng sản phẩm,tỷ đồng\n"), buf.String())
	got, err := sheets.ReadCSV(&buf, template())
	require.NoError(t, err)
	require.Empty(t, got)
}

// fill opens an exported spreadsheet and sets cells before reading it back.
func fill(t *testing.T, lang string, cells map[string]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, sheets.Write(&buf, template(), lang))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	sheet := f.GetSheetName(0)
	for c, v := range cells {
		require.NoError(t, f.SetCellValue(sheet, c, v))
	}
	var out bytes.Buffer
	require.NoError(t, f.Write(&out))
	return out.Bytes()
}

func TestXLSXRoundTrip(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
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
	require.Equal(t, []string{"Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị", "Kiểu", "Bắt buộc", "Tối thiểu", "Tối đa", "Giá trị"}, rows[3])
	require.Equal(t, []string{"GRDP", "Tổng sản phẩm", "tỷ đồng", "decimal", "có", "0"}, rows[4])
	require.Equal(t, []string{"GROWTH", "Tăng trưởng", "%", "percent", "không", "-50", "50"}, rows[6])
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
