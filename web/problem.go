package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"rcm/api"
	"rcm/messages"
	"rcm/operations"
	"rcm/reporting"
	"rcm/sheets"
	"rcm/store"
)

// Problem types, as URI references relative to the server.
const (
	typeValidation    = "/problems/validation"
	typeMalformed     = "/problems/malformed-request"
	typeUnauthorized  = "/problems/unauthenticated"
	typeForbidden     = "/problems/forbidden"
	typeNotFound      = "/problems/not-found"
	typeConflict      = "/problems/conflict"
	typeTooLarge      = "/problems/too-large"
	typeMediaType     = "/problems/unsupported-media-type"
	typeMethod        = "/problems/method-not-allowed"
	typeUnavailable   = "/problems/unavailable"
	typeTooMany       = "/problems/too-many-requests"
	typeInternal      = "/problems/internal"
	contentTypeJSON   = "application/json"
	contentTypeProblm = "application/problem+json"
)

// apiError is an error a handler returns to answer with a problem.
type apiError struct {
	api.Problem
	cause error
	// retryAfter, when set, is sent as the Retry-After header (seconds).
	retryAfter int64
	// fields are the refused fields the problem was built from, so that a
	// page writes them in its own language (errorsIn).
	fields []reporting.FieldError
}

// errorsIn are the problem's refused fields written for a reader of lang.
func (e *apiError) errorsIn(lang messages.Lang) []api.FieldProblem {
	if e.fields == nil {
		return e.Errors
	}
	return api.FieldProblemsOf(lang, e.fields)
}

func (e *apiError) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Detail, e.cause)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Detail)
}

func (e *apiError) Unwrap() error { return e.cause }

// problem builds the problem of a refusal, its refused fields written in
// English save those rcm writes in the caller's language (see
// errValidationIn).
func problem(status int, typ, title, detail string, fields ...reporting.FieldError) *apiError {
	return &apiError{Problem: api.Problem{Type: typ, Title: title, Status: status, Detail: detail,
		Errors: api.FieldProblemsOf("en", fields)}, fields: fields}
}

// Constructors of the problems handlers return.

func errValidation(detail string, fields ...reporting.FieldError) *apiError {
	return problem(http.StatusUnprocessableEntity, typeValidation, "The request has invalid fields", detail, fields...)
}

// errValidationIn is errValidation with the problems of submitted values
// written in lang.
func errValidationIn(lang messages.Lang, detail string, fields ...reporting.FieldError) *apiError {
	e := errValidation(detail)
	e.Errors = api.FieldProblemsOf(lang, fields)
	return e
}

func errBadRequest(detail string, fields ...reporting.FieldError) *apiError {
	return problem(http.StatusBadRequest, typeMalformed, "The request is malformed", detail, fields...)
}

func errUnauthenticated(detail string) *apiError {
	return problem(http.StatusUnauthorized, typeUnauthorized, "Authentication is required", detail)
}

func errForbidden(detail string) *apiError {
	return problem(http.StatusForbidden, typeForbidden, "Your role does not allow this", detail)
}

// errNotFound is also the answer for what exists outside the caller's scope,
// word for word, so that the answer gives no hint of it.
func errNotFound(what, id string) *apiError {
	return problem(http.StatusNotFound, typeNotFound, "Not found",
		fmt.Sprintf("%s %s does not exist or is outside what you may see", what, id))
}

func errConflict(detail string) *apiError {
	return problem(http.StatusConflict, typeConflict, "The current state refuses the change", detail)
}

// toProblem turns any error a handler returned into the problem to answer with.
func toProblem(err error) *apiError {
	var ae *apiError
	var inErr *reporting.InputError
	var fileErr *sheets.FileError
	var tooLarge *http.MaxBytesError
	var notFound *operations.NotFoundError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &notFound):
		return errNotFound(notFound.What, notFound.ID)
	case errors.Is(err, operations.ErrForbidden):
		return errForbidden(err.Error())
	case errors.Is(err, operations.ErrMailUnavailable):
		e := errUnavailable(err.Error())
		e.cause = err
		return e
	case errors.Is(err, operations.ErrNoTemporal):
		return errUnavailable("the cycle engine is not configured on this server; start it with `rcm serve` and a reachable Temporal")
	case errors.Is(err, operations.ErrUnavailable):
		e := errUnavailable("Temporal cannot be reached, so nothing was changed; try again in a minute, and tell the operators if it persists")
		e.cause = err
		return e
	case errors.As(err, &tooLarge):
		return problem(http.StatusRequestEntityTooLarge, typeTooLarge, "The request body is too large",
			fmt.Sprintf("the body is larger than the %d bytes this endpoint accepts; send less at a time", tooLarge.Limit))
	case errors.Is(err, sheets.ErrTooLarge):
		return problem(http.StatusRequestEntityTooLarge, typeTooLarge, "The file is too large", trimWrap(err))
	case errors.As(err, &inErr):
		return errValidation(messages.Text(messages.English, "problem.indicators_refused"), inErr.Fields...)
	case errors.As(err, &fileErr):
		return errValidation(fmt.Sprintf("the %s file cannot be read as the template's; correct the lines named and send it again", fileErr.Format), fileErr.Problems...)
	case errors.Is(err, store.ErrNotFound):
		return problem(http.StatusNotFound, typeNotFound, "Not found", trimWrap(err))
	case errors.Is(err, store.ErrConflict):
		return errConflict(trimWrap(err))
	case errors.Is(err, store.ErrUnauthenticated):
		return errUnauthenticated(err.Error())
	}
	e := problem(http.StatusInternalServerError, typeInternal, "Internal error",
		"the server failed to answer; try again, and tell the operators if it persists")
	e.cause = err
	return e
}

// trimWrap returns the message of a store error, which names the record
// ("agency HNI: not found").
func trimWrap(err error) string { return err.Error() }

// writeProblem answers with p.
func writeProblem(w http.ResponseWriter, r *http.Request, p api.Problem) {
	if p.Instance == "" && r != nil {
		p.Instance = r.URL.Path
	}
	if lang, ok := askedLang(r); ok {
		p = localizeProblem(lang, p)
	}
	w.Header().Set("Content-Type", contentTypeProblm)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", contentTypeJSON)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// decodeJSON reads the request body into v: it must be JSON, one value, with
// no fields v does not have, no key twice in an object, and only text rcm
// stores in its strings (checkJSONText). Errors name the line and column, or
// the field.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != contentTypeJSON && !strings.HasSuffix(mt, "+json")) {
			return problem(http.StatusUnsupportedMediaType, typeMediaType, "Unsupported media type",
				fmt.Sprintf("the body is %q; send JSON with Content-Type: application/json", ct))
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err // a *http.MaxBytesError becomes 413
	}
	if err := checkJSONText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(body, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		line, col := position(body, dec.InputOffset())
		return errBadRequest(fmt.Sprintf("more after the JSON document at line %d, column %d; send exactly one value", line, col))
	}
	return nil
}

// jsonProblem explains a JSON decoding error, with its position in body.
func jsonProblem(body []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case len(bytes.TrimSpace(body)) == 0:
		return errBadRequest("the body is empty; send a JSON document")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errBadRequest("the JSON document ends too early; check for a missing bracket or quote")
	case errors.As(err, &syntax):
		line, col := position(body, syntax.Offset-1) // Offset is just past the bad byte
		return errBadRequest(fmt.Sprintf("malformed JSON at line %d, column %d: %v", line, col, syntax))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		line, col := position(body, typ.Offset)
		reason := fmt.Sprintf("expected %s, got JSON %s", jsonKind(typ.Type.Kind().String()), typ.Value)
		return errBadRequest(fmt.Sprintf("field %s at line %d, column %d: %s", field, line, col, reason),
			reporting.FieldError{Field: field, Reason: reason})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errBadRequest(fmt.Sprintf("unknown field %q; check its spelling against the API description (/api/openapi.json)", name),
			reporting.FieldError{Field: name, Reason: "unknown field"})
	}
	return errBadRequest(fmt.Sprintf("malformed JSON: %v", err))
}

// position turns a byte offset of body into a 1-based line and column.
func position(body []byte, offset int64) (line, col int) {
	offset = max(0, min(offset, int64(len(body))))
	before := body[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	default:
		return goKind
	}
}
