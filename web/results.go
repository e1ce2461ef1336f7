package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"rcm/api"
	"rcm/messages"
	"rcm/operations"
	"rcm/reporting"
)

func (s *Server) resultRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/cycles/{id}/compliance", Op: operations.OpReadResults, Handle: s.getCompliance},
		{Method: "GET", Path: "/api/v1/cycles/{id}/aggregates", Op: operations.OpReadResults, Handle: s.getAggregates},
		{Method: "GET", Path: "/api/v1/cycles/{id}/matrix", Op: operations.OpReadResults, Handle: s.getMatrix},
	}
}

// resultFormat reads ?format=json|xlsx.
func resultFormat(r *http.Request) (string, error) {
	switch f := r.URL.Query().Get("format"); f {
	case "", "json":
		return "json", nil
	case "xlsx":
		return "xlsx", nil
	default:
		return "", errBadRequest(fmt.Sprintf("format %q is not one rcm writes", f), reporting.FieldError{Field: "format", Reason: "json or xlsx"})
	}
}

func (s *Server) getCompliance(w http.ResponseWriter, r *http.Request) error {
	return serveResult(s, w, r, "compliance", s.complianceOf, complianceSheet)
}

func (s *Server) getAggregates(w http.ResponseWriter, r *http.Request) error {
	return serveResult(s, w, r, "aggregates", s.aggregatesOf, aggregateSheet)
}

// serveResult answers a cycle's result within the caller's scope (narrowed
// by ?under=) as JSON, or as a spreadsheet with ?format=xlsx.
func serveResult[T any](s *Server, w http.ResponseWriter, r *http.Request, name string,
	compute func(*http.Request, string) (T, error), sheet func(*excelize.File, T, messages.Lang) error) error {
	format, err := resultFormat(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	out, err := compute(r, id)
	if err != nil {
		return err
	}
	if format == "xlsx" {
		return writeXLSX(w, id+"-"+name+".xlsx", func(f *excelize.File) error { return sheet(f, out, requestLang(r)) })
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getMatrix answers the agency × period matrix of the cycle's regime within
// the caller's scope (narrowed by ?under=), a page of agencies at a time.
func (s *Server) getMatrix(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	m, err := s.ops.Matrix(r.Context(), caller(r), r.PathValue("id"), q.Get("under"), q.Get("after"), limit)
	if err != nil {
		return err
	}
	out := api.Matrix{Cycle: r.PathValue("id"), Periods: []api.MatrixPeriod{}, Items: []api.MatrixRow{}, Next: m.Next, Latecomers: []api.Latecomer{}}
	for _, c := range m.Cycles {
		out.Periods = append(out.Periods, api.MatrixPeriod{Cycle: c.ID, Period: c.Period, Status: string(c.Status)})
	}
	for _, row := range m.Rows {
		a := row.Agency
		item := api.MatrixRow{Agency: a.Code, NameVI: a.NameVI, NameEN: a.NameEN, Path: a.Path, Cells: make([]*api.MatrixCell, len(row.Cells))}
		for i, c := range row.Cells {
			if c != nil {
				item.Cells[i] = &api.MatrixCell{State: c.State, Final: c.Final, DaysLate: c.DaysLate, Extended: c.Extended, Versions: c.Versions}
			}
		}
		out.Items = append(out.Items, item)
	}
	for _, l := range m.Latecomers {
		out.Latecomers = append(out.Latecomers, api.Latecomer{Agency: l.AgencyCode, NameVI: l.AgencyNameVI, NameEN: l.AgencyNameEN,
			Finals: l.Finals, NotOnTime: l.NotOnTime})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// complianceOf is the compliance of a cycle (operations.Compliance) within
// the caller's scope narrowed by ?under=, as the API writes it.
func (s *Server) complianceOf(r *http.Request, cycleID string) (api.Compliance, error) {
	res, err := s.ops.Compliance(r.Context(), caller(r), cycleID, r.URL.Query().Get("under"))
	if err != nil {
		return api.Compliance{}, err
	}
	out := api.Compliance{Cycle: res.Cycle.ID, Status: string(res.Cycle.Status), Final: res.Final, Items: []api.ComplianceRow{}}
	for _, row := range res.Rows {
		a := row.Agency
		out.Items = append(out.Items, api.ComplianceRow{Agency: a.Code, NameVI: a.NameVI, NameEN: a.NameEN, Path: a.Path, Rates: row.Value})
	}
	return out, nil
}

// aggregatesOf is the figures of a cycle (operations.Aggregates) within the
// caller's scope narrowed by ?under=, as the API writes them.
func (s *Server) aggregatesOf(r *http.Request, cycleID string) (api.Aggregates, error) {
	res, err := s.ops.Aggregates(r.Context(), caller(r), cycleID, r.URL.Query().Get("under"))
	if err != nil {
		return api.Aggregates{}, err
	}
	out := api.Aggregates{Cycle: res.Cycle.ID, Status: string(res.Cycle.Status), Final: res.Final, Items: []api.AggregateRow{},
		Indicators: toTemplateJSON(res.Template).Indicators}
	for _, row := range res.Rows {
		a, g := row.Agency, row.Value
		out.Items = append(out.Items, api.AggregateRow{Agency: a.Code, NameVI: a.NameVI, NameEN: a.NameEN, Path: a.Path,
			Indicator: g.Indicator, Value: g.Value, Contributors: g.Contributors, Expected: g.Expected})
	}
	return out, nil
}

// Spreadsheets of results.

// writeXLSX answers with a spreadsheet built by fill.
func writeXLSX(w http.ResponseWriter, filename string, fill func(*excelize.File) error) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := fill(f); err != nil {
		return fmt.Errorf("build %s: %w", filename, err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return fmt.Errorf("write %s: %w", filename, err)
	}
	w.Header().Set("Content-Type", contentTypeXLSX)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, filename))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}

// fillSheet names the first sheet and writes a title line, a header and rows.
func fillSheet(f *excelize.File, sheet, title string, header []any, rows [][]any) error {
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	all := append([][]any{{title}, header}, rows...)
	for i, row := range all {
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+1), &row); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	last, err := excelize.ColumnNumberToName(len(header))
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last+"2", bold); err != nil {
		return err
	}
	return f.SetColWidth(sheet, "B", "B", 40)
}

func complianceSheet(f *excelize.File, c api.Compliance, lang messages.Lang) error {
	t := func(key string) string { return messages.Text(lang, "result."+key) }
	title := c.Cycle + " — " + t("live")
	if c.Final {
		title = c.Cycle + " — " + t("final")
	}
	rows := make([][]any, len(c.Items))
	if !c.Final {
		for i, it := range c.Items {
			rows[i] = []any{it.Agency, messages.Name(lang, it.NameVI, it.NameEN), it.Expected, it.Submitted, it.NotYetDue,
				it.AwaitingReview, it.Returned, it.Overdue, it.Accepted, it.NilReport, it.ReportingRate, it.OnTimeRate,
				it.SubmittedOnTimeRate, it.ReviewBacklog}
		}
		return fillSheet(f, t("compliance"), title, []any{t("agency"), t("name"), t("expected"), t("submitted"), t("not_yet_due"), t("awaiting_review"),
			t("returned"), t("overdue"), t("accepted"), t("nil_report"), t("rate"), t("on_time_rate_so_far"), t("submitted_on_time_rate"), t("backlog")}, rows)
	}
	for i, it := range c.Items {
		rows[i] = []any{it.Agency, messages.Name(lang, it.NameVI, it.NameEN), it.Expected, it.Submitted, it.OnTime, it.Late,
			it.Missing, it.NotAccepted, it.NotReviewed, it.NilReport, it.ReportingRate, it.OnTimeRate, it.SubmittedOnTimeRate,
			it.ReviewBacklog, it.VersionsBeforeAcceptance}
	}
	return fillSheet(f, t("compliance"), title, []any{t("agency"), t("name"), t("expected"), t("submitted"), t("on_time"), t("late"), t("missing"),
		t("not_accepted"), t("not_reviewed"), t("nil_report"), t("rate"), t("on_time_rate"), t("submitted_on_time_rate"), t("backlog"), t("versions_before")}, rows)
}

func aggregateSheet(f *excelize.File, a api.Aggregates, lang messages.Lang) error {
	t := func(key string) string { return messages.Text(lang, "result."+key) }
	title := a.Cycle + " — " + t("live")
	if a.Final {
		title = a.Cycle + " — " + t("final")
	}
	indicators := map[string]api.Indicator{}
	for _, ind := range a.Indicators {
		indicators[ind.Code] = ind
	}
	rows := make([][]any, len(a.Items))
	for i, it := range a.Items {
		ind := indicators[it.Indicator]
		var value any = it.Value
		if n, err := strconv.ParseFloat(it.Value, 64); err == nil && !strings.ContainsAny(it.Value, "eE") {
			value = n
		}
		rows[i] = []any{it.Agency, messages.Name(lang, it.NameVI, it.NameEN), it.Indicator, messages.Name(lang, ind.NameVI, ind.NameEN),
			ind.Unit, ind.Aggregation, value, it.Contributors, it.Expected}
	}
	return fillSheet(f, t("aggregates"), title, []any{t("agency"), t("name"), t("indicator"), t("indicator_name"), t("unit"), t("method"), t("value"),
		t("contributors"), t("expected_agencies")}, rows)
}
