package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"

	"rcm/csvfile"
	"rcm/messages"
	"rcm/reporting"
	"rcm/store"
)

// Every table of the dashboard downloads whole (not just the page shown) as
// CSV or XLSX: GET /cycles/{id}/export/{table}?format=csv|xlsx&under=CODE.

// exportTable is a table to download: a title line, a header and rows.
type exportTable struct {
	Title  string
	Header []string
	Rows   [][]any
}

// exportPageSize is how many agencies each read of an export fetches.
const exportPageSize = 1000

// exportPage answers a dashboard table as a file.
func (s *Server) exportPage(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "xlsx" {
		return errBadRequest(fmt.Sprintf("format %q is not one rcm writes", format), reporting.FieldError{Field: "format", Reason: "csv or xlsx"})
	}
	c, err := s.cycle(r)
	if err != nil {
		return err
	}
	lang, name := pageLang(r), r.PathValue("table")
	var table exportTable
	switch name {
	case "compliance":
		table, err = s.complianceTable(r, lang, c)
	case "history":
		table, err = s.historyTable(r, lang, c)
	case "matrix":
		table, err = s.matrixTable(r, lang, c)
	case "aggregates":
		table, err = s.aggregatesTable(r, lang, c)
	case "obligations":
		table, err = s.obligationsTable(r, lang, c)
	default:
		return errNotFound("table", name)
	}
	if err != nil {
		return err
	}
	filename := c.ID + "-" + name + "." + format
	if format == "xlsx" {
		return writeXLSX(w, filename, func(f *excelize.File) error {
			header := make([]any, len(table.Header))
			for i, h := range table.Header {
				header[i] = h
			}
			return fillSheet(f, translate(lang, "export_"+name), table.Title, header, table.Rows)
		})
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, filename))
	w.WriteHeader(http.StatusOK)
	cw := csvfile.NewWriter(w)
	if err := cw.Write(table.Header); err != nil {
		return err
	}
	for _, row := range table.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = fmt.Sprint(v)
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	return cw.Flush()
}

func (s *Server) complianceTable(r *http.Request, lang messages.Lang, c reporting.Cycle) (exportTable, error) {
	comp, err := s.ops.Compliance(r.Context(), caller(r), c.ID, r.URL.Query().Get("under"))
	if err != nil {
		return exportTable{}, err
	}
	t := exportTable{Title: periodTitle(lang, c) + " — " + translate(lang, "compliance"),
		Header: []string{translate(lang, "agency_code"), translate(lang, "agency"), translate(lang, "expected"), translate(lang, "submitted"),
			messages.StatusName(lang, "on_time"), messages.StatusName(lang, "late"), messages.StatusName(lang, "missing"), messages.StatusName(lang, "not_accepted"),
			messages.StatusName(lang, "submitted_not_reviewed"), messages.StatusName(lang, "nil_report"), messages.StatusName(lang, "not_yet_due"),
			messages.StatusName(lang, "awaiting_review"), messages.StatusName(lang, "returned"), messages.StatusName(lang, "overdue"), messages.StatusName(lang, "accepted"),
			translate(lang, "reporting_rate"), translate(lang, "on_time_rate"), translate(lang, "submitted_on_time_rate")}}
	for _, row := range comp.Rows {
		v := row.Value
		t.Rows = append(t.Rows, []any{row.Agency.Code, messages.Name(lang, row.Agency.NameVI, row.Agency.NameEN), v.Expected, v.Submitted,
			v.OnTime, v.Late, v.Missing, v.NotAccepted, v.NotReviewed, v.NilReport, v.NotYetDue, v.AwaitingReview, v.Returned,
			v.Overdue, v.Accepted, v.ReportingRate, v.OnTimeRate, v.SubmittedOnTimeRate})
	}
	return t, nil
}

func (s *Server) historyTable(r *http.Request, lang messages.Lang, c reporting.Cycle) (exportTable, error) {
	tree, err := s.ops.ComplianceTree(r.Context(), caller(r), c.ID, r.URL.Query().Get("under"))
	if err != nil || tree.Node.Agency.Code == "" {
		return exportTable{}, err
	}
	history, err := s.ops.RateHistory(r.Context(), caller(r), c.ID, tree.Node.Agency.Code, map[string]reporting.Rates{c.ID: tree.Node.Value})
	if err != nil {
		return exportTable{}, err
	}
	t := exportTable{Title: messages.Name(lang, tree.Node.Agency.NameVI, tree.Node.Agency.NameEN) + " — " + translate(lang, "chart_history"),
		Header: []string{translate(lang, "cycle"), translate(lang, "period"), translate(lang, "final"), translate(lang, "expected"),
			translate(lang, "submitted"), translate(lang, "reporting_rate"), translate(lang, "on_time_rate")}}
	for _, h := range history {
		t.Rows = append(t.Rows, []any{h.Cycle.ID, h.Cycle.Period, h.Final, h.Rates.Expected, h.Rates.Submitted,
			h.Rates.ReportingRate, h.Rates.OnTimeRate})
	}
	return t, nil
}

func (s *Server) matrixTable(r *http.Request, lang messages.Lang, c reporting.Cycle) (exportTable, error) {
	t := exportTable{Title: periodTitle(lang, c) + " — " + translate(lang, "matrix"),
		Header: []string{translate(lang, "agency_code"), translate(lang, "agency")}}
	after := ""
	for page := 0; ; page++ {
		m, err := s.ops.Matrix(r.Context(), caller(r), c.ID, r.URL.Query().Get("under"), after, exportPageSize)
		if err != nil {
			return t, err
		}
		if page == 0 {
			for _, cy := range m.Cycles {
				t.Header = append(t.Header, cy.Period)
			}
		}
		for _, line := range matrixLines(lang, m) {
			row := []any{line.Agency.Code, messages.Name(lang, line.Agency.NameVI, line.Agency.NameEN)}
			for _, cell := range line.Cells {
				text := cell.Text
				if cell.Extended {
					text += " · " + translate(lang, "extended")
				}
				if cell.Versions > 1 {
					text += " · v" + strconv.Itoa(cell.Versions)
				}
				row = append(row, text)
			}
			t.Rows = append(t.Rows, row)
		}
		if m.Next == "" {
			return t, nil
		}
		after = m.Next
	}
}

func (s *Server) aggregatesTable(r *http.Request, lang messages.Lang, c reporting.Cycle) (exportTable, error) {
	agg, err := s.ops.Aggregates(r.Context(), caller(r), c.ID, r.URL.Query().Get("under"))
	if err != nil {
		return exportTable{}, err
	}
	indicators := map[string]reporting.Indicator{}
	for _, ind := range agg.Template.Indicators {
		indicators[ind.Code] = ind
	}
	t := exportTable{Title: periodTitle(lang, c) + " — " + translate(lang, "aggregates"),
		Header: []string{translate(lang, "agency_code"), translate(lang, "agency"), translate(lang, "indicator"), translate(lang, "indicator_name"),
			translate(lang, "unit"), translate(lang, "value"), translate(lang, "contributors"), translate(lang, "expected")}}
	for _, row := range agg.Rows {
		ind := indicators[row.Value.Indicator]
		var value any = row.Value.Value
		if n, err := strconv.ParseFloat(row.Value.Value, 64); err == nil {
			value = n
		}
		t.Rows = append(t.Rows, []any{row.Agency.Code, messages.Name(lang, row.Agency.NameVI, row.Agency.NameEN), ind.Code,
			messages.Name(lang, ind.NameVI, ind.NameEN), ind.Unit, value, row.Value.Contributors, row.Value.Expected})
	}
	return t, nil
}

func (s *Server) obligationsTable(r *http.Request, lang messages.Lang, c reporting.Cycle) (exportTable, error) {
	t := exportTable{Title: periodTitle(lang, c) + " — " + translate(lang, "agencies"),
		Header: []string{translate(lang, "agency_code"), translate(lang, "agency"), translate(lang, "status"), translate(lang, "due"),
			translate(lang, "close"), translate(lang, "versions")}}
	now := s.now()
	f := store.ObligationFilter{Limit: exportPageSize}
	for {
		page, err := s.ops.Obligations(r.Context(), caller(r), c.ID, r.URL.Query().Get("under"), f)
		if err != nil {
			return t, err
		}
		for _, o := range page {
			row := toObligationRow(o, now)
			t.Rows = append(t.Rows, []any{o.AgencyCode, messages.Name(lang, o.AgencyNameVI, o.AgencyNameEN), messages.StatusName(lang, row.State),
				FormatTime(o.Due), FormatTime(o.Close), o.Versions})
		}
		if len(page) < exportPageSize {
			return t, nil
		}
		f.After = page[len(page)-1].AgencyCode
	}
}
