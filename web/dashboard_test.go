package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
)

// Server-side HTML tests of the supervisors' dashboard and the office's
// pages: the pages are parsed and read as a person would.

// doc is a parsed page.
type doc struct{ root *html.Node }

func parsePage(t *testing.T, r response) doc {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	n, err := html.Parse(bytes.NewReader(r.body))
	require.NoError(t, err)
	return doc{n}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// all returns the elements under n (n included) with the tag for which keep
// holds, in document order.
func all(n *html.Node, tag string, keep func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag && (keep == nil || keep(n)) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// byID returns the element with the id.
func (d doc) byID(t *testing.T, id string) *html.Node {
	t.Helper()
	var found *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && attr(n, "id") == id {
			found = n
		}
		for c := n.FirstChild; c != nil && found == nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(d.root)
	require.NotNil(t, found, "no element #%s", id)
	return found
}

// text is the text of n, spaces collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// cellTexts are the texts of a table row's cells.
func cellTexts(tr *html.Node) []string {
	var out []string
	for _, td := range all(tr, "td", nil) {
		out = append(out, text(td))
	}
	return out
}

func withAttr(key string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, key) != "" }
}

// dataAgencies lists the data-agency of the elements with the tag under n.
func dataAgencies(n *html.Node, tag string) []string {
	var out []string
	for _, e := range all(n, tag, withAttr("data-agency")) {
		out = append(out, attr(e, "data-agency"))
	}
	return out
}

// barValues maps "series/label" to the value of each bar of a chart.
func barValues(t *testing.T, chart *html.Node) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, r := range all(chart, "rect", withAttr("data-series")) {
		v, err := strconv.ParseFloat(attr(r, "data-value"), 64)
		require.NoError(t, err)
		out[attr(r, "data-series")+"/"+attr(r, "data-label")] = v
	}
	return out
}

// pastCell is how an agency's obligation ended in a past period.
type pastCell struct {
	status   reporting.ObligationStatus
	daysLate int
	versions int
	extended bool
}

// pastCycle records a closed cycle of the regime for the period, with its
// obligations ended as cells say, and closes it as rcm does: compliance
// rolled up from the obligations and stored.
func (f *fixture) pastCycle(regime, like string, period reporting.Period, cells map[string]pastCell) string {
	t := f.t
	t.Helper()
	ctx := context.Background()
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	start, end := period.Window()
	cutOff := time.Date(end.Year, end.Month, end.Day+1, 0, 0, 0, 0, loc)
	due := cutOff.AddDate(0, 0, 2)
	closeAt := due.AddDate(0, 0, 2)
	id := regime + "-" + period.ID
	pool := f.store.Pool()
	_, err = pool.Exec(ctx, `INSERT INTO cycles (id, regime_code, period, window_start, window_end, time_zone, cut_off_at, due_at,
		close_at, policy, status, expected, opened_at, timeliness)
		SELECT $1, $2, $3, $4, $5, 'Asia/Ho_Chi_Minh', $6, $7, $8, policy, 'open', $9, $6, 'first_version' FROM cycles WHERE id = $10`,
		id, regime, period.ID, time.Date(start.Year, start.Month, start.Day, 0, 0, 0, 0, time.UTC),
		time.Date(end.Year, end.Month, end.Day, 0, 0, 0, 0, time.UTC), cutOff, due, closeAt, len(cells), like)
	require.NoError(t, err)
	for agency, c := range cells {
		var first *time.Time
		versions := c.versions
		switch c.status {
		case reporting.ObligationOnTime:
			at := due.Add(-time.Hour)
			first = &at
		case reporting.ObligationLate:
			at := due.Add(time.Duration(c.daysLate)*24*time.Hour - time.Hour)
			first = &at
		}
		if first != nil && versions == 0 {
			versions = 1
		}
		_, err = pool.Exec(ctx, `INSERT INTO obligations (cycle_id, agency_code, due_at, close_at, status, first_submitted_at,
			last_submitted_at, versions, finalized_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $4)`,
			id, agency, due, closeAt, c.status, first, versions)
		require.NoError(t, err)
		if c.extended {
			_, err = pool.Exec(ctx, `INSERT INTO extensions (cycle_id, agency_code, old_due_at, new_due_at, new_close_at, reason)
				VALUES ($1, $2, $3, $3, $4, 'lũ lụt')`, id, agency, due, closeAt)
			require.NoError(t, err)
		}
	}
	facts, err := f.store.CycleFacts(ctx, id)
	require.NoError(t, err)
	comp, err := reporting.RollUpCompliance(facts.Tree, facts.Obligations, time.Now())
	require.NoError(t, err)
	require.NoError(t, f.store.StoreCycleResults(ctx, id, nil, comp.ByNode))
	return id
}

// dashboardWorld is the fixture's open cycle (HNI accepted at 1,234,567.5,
// HCM awaiting review, HPG not yet due) with three closed periods before it
// in which HPG was late every time, HCM missing once and extended once.
type dashboardWorld struct {
	cycleID string
	past    []string
}

func (f *fixture) dashboardWorld() dashboardWorld {
	f.t.Helper()
	w := f.cycles()
	ctx := context.Background()
	cyc, err := f.store.Cycle(ctx, w.cycleID)
	require.NoError(f.t, err)
	again := f.submitFor(w.cycleID, "HNI", "1234567.5")
	_, err = f.engine.Review(ctx, f.caller("staff"), operations.ReviewRequest{SubmissionID: again.SubmissionID, Decision: reporting.DecisionAccepted})
	require.NoError(f.t, err)
	period, err := reporting.ParsePeriod(cyc.Period)
	require.NoError(f.t, err)
	out := dashboardWorld{cycleID: w.cycleID}
	for i := 3; i >= 1; i-- {
		p := period
		for range i {
			p = p.Prev()
		}
		hcm := pastCell{status: reporting.ObligationOnTime}
		if i == 2 {
			hcm = pastCell{status: reporting.ObligationMissing}
		}
		if i == 1 {
			hcm.extended = true
		}
		out.past = append(out.past, f.pastCycle(cyc.RegimeCode, cyc.ID, p, map[string]pastCell{
			"HNI": {status: reporting.ObligationOnTime, versions: i},
			"HPG": {status: reporting.ObligationLate, daysLate: i + 1},
			"HCM": hcm,
		}))
	}
	return out
}

func TestDashboardForARegionSupervisor(t *testing.T) {
	f := newFixture(t)
	w := f.dashboardWorld()
	page := f.page("supervisor", "GET", "/cycles/"+w.cycleID, nil)
	d := parsePage(t, page)
	body := string(page.body)

	// Scope: the region and nothing outside it.
	require.NotContains(t, body, "Hồ Chí Minh")
	require.NotContains(t, body, `data-agency="HCM"`)
	require.Empty(t, all(d.byID(t, "breadcrumb"), "a", func(n *html.Node) bool {
		return strings.Contains(attr(n, "href"), "under=")
	}), "nothing above the supervisor's region is offered")
	require.Equal(t, "Đồng bằng sông Hồng", text(all(d.byID(t, "breadcrumb"), "li", withAttr("aria-current"))[0]))

	// The tree: the region's children, each a line with its rates.
	require.Equal(t, []string{"HNI", "HPG"}, dataAgencies(d.byID(t, "children"), "li"))
	require.Contains(t, text(d.byID(t, "children")), "Thành phố Hà Nội")

	// Rates per child: HNI accepted (100% reporting, on time so far), HPG
	// nothing yet.
	bars := barValues(t, d.byID(t, "chart-children"))
	require.Equal(t, 100.0, bars["Tỷ lệ nộp/Thành phố Hà Nội"])
	require.Equal(t, 100.0, bars["Tỷ lệ đúng hạn (trên số đã nộp)/Thành phố Hà Nội"])
	require.Equal(t, 0.0, bars["Tỷ lệ nộp/Thành phố Hải Phòng"])
	// Status breakdown while open: one accepted, one not yet due; nobody
	// missing before close.
	status := barValues(t, d.byID(t, "chart-status"))
	require.Equal(t, map[string]float64{"đã chấp nhận/đã chấp nhận": 1, "chưa đến hạn/chưa đến hạn": 1}, status)
	// Rates over the periods: three closed ones (HNI on time, HPG late:
	// reporting 100%, on time 50%) and the open one.
	history := barValues(t, d.byID(t, "chart-history"))
	require.Len(t, history, 8)
	for _, id := range w.past {
		c, err := f.store.Cycle(context.Background(), id)
		require.NoError(t, err)
		label := periodShort("vi", c.Period)
		require.Equal(t, 100.0, history["Tỷ lệ nộp/"+label], id)
		require.Equal(t, 50.0, history["Tỷ lệ đúng hạn/"+label], id)
	}

	// The matrix: four periods, HPG late by 2, 3, 4 days, then not yet due;
	// HNI's versions shown; HCM absent.
	matrix := d.byID(t, "matrix-table")
	require.Len(t, all(matrix, "th", withAttr("data-cycle")), 4)
	require.Equal(t, []string{"HNI", "HPG"}, dataAgencies(matrix, "tr"))
	hpg := all(matrix, "tr", func(n *html.Node) bool { return attr(n, "data-agency") == "HPG" })[0]
	var cells []string
	for _, td := range all(hpg, "td", withAttr("data-state")) {
		cells = append(cells, attr(td, "data-state")+": "+text(td))
	}
	require.Equal(t, []string{"late: trễ 4 ngày", "late: trễ 3 ngày", "late: trễ 2 ngày", "not_yet_due: chưa đến hạn"}, cells)
	hni := all(matrix, "tr", func(n *html.Node) bool { return attr(n, "data-agency") == "HNI" })[0]
	require.Contains(t, text(hni), "đúng hạn · v3")
	require.Contains(t, text(hni), "đã chấp nhận · v2")
	// Who is late every month.
	require.Equal(t, []string{"HPG"}, dataAgencies(d.byID(t, "latecomers"), "li"))

	// The figures: names, units, Vietnamese separators, coverage.
	agg := d.byID(t, "aggregates")
	rows := all(agg, "tr", func(n *html.Node) bool { return attr(n, "data-indicator") == "GRDP" })
	require.NotEmpty(t, rows)
	require.Equal(t, []string{"Đồng bằng sông Hồng", "Tổng sản phẩm", "tỷ đồng", "1.234.567,5", "1/2 (50%)"}, cellTexts(rows[0]))

	// Outside the region, even by ?under=, is not found.
	require.Equal(t, http.StatusNotFound, f.page("supervisor", "GET", "/cycles/"+w.cycleID+"?under=HCM", nil).status)
	require.Equal(t, http.StatusNotFound, f.page("supervisor", "GET", "/cycles/"+w.cycleID+"?under=VN", nil).status)
}

func TestDashboardDrillDownInEnglish(t *testing.T) {
	f := newFixture(t)
	w := f.dashboardWorld()
	d := parsePage(t, f.page("staff", "GET", "/cycles/"+w.cycleID+"?under=HNI&lang=en", nil))

	var trail []string
	for _, a := range all(d.byID(t, "breadcrumb"), "a", nil) {
		trail = append(trail, text(a))
	}
	require.Equal(t, []string{"Reporting cycles", "Việt Nam", "Đồng bằng sông Hồng"}, trail)
	// Switching language keeps the drill-down.
	sw, err := url.Parse(attr(d.byID(t, "lang-switch"), "href"))
	require.NoError(t, err)
	require.Equal(t, "/cycles/"+w.cycleID, sw.Path)
	require.Equal(t, "HNI", sw.Query().Get("under"))
	require.Equal(t, "vi", sw.Query().Get("lang"))
	require.Equal(t, "Compliance by period (last 12 periods)", text(d.byID(t, "matrix")))
	require.Equal(t, []string{"HNI"}, dataAgencies(d.byID(t, "matrix-table"), "tr"))
	agg := all(d.byID(t, "aggregates"), "tr", withAttr("data-indicator"))
	require.Equal(t, "1,234,567.5", cellTexts(agg[0])[3])

	// From the top, staff see the whole tree: regions with their provinces
	// folded inside.
	d = parsePage(t, f.page("staff", "GET", "/cycles/"+w.cycleID, nil))
	require.Equal(t, []string{"R-DBSH", "HNI", "HPG", "R-DNB", "HCM"}, dataAgencies(d.byID(t, "children"), "li"))
	require.Len(t, all(d.byID(t, "children"), "details", nil), 2)
	// HCM: missing once in three closed periods, so not chronic; its
	// extended period says so.
	hcm := all(d.byID(t, "matrix-table"), "tr", func(n *html.Node) bool { return attr(n, "data-agency") == "HCM" })[0]
	require.Contains(t, text(hcm), "thiếu")
	require.Contains(t, text(hcm), "gia hạn")
	require.Equal(t, []string{"HPG"}, dataAgencies(d.byID(t, "latecomers"), "li"))
}

func TestMatrixAPIPages(t *testing.T) {
	f := newFixture(t)
	w := f.dashboardWorld()
	var m api.Matrix
	f.do("staff", "GET", "/api/v1/cycles/"+w.cycleID+"/matrix?limit=2", nil).decode(t, &m)
	require.Len(t, m.Periods, 4)
	require.Equal(t, w.past[0], m.Periods[0].Cycle, "oldest first")
	require.Equal(t, []string{"HCM", "HNI"}, []string{m.Items[0].Agency, m.Items[1].Agency})
	require.Equal(t, "HNI", m.Next)
	require.Equal(t, "missing", m.Items[0].Cells[1].State)
	require.True(t, m.Items[0].Cells[2].Extended)
	require.Equal(t, "awaiting_review", m.Items[0].Cells[3].State)
	require.False(t, m.Items[0].Cells[3].Final)
	require.Equal(t, []api.Latecomer{{Agency: "HPG", NameVI: "Thành phố Hải Phòng", Finals: 3, NotOnTime: 3}}, m.Latecomers)

	after := m.Next
	m = api.Matrix{}
	f.do("staff", "GET", "/api/v1/cycles/"+w.cycleID+"/matrix?limit=2&after="+after, nil).decode(t, &m)
	require.Len(t, m.Items, 1)
	require.Equal(t, "HPG", m.Items[0].Agency)
	require.Equal(t, 2, m.Items[0].Cells[2].DaysLate)
	require.Empty(t, m.Next)
}

func TestDashboardExports(t *testing.T) {
	f := newFixture(t)
	w := f.dashboardWorld()
	resp := f.page("supervisor", "GET", "/cycles/"+w.cycleID+"/export/matrix?format=csv", nil)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	records, err := csv.NewReader(bytes.NewReader(resp.body)).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 3, "a header, HNI and HPG")
	require.Len(t, records[0], 6)
	require.Equal(t, []string{"HPG", "Thành phố Hải Phòng", "trễ 4 ngày", "trễ 3 ngày", "trễ 2 ngày", "chưa đến hạn"}, records[2])
	for _, table := range []string{"compliance", "history", "aggregates", "obligations"} {
		for _, format := range []string{"csv", "xlsx"} {
			resp := f.page("supervisor", "GET", fmt.Sprintf("/cycles/%s/export/%s?format=%s", w.cycleID, table, format), nil)
			require.Equal(t, http.StatusOK, resp.status, "%s %s: %s", table, format, resp.body)
			require.NotContains(t, string(resp.body), "Hồ Chí Minh", "%s %s", table, format)
		}
	}
	require.Equal(t, http.StatusBadRequest, f.page("supervisor", "GET", "/cycles/"+w.cycleID+"/export/matrix?format=pdf", nil).status)
	require.Equal(t, http.StatusNotFound, f.page("supervisor", "GET", "/cycles/"+w.cycleID+"/export/matrix?format=csv&under=HCM", nil).status)
}

func TestHomeListsWhatIsOwedAndTheQueueWithNames(t *testing.T) {
	f := newFixture(t)
	w := f.cycles()
	owed := f.openCycle("HNI")
	d := parsePage(t, f.page("officer", "GET", "/", nil))
	var cycles []string
	for _, tr := range all(d.byID(t, "owed"), "tr", withAttr("data-cycle")) {
		cycles = append(cycles, attr(tr, "data-cycle"))
		require.Regexp(t, `^Báo cáo tháng \d{2}/\d{4} chưa đến hạn`, text(tr))
	}
	// HNI submitted in the fixture's cycle: only the new one is owed.
	require.Equal(t, []string{owed}, cycles)

	d = parsePage(t, f.page("staff", "GET", "/", nil))
	require.ElementsMatch(t, []string{"HNI", "HCM"}, dataAgencies(d.byID(t, "queue"), "tr"))
	require.Contains(t, text(d.byID(t, "queue")), "Thành phố Hồ Chí Minh")
	d = parsePage(t, f.page("staff", "GET", "/?under=R-DBSH&cycle="+w.cycleID, nil))
	require.Equal(t, []string{"HNI"}, dataAgencies(d.byID(t, "queue"), "tr"))
}
