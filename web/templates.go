package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"rcm/api"
	"rcm/messages"
	"rcm/operations"
	"rcm/reporting"
	"rcm/sheets"
)

func (s *Server) templateRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/templates", Op: operations.OpCreateTemplate, Handle: s.createTemplate},
		{Method: "GET", Path: "/api/v1/templates", Op: operations.OpReadTemplates, Handle: s.listTemplates},
		{Method: "GET", Path: "/api/v1/templates/{code}", Op: operations.OpReadTemplates, Handle: s.getTemplate},
		{Method: "GET", Path: "/api/v1/templates/{code}/xlsx", Op: operations.OpReadTemplates, Handle: s.templateXLSX},
		{Method: "GET", Path: "/api/v1/templates/{code}/csv", Op: operations.OpReadTemplates, Handle: s.templateCSV},
	}
}

func toTemplateJSON(t reporting.Template) api.Template {
	out := api.Template{Code: t.Code, NameVI: t.NameVI, NameEN: t.NameEN, Indicators: make([]api.Indicator, len(t.Indicators))}
	for i, ind := range t.Indicators {
		out.Indicators[i] = api.Indicator{Code: ind.Code, NameVI: ind.NameVI, NameEN: ind.NameEN, Unit: ind.Unit,
			Type: string(ind.Type), Required: ind.Required, Min: api.DecimalText(ind.Min), Max: api.DecimalText(ind.Max),
			Aggregation: string(ind.Aggregation)}
	}
	return out
}

func templateToReporting(t api.Template) reporting.Template {
	out := reporting.Template{Code: t.Code, NameVI: t.NameVI, NameEN: t.NameEN, Indicators: make([]reporting.Indicator, len(t.Indicators))}
	for i, ind := range t.Indicators {
		agg := reporting.Aggregation(ind.Aggregation)
		if agg == "" {
			agg = reporting.AggregationNone
		}
		out.Indicators[i] = reporting.Indicator{Code: ind.Code, NameVI: ind.NameVI, NameEN: ind.NameEN, Unit: ind.Unit,
			Type: reporting.IndicatorType(ind.Type), Required: ind.Required, Min: string(ind.Min), Max: string(ind.Max),
			Aggregation: agg}
	}
	return out
}

func (s *Server) createTemplate(w http.ResponseWriter, r *http.Request) error {
	var req api.Template
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	t := templateToReporting(req)
	if err := s.ops.CreateTemplate(r.Context(), caller(r), t); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/templates/"+t.Code)
	writeJSON(w, http.StatusCreated, toTemplateJSON(t))
	return nil
}

func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) error {
	templates, err := s.ops.ListTemplates(r.Context(), caller(r))
	if err != nil {
		return err
	}
	items := make([]api.Template, len(templates))
	for i, t := range templates {
		items[i] = toTemplateJSON(t)
	}
	writeJSON(w, http.StatusOK, api.Page[api.Template]{Items: items})
	return nil
}

func (s *Server) getTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.ops.Template(r.Context(), caller(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toTemplateJSON(t))
	return nil
}

// templateXLSX answers the spreadsheet an agency fills in (?lang=vi|en;
// default the caller's language).
func (s *Server) templateXLSX(w http.ResponseWriter, r *http.Request) error {
	return s.templateFile(w, r, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", sheets.Write)
}

// templateCSV answers the CSV an agency fills in.
func (s *Server) templateCSV(w http.ResponseWriter, r *http.Request) error {
	return s.templateFile(w, r, "csv", "text/csv; charset=utf-8", sheets.WriteCSV)
}

func (s *Server) templateFile(w http.ResponseWriter, r *http.Request, ext, contentType string,
	write func(w io.Writer, t reporting.Template, lang messages.Lang) error) error {
	t, err := s.ops.Template(r.Context(), caller(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	asked := r.URL.Query().Get("lang")
	if asked == "" {
		asked = principal(r).Language
	}
	lang, ok := messages.Choose(messages.Explicit(asked))
	if !ok {
		return errBadRequest(fmt.Sprintf("lang %q is not a language rcm writes", asked), reporting.FieldError{Field: "lang", Reason: "vi or en"})
	}
	var buf bytes.Buffer
	if err := write(&buf, t, lang); err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, t.Code, ext))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}
