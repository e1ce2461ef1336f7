package sheets

import (
	"errors"
	"strings"

	"rcm/reporting"
)

// collector gathers the values of a file line by line, checking each against
// the template as it comes: the indicator must exist, appear once, and its
// value be a figure written in the file's notation (for numeric
// indicators), of the indicator's type and within its bounds. Required
// indicators left out are not its business: the submission's validation
// (reporting.Template.ValidateValues) reports those.
type collector struct {
	tmpl   reporting.Template
	values reporting.Values
	lineOf map[string]int
	// notation is how the file writes figures as text.
	notation reporting.Notation
	problems
}

func newCollector(tmpl reporting.Template, format string) *collector {
	return &collector{tmpl: tmpl, values: reporting.Values{}, lineOf: map[string]int{}, problems: problems{format: format}}
}

// add records the value of indicator code read at line, a figure written
// in the file's notation.
func (c *collector) add(line int, code, value string) {
	c.addIn(line, code, value, c.notation)
}

// addIn records the value of indicator code read at line, a figure written
// in notation n.
func (c *collector) addIn(line int, code, value string, n reporting.Notation) {
	code = strings.TrimSpace(code)
	value = strings.TrimSpace(value)
	ind, ok := c.tmpl.Indicator(code)
	if !ok {
		c.problems.addKey(line, code, reporting.FieldUnknownIndicator, "reason.file_unknown_indicator", code, c.tmpl.Code)
		return
	}
	if first, dup := c.lineOf[code]; dup {
		c.problems.addKey(line, code, ProblemDuplicate, "reason.file_duplicate", code, first)
		return
	}
	c.lineOf[code] = line
	if value == "" {
		return // not given
	}
	if ind.Type != reporting.TypeText {
		canonical, err := reporting.ParseNumber(value, n)
		var ne *reporting.NumberError
		if errors.As(err, &ne) {
			ne.Indicator = code
			c.problems.addError(line, code, reporting.FieldError{Code: ne.Code, Number: ne})
			return
		}
		if err != nil { // a notation rcm does not know: a bug, said as it is
			c.problems.add(line, code, ProblemMalformed, "%v", err)
			return
		}
		value = canonical
	}
	// The indicator alone: validating against the whole template for each
	// line would cost the template's size per line.
	one := reporting.Template{Code: c.tmpl.Code, Indicators: []reporting.Indicator{ind}}
	_, errs := one.ValidateValues(reporting.Values{code: value})
	bad := false
	for _, fe := range errs {
		if fe.Indicator == code && fe.Code != reporting.FieldRequired {
			c.problems.addError(line, code, fe)
			bad = true
		}
	}
	if !bad {
		c.values[code] = value
	}
}

func (c *collector) result() (reporting.Values, error) {
	if err := c.err(); err != nil {
		return nil, err
	}
	return c.values, nil
}
