package api

import (
	"rcm/messages"
	"rcm/reporting"
)

// Problem is an RFC 9457 problem details object, the body of every error
// answer (Content-Type application/problem+json).
type Problem struct {
	// Type is a URI reference naming the kind of problem ("/problems/validation").
	Type string `json:"type"`
	// Title is a short summary of the kind of problem, the same for every
	// occurrence.
	Title string `json:"title"`
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Detail explains this occurrence and what to do next.
	Detail string `json:"detail,omitempty"`
	// Instance is the request path.
	Instance string `json:"instance,omitempty"`
	// Errors name each refused field and why.
	Errors []FieldProblem `json:"errors,omitempty"`
}

// FieldProblem is one refused field of a request: Field uses the request's
// JSON names ("[3].parent", "policy.escalations[0].times", "limit").
type FieldProblem struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
	// Code is a stable code for the reason, where there is one
	// ("unknown_indicator", "not_a_number").
	Code string `json:"code,omitempty"`
	// Line is the line (CSV) or row (XLSX) of an uploaded file, where it applies.
	Line int `json:"line,omitempty"`
}

// FieldProblemOf writes a refused field of rcm's (reporting.FieldError, the
// one type every refusal takes) for the wire, its reason in lang where rcm
// has it in several languages (the problems of submitted values).
func FieldProblemOf(lang messages.Lang, e reporting.FieldError) FieldProblem {
	return FieldProblem{Field: e.Field, Reason: messages.FieldReason(lang, e), Code: e.Code, Line: e.Line}
}

// FieldProblemsOf writes every refused field for the wire, as FieldProblemOf.
func FieldProblemsOf(lang messages.Lang, errs []reporting.FieldError) []FieldProblem {
	if len(errs) == 0 {
		return nil
	}
	out := make([]FieldProblem, len(errs))
	for i, e := range errs {
		out[i] = FieldProblemOf(lang, e)
	}
	return out
}
