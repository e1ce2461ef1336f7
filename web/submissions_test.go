package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"rcm/api"
	"rcm/reporting"
	"rcm/sheets"
)

// rowCounts counts what a submission writes: versions, hand-offs and audit
// records of submissions.
func (f *fixture) rowCounts(cycleID string) [3]int {
	f.t.Helper()
	var out [3]int
	ctx := context.Background()
	pool := f.store.Pool()
	require.NoError(f.t, pool.QueryRow(ctx, `SELECT count(*) FROM submissions WHERE cycle_id = $1`, cycleID).Scan(&out[0]))
	require.NoError(f.t, pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE workflow_id LIKE 'cycle/' || $1 || '/agency/%'`, cycleID).Scan(&out[1]))
	require.NoError(f.t, pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'submission.create' AND details->>'cycle' = $1`, cycleID).Scan(&out[2]))
	return out
}

// filledXLSX is the template's spreadsheet with values in column H.
func filledXLSX(t *testing.T, tmpl reporting.Template, cells map[string]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, sheets.Write(&buf, tmpl, "vi"))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	for c, v := range cells {
		require.NoError(t, f.SetCellValue(f.GetSheetName(0), c, v))
	}
	var out bytes.Buffer
	require.NoError(t, f.Write(&out))
	return out.Bytes()
}

// multipartBody is a form with a file part.
func multipartBody(t *testing.T, field, filename string, content []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if field != "" {
		part, err := mw.CreateFormFile(field, filename)
		require.NoError(t, err)
		_, err = part.Write(content)
		require.NoError(t, err)
	}
	require.NoError(t, mw.WriteField("narrative", "tệp đính kèm"))
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), buf.Bytes()
}

func TestSubmitAsJSONCSVAndXLSXWithIdempotencyKeys(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.openCycle("HNI", "HCM")
	path := "/api/v1/cycles/" + cycleID + "/agencies/HNI/submissions"
	var receipt, again api.Receipt

	// JSON, numbers as numbers and as strings.
	resp := f.do("officer", "POST", path, `{"values": {"GRDP": 123.50, "NOTE": "ổn định"}, "narrative": "tháng tốt"}`, "Idempotency-Key", "k-json")
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	resp.decode(t, &receipt)
	require.Equal(t, 1, receipt.Version)
	require.Regexp(t, `^`+regexp.QuoteMeta(cycleID+"-HNI-v1-")+`[A-Z2-7]{10}$`, receipt.Number, "the version, then a code no one can guess")
	require.Len(t, receipt.ContentHash, 64)
	require.Equal(t, fmt.Sprintf("/api/v1/submissions/%d", receipt.SubmissionID), resp.header.Get("Location"))
	resp = f.do("officer", "POST", path, `{"values": {"NOTE": "ổn định", "GRDP": "123.5"}, "narrative": "tháng tốt"}`, "Idempotency-Key", "k-json")
	require.Equal(t, http.StatusOK, resp.status, "the same content again is a replay: %s", resp.body)
	resp.decode(t, &again)
	require.True(t, again.Replayed)
	require.Equal(t, receipt.Number, again.Number)
	require.Equal(t, receipt.SubmissionID, again.SubmissionID)
	resp = f.do("officer", "POST", path, `{"values": {"GRDP": 124}}`, "Idempotency-Key", "k-json")
	require.Equal(t, http.StatusConflict, resp.status)
	require.Contains(t, resp.problem(t).Detail, `Idempotency-Key "k-json" was already used for different content`)
	require.Equal(t, [3]int{1, 1, 1}, f.rowCounts(cycleID))

	// CSV as the body.
	csvBody := "indicator,value\nGRDP,200\nNOTE,\"có dấu phẩy, vẫn đọc được\"\n"
	resp = f.do("officer", "POST", path, csvBody, "Content-Type", "text/csv; charset=utf-8", "Idempotency-Key", "k-csv")
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	resp.decode(t, &receipt)
	require.Equal(t, 2, receipt.Version)
	resp = f.do("officer", "POST", path, csvBody, "Content-Type", "text/csv", "Idempotency-Key", "k-csv")
	require.Equal(t, http.StatusOK, resp.status)
	var sub api.Submission
	f.do("officer", "GET", fmt.Sprintf("/api/v1/submissions/%d", receipt.SubmissionID), nil).decode(t, &sub)
	require.Equal(t, "csv", sub.Source)
	require.Equal(t, reporting.Values{"GRDP": "200", "NOTE": "có dấu phẩy, vẫn đọc được"}, sub.Values)

	// XLSX as the body, and in a multipart form.
	xlsx := filledXLSX(t, testTemplate("KTXH"), map[string]any{"H5": 300.25})
	resp = f.do("officer", "POST", path, xlsx, "Content-Type", contentTypeXLSX, "Idempotency-Key", "k-xlsx")
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	resp.decode(t, &receipt)
	require.Equal(t, 3, receipt.Version)
	require.Equal(t, http.StatusOK, f.do("officer", "POST", path, xlsx, "Content-Type", contentTypeXLSX, "Idempotency-Key", "k-xlsx").status)
	ct, form := multipartBody(t, "file", "bao-cao.xlsx", filledXLSX(t, testTemplate("KTXH"), map[string]any{"H5": 301}))
	resp = f.do("officer", "POST", path, form, "Content-Type", ct)
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	resp.decode(t, &receipt)
	sub = api.Submission{}
	f.do("officer", "GET", fmt.Sprintf("/api/v1/submissions/%d", receipt.SubmissionID), nil).decode(t, &sub)
	require.Equal(t, "xlsx", sub.Source)
	require.Equal(t, "tệp đính kèm", sub.Narrative)
	require.Equal(t, reporting.Values{"GRDP": "301"}, sub.Values)

	require.Equal(t, [3]int{4, 4, 4}, f.rowCounts(cycleID))
	var detail api.AgencyObligation
	f.do("officer", "GET", "/api/v1/cycles/"+cycleID+"/agencies/HNI", nil).decode(t, &detail)
	require.Equal(t, 4, detail.Obligation.Versions)
	require.Len(t, detail.Versions, 4)
	require.Equal(t, 4, detail.Versions[0].Version, "newest first")

	metrics := string(f.do("staff", "GET", "/metrics", nil).body)
	require.Contains(t, metrics, `rcm_submissions_total{result="stored",source="json"} 1`)
	require.Contains(t, metrics, `rcm_submissions_total{result="replayed",source="json"} 1`)
	require.Contains(t, metrics, `rcm_submissions_total{result="refused",source="json"} 1`)
	require.Contains(t, metrics, `rcm_submissions_total{result="stored",source="xlsx"} 2`)
}

func TestSubmissionRefusalsWriteNothing(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.openCycle("HNI", "HCM")
	path := "/api/v1/cycles/" + cycleID + "/agencies/HNI/submissions"

	other := testTemplate("OTHER")
	var otherXLSX bytes.Buffer
	require.NoError(t, sheets.Write(&otherXLSX, other, "vi"))
	noFileType, noFile := multipartBody(t, "", "", nil)

	tests := []struct {
		name       string
		body       any
		headers    []string
		wantStatus int
		wantType   string
		// wantFields are field=code (or field=reason text when no code).
		wantFields []string
		wantReason string
	}{
		{"malformed JSON", `{"values": {"GRDP": 1`, nil, 400, typeMalformed, nil, ""},
		{"a value neither number nor string", `{"values": {"GRDP": true}}`, nil, 400, typeMalformed, []string{"values.GRDP="}, ""},
		{"an unknown field", `{"values": {"GRDP": 1}, "extra": 1}`, nil, 400, typeMalformed, []string{"extra="}, ""},
		{"unknown indicator codes", `{"values": {"GRDP": 1, "XYZ": 2, "ABC": "3"}}`, nil, 422, typeValidation,
			[]string{"values.ABC=unknown_indicator", "values.XYZ=unknown_indicator"}, "Chỉ tiêu ABC không có trong biểu mẫu."},
		{"non-numeric value, in Vietnamese", `{"values": {"GRDP": "một trăm"}}`, []string{"Accept-Language", "vi-VN,vi;q=0.9,en;q=0.5"}, 422, typeValidation,
			[]string{"values.GRDP=not_a_number"}, "Chỉ tiêu GRDP: giá trị không phải là số; nhập số như 1234.5."},
		{"non-numeric value, in English", `{"values": {"GRDP": "1,5"}}`, []string{"Accept-Language", "en-GB,en;q=0.8"}, 422, typeValidation,
			[]string{"values.GRDP=decimal_comma"}, "Indicator GRDP: use '.' as the decimal point and no thousands separators, for example 1234.5."},
		{"a required indicator left out", `{"values": {"NOTE": "x"}}`, nil, 422, typeValidation, []string{"values.GRDP=required"}, ""},
		{"CSV with unknown codes", "indicator,value\nGRDP,1\nXYZ,2\n", []string{"Content-Type", "text/csv"}, 422, typeValidation,
			[]string{"values.XYZ=unknown_indicator"}, ""},
		{"CSV with a non-numeric value", "indicator,value\nGRDP,abc\n", []string{"Content-Type", "text/csv"}, 422, typeValidation,
			[]string{"values.GRDP=not_a_number"}, ""},
		{"CSV without its header", "GRDP,1\n", []string{"Content-Type", "text/csv"}, 422, typeValidation, []string{"file=bad_header"}, ""},
		{"an empty CSV", "", []string{"Content-Type", "text/csv"}, 400, typeMalformed, nil, ""},
		{"XLSX of another template", otherXLSX.Bytes(), []string{"Content-Type", contentTypeXLSX}, 422, typeValidation,
			[]string{"file=not_the_template"}, ""},
		{"XLSX that is no spreadsheet", "indicator,value\nGRDP,1\n", []string{"Content-Type", contentTypeXLSX}, 422, typeValidation,
			[]string{"file=malformed"}, ""},
		{"a form without a file", noFile, []string{"Content-Type", noFileType}, 422, typeValidation, []string{"file="}, ""},
		{"plain text", "GRDP=1", []string{"Content-Type", "text/plain"}, 415, typeMediaType, nil, ""},
		{"an oversized body", "indicator,value\n" + strings.Repeat("NOTE,"+strings.Repeat("x", 1000)+"\n", 300),
			[]string{"Content-Type", "text/csv"}, 413, typeTooLarge, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do("officer", "POST", path, tc.body, append([]string{"Idempotency-Key", "same-key"}, tc.headers...)...)
			require.Equal(t, tc.wantStatus, resp.status, "%s", resp.body)
			p := resp.problem(t)
			require.Equal(t, tc.wantType, p.Type)
			require.NotEmpty(t, p.Detail)
			var fields []string
			for _, fp := range p.Errors {
				fields = append(fields, fp.Field+"="+fp.Code)
				if tc.wantReason != "" && fp.Field == strings.Split(tc.wantFields[0], "=")[0] {
					require.Equal(t, tc.wantReason, fp.Reason)
				}
			}
			if tc.wantFields != nil {
				require.ElementsMatch(t, tc.wantFields, fields)
			}
			require.Equal(t, [3]int{0, 0, 0}, f.rowCounts(cycleID), "nothing is written")
		})
	}

	// The same key is still free for a good submission.
	require.Equal(t, http.StatusCreated, f.do("officer", "POST", path, `{"values": {"GRDP": 1}}`, "Idempotency-Key", "same-key").status)
	require.Equal(t, [3]int{1, 1, 1}, f.rowCounts(cycleID))
}

func TestSubmitForAClosedCycleIsAConflict(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.openCycle("HNI", "HCM")
	resp := f.do("staff", "POST", "/api/v1/cycles/"+cycleID+"/close", map[string]string{"reason": "đủ số liệu"})
	require.Equal(t, http.StatusAccepted, resp.status, "%s", resp.body)
	resp = f.do("officer", "POST", "/api/v1/cycles/"+cycleID+"/agencies/HNI/submissions", `{"values": {"GRDP": 1}}`)
	require.Equal(t, http.StatusConflict, resp.status, "%s", resp.body)
	require.Contains(t, resp.problem(t).Detail, "cycle "+cycleID+" closed for this agency")
	require.Equal(t, [3]int{0, 0, 0}, f.rowCounts(cycleID))

	// Nobody submits for another agency, or for a cycle that does not exist.
	require.Equal(t, http.StatusNotFound, f.do("officer", "POST", "/api/v1/cycles/NOPE-2026-01/agencies/HNI/submissions", `{"values": {"GRDP": 1}}`).status)
	require.Equal(t, http.StatusNotFound, f.do("officer", "POST", "/api/v1/cycles/"+cycleID+"/agencies/HNI-SYT/submissions", `{"values": {"GRDP": 1}}`).status)
}
