package web

import (
	"net/http"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
)

func (s *Server) tierRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/cycles/{id}/tiers", Op: operations.OpReadResults, Handle: s.getTiers},
		{Method: "GET", Path: "/api/v1/cycles/{id}/agencies/{code}/consolidation", Op: operations.OpReadResults,
			Scope: s.agencyInScope("code"), Handle: s.getConsolidation},
	}
}

// getTiers answers a tiered cycle's progress per level within the caller's
// scope (?under= narrows it).
func (s *Server) getTiers(w http.ResponseWriter, r *http.Request) error {
	v, err := s.ops.Tiers(r.Context(), caller(r), r.PathValue("id"), r.URL.Query().Get("under"))
	if err != nil {
		return operationError(r, err)
	}
	out := api.TierProgress{Cycle: v.Cycle.ID, Status: string(v.Cycle.Status), Levels: []api.TierLevel{}, Parents: []api.TierParent{}}
	for _, l := range v.Levels {
		out.Levels = append(out.Levels, api.TierLevel{CycleTier: toCycleTierJSON(l.Tier), ByState: l.ByState, Rates: l.Rates,
			Figures: consolidatedValues(v.Template, l.Figures)})
	}
	for _, p := range v.Parents {
		waiting := p.WaitingFor
		if waiting == nil {
			waiting = []string{}
		}
		out.Parents = append(out.Parents, api.TierParent{Agency: p.AgencyCode, NameVI: p.NameVI, NameEN: p.NameEN, Level: p.Level,
			State: p.State, Children: p.Children, Settled: p.Settled, WaitingFor: waiting})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getConsolidation answers an upper-level agency's report pre-filled from
// the accepted reports of the level below it.
func (s *Server) getConsolidation(w http.ResponseWriter, r *http.Request) error {
	c, err := s.ops.Consolidation(r.Context(), caller(r), r.PathValue("id"), r.PathValue("code"))
	if err != nil {
		return operationError(r, err)
	}
	out := api.Consolidation{Cycle: c.Cycle.ID, Agency: c.Agency.Code, NameVI: c.Agency.NameVI, NameEN: c.Agency.NameEN,
		Level: c.Level.Level, Values: []api.ConsolidatedValue{}, Children: []api.ConsolidatedChild{}, WaitingFor: []string{}}
	out.Values = consolidatedValues(c.Template, c.Values)
	for _, ch := range c.Children {
		o := ch.Obligation
		out.Children = append(out.Children, api.ConsolidatedChild{Agency: o.AgencyCode, NameVI: o.AgencyNameVI, NameEN: o.AgencyNameEN,
			State: ch.State, Settled: ch.Settled})
	}
	out.WaitingFor = append(out.WaitingFor, c.WaitingFor...)
	if c.Latest != nil {
		out.LatestVersion, out.SentWithout = c.Latest.Version, c.Latest.MissingChildren
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// consolidatedValues writes figures by indicator in the template's order.
func consolidatedValues(tmpl reporting.Template, figures map[string]reporting.AggregateValue) []api.ConsolidatedValue {
	out := []api.ConsolidatedValue{}
	for _, ind := range tmpl.Indicators {
		if v, ok := figures[ind.Code]; ok {
			out = append(out, api.ConsolidatedValue{Indicator: ind.Code, Aggregation: string(ind.Aggregation),
				Value: v.Value, Contributors: v.Count, Expected: v.Expected})
		}
	}
	return out
}
