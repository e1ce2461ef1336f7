package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/reporting"
	"rcm/sheets"
)

// TestUploadsReadInTheirNotationWithinLimits: a CSV states how its figures
// are written and is read so; one that states nothing and holds 12.000 is
// refused, never guessed; a spreadsheet that unzips past the limit is 413;
// neither refusal writes anything.
func TestUploadsReadInTheirNotationWithinLimits(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.openCycle("HNI", "HCM")
	path := "/api/v1/cycles/" + cycleID + "/agencies/HNI/submissions"

	resp := f.do("officer", "POST", path, "indicator,value\nGRDP,12.000\n", "Content-Type", "text/csv")
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	p := resp.problem(t)
	require.Len(t, p.Errors, 1)
	require.Equal(t, api.FieldProblem{Field: "values.GRDP", Code: reporting.FieldAmbiguousNumber, Line: 2,
		Reason: "Indicator GRDP: “12.000” could be read as 12 or as 12000, and nothing says which; write 12 or 12000, without thousands separators."},
		p.Errors[0])

	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	require.NoError(t, err)
	_, err = w.Write(make([]byte, sheets.MaxUnzippedBytes+1))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	resp = f.do("officer", "POST", path, bomb.Bytes(), "Content-Type", contentTypeXLSX)
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.status, "%s", resp.body)
	require.Equal(t, typeTooLarge, resp.problem(t).Type)
	require.Equal(t, [3]int{0, 0, 0}, f.rowCounts(cycleID), "nothing is written")

	resp = f.do("officer", "POST", path, "indicator;value (1.234,5)\r\nGRDP;12.000\r\nNOTE;ổn định\r\n", "Content-Type", "text/csv")
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	var receipt api.Receipt
	resp.decode(t, &receipt)
	var sub api.Submission
	f.do("officer", "GET", fmt.Sprintf("/api/v1/submissions/%d", receipt.SubmissionID), nil).decode(t, &sub)
	require.Equal(t, reporting.Values{"GRDP": "12000", "NOTE": "ổn định"}, sub.Values, "twelve thousand, as Vietnamese write it")
}

// TestTemplateCSVNeutralisesFormulas: the template CSV every agency
// downloads carries names set by office staff as text, never as formulas.
func TestTemplateCSVNeutralisesFormulas(t *testing.T) {
	f := newFixture(t)
	in := `{"code": "BC02", "name_vi": "Báo cáo 02", "indicators": [
		{"code": "A", "name_vi": "=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")", "unit": "@người", "type": "integer", "aggregation": "sum"}]}`
	resp := f.do("staff", "POST", "/api/v1/templates", in)
	require.Equal(t, 201, resp.status, "%s", resp.body)
	resp = f.do("officer", "GET", "/api/v1/templates/BC02/csv?lang=vi", nil)
	require.Equal(t, 200, resp.status)
	lines := strings.Split(string(resp.body), "\n")
	require.Equal(t, `indicator,"value (1.234,5)",name,unit`, lines[0])
	require.Equal(t, `A,,"'=HYPERLINK(""http://evil.example"",""Bấm vào đây"")",'@người`, lines[1])
}
