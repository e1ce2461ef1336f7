package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// contract is openapi.yaml as the tests hold the server to it: every
// request the suite makes and every answer it gets is checked against it
// (see validating in recorder_test.go).
//
// The document is read strictly: an object schema that lists its
// properties allows no others (unless it says otherwise), with allOf
// merged first. A published document stays open so that clients may be
// generated tolerant of what later versions add; the server, though,
// refuses members it does not know in requests and must send no member
// the document does not name.
type contract struct {
	router  routers.Router
	problem *openapi3.Schema // what answers the document has no operation for must be
	pages   *http.ServeMux   // the HTML pages, which the document does not describe
}

// loadContract reads the document once per test binary.
var loadContract = sync.OnceValues(func() (*contract, error) {
	raw, err := openAPIDocument()
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml is not a valid OpenAPI document: %w", err)
	}
	closeObjects(doc)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route openapi.yaml: %w", err)
	}
	problem := doc.Components.Schemas["Problem"]
	if problem == nil || problem.Value == nil {
		return nil, errors.New("openapi.yaml has no schema Problem")
	}
	pages := http.NewServeMux()
	for _, pg := range NewServer(Config{}, Deps{}).Pages() {
		pages.Handle(pg.Pattern(), http.NotFoundHandler())
	}
	return &contract{router: router, problem: problem.Value, pages: pages}, nil
})

// closeObjects makes every object schema of doc that lists its properties
// refuse others, after merging allOf compositions of object schemas into
// one (closing the parts of an allOf would refuse each other's members).
func closeObjects(doc *openapi3.T) {
	var all []*openapi3.Schema
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		all = append(all, s)
		for _, p := range slices.Sorted(maps.Keys(s.Properties)) {
			walk(s.Properties[p])
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		walk(s.Not)
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range group {
				walk(sub)
			}
		}
	}
	for _, s := range doc.Components.Schemas {
		walk(s)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					walk(p.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
			for _, resp := range op.Responses.Map() {
				if resp.Value != nil {
					for _, mt := range resp.Value.Content {
						walk(mt.Schema)
					}
				}
			}
		}
	}
	for _, s := range all {
		mergeAllOf(s)
	}
	closed := false
	for _, s := range all {
		if len(s.Properties) > 0 && s.AdditionalProperties.Has == nil && s.AdditionalProperties.Schema == nil {
			s.AdditionalProperties.Has = &closed
		}
	}
}

// mergeAllOf replaces an allOf of object schemas by one object schema with
// the properties and required members of all of them. The parts are read,
// not changed: other schemas may refer to them.
func mergeAllOf(s *openapi3.Schema) {
	if len(s.AllOf) == 0 {
		return
	}
	props := openapi3.Schemas{}
	required := slices.Clone(s.Required)
	for _, part := range s.AllOf {
		if part.Value == nil || len(part.Value.AllOf) > 0 || len(part.Value.Properties) == 0 {
			return // not a plain object part: leave the composition alone
		}
		maps.Copy(props, part.Value.Properties)
		required = append(required, part.Value.Required...)
	}
	maps.Copy(props, s.Properties)
	s.AllOf = nil
	s.Type = &openapi3.Types{openapi3.TypeObject}
	s.Properties = props
	slices.Sort(required)
	s.Required = slices.Compact(required)
}

// The document declares a CSV body as one string (rcm reads ; and , separated
// files, with notation in the header), but kin-openapi's default decoder for
// text/csv splits on commas and refuses a ;-separated file. Its decoders are
// registered per process, so this is done once, before any test runs.
func init() {
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
}

// exchange is one request the suite made and the answer it got.
type exchange struct {
	req     *http.Request // its Body is spent; reqBody holds what it was
	reqBody []byte
	status  int
	header  http.Header
	body    []byte
}

// check holds an exchange to the document. Pages are not the API's and
// pass as they are. For an operation of the document:
//   - the answer must be one the operation describes: status, content type
//     and body schema (enums, required members, formats, no member it does
//     not name);
//   - a request the document refuses must be refused (a 4xx answer).
//
// A request the document has no operation for must get a problem (404 or
// 405, application/problem+json, the Problem schema).
func (c *contract) check(ctx context.Context, x exchange) error {
	if _, pattern := c.pages.Handler(x.req); pattern != "" {
		return nil
	}
	route, pathParams, err := c.router.FindRoute(x.req)
	if err != nil {
		if !errors.Is(err, routers.ErrPathNotFound) && !errors.Is(err, routers.ErrMethodNotAllowed) {
			return fmt.Errorf("find the operation in openapi.yaml: %w", err)
		}
		return c.checkUndescribed(x)
	}
	opts := &openapi3filter.Options{
		MultiError:                        true,
		IncludeResponseStatus:             true,
		RejectWhenRequestBodyNotSpecified: true,
		AuthenticationFunc:                openapi3filter.NoopAuthenticationFunc,
		// The message names the member; the failing test prints the body.
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
	}
	req := x.req.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(x.reqBody))
	reqInput := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: opts}
	var problems []string
	reqErr := openapi3filter.ValidateRequest(ctx, reqInput)
	if reqErr != nil && x.status < 400 {
		problems = append(problems, fmt.Sprintf("openapi.yaml refuses the request, yet it was answered %d: %v", x.status, reqErr))
	}
	respInput := &openapi3filter.ResponseValidationInput{RequestValidationInput: reqInput, Status: x.status,
		Header: x.header, Options: opts}
	respInput.SetBodyBytes(x.body)
	if err := openapi3filter.ValidateResponse(ctx, respInput); err != nil {
		problems = append(problems, fmt.Sprintf("the answer is not one openapi.yaml describes for %s %s: %v", route.Method, route.Path, err))
	}
	if problems != nil {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// checkUndescribed checks the answer to a request openapi.yaml has no
// operation for: a problem saying so.
func (c *contract) checkUndescribed(x exchange) error {
	if x.status != http.StatusNotFound && x.status != http.StatusMethodNotAllowed {
		return fmt.Errorf("openapi.yaml describes no operation %s %s, yet it was answered %d", x.req.Method, x.req.URL.Path, x.status)
	}
	if ct := x.header.Get("Content-Type"); ct != contentTypeProblm {
		return fmt.Errorf("the %d answer to %s %s is %q, not a problem (%s)", x.status, x.req.Method, x.req.URL.Path, ct, contentTypeProblm)
	}
	var body any
	if err := json.Unmarshal(x.body, &body); err != nil {
		return fmt.Errorf("the %d answer to %s %s is not JSON: %w", x.status, x.req.Method, x.req.URL.Path, err)
	}
	if err := c.problem.VisitJSON(body, openapi3.MultiErrors(), openapi3.VisitAsResponse(), openapi3.DisableSchemaErrorDetails()); err != nil {
		return fmt.Errorf("the %d answer to %s %s does not match the Problem schema: %w", x.status, x.req.Method, x.req.URL.Path, err)
	}
	return nil
}
