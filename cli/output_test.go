package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOutputCSVNeutralisesFormulas: --output csv writes names people typed
// as text a spreadsheet program will not run, and figures as numbers,
// negative ones included.
func TestOutputCSVNeutralisesFormulas(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, writeRecords(&buf, outputCSV, records{
		Header: []string{"agency", "name_vi", "value"},
		Rows: [][]string{
			{"HNI", `=HYPERLINK("http://evil.example","Hà Nội")`, "-3.5"},
			{"HCM", "@SUM(A1)", "1234.5"},
			{"DNG", "+84 236", "-12"},
		},
	}))
	assert.Equal(t, "agency,name_vi,value\n"+
		"HNI,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Hà Nội\"\")\",-3.5\n"+
		"HCM,'@SUM(A1),1234.5\n"+
		"DNG,'+84 236,-12\n", buf.String())
}

// TestReadIndicatorCSVAsSpreadsheetsSaveIt: the indicators of a template
// are read like every CSV from outside: a byte-order mark, ';' between
// columns, and a clear error for text that is not UTF-8.
func TestReadIndicatorCSVAsSpreadsheetsSaveIt(t *testing.T) {
	got, err := readIndicatorCSV(strings.NewReader("\ufeffcode;name_vi;type;required;min\r\nGRDP;Tổng sản phẩm;decimal;có;0\r\n"))
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "GRDP", got[0].Code)
	assert.Equal(t, "Tổng sản phẩm", got[0].NameVI)
	assert.True(t, got[0].Required)

	_, err = readIndicatorCSV(strings.NewReader("code,name_vi,type\nGRDP,T\xf4ng,decimal\n"))
	require.ErrorContains(t, err, "line 2, column 2 (name_vi): not UTF-8 text")
	_, err = readIndicatorCSV(strings.NewReader("code,name_vi,type\nA,B,text\nC,\"D,text\n"))
	require.ErrorContains(t, err, "line 3: not CSV")
}
