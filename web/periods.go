package web

import (
	"net/http"

	"rcm/api"
	"rcm/operations"
)

func (s *Server) periodRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/regimes/{code}/periods/{period}", Op: operations.OpPlanPeriod, Handle: s.getPeriodPlan},
	}
}

// getPeriodPlan lays out a regime's cycle for a period without launching it.
func (s *Server) getPeriodPlan(w http.ResponseWriter, r *http.Request) error {
	plan, err := s.ops.PlanPeriod(r.Context(), caller(r), r.PathValue("code"), r.PathValue("period"))
	if err != nil {
		return operationError(r, err)
	}
	c := plan.Cycle
	out := api.PeriodPlan{Regime: c.RegimeCode, Period: c.Period, Cadence: string(plan.Regime.Cadence), Windows: string(plan.Regime.Windows),
		WindowStart: c.WindowStart, WindowEnd: c.WindowEnd, TimeZone: c.TimeZone, CutOff: c.CutOff,
		DeadlineRule: plan.Regime.DeadlineRule.String(), Due: c.Due, Close: c.Close, SendTime: plan.SendTime.String(),
		Estimates: c.ReportsEstimates(), Timeline: make([]api.PlannedMoment, len(plan.Timeline))}
	out.LabelVI, out.LabelEN = periodLabels(c.Period)
	for i, m := range plan.Timeline {
		out.Timeline[i] = api.PlannedMoment{At: m.At, Kind: string(m.Kind), Step: m.Step, Of: m.Of, Recipients: recipientCodes(m.Recipients), Tier: m.Tier}
	}
	for _, t := range c.Tiers {
		out.Tiers = append(out.Tiers, toCycleTierJSON(t))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
