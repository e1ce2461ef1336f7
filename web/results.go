package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"rcm/access"
	"rcm/api"
	"rcm/reporting"
	"rcm/store"
)

func (s *Server) resultRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/cycles/{id}/compliance", Roles: everyRole, Handle: s.getCompliance},
		{Method: "GET", Path: "/api/v1/cycles/{id}/aggregates", Roles: everyRole, Handle: s.getAggregates},
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
		return "", errBadRequest(fmt.Sprintf("format %q is not one rcm writes", f), api.FieldProblem{Field: "format", Reason: "json or xlsx"})
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
	compute func(context.Context, store.Cycle, access.Scope) (T, error), sheet func(*excelize.File, T, string) error) error {
	format, err := resultFormat(r)
	if err != nil {
		return err
	}
	c, err := s.cycle(r)
	if err != nil {
		return err
	}
	scope, err := s.scopeUnder(r)
	if err != nil {
		return err
	}
	out, err := compute(r.Context(), c, scope)
	if err != nil {
		return err
	}
	if format == "xlsx" {
		return writeXLSX(w, c.ID+"-"+name+".xlsx", func(f *excelize.File) error { return sheet(f, out, requestLang(r)) })
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// ancestorPaths returns the paths of the agency at path and of every agency
// above it: "/VN/R-DBSH/HNI/" → "/VN/", "/VN/R-DBSH/", "/VN/R-DBSH/HNI/".
func ancestorPaths(path string) []string {
	var out []string
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			out = append(out, path[:i+1])
		}
	}
	return out
}

// complianceOf computes the compliance of the nodes in scope: the stored
// figures of a closed cycle, or live ones from the obligations.
func (s *Server) complianceOf(ctx context.Context, c store.Cycle, scope access.Scope) (api.Compliance, error) {
	out := api.Compliance{Cycle: c.ID, Status: c.Status, Final: c.Status == store.CycleClosed, Items: []api.ComplianceRow{}}
	if out.Final {
		rows, err := s.store.CycleCompliance(ctx, c.ID, scope.Path)
		if err != nil {
			return out, err
		}
		for _, row := range rows {
			if scope.Contains(row.Path) {
				out.Items = append(out.Items, api.ComplianceRow{Agency: row.AgencyCode, NameVI: row.AgencyNameVI,
					NameEN: row.AgencyNameEN, Path: row.Path, Rates: row.Rates})
			}
		}
		return out, nil
	}
	obligations, err := s.store.LiveObligations(ctx, c.ID, scope.Path)
	if err != nil {
		return out, err
	}
	states := map[string][]reporting.FinalState{}
	for _, o := range obligations {
		state := reporting.FinalState(o.Status)
		if !o.Final {
			state = reporting.Classify(reporting.ObligationOutcome{FirstSubmittedAt: o.FirstSubmittedAt,
				Accepted: o.Status == "accepted", Due: o.Due})
		}
		for _, p := range ancestorPaths(o.Path) {
			if scope.Contains(p) {
				states[p] = append(states[p], state)
			}
		}
	}
	nodes, err := agenciesAt(ctx, s.store, states)
	if err != nil {
		return out, err
	}
	for _, a := range nodes {
		out.Items = append(out.Items, api.ComplianceRow{Agency: a.Code, NameVI: a.NameVI, NameEN: a.NameEN, Path: a.Path,
			Rates: reporting.ComputeRates(states[a.Path])})
	}
	return out, nil
}

// agenciesAt returns the agencies at the paths keyed in byPath, by path.
func agenciesAt[T any](ctx context.Context, st *store.Store, byPath map[string]T) ([]store.Agency, error) {
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	return st.AgenciesByPath(ctx, paths)
}

// aggregatesOf computes the figures of the nodes in scope: stored at close,
// or rolled up from the versions accepted so far.
func (s *Server) aggregatesOf(ctx context.Context, c store.Cycle, scope access.Scope) (api.Aggregates, error) {
	out := api.Aggregates{Cycle: c.ID, Status: c.Status, Final: c.Status == store.CycleClosed, Items: []api.AggregateRow{}}
	tmpl, err := s.templateOfCycle(ctx, c)
	if err != nil {
		return out, err
	}
	out.Indicators = toTemplateJSON(tmpl).Indicators
	if out.Final {
		rows, err := s.store.CycleAggregates(ctx, c.ID, scope.Path)
		if err != nil {
			return out, err
		}
		for _, g := range rows {
			if scope.Contains(g.Path) {
				out.Items = append(out.Items, api.AggregateRow{Agency: g.AgencyCode, NameVI: g.AgencyNameVI, NameEN: g.AgencyNameEN,
					Path: g.Path, Indicator: g.IndicatorCode, Value: g.Value, Contributors: g.Contributors})
			}
		}
		return out, nil
	}
	facts, err := s.store.CycleFacts(ctx, c.ID)
	if err != nil {
		return out, err
	}
	figures, err := reporting.Aggregate(facts.Tree, tmpl.Indicators, facts.Accepted)
	if err != nil {
		return out, fmt.Errorf("aggregate cycle %s: %w", c.ID, err)
	}
	byPath := map[string]map[string]reporting.AggregateValue{}
	for node, values := range figures {
		if p := facts.Paths[node]; scope.Contains(p) {
			byPath[p] = values
		}
	}
	nodes, err := agenciesAt(ctx, s.store, byPath)
	if err != nil {
		return out, err
	}
	for _, a := range nodes {
		codes := make([]string, 0, len(byPath[a.Path]))
		for code := range byPath[a.Path] {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			v := byPath[a.Path][code]
			out.Items = append(out.Items, api.AggregateRow{Agency: a.Code, NameVI: a.NameVI, NameEN: a.NameEN, Path: a.Path,
				Indicator: code, Value: v.Value, Contributors: v.Count})
		}
	}
	return out, nil
}

// templateOfCycle returns the template of a cycle's regime.
func (s *Server) templateOfCycle(ctx context.Context, c store.Cycle) (reporting.Template, error) {
	regime, err := s.store.RegimeRules(ctx, c.RegimeCode)
	if err != nil {
		return reporting.Template{}, fmt.Errorf("cycle %s: %w", c.ID, err)
	}
	return s.store.Template(ctx, regime.TemplateCode)
}

// Spreadsheets of results.

// resultText holds the words of the result spreadsheets, per language.
var resultText = map[string]struct {
	compliance, aggregates, final, live                                         string
	agency, name, expected, submitted, onTime, late, missing, notAccepted, rate string
	onTimeRate, indicator, indicatorName, unit, value, contributors             string
}{
	"vi": {"Tuân thủ", "Tổng hợp", "Số liệu chính thức (kỳ đã đóng)", "Số liệu tạm thời (kỳ chưa đóng)",
		"Mã đơn vị", "Tên đơn vị", "Phải báo cáo", "Đã gửi", "Đúng hạn", "Trễ hạn", "Thiếu", "Không được chấp nhận", "Tỷ lệ báo cáo (%)",
		"Tỷ lệ đúng hạn (%)", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Giá trị", "Số đơn vị đóng góp"},
	"en": {"Compliance", "Aggregates", "Final figures (cycle closed)", "Provisional figures (cycle still open)",
		"Agency", "Name", "Expected", "Submitted", "On time", "Late", "Missing", "Not accepted", "Reporting rate (%)",
		"On-time rate (%)", "Indicator", "Indicator name", "Unit", "Value", "Contributors"},
}

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

func localName(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}

func complianceSheet(f *excelize.File, c api.Compliance, lang string) error {
	t := resultText[lang]
	title := c.Cycle + " — " + t.live
	if c.Final {
		title = c.Cycle + " — " + t.final
	}
	rows := make([][]any, len(c.Items))
	for i, it := range c.Items {
		rows[i] = []any{it.Agency, localName(lang, it.NameVI, it.NameEN), it.Expected, it.Submitted, it.OnTime, it.Late,
			it.Missing, it.NotAccepted, it.ReportingRate, it.OnTimeRate}
	}
	return fillSheet(f, t.compliance, title, []any{t.agency, t.name, t.expected, t.submitted, t.onTime, t.late, t.missing,
		t.notAccepted, t.rate, t.onTimeRate}, rows)
}

func aggregateSheet(f *excelize.File, a api.Aggregates, lang string) error {
	t := resultText[lang]
	title := a.Cycle + " — " + t.live
	if a.Final {
		title = a.Cycle + " — " + t.final
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
		rows[i] = []any{it.Agency, localName(lang, it.NameVI, it.NameEN), it.Indicator, localName(lang, ind.NameVI, ind.NameEN),
			ind.Unit, value, it.Contributors}
	}
	return fillSheet(f, t.aggregates, title, []any{t.agency, t.name, t.indicator, t.indicatorName, t.unit, t.value, t.contributors}, rows)
}
