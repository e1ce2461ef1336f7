package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"golang.org/x/sync/errgroup"

	"rcm/access"
	"rcm/messages"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

// The supervisor's dashboard: the compliance tree around one node with a
// breadcrumb back up, charts drawn on the server, the agency × period
// matrix with its chronic latecomers, the figures with names, units and
// coverage, and the obligations, paged.

// Page sizes of the dashboard's paged tables.
const (
	dashboardObligationsPage = 100
	dashboardMatrixPage      = 50
)

type dashboardPage struct {
	pageBase
	Cycle reporting.Cycle
	// Under is the node looked at ("" = the top of the caller's scope).
	Under string
	Tree  operations.ComplianceTree
	// Charts: rates per child node, the node's status breakdown, its rates
	// over the regime's last periods.
	ChildChart   svgChart
	StatusChart  svgChart
	HistoryChart svgChart
	Matrix       operations.Matrix
	MatrixCells  []matrixLine
	MatrixNext   string
	Aggregates   []figureLine
	AggFinal     bool
	Obligations  []obligationRow
	// ObligationsNext is the link to the next page of obligations.
	ObligationsNext string
	Queue           []operations.QueueEntry
	// Tiers is the progress per level of a tiered cycle (none otherwise),
	// and TierFigures each indicator's figure per level, side by side.
	Tiers       operations.TierView
	TierFigures []tierFigureRow
	// Export is the link to a table's export, without its format.
	Export func(table string) string
}

// matrixLine is one agency's line of the matrix as the page writes it.
type matrixLine struct {
	Agency reporting.Agency
	Cells  []matrixCellView
}

type matrixCellView struct {
	Text     string
	Class    string
	State    string
	Versions int
	Extended bool
	Empty    bool
}

// figureLine is one aggregate as people read it.
type figureLine struct {
	Agency    string
	Indicator string
	Name      string
	Unit      string
	Value     string
	Coverage  string
}

// dashboardPage shows a supervisor or office staff the compliance of the
// subtree they see around ?under=CODE. An officer is sent to their agency's
// page.
func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	lang := pageLang(r)
	c, err := s.cycle(r)
	if err != nil {
		return err
	}
	if p.Role == access.Officer {
		http.Redirect(w, r, langLink(lang, "/cycles/"+c.ID+"/agencies/"+p.AgencyCode), http.StatusSeeOther)
		return nil
	}
	q := r.URL.Query()
	under := q.Get("under")
	data := dashboardPage{pageBase: pageBase{Lang: lang, Title: periodTitle(lang, c), User: p, Self: r.URL.RequestURI()},
		Cycle: c, Under: under}
	data.Export = func(table string) string {
		v := url.Values{"lang": {string(lang)}}
		if under != "" {
			v.Set("under", under)
		}
		return "/cycles/" + c.ID + "/export/" + table + "?" + v.Encode()
	}
	ctx, who := r.Context(), caller(r)
	// Four independent strands of reads, side by side, each on a
	// connection of its own: the page waits for the slowest, not the sum.
	var g errgroup.Group
	g.Go(func() error {
		var err error
		if data.Tree, err = s.ops.ComplianceTree(ctx, who, c.ID, under); err != nil {
			return err
		}
		node := data.Tree.Node.Agency.Code
		data.ChildChart = childRatesChart(lang, data.Tree)
		data.StatusChart = statusBreakdown(lang, data.Tree.Node.Value)
		if node != "" {
			history, err := s.ops.RateHistory(ctx, who, c.ID, node, map[string]reporting.Rates{c.ID: data.Tree.Node.Value})
			if err != nil {
				return err
			}
			data.HistoryChart = rateHistoryChart(lang, history)
		}
		return nil
	})
	// The figures of the node and its children, beside the tree rather than
	// after it (they are as slow as the tree at national scale); the rows of
	// the children the tree leaves out are dropped below.
	var agg operations.Aggregates
	g.Go(func() error {
		codes, err := s.ops.TreeCodes(ctx, who, under)
		if err != nil {
			return err
		}
		agg, err = s.ops.AggregatesOf(ctx, who, c.ID, under, append([]string{}, codes...))
		return err
	})
	g.Go(func() error {
		var err error
		if data.Tiers, err = s.ops.Tiers(ctx, who, c.ID, under); err != nil {
			return err
		}
		data.TierFigures = tierFigureRows(lang, data.Tiers)
		if data.Matrix, err = s.ops.Matrix(ctx, who, c.ID, under, q.Get("matrix_after"), dashboardMatrixPage); err != nil {
			return err
		}
		data.MatrixCells = matrixLines(lang, data.Matrix)
		if data.Matrix.Next != "" {
			data.MatrixNext = pageLink(r, "matrix_after", data.Matrix.Next) + "#matrix"
		}
		return nil
	})
	g.Go(func() error {
		obligations, err := s.ops.Obligations(ctx, who, c.ID, under, store.ObligationFilter{After: q.Get("after"), Limit: dashboardObligationsPage + 1})
		if err != nil {
			return err
		}
		now := s.now()
		for i, o := range obligations {
			if i == dashboardObligationsPage {
				data.ObligationsNext = pageLink(r, "after", obligations[i-1].AgencyCode) + "#obligations"
				break
			}
			data.Obligations = append(data.Obligations, toObligationRow(o, now))
		}
		if p.Reviews() {
			if data.Queue, err = s.ops.ReviewQueueEntries(ctx, who, c.ID, under, 100); err != nil {
				return err
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	shown := treeCodes(data.Tree)
	agg.Rows = slices.DeleteFunc(agg.Rows, func(r operations.ResultRow[operations.Figure]) bool {
		return !slices.Contains(shown, r.Agency.Code)
	})
	data.AggFinal = agg.Final
	data.Aggregates = figureLines(lang, agg)
	return s.render(w, http.StatusOK, "dashboard", data)
}

// pageLink is the current page with the query parameter key set to value.
func pageLink(r *http.Request, key, value string) string {
	q := r.URL.Query()
	q.Set(key, value)
	return r.URL.Path + "?" + q.Encode()
}

// periodTitle names a cycle for people: "Báo cáo tháng 11/2026".
func periodTitle(lang messages.Lang, c reporting.Cycle) string {
	label := c.Period
	if p, err := reporting.ParsePeriod(c.Period); err == nil {
		label = messages.PeriodLabel(lang, p)
	}
	return messages.Text(lang, "result.period_title", label)
}

// periodShort names a period in a column header ("11/2026", "Q4 2026").
func periodShort(lang messages.Lang, period string) string {
	p, err := reporting.ParsePeriod(period)
	if err != nil {
		return period
	}
	if p.Cadence == reporting.Monthly {
		return fmt.Sprintf("%02d/%d", p.Index, p.Year)
	}
	return messages.PeriodLabel(lang, p)
}

// treeCodes are the codes of the tree's node and its children.
func treeCodes(t operations.ComplianceTree) []string {
	codes := []string{t.Node.Agency.Code}
	for _, c := range t.Children {
		codes = append(codes, c.Row.Agency.Code)
	}
	return codes
}

func childRatesChart(lang messages.Lang, t operations.ComplianceTree) svgChart {
	labels := make([]string, len(t.Children))
	reportingRates := make([]float64, len(t.Children))
	onTime := make([]float64, len(t.Children))
	for i, c := range t.Children {
		a := c.Row.Agency
		labels[i] = messages.Name(lang, a.NameVI, a.NameEN)
		reportingRates[i], onTime[i] = c.Row.Value.ReportingRate, c.Row.Value.OnTimeRate
	}
	onTimeName := translate(lang, "on_time_rate")
	if !t.Final {
		onTimeName = translate(lang, "on_time_rate_so_far")
	}
	return rateBarsChart("chart-children", translate(lang, "chart_children"), labels, []rateSeries{
		{Name: translate(lang, "reporting_rate"), Fill: fillReporting, Values: reportingRates},
		{Name: onTimeName, Fill: fillOnTime, Values: onTime}})
}

func statusBreakdown(lang messages.Lang, r reporting.Rates) svgChart {
	name := func(s any) string { return messages.StatusName(lang, fmt.Sprint(s)) }
	parts := []statusPart{
		{name(reporting.ObligationOnTime), r.OnTime, fillOnTime},
		{name(reporting.LiveAccepted), r.Accepted, fillOnTime},
		{name(reporting.ObligationNilReport), r.NilReport, fillMuted},
		{name(reporting.ObligationLate), r.Late, fillWarn},
		{name(reporting.ObligationNotReviewed), r.NotReviewed, fillWarn},
		{name(reporting.LiveAwaitingReview), r.AwaitingReview, fillReporting},
		{name(reporting.LiveNotYetDue), r.NotYetDue, "#d0d7de"},
		{name(reporting.LiveOverdue), r.Overdue, fillWarn},
		{name(reporting.ObligationReturned), r.Returned, fillBad},
		{name(reporting.ObligationNotAccepted), r.NotAccepted, fillBad},
		{name(reporting.ObligationMissing), r.Missing, fillBad},
	}
	shown := parts[:0]
	for _, p := range parts {
		if p.Count > 0 {
			shown = append(shown, p)
		}
	}
	return statusChart("chart-status", translate(lang, "chart_status"), shown)
}

func rateHistoryChart(lang messages.Lang, history []operations.PeriodRates) svgChart {
	periods := make([]string, 0, len(history))
	var reportingRates, onTime []float64
	for _, h := range history {
		periods = append(periods, periodShort(lang, h.Cycle.Period))
		reportingRates = append(reportingRates, h.Rates.ReportingRate)
		onTime = append(onTime, h.Rates.OnTimeRate)
	}
	return historyChart("chart-history", translate(lang, "chart_history"), periods, []rateSeries{
		{Name: translate(lang, "reporting_rate"), Fill: fillReporting, Values: reportingRates},
		{Name: translate(lang, "on_time_rate"), Fill: fillOnTime, Values: onTime}})
}

// matrixLines writes the matrix's cells for people.
func matrixLines(lang messages.Lang, m operations.Matrix) []matrixLine {
	out := make([]matrixLine, len(m.Rows))
	for i, row := range m.Rows {
		line := matrixLine{Agency: row.Agency, Cells: make([]matrixCellView, len(row.Cells))}
		for j, cell := range row.Cells {
			if cell == nil {
				line.Cells[j] = matrixCellView{Empty: true, Text: "–"}
				continue
			}
			line.Cells[j] = matrixCellView{Text: cellText(lang, *cell), Class: cellClass(*cell), State: cell.State,
				Versions: cell.Versions, Extended: cell.Extended}
		}
		out[i] = line
	}
	return out
}

// cellText is a matrix cell's words: its state, and for a late report by how
// many days.
func cellText(lang messages.Lang, c reporting.MatrixCell) string {
	if c.State == string(reporting.ObligationLate) && c.DaysLate > 0 {
		return messages.Text(lang, "result.late_by_days", c.DaysLate)
	}
	return messages.StatusName(lang, c.State)
}

func cellClass(c reporting.MatrixCell) string {
	switch c.State {
	case string(reporting.ObligationOnTime), string(reporting.LiveAccepted), string(reporting.ObligationNilReport):
		return "ok"
	case string(reporting.ObligationLate), string(reporting.ObligationNotReviewed), string(reporting.LiveOverdue):
		return "warn"
	case string(reporting.ObligationMissing), string(reporting.ObligationNotAccepted), string(reporting.LiveReturned):
		return "bad"
	}
	return ""
}

// figureLines are the figures with the indicator's name and unit, the
// value in the page's notation and the coverage.
func figureLines(lang messages.Lang, a operations.Aggregates) []figureLine {
	indicators := map[string]reporting.Indicator{}
	for _, ind := range a.Template.Indicators {
		indicators[ind.Code] = ind
	}
	var out []figureLine
	for _, row := range a.Rows {
		ind := indicators[row.Value.Indicator]
		out = append(out, figureLine{Agency: messages.Name(lang, row.Agency.NameVI, row.Agency.NameEN), Indicator: row.Value.Indicator,
			Name: messages.Name(lang, ind.NameVI, ind.NameEN), Unit: ind.Unit, Value: formatFigure(lang, row.Value.Value),
			Coverage: coverageText(row.Value.Contributors, row.Value.Expected)})
	}
	return out
}

// tierFigureRow is one indicator's figure at the top of the scope, per
// level: the consolidations' aggregate beside the raw lower-level figures.
type tierFigureRow struct {
	Name, Unit string
	// Cells are "value · coverage" per level, lowest first; "" where the
	// level has no figure yet.
	Cells []string
}

// tierFigureRows lays out each level's own figures, indicator by indicator
// in the template's order; indicators no level has a figure for are left out.
func tierFigureRows(lang messages.Lang, v operations.TierView) []tierFigureRow {
	var out []tierFigureRow
	for _, ind := range v.Template.Indicators {
		row := tierFigureRow{Name: messages.Name(lang, ind.NameVI, ind.NameEN), Unit: ind.Unit}
		seen := false
		for _, l := range v.Levels {
			cell := ""
			if f, ok := l.Figures[ind.Code]; ok {
				cell = formatFigure(lang, f.Value) + " · " + coverageText(f.Count, f.Expected)
				seen = true
			}
			row.Cells = append(row.Cells, cell)
		}
		if seen {
			out = append(out, row)
		}
	}
	return out
}

// formatFigure writes a decimal with the separators of the page's language
// ("1.234.567,5" in Vietnamese); text it cannot read is shown as it is.
func formatFigure(lang messages.Lang, value string) string {
	out, err := reporting.FormatNumber(value, messages.Notation(lang))
	if err != nil {
		return value
	}
	return out
}

// coverageText writes a figure's coverage: "3/4 (75%)", or the contributors
// alone when the expected count was not kept.
func coverageText(contributors, expected int) string {
	if expected <= 0 {
		return strconv.Itoa(contributors)
	}
	return fmt.Sprintf("%d/%d (%s)", contributors, expected, percentText(float64(contributors*10000/expected)/100))
}

// treeRowView is what the "treeRow" template writes: one node's line of
// the compliance tree.
type treeRowView struct {
	Lang    messages.Lang
	CycleID string
	Final   bool
	Row     operations.ResultRow[reporting.Rates]
}

func treeRow(p dashboardPage, row operations.ResultRow[reporting.Rates]) treeRowView {
	return treeRowView{Lang: p.Lang, CycleID: p.Cycle.ID, Final: p.Tree.Final, Row: row}
}
