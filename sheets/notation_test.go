package sheets_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/messages"
	"rcm/reporting"
	"rcm/sheets"
)

func TestValueHeader(t *testing.T) {
	assert.Equal(t, "value (1.234,5)", sheets.ValueHeader("value", reporting.NotationVI))
	assert.Equal(t, "Value (1,234.5)", sheets.ValueHeader("Value", reporting.NotationEN))
	assert.Equal(t, "value (1234.5)", sheets.ValueHeader("value", reporting.NotationCanonical))
	assert.Equal(t, "value", sheets.ValueHeader("value", reporting.NotationUnstated))
}

// TestReadCSVInTheStatedNotation: the value column's header says how its
// figures are written, and reading applies it; a file that says nothing is
// read canonically, and what could be read two ways is refused, never
// guessed.
func TestReadCSVInTheStatedNotation(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		want    reporting.Values
		wantErr []string
	}{
		{"Vietnamese: . groups thousands, , is the decimal mark",
			"indicator,\"value (1.234,5)\"\nGRDP,12.000\nJOBS,5.500\nGROWTH,\"-8,2\"\n",
			reporting.Values{"GRDP": "12000", "JOBS": "5500", "GROWTH": "-8.2"}, nil},
		{"Vietnamese as a spreadsheet program set to Vietnamese saves it: ; between columns",
			"indicator;value (1.234,5);name;unit\r\nGRDP;1.234,5;Tổng sản phẩm;tỷ đồng\r\nJOBS;6.200;Việc làm;người\r\nNOTE;a, b. c;;\r\n",
			reporting.Values{"GRDP": "1234.5", "JOBS": "6200", "NOTE": "a, b. c"}, nil},
		{"Vietnamese with Excel's sep= line and pasted spaces",
			"sep=;\nindicator;value (1.234,5)\nGRDP;12\u00a0000,5\nJOBS;1\u202f000\n",
			reporting.Values{"GRDP": "12000.5", "JOBS": "1000"}, nil},
		{"Vietnamese refuses what it cannot read for sure",
			"indicator,\"value (1.234,5)\"\nGRDP,12.5\nJOBS,1.23\nGROWTH,\"1,234.5\"\n",
			nil, []string{"2:ambiguous_number", "3:ambiguous_number", "4:ambiguous_number"}},
		{"Vietnamese, a decimal comma not quoted in a ,-separated file",
			"indicator,\"value (1.234,5)\"\nGRDP,1234,5\n", nil, []string{"2:decimal_comma"}},
		{"English: , groups thousands, . is the decimal point",
			"indicator,\"value (1,234.5)\"\nGRDP,\"12,000\"\nJOBS,8\nGROWTH,8.2\n",
			reporting.Values{"GRDP": "12000", "JOBS": "8", "GROWTH": "8.2"}, nil},
		{"English refuses a decimal comma", "indicator,\"value (1,234.5)\"\nGROWTH,\"8,2\"\n", nil, []string{"2:ambiguous_number"}},
		{"canonical, as the API takes figures", "indicator,value (1234.5)\nGRDP,12.000\nGROWTH,-3.5\n",
			reporting.Values{"GRDP": "12", "GROWTH": "-3.5"}, nil},
		{"canonical refuses a comma", "indicator,value (1234.5)\nGRDP,\"1,5\"\n", nil, []string{"2:decimal_comma"}},
		{"unstated: what reads the same everywhere", "indicator,value\nGRDP,1250.5\nJOBS,12\nGROWTH,-3.5\n",
			reporting.Values{"GRDP": "1250.5", "JOBS": "12", "GROWTH": "-3.5"}, nil},
		{"unstated: 12.000 could be twelve or twelve thousand", "indicator,value\nGRDP,12.000\nJOBS,5.500\n",
			nil, []string{"2:ambiguous_number", "3:ambiguous_number"}},
		{"a header naming no notation", "indicator,value (12 000)\nGRDP,1\n", nil, []string{"1:bad_header"}},
		{"text indicators are not figures", "indicator,\"value (1.234,5)\"\nNOTE,12.5\n", reporting.Values{"NOTE": "12.5"}, nil},
		{"a Windows code page", "indicator,value\nNOTE,H\xe0 N\xf4i\n", nil, []string{"2:encoding"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sheets.ReadCSV(strings.NewReader(tt.csv), template())
			checkRead(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func TestReadCSVSaysWhatToDo(t *testing.T) {
	tests := []struct{ csv, want string }{
		{"indicator,value\nGRDP,12.000\n",
			"line 2: Indicator GRDP: “12.000” could be read as 12 or as 12000, and nothing says which; write 12 or 12000, without thousands separators."},
		{"indicator,\"value (1.234,5)\"\nGRDP,12.5\n",
			"line 2: Indicator GRDP: “12.5” cannot be read for sure in Vietnamese notation: ',' is the decimal mark (12,5) and '.' groups thousands in threes (12.000)."},
		{"indicator,\"value (1.234,5)\"\nGRDP,1234,5\n", "put it in double quotes (\"1.234,5\"), or separate the columns with ';'"},
		{"indicator,value (x)\n", "write value (1.234,5), value (1,234.5) or value (1234.5)"},
		{"indicator,value\nNOTE,H\xe0 N\xf4i\n", "line 2: column 2 (value): not UTF-8 text"},
	}
	for _, tt := range tests {
		_, err := sheets.ReadCSV(strings.NewReader(tt.csv), template())
		require.ErrorContains(t, err, tt.want)
	}
}

// TestXLSXReadsNumberCellsAndText: a number cell is a number whatever the
// language; text in the value column is read in the notation the header
// states; a file exported before it stated one is read as unstated.
func TestXLSXReadsNumberCellsAndText(t *testing.T) {
	tests := []struct {
		name    string
		lang    messages.Lang
		cells   map[string]any
		want    reporting.Values
		wantErr []string
	}{
		{"Vietnamese text and number cells", "vi",
			map[string]any{"H5": "12.000", "H6": 5500, "H7": 8.2}, reporting.Values{"GRDP": "12000", "JOBS": "5500", "GROWTH": "8.2"}, nil},
		{"a number cell is canonical in a Vietnamese file", "vi", map[string]any{"H5": 12.5}, reporting.Values{"GRDP": "12.5"}, nil},
		{"Vietnamese text refused", "vi", map[string]any{"H5": "12.5", "H7": "1.5"}, nil, []string{"5:ambiguous_number", "7:ambiguous_number"}},
		{"English text", "en", map[string]any{"H5": "12,000.5", "H7": "-8.2"}, reporting.Values{"GRDP": "12000.5", "GROWTH": "-8.2"}, nil},
		{"an old file without the notation: text", "vi", map[string]any{"H4": "Giá trị", "H5": "12.000", "H6": "5.5"}, nil,
			[]string{"5:ambiguous_number", "6:not_an_integer"}},
		{"an old file without the notation: number cells", "vi", map[string]any{"H4": "Giá trị", "H5": 12, "H7": 1.5},
			reporting.Values{"GRDP": "12", "GROWTH": "1.5"}, nil},
		{"a header naming no notation", "vi", map[string]any{"H4": "Giá trị (12 000)"}, nil, []string{"4:bad_header"}},
		{"TRUE is not a figure", "vi", map[string]any{"H5": true}, nil, []string{"5:not_a_number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sheets.Read(bytes.NewReader(fill(t, tt.lang, tt.cells)), template())
			checkRead(t, got, err, tt.want, tt.wantErr)
		})
	}
}

// TestXLSXNumberCellsAsWritten: a number cell holds a binary floating-point
// number, which some programs write with 17 digits or an exponent; it is
// read as the shortest decimal of that number.
func TestXLSXNumberCellsAsWritten(t *testing.T) {
	for raw, want := range map[string]string{"8.1999999999999993": "8.2", "1E+3": "1000", "1250.5": "1250.5", "-0": "0"} {
		file := fillRaw(t, map[string]string{"H5": raw})
		got, err := sheets.Read(bytes.NewReader(file), template())
		require.NoError(t, err, raw)
		assert.Equal(t, reporting.Values{"GRDP": want}, got, raw)
	}
}

// TestAFilesProblemsAreSaidInVietnameseToo: the page in Vietnamese shows a
// file's problems in Vietnamese, the API in English keeps them English.
func TestAFilesProblemsAreSaidInVietnameseToo(t *testing.T) {
	tests := []struct{ csv, vi, en string }{
		{"indicator,value\nGRDP,12.000\n", "có thể hiểu là 12 hoặc 12000", "could be read as 12 or as 12000"},
		{"indicator,value\nXYZ,1\n", "chỉ tiêu \"XYZ\" không có trong biểu mẫu KTXH", "indicator \"XYZ\" is not in template KTXH"},
		{"indicator,value\nGRDP,-1\n", "nhỏ hơn mức tối thiểu 0", "below the minimum of 0"},
		{"code,amount\n", "dòng đầu phải có hai cột indicator và value", "the first line must name the columns indicator and value"},
	}
	for _, tt := range tests {
		_, err := sheets.ReadCSV(strings.NewReader(tt.csv), template())
		var fe *sheets.FileError
		require.ErrorAs(t, err, &fe, tt.csv)
		require.Contains(t, messages.FieldReason(messages.Vietnamese, fe.Problems[0]), tt.vi, tt.csv)
		require.Contains(t, messages.FieldReason(messages.English, fe.Problems[0]), tt.en, tt.csv)
	}
}
