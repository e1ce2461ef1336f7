package web

import (
	"fmt"
	"math"

	"rcm/reporting"
)

// Charts drawn on the server as SVG: no script, no network. A chart is a
// list of rectangles and texts laid out here; views/chart.html writes them.
// Every bar carries its series, label and value as data- attributes, so a
// test (or a screen reader, through its title) reads the figure it draws.

// svgChart is one chart.
type svgChart struct {
	ID     string
	Title  string
	Width  float64
	Height float64
	Rects  []svgRect
	Texts  []svgText
	// Legend names the series with their colours.
	Legend []legendItem
}

type svgRect struct {
	X, Y, W, H float64
	Fill       string
	Series     string
	Label      string
	Value      float64
	Title      string
}

type svgText struct {
	X, Y   float64
	Text   string
	Anchor string
}

type legendItem struct {
	Fill string
	Name string
}

// The charts' colours.
const (
	fillReporting = "#1f6feb"
	fillOnTime    = "#1a7f37"
	fillWarn      = "#bf8700"
	fillBad       = "#cf222e"
	fillMuted     = "#8c959f"
)

// rateSeries is one series of rates (percentages) on a chart.
type rateSeries struct {
	Name   string
	Fill   string
	Values []float64
}

// round1 keeps a coordinate to one decimal.
func round1(f float64) float64 { return math.Round(f*10) / 10 }

// rateBarsChart draws, for each label (a child node), one horizontal bar per
// series on a 0–100% scale.
func rateBarsChart(id, title string, labels []string, series []rateSeries) svgChart {
	const labelW, barW, barH, gap = 200.0, 360.0, 12.0, 10.0
	group := float64(len(series))*barH + gap
	c := svgChart{ID: id, Title: title, Width: labelW + barW + 60, Height: float64(len(labels))*group + gap}
	for _, s := range series {
		c.Legend = append(c.Legend, legendItem{Fill: s.Fill, Name: s.Name})
	}
	for i, label := range labels {
		top := gap/2 + float64(i)*group
		c.Texts = append(c.Texts, svgText{X: labelW - 6, Y: round1(top + float64(len(series))*barH/2 + 4), Text: label, Anchor: "end"})
		for j, s := range series {
			v := s.Values[i]
			y := top + float64(j)*barH
			c.Rects = append(c.Rects, svgRect{X: labelW, Y: round1(y), W: round1(barW * clampPercent(v) / 100), H: barH - 2,
				Fill: s.Fill, Series: s.Name, Label: label, Value: v, Title: fmt.Sprintf("%s · %s: %s", label, s.Name, percentText(v))})
			c.Texts = append(c.Texts, svgText{X: round1(labelW + barW*clampPercent(v)/100 + 4), Y: round1(y + barH - 3), Text: percentText(v)})
		}
	}
	return c
}

// historyChart draws, for each period, one vertical bar per series on a
// 0–100% scale.
func historyChart(id, title string, periods []string, series []rateSeries) svgChart {
	const plotH, top, bottom, barW, gap = 160.0, 10.0, 30.0, 12.0, 14.0
	group := float64(len(series))*barW + gap
	// As wide as the chart of a full history, so that a regime with few
	// periods is drawn at the same scale, not stretched across the page.
	slots := max(len(periods), reporting.MatrixPeriods)
	c := svgChart{ID: id, Title: title, Width: float64(slots)*group + gap, Height: top + plotH + bottom}
	for _, s := range series {
		c.Legend = append(c.Legend, legendItem{Fill: s.Fill, Name: s.Name})
	}
	for i, period := range periods {
		left := gap/2 + float64(i)*group
		c.Texts = append(c.Texts, svgText{X: round1(left + float64(len(series))*barW/2), Y: top + plotH + 16, Text: period, Anchor: "middle"})
		for j, s := range series {
			v := s.Values[i]
			h := round1(plotH * clampPercent(v) / 100)
			c.Rects = append(c.Rects, svgRect{X: round1(left + float64(j)*barW), Y: round1(top + plotH - h), W: barW - 2, H: h,
				Fill: s.Fill, Series: s.Name, Label: period, Value: v, Title: fmt.Sprintf("%s · %s: %s", period, s.Name, percentText(v))})
		}
	}
	return c
}

// statusPart is one state's count on the status breakdown.
type statusPart struct {
	Name  string
	Count int
	Fill  string
}

// statusChart draws the counts as one stacked bar, each part as wide as its
// share of the total.
func statusChart(id, title string, parts []statusPart) svgChart {
	const width, barH = 560.0, 28.0
	c := svgChart{ID: id, Title: title, Width: width, Height: barH + 4}
	total := 0
	for _, p := range parts {
		total += p.Count
	}
	x := 0.0
	for _, p := range parts {
		c.Legend = append(c.Legend, legendItem{Fill: p.Fill, Name: fmt.Sprintf("%s: %d", p.Name, p.Count)})
		if p.Count == 0 || total == 0 {
			continue
		}
		w := width * float64(p.Count) / float64(total)
		c.Rects = append(c.Rects, svgRect{X: round1(x), Y: 2, W: round1(w), H: barH, Fill: p.Fill, Series: p.Name, Label: p.Name,
			Value: float64(p.Count), Title: fmt.Sprintf("%s: %d", p.Name, p.Count)})
		x += w
	}
	return c
}

func clampPercent(v float64) float64 { return math.Max(0, math.Min(100, v)) }

// percentText writes a rate as the pages do: up to two decimals, no
// trailing zeros.
func percentText(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s + "%"
}
