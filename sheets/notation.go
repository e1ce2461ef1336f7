package sheets

import (
	"fmt"
	"strings"

	"rcm/reporting"
)

// The header of the value column states how its figures are written: the
// column's name, then a figure written in the notation, in parentheses.
// A bare name states nothing (files rcm wrote before it stated the
// notation, files written by hand): reporting.NotationUnstated.
var notationExamples = []struct {
	notation reporting.Notation
	example  string
}{
	{reporting.NotationVI, "1.234,5"},
	{reporting.NotationEN, "1,234.5"},
	{reporting.NotationCanonical, "1234.5"},
}

// ValueHeader returns the header of a value column named name whose figures
// are written in notation n: "value (1.234,5)" for Vietnamese, "value
// (1,234.5)" for English, "value (1234.5)" for the canonical notation, and
// the bare name for reporting.NotationUnstated.
func ValueHeader(name string, n reporting.Notation) string {
	for _, ex := range notationExamples {
		if ex.notation == n {
			return fmt.Sprintf("%s (%s)", name, ex.example)
		}
	}
	return name
}

// parseValueHeader tells whether a header cell names the value column (one
// of names, in any letter case, alone or followed by a parenthesis) and the
// notation it states. A parenthesis that names no notation is an error.
func parseValueHeader(cell string, names ...string) (n reporting.Notation, isValue bool, err error) {
	text := strings.ToLower(strings.TrimSpace(cell))
	for _, name := range names {
		rest, ok := strings.CutPrefix(text, strings.ToLower(name))
		if !ok {
			continue
		}
		rest = strings.TrimSpace(rest)
		if rest == "" {
			return reporting.NotationUnstated, true, nil
		}
		inner, ok := strings.CutPrefix(rest, "(")
		if !ok {
			continue // another column: "values", "value_note"
		}
		inner, ok = strings.CutSuffix(inner, ")")
		for _, ex := range notationExamples {
			if ok && strings.TrimSpace(inner) == ex.example {
				return ex.notation, true, nil
			}
		}
		return "", true, fmt.Errorf("the header %q does not say how figures are written in a way rcm reads; write %s, %s or %s",
			strings.TrimSpace(cell), ValueHeader(name, reporting.NotationVI), ValueHeader(name, reporting.NotationEN),
			ValueHeader(name, reporting.NotationCanonical))
	}
	return "", false, nil
}
