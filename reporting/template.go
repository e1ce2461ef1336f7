package reporting

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// IndicatorType is the kind of value an indicator holds.
type IndicatorType string

// The indicator types.
const (
	// TypeInteger is a whole number ("1250").
	TypeInteger IndicatorType = "integer"
	// TypeDecimal is a decimal number ("1250.75").
	TypeDecimal IndicatorType = "decimal"
	// TypePercent is a decimal number of percent ("7.5" for 7.5%); its bounds
	// come from Min and Max only, so a growth rate may be negative or above 100.
	TypePercent IndicatorType = "percent"
	// TypeText is free text, up to MaxTextLength characters.
	TypeText IndicatorType = "text"
)

// IsValid reports whether t is one of the indicator types.
func (t IndicatorType) IsValid() bool {
	switch t {
	case TypeInteger, TypeDecimal, TypePercent, TypeText:
		return true
	}
	return false
}

// IsNumeric reports whether t holds numbers (integer, decimal or percent).
func (t IndicatorType) IsNumeric() bool {
	return t == TypeInteger || t == TypeDecimal || t == TypePercent
}

// Aggregation is how an indicator's values roll up along the agency tree.
type Aggregation string

// The aggregations. An empty Aggregation means AggregationNone. Besides
// these, WeightedMean(code) is the mean weighted by another indicator.
const (
	// AggregationSum adds the values (amounts, counts).
	AggregationSum Aggregation = "sum"
	// AggregationAvg is the plain mean over the contributing agencies
	// (rarely right for rates: see WeightedMean).
	AggregationAvg Aggregation = "avg"
	// AggregationMin and AggregationMax take the smallest and largest value.
	AggregationMin Aggregation = "min"
	AggregationMax Aggregation = "max"
	// AggregationNone: the values do not roll up (rates that cannot be
	// combined).
	AggregationNone Aggregation = "none"
)

// weightedMeanPrefix starts an aggregation weighted by another indicator.
const weightedMeanPrefix = "weighted_mean:"

// WeightedMean is the mean weighted by the indicator with code weight
// ("weighted_mean:GRDP"): Σ value × weight ÷ Σ weight over the agencies that
// have both, as a growth rate is weighted by the size that grows.
func WeightedMean(weight string) Aggregation {
	return Aggregation(weightedMeanPrefix + weight)
}

// Weight returns the code of the indicator a weighted mean is weighted by,
// and false when a is not a weighted mean.
func (a Aggregation) Weight() (string, bool) {
	code, ok := strings.CutPrefix(string(a), weightedMeanPrefix)
	return code, ok
}

// IsValid reports whether a is one of the aggregations, a weighted mean by a
// well-formed indicator code, or empty (none).
func (a Aggregation) IsValid() bool {
	switch a {
	case AggregationSum, AggregationAvg, AggregationMin, AggregationMax, AggregationNone, "":
		return true
	}
	weight, ok := a.Weight()
	return ok && ValidIndicatorCode(weight)
}

// aggregationChoices is the list of aggregations, for messages.
const aggregationChoices = "sum, avg, min, max, weighted_mean:CODE (CODE a numeric indicator of the template) or none"

// Rolls reports whether values roll up at all (a is neither none nor empty).
func (a Aggregation) Rolls() bool {
	return a != AggregationNone && a != ""
}

// Indicator is one figure (chỉ tiêu) of a report template.
type Indicator struct {
	// Code identifies the indicator within its template: an upper-case
	// letter, then up to 31 upper-case letters, digits or '_' ("GRDP_GROWTH").
	Code string
	// NameVI is the Vietnamese name (required); NameEN the English one.
	NameVI, NameEN string
	// Unit is the unit of measure shown beside the value ("tỷ đồng", "%").
	Unit string
	// Type is the kind of value.
	Type IndicatorType
	// Required indicators must be filled in.
	Required bool
	// Min and Max bound numeric values, both included, as decimal text; ""
	// leaves that side unbounded. Text indicators have no bounds.
	Min, Max string
	// Aggregation is how values roll up the agency tree; text indicators
	// cannot roll up.
	Aggregation Aggregation
}

// Template is a report template (biểu mẫu): the indicators an agency fills in.
type Template struct {
	// Code identifies the template: an upper-case letter, then up to 31
	// upper-case letters, digits, '_' or '-' ("BC_KTXH-01").
	Code string
	// NameVI is the Vietnamese name (required); NameEN the English one.
	NameVI, NameEN string
	// Indicators in the order the form shows them.
	Indicators []Indicator
}

// Indicator returns the template's indicator with the code, and false when
// there is none.
func (t Template) Indicator(code string) (Indicator, bool) {
	for _, ind := range t.Indicators {
		if ind.Code == code {
			return ind, true
		}
	}
	return Indicator{}, false
}

// ValidIndicatorCode reports whether code is a well-formed indicator code:
// ^[A-Z][A-Z0-9_]{0,31}$.
func ValidIndicatorCode(code string) bool {
	return validCode(code, "_")
}

// ValidTemplateCode reports whether code is a well-formed template code:
// ^[A-Z][A-Z0-9_-]{0,31}$.
func ValidTemplateCode(code string) bool {
	return validCode(code, "_-")
}

func validCode(code, punct string) bool {
	if len(code) < 1 || len(code) > 32 || code[0] < 'A' || code[0] > 'Z' {
		return false
	}
	for i := 1; i < len(code); i++ {
		c := code[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(punct, c) >= 0) {
			return false
		}
	}
	return true
}

// Validate checks the template and reports every problem, one per line, each
// naming the template and the indicator: codes present, well-formed and
// unique, names present, known types and aggregations, bounds that are
// numbers (whole numbers for integer indicators) with min <= max, text
// indicators without bounds or aggregation, percent indicators not summed.
func (t Template) Validate() error {
	problems := t.Problems()
	errs := make([]error, len(problems))
	for i, p := range problems {
		errs[i] = errors.New(p.Reason)
	}
	return errors.Join(errs...)
}

// Problems is Validate as refused fields: "template" for the template's own
// fields, "indicators[i]" for the indicator at index i, each with the line
// Validate writes as its reason.
func (t Template) Problems() []FieldError {
	var errs []FieldError
	prefix := fmt.Sprintf("template %q", t.Code)
	addTo := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Reason: fmt.Sprintf("%s: %s", prefix, fmt.Sprintf(format, args...))})
	}
	add := func(format string, args ...any) { addTo("template", format, args...) }
	if !ValidTemplateCode(t.Code) {
		add("code must be an upper-case letter followed by up to 31 upper-case letters, digits, '_' or '-', such as BC_KTXH-01")
	}
	if strings.TrimSpace(t.NameVI) == "" {
		add("the Vietnamese name (name_vi) is empty")
	}
	if len(t.Indicators) == 0 {
		add("has no indicators; add at least one")
	}
	first := make(map[string]int, len(t.Indicators))
	for i, ind := range t.Indicators {
		where := fmt.Sprintf("indicator %q (position %d)", ind.Code, i+1)
		bad := func(format string, args ...any) {
			addTo(fmt.Sprintf("indicators[%d]", i), "%s: %s", where, fmt.Sprintf(format, args...))
		}
		if !ValidIndicatorCode(ind.Code) {
			bad("code must be an upper-case letter followed by up to 31 upper-case letters, digits or '_', such as GRDP_GROWTH")
		}
		if j, dup := first[ind.Code]; dup {
			bad("code repeats the indicator at position %d; codes must be unique in a template", j+1)
		} else {
			first[ind.Code] = i
		}
		if strings.TrimSpace(ind.NameVI) == "" {
			bad("the Vietnamese name (name_vi) is empty")
		}
		if !ind.Type.IsValid() {
			bad("type %q is unknown; use integer, decimal, percent or text", ind.Type)
		}
		if !ind.Aggregation.IsValid() {
			bad("aggregation %q is unknown; use %s", ind.Aggregation, aggregationChoices)
		} else if weight, ok := ind.Aggregation.Weight(); ok {
			w, found := t.Indicator(weight)
			switch {
			case weight == ind.Code:
				bad("aggregation %s: an indicator cannot be weighted by itself; name another numeric indicator", ind.Aggregation)
			case !found:
				bad("aggregation %s: the weight indicator %s is not in the template; add it or name another", ind.Aggregation, weight)
			case !w.Type.IsNumeric():
				bad("aggregation %s: the weight indicator %s is %s, not a number; name a numeric indicator such as GRDP", ind.Aggregation, weight, w.Type)
			}
		}
		switch {
		case ind.Type == TypeText:
			if ind.Aggregation.Rolls() {
				bad("text indicators cannot be aggregated (%s); use none", ind.Aggregation)
			}
			if ind.Min != "" || ind.Max != "" {
				bad("text indicators have no min or max; leave them empty")
			}
		case ind.Type == TypePercent && ind.Aggregation == AggregationSum:
			bad("percentages cannot be summed; use weighted_mean:CODE, avg, min, max or none")
		}
		if ind.Type.IsNumeric() {
			lo, okLo := checkBound(ind, "min", ind.Min, bad)
			hi, okHi := checkBound(ind, "max", ind.Max, bad)
			if okLo && okHi && lo != nil && hi != nil && lo.Cmp(hi) > 0 {
				bad("min %s is above max %s", ind.Min, ind.Max)
			}
		}
	}
	return errs
}

// checkBound parses an indicator's min or max, reporting through bad when it
// is not a number of the indicator's type. The value is nil for "".
func checkBound(ind Indicator, name, text string, bad func(string, ...any)) (value *big.Rat, ok bool) {
	if text == "" {
		return nil, true
	}
	canonical, v, problem := parseDecimal(text)
	switch {
	case problem == decimalComma:
		bad("%s %q: write the number with '.' as the decimal point and no thousands separators", name, text)
		return nil, false
	case problem != decimalOK:
		bad("%s %q is not a number", name, text)
		return nil, false
	case ind.Type == TypeInteger && !isInteger(canonical):
		bad("%s %s is not a whole number, as an integer indicator needs", name, text)
		return nil, false
	}
	return v, true
}
