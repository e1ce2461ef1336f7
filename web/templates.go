package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"rcm/api"
	"rcm/reporting"
	"rcm/sheets"
)

func (s *Server) templateRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/templates", Roles: staffOnly, Handle: s.createTemplate},
		{Method: "GET", Path: "/api/v1/templates", Roles: everyRole, Handle: s.listTemplates},
		{Method: "GET", Path: "/api/v1/templates/{code}", Roles: everyRole, Handle: s.getTemplate},
		{Method: "GET", Path: "/api/v1/templates/{code}/xlsx", Roles: everyRole, Handle: s.templateXLSX},
		{Method: "GET", Path: "/api/v1/templates/{code}/csv", Roles: everyRole, Handle: s.templateCSV},
	}
}

// templateJSON is a report template in the API.
type templateJSON struct {
	Code       string          `json:"code"`
	NameVI     string          `json:"name_vi"`
	NameEN     string          `json:"name_en,omitempty"`
	Indicators []indicatorJSON `json:"indicators"`
}

type indicatorJSON struct {
	Code        string      `json:"code"`
	NameVI      string      `json:"name_vi"`
	NameEN      string      `json:"name_en,omitempty"`
	Unit        string      `json:"unit,omitempty"`
	Type        string      `json:"type"`
	Required    bool        `json:"required"`
	Min         decimalText `json:"min,omitempty"`
	Max         decimalText `json:"max,omitempty"`
	Aggregation string      `json:"aggregation,omitempty"`
}

// decimalText is a decimal number kept as text; JSON may write it as a
// number (12.5) or a string ("12.5"). It encodes as a string, so no digit is
// lost to floating point.
type decimalText string

// UnmarshalJSON accepts a JSON number or string.
func (d *decimalText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = decimalText(s)
		return nil
	}
	if string(b) == "null" {
		*d = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("min and max must be numbers or strings holding one: %w", err)
	}
	*d = decimalText(n.String())
	return nil
}

func toTemplateJSON(t reporting.Template) templateJSON {
	out := templateJSON{Code: t.Code, NameVI: t.NameVI, NameEN: t.NameEN, Indicators: make([]indicatorJSON, len(t.Indicators))}
	for i, ind := range t.Indicators {
		out.Indicators[i] = indicatorJSON{Code: ind.Code, NameVI: ind.NameVI, NameEN: ind.NameEN, Unit: ind.Unit,
			Type: string(ind.Type), Required: ind.Required, Min: decimalText(ind.Min), Max: decimalText(ind.Max),
			Aggregation: string(ind.Aggregation)}
	}
	return out
}

func (t templateJSON) toReporting() reporting.Template {
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
	var req templateJSON
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	t := req.toReporting()
	entry := s.audit(r, "template.create", "template/"+t.Code, map[string]any{"indicators": len(t.Indicators)})
	if err := s.store.CreateTemplate(r.Context(), t, entry); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/templates/"+t.Code)
	writeJSON(w, http.StatusCreated, toTemplateJSON(t))
	return nil
}

func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) error {
	templates, err := s.store.ListTemplates(r.Context())
	if err != nil {
		return err
	}
	items := make([]templateJSON, len(templates))
	for i, t := range templates {
		items[i] = toTemplateJSON(t)
	}
	writeJSON(w, http.StatusOK, api.Page[templateJSON]{Items: items})
	return nil
}

func (s *Server) getTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.store.Template(r.Context(), r.PathValue("code"))
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
	write func(w io.Writer, t reporting.Template, lang string) error) error {
	t, err := s.store.Template(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		lang = principal(r).Language
	}
	if lang != "vi" && lang != "en" {
		return errBadRequest(fmt.Sprintf("lang %q is not a language rcm writes", lang), api.FieldProblem{Field: "lang", Reason: "vi or en"})
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
