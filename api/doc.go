// Package api holds the JSON shapes of rcm's HTTP API, shared by the server
// (package web) and its command-line client (package cli), so the two cannot
// drift.
//
// Each type is the body of a request or an answer, with the json tags that
// make its wire form; the types are named after the schemas of the API
// description (web/openapi.yaml), which documents each field, and a test of
// package web holds the two to the same members. A type's fields change only
// with the API: the server fills them in from its own records (package web
// converts), and the command line prints them (package cli formats).
// Nothing here does more than hold the shapes, save DecimalText, which reads
// a JSON number or string alike, and FieldProblemOf, which writes rcm's one
// refused-field type (reporting.FieldError) as a problem's errors entry.
package api
