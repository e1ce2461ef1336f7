package sheets

import (
	"strings"

	"rcm/reporting"
)

// collector gathers the values of a file line by line, checking each against
// the template as it comes: the indicator must exist, appear once, and its
// value be of the indicator's type and within its bounds. Required
// indicators left out are not its business: the submission's validation
// (reporting.Template.ValidateValues) reports those.
type collector struct {
	tmpl   reporting.Template
	values reporting.Values
	lineOf map[string]int
	problems
}

func newCollector(tmpl reporting.Template, format string) *collector {
	return &collector{tmpl: tmpl, values: reporting.Values{}, lineOf: map[string]int{}, problems: problems{format: format}}
}

// add records the value of indicator code read at line.
func (c *collector) add(line int, code, value string) {
	code = strings.TrimSpace(code)
	value = strings.TrimSpace(value)
	if _, ok := c.tmpl.Indicator(code); !ok {
		c.problems.add(line, code, reporting.FieldUnknownIndicator,
			"indicator %q is not in template %s; use the codes of the exported template", code, c.tmpl.Code)
		return
	}
	if first, dup := c.lineOf[code]; dup {
		c.problems.add(line, code, ProblemDuplicate, "indicator %s already has a value on line %d; keep one line per indicator", code, first)
		return
	}
	c.lineOf[code] = line
	if value == "" {
		return // not given
	}
	_, errs := c.tmpl.ValidateValues(reporting.Values{code: value})
	bad := false
	for _, fe := range errs {
		if fe.Indicator == code && fe.Code != reporting.FieldRequired {
			c.problems.add(line, code, fe.Code, "%s", fe.Message("en"))
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
