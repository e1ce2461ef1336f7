package web

import (
	"net/http"
	"rcm/messages"
	"strconv"

	"rcm/reporting"
)

// figureRow is an indicator's figure beside what it is compared with: the
// figure of an earlier version (and whether it changed) and the figure
// accepted in the agency's previous period. The review page and the
// agency page's versions share it.
type figureRow struct {
	Indicator reporting.Indicator
	Value     string
	// Previous is the figure accepted in the previous period, "" if none.
	Previous string
	// PreviousVersion is the figure of the version compared with, and
	// Changed whether this one differs from it.
	PreviousVersion string
	Changed         bool
	// Flag says how far the figure moved from the previous period, when
	// more than the regime's factor.
	Flag string
}

// figureRows lays out values indicator by indicator, in the page's
// notation, beside the earlier version's (before, nil for none) and the
// previous period's (previous, nil for none), with flags by indicator code.
func figureRows(lang messages.Lang, tmpl reporting.Template, values, before, previous reporting.Values, flags map[string]string) []figureRow {
	rows := make([]figureRow, len(tmpl.Indicators))
	for i, ind := range tmpl.Indicators {
		rows[i] = figureRow{Indicator: ind, Value: figure(lang, ind, values[ind.Code]),
			Previous: figure(lang, ind, previous[ind.Code]), Flag: flags[ind.Code]}
		if before != nil {
			rows[i].PreviousVersion = figure(lang, ind, before[ind.Code])
			rows[i].Changed = before[ind.Code] != values[ind.Code]
		}
	}
	return rows
}

// versionView is one version on the agency's page with its figures,
// read-only, each beside the version before it.
type versionView struct {
	reporting.Submission
	Rows []figureRow
}

// versionComparison is the difference between two versions the agency page
// was asked for (?from=N&to=M): each figure of To beside From's, changed
// ones marked, with the previous period's figure.
type versionComparison struct {
	From, To int
	Rows     []figureRow
	// Changes counts the figures that differ.
	Changes int
}

// agencyVersions lays out every version's figures (newest first, as
// stored) and the comparison the request asks for: ?from= and ?to= name
// two versions; without them the two latest are compared.
func agencyVersions(r *http.Request, lang messages.Lang, tmpl reporting.Template, versions []reporting.Submission, previous reporting.Values) ([]versionView, *versionComparison) {
	byNumber := map[int]reporting.Values{}
	for _, v := range versions {
		byNumber[v.Version] = v.Values
	}
	views := make([]versionView, len(versions))
	for i, v := range versions {
		views[i] = versionView{Submission: v, Rows: figureRows(lang, tmpl, v.Values, byNumber[v.Version-1], previous, nil)}
	}
	if len(versions) < 2 {
		return views, nil
	}
	from, to := versions[1].Version, versions[0].Version
	if n, err := strconv.Atoi(r.URL.Query().Get("from")); err == nil && byNumber[n] != nil {
		from = n
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("to")); err == nil && byNumber[n] != nil {
		to = n
	}
	cmp := &versionComparison{From: from, To: to, Rows: figureRows(lang, tmpl, byNumber[to], byNumber[from], previous, nil)}
	for _, row := range cmp.Rows {
		if row.Changed {
			cmp.Changes++
		}
	}
	return views, cmp
}

// returnReason is why the obligation waits for a new version: the reason
// of the latest version's return, or of the reopen of its accepted one;
// "" when it was not returned.
func returnReason(o reporting.Obligation, versions []reporting.Submission, actions []reporting.Action) string {
	if o.Status != reporting.ObligationReturned {
		return ""
	}
	if len(versions) > 0 && versions[0].Review != nil && versions[0].Review.Decision == reporting.DecisionReturned {
		return versions[0].Review.Reason
	}
	for _, a := range actions { // newest first
		if a.Kind == reporting.ActionReopen {
			return a.Reason
		}
	}
	return ""
}
