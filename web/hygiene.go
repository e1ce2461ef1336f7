package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"rcm/messages"
	"rcm/reporting"
)

// Every text a request brings — JSON strings and member names, form and
// multipart fields, path and query values, the Idempotency-Key — passes one
// of the checks of this file before it reaches a handler's logic, and so
// before SQL: PostgreSQL refuses NUL in text, and invalid UTF-8 is nothing
// a person wrote. A refusal is a 400 naming the field.

// textProblem says why s is no text rcm stores, as the messages
// catalogue's key of the reason, or "" when it is.
func textProblem(s string) (key string) {
	switch {
	case !utf8.ValidString(s):
		return "reason.not_utf8"
	case strings.IndexByte(s, 0) >= 0:
		return "reason.nul"
	}
	return ""
}

// isText reports whether s is text rcm stores.
func isText(s string) bool { return textProblem(s) == "" }

// checkText refuses s, named field, unless it is text rcm stores.
func checkText(field, s string) error {
	if key := textProblem(s); key != "" {
		return errBadRequest(fmt.Sprintf("%s is refused: %s", field, messages.Text(messages.English, key)), reporting.Keyed(field, key))
	}
	return nil
}

// pathWildcard finds the names of a route pattern's wildcards.
var pathWildcard = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(?:\.\.\.)?\}`)

// checkRequestText checks the route's path values and every query name and
// value of r.
func checkRequestText(r *http.Request, rt Route) error {
	for _, m := range pathWildcard.FindAllStringSubmatch(rt.Path, -1) {
		if err := checkText(m[1], r.PathValue(m[1])); err != nil {
			return err
		}
	}
	if err := checkText("the query", r.URL.RawQuery); err != nil {
		// Percent-decoding happens below; a raw query is ASCII unless a
		// client sent bytes no URL may hold.
		return err
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return errBadRequest(fmt.Sprintf("the query string cannot be read: %v", err))
	}
	return checkValues(query)
}

// checkValues checks the names and values of a query or form, in name order
// so that the answer does not depend on map order.
func checkValues(values url.Values) error {
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := checkText("parameter name", name); err != nil {
			return err
		}
		for _, v := range values[name] {
			if err := checkText(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkForm checks every field of a parsed form, multipart fields and the
// names of attached files included.
func checkForm(r *http.Request) error {
	if err := checkValues(r.Form); err != nil {
		return err
	}
	if r.MultipartForm == nil {
		return nil
	}
	if err := checkValues(r.MultipartForm.Value); err != nil {
		return err
	}
	for name, files := range r.MultipartForm.File {
		for _, fh := range files {
			if err := checkText(name+" (file name)", fh.Filename); err != nil {
				return err
			}
		}
	}
	return nil
}

// check refuses a submission whose narrative, indicator codes or values are
// not text rcm stores, whatever format brought them.
func (b submissionBody) check() error {
	if err := checkText("narrative", b.Narrative); err != nil {
		return err
	}
	if err := checkText("reason", b.Reason); err != nil {
		return err
	}
	codes := make([]string, 0, len(b.Values))
	for code := range b.Values {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		if err := checkText("values", code); err != nil {
			return err
		}
		if err := checkText("values."+code, b.Values[code]); err != nil {
			return err
		}
	}
	return nil
}

// checkJSONText reads a JSON document as a stream of tokens and refuses a
// member name given twice in one object (encoding/json would keep the last
// silently), invalid UTF-8 and NUL in any string, naming where. Other
// syntax errors are left to the decoder, which explains them with a line and
// column.
func checkJSONText(body []byte) error {
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.ReadToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var syn *jsontext.SyntacticError
		if errors.As(err, &syn) {
			field := fieldOfPointer(syn.JSONPointer)
			msg := syn.Err.Error()
			switch {
			case errors.Is(syn.Err, jsontext.ErrDuplicateName):
				name := syn.JSONPointer.LastToken()
				return errBadRequest(fmt.Sprintf("the key %q is given twice in one object; give each key once", name),
					reporting.FieldError{Field: field, Reason: "duplicate key"})
			case strings.Contains(msg, "UTF-8") || strings.Contains(msg, "surrogate"):
				return errBadRequest(fmt.Sprintf("%s is refused: not valid UTF-8 text", field),
					reporting.FieldError{Field: field, Reason: "not valid UTF-8 text"})
			}
			return nil
		}
		if err != nil {
			return nil // the decoder explains it
		}
		if tok.Kind() == '"' {
			if strings.IndexByte(tok.String(), 0) >= 0 {
				field := fieldOfPointer(dec.StackPointer())
				return errBadRequest(fmt.Sprintf("%s is refused: contains a NUL character (\\u0000)", field),
					reporting.FieldError{Field: field, Reason: "contains a NUL character (\\u0000)"})
			}
		}
	}
}

// fieldOfPointer names a JSON pointer as the API's problems name fields:
// "/values/GRDP" is "values.GRDP", "/0/parent" is "[0].parent", the whole
// body "(body)".
func fieldOfPointer(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil {
			fmt.Fprintf(&b, "[%s]", tok)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	if b.Len() == 0 {
		return "(body)"
	}
	return b.String()
}

// safeNext returns where to go after signing in: next when it is a path of
// this site, else "/". A browser reads "//host", "/\host" and a path with a
// tab or line break in it as another site, so none is accepted.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\") || !isText(next) {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}
