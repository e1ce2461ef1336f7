package api

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Template is a report template (GET and POST /api/v1/templates, GET
// /api/v1/templates/{code}): the indicators an agency reports.
type Template struct {
	Code       string      `json:"code"`
	NameVI     string      `json:"name_vi"`
	NameEN     string      `json:"name_en,omitempty"`
	Indicators []Indicator `json:"indicators"`
}

// Indicator is one figure of a template. Type is integer, decimal, percent
// or text; Aggregation sum, avg, min, max or none.
type Indicator struct {
	Code        string      `json:"code"`
	NameVI      string      `json:"name_vi"`
	NameEN      string      `json:"name_en,omitempty"`
	Unit        string      `json:"unit,omitempty"`
	Type        string      `json:"type"`
	Required    bool        `json:"required"`
	Min         DecimalText `json:"min,omitempty"`
	Max         DecimalText `json:"max,omitempty"`
	Aggregation string      `json:"aggregation,omitempty"`
}

// DecimalText is a decimal number kept as text; JSON may write it as a
// number (12.5) or a string ("12.5"). It encodes as a string, so no digit is
// lost to floating point.
type DecimalText string

// UnmarshalJSON accepts a JSON number or string.
func (d *DecimalText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = DecimalText(s)
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
	*d = DecimalText(n.String())
	return nil
}
