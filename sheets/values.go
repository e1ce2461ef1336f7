package sheets

import (
	"errors"
	"fmt"
	"strings"

	"rcm/messages"
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
		c.problems.addIn(line, code, reporting.FieldUnknownIndicator,
			fmt.Sprintf("chỉ tiêu %q không có trong biểu mẫu %s; dùng mã chỉ tiêu của biểu mẫu tải về", code, c.tmpl.Code),
			fmt.Sprintf("indicator %q is not in template %s; use the codes of the exported template", code, c.tmpl.Code))
		return
	}
	if first, dup := c.lineOf[code]; dup {
		c.problems.addIn(line, code, ProblemDuplicate,
			fmt.Sprintf("chỉ tiêu %s đã có giá trị ở dòng %d; mỗi chỉ tiêu chỉ một dòng", code, first),
			fmt.Sprintf("indicator %s already has a value on line %d; keep one line per indicator", code, first))
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
			c.problems.addIn(line, code, ne.Code, messages.NumberReason(messages.Vietnamese, ne), messages.NumberReason(messages.English, ne))
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
			c.problems.addIn(line, code, fe.Code, messages.FieldReason(messages.Vietnamese, fe), messages.FieldReason(messages.English, fe))
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
