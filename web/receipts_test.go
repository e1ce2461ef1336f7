package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"rcm/api"
)

// TestVerifyReceiptAgainstTheSubmittedFile: a receipt and the file that was
// submitted match whatever its format; a changed value is named; a receipt
// outside the caller's scope does not exist; receipts from before the
// random code stay readable.
func TestVerifyReceiptAgainstTheSubmittedFile(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.openCycle("HNI", "HCM")
	csvBody := "indicator,value\nGRDP,200\nNOTE,\"ổn định\"\n"
	resp := f.do("officer", "POST", "/api/v1/cycles/"+cycleID+"/agencies/HNI/submissions", csvBody, "Content-Type", "text/csv")
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	var receipt api.Receipt
	resp.decode(t, &receipt)
	var stored api.Submission
	f.do("officer", "GET", fmt.Sprintf("/api/v1/submissions/%d", receipt.SubmissionID), nil).decode(t, &stored)
	require.Equal(t, stored.ContentHash, receipt.ContentHash, "the receipt shows the stored version's hash")
	require.Regexp(t, `^[0-9a-f]{64}$`, receipt.ContentHash)

	verify := func(role, number string, body any, headers ...string) (int, api.ReceiptCheck) {
		t.Helper()
		resp := f.do(role, "POST", "/api/v1/receipts/"+url.PathEscape(number)+"/verify", body, headers...)
		var check api.ReceiptCheck
		if resp.status == http.StatusOK {
			resp.decode(t, &check)
		}
		return resp.status, check
	}

	// The same report, written otherwise: 200.0 is normalised to 200 as at submission.
	status, check := verify("officer", receipt.Number, "indicator,value\nGRDP,200.0\nNOTE,ổn định\n", "Content-Type", "text/csv")
	require.Equal(t, http.StatusOK, status)
	require.True(t, check.Match, "%+v", check)
	require.Empty(t, check.Differences)
	require.Equal(t, receipt.ContentHash, check.FileHash)
	require.Equal(t, receipt.Number, check.Receipt.Number)
	// As JSON too, by the region's supervisor.
	status, check = verify("supervisor", receipt.Number, `{"values": {"GRDP": 200, "NOTE": "ổn định"}}`)
	require.Equal(t, http.StatusOK, status)
	require.True(t, check.Match)

	// A changed figure, a value the template refuses, a narrative added.
	status, check = verify("officer", receipt.Number, `{"values": {"GRDP": "201", "NOTE": "ổn định"}, "narrative": "thêm"}`)
	require.Equal(t, http.StatusOK, status)
	require.False(t, check.Match)
	require.NotEqual(t, receipt.ContentHash, check.FileHash)
	require.Equal(t, []api.Difference{{Field: "GRDP", Stored: "200", Submitted: "201"}, {Field: "narrative", Stored: "", Submitted: "thêm"}}, check.Differences)
	status, check = verify("officer", receipt.Number, `{"values": {"GRDP": "hai trăm", "NOTE": "ổn định"}}`)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, []api.Difference{{Field: "GRDP", Stored: "200", Submitted: "hai trăm"}}, check.Differences)

	// A spreadsheet, as the other agency submitted it.
	xlsx := filledXLSX(t, testTemplate("KTXH"), map[string]any{"H5": 300.25})
	resp = f.do("outsider", "POST", "/api/v1/cycles/"+cycleID+"/agencies/HCM/submissions", xlsx, "Content-Type", contentTypeXLSX)
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	var hcm api.Receipt
	resp.decode(t, &hcm)
	status, check = verify("outsider", hcm.Number, xlsx, "Content-Type", contentTypeXLSX)
	require.Equal(t, http.StatusOK, status)
	require.True(t, check.Match)
	status, check = verify("outsider", hcm.Number, filledXLSX(t, testTemplate("KTXH"), map[string]any{"H5": 300}), "Content-Type", contentTypeXLSX)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, []api.Difference{{Field: "GRDP", Stored: "300.25", Submitted: "300"}}, check.Differences)

	// Out of scope is not found, like a receipt that does not exist.
	status, _ = verify("officer", hcm.Number, xlsx, "Content-Type", contentTypeXLSX)
	require.Equal(t, http.StatusNotFound, status, "HNI's officer may not check HCM's receipt")
	status, _ = verify("supervisor", hcm.Number, xlsx, "Content-Type", contentTypeXLSX)
	require.Equal(t, http.StatusNotFound, status, "HCM is outside R-DBSH")
	status, _ = verify("officer", cycleID+"-HNI-v1", csvBody, "Content-Type", "text/csv")
	require.Equal(t, http.StatusNotFound, status, "the guessable number without its code names nothing")

	// A receipt stored before the code existed is still read and checked.
	old := cycleID + "-HNI-v1"
	_, err := f.store.Pool().Exec(context.Background(), `UPDATE submissions SET receipt_number = $1 WHERE id = $2`, old, receipt.SubmissionID)
	require.NoError(t, err)
	status, check = verify("officer", old, csvBody, "Content-Type", "text/csv")
	require.Equal(t, http.StatusOK, status)
	require.True(t, check.Match)
	require.Equal(t, old, check.Receipt.Number)
}
