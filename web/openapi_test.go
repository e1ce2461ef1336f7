package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/api"
	"rcm/reporting"
)

// TestOpenAPIMatchesRoutes keeps the API description true: every route of
// the table is described, every described operation is a route, what a
// route's table entry says about access shows in its description, every
// operation with a body describes the answers to a body refused (400, 413,
// 415) and every one that changes something the refusal of a cross-origin
// request with the session cookie (403), and a query parameter whose
// handler checks it against a set of values lists exactly that set.
// (TestQueryEnumsAreAccepted tries the sets on the running server.)
func TestOpenAPIMatchesRoutes(t *testing.T) {
	raw, err := openAPIDocument()
	require.NoError(t, err)
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	require.True(t, strings.HasPrefix(doc.OpenAPI, "3."))

	s := NewServer(Config{}, Deps{})
	routes := map[string]Route{}
	for _, rt := range s.Routes() {
		routes[strings.ToLower(rt.Method)+" "+rt.Path] = rt
	}
	documented := map[string]map[string]any{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if method == "parameters" {
				continue
			}
			documented[method+" "+path] = op
		}
	}
	for key, rt := range routes {
		op, ok := documented[key]
		if !ok {
			t.Errorf("route %s is not in openapi.yaml; describe it there", rt.Pattern())
			continue
		}
		responses, _ := op["responses"].(map[string]any)
		security, hasSecurity := op["security"].([]any)
		public := rt.Op == public
		switch {
		case public && (!hasSecurity || len(security) != 0):
			t.Errorf("%s needs no authentication: give it security: []", rt.Pattern())
		case !public && hasSecurity && len(security) == 0:
			t.Errorf("%s needs authentication but is described with security: []", rt.Pattern())
		}
		if !public {
			requireResponse(t, rt, responses, "401")
		}
		if !public && len(rt.Roles()) < len(access.Roles()) {
			requireResponse(t, rt, responses, "403")
		}
		if rt.Scope != nil || strings.Contains(rt.Path, "{") {
			requireResponse(t, rt, responses, "404")
		}
		if op["requestBody"] != nil {
			for _, status := range []string{"400", "413", "415"} {
				requireResponse(t, rt, responses, status)
			}
		}
		if !public && rt.Method != "GET" {
			requireResponse(t, rt, responses, "403") // http.CrossOriginProtection
		}
		for _, name := range pathParams(rt.Path) {
			if !mentionsParam(op, name) {
				t.Errorf("%s: path parameter {%s} is not described", rt.Pattern(), name)
			}
		}
	}
	for key := range documented {
		if _, ok := routes[key]; !ok {
			t.Errorf("openapi.yaml describes %s, which is no route", key)
		}
	}

	// The sets of values handlers check query parameters against.
	var whole map[string]any
	require.NoError(t, json.Unmarshal(raw, &whole))
	for _, q := range []struct {
		route, param string
		accepted     []string
	}{
		{"GET /api/v1/agencies", "kind", reporting.AgencyKinds()},
		{"GET /api/v1/users", "role", stringsOf(access.Roles())},
		{"GET /api/v1/notifications", "status", stringsOf(reporting.NotificationStatuses())},
	} {
		enum, ok := queryEnums(whole, q.route)[q.param]
		if !ok {
			t.Errorf("%s: openapi.yaml gives ?%s no enum; the handler accepts %v", q.route, q.param, q.accepted)
			continue
		}
		slices.Sort(enum)
		slices.Sort(q.accepted)
		if !slices.Equal(enum, q.accepted) {
			t.Errorf("%s: openapi.yaml lists ?%s=%v, the handler accepts %v", q.route, q.param, enum, q.accepted)
		}
	}

	// Every $ref points at something.
	for _, ref := range collectRefs(whole) {
		if resolve(whole, ref) == nil {
			t.Errorf("$ref %s points at nothing", ref)
		}
	}
}

// queryEnums returns the query parameters of an operation ("GET /path")
// that openapi.yaml gives an enum, with their values.
func queryEnums(doc map[string]any, operation string) map[string][]string {
	method, path, _ := strings.Cut(operation, " ")
	ops, _ := doc["paths"].(map[string]any)[path].(map[string]any)
	op, _ := ops[strings.ToLower(method)].(map[string]any)
	params, _ := op["parameters"].([]any)
	out := map[string][]string{}
	for _, p := range params {
		param, _ := p.(map[string]any)
		if ref, ok := param["$ref"].(string); ok {
			param, _ = resolve(doc, ref).(map[string]any)
		}
		schema, _ := param["schema"].(map[string]any)
		if ref, ok := schema["$ref"].(string); ok {
			schema, _ = resolve(doc, ref).(map[string]any)
		}
		enum, ok := schema["enum"].([]any)
		if param["in"] != "query" || !ok {
			continue
		}
		for _, v := range enum {
			out[param["name"].(string)] = append(out[param["name"].(string)], fmt.Sprint(v))
		}
	}
	return out
}

// stringsOf writes values of a string type (roles, statuses) as strings.
func stringsOf[S ~string](values []S) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// TestQueryEnumsAreAccepted calls every operation that has query parameters
// with an enum in openapi.yaml, as office staff, with each value listed:
// none may be refused. A value outside the list must be refused (400,
// naming the parameter), except by the handlers that read the parameter as
// a filter and find nothing.
func TestQueryEnumsAreAccepted(t *testing.T) {
	f := newFixture(t)
	raw, err := openAPIDocument()
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	lenient := map[string]string{
		"GET /api/v1/cycles ?status":                  "a filter: an unknown status matches no cycle",
		"GET /api/v1/cycles/{id}/obligations ?status": "a filter: an unknown status matches no obligation",
		"GET /api/v1/cycles/{id}/compliance ?lang":    "an unknown language falls back to Accept-Language",
		"GET /api/v1/cycles/{id}/aggregates ?lang":    "an unknown language falls back to Accept-Language",
	}
	tried := 0
	for _, row := range matrix() {
		if !strings.HasPrefix(row.route, "GET ") {
			continue
		}
		for param, values := range queryEnums(doc, row.route) {
			t.Run(row.route+" ?"+param, func(t *testing.T) {
				c := row.call(f, "staff", true)
				u, err := url.Parse(c.path)
				require.NoError(t, err)
				with := func(v string) string {
					q := u.Query()
					q.Set(param, v)
					return u.Path + "?" + q.Encode()
				}
				for _, v := range values {
					got := f.do("staff", "GET", with(v), nil)
					require.Equal(t, 200, got.status, "?%s=%s is in openapi.yaml's enum; body %s", param, v, got.body)
				}
				if reason, ok := lenient[row.route+" ?"+param]; ok {
					t.Logf("?%s outside the enum is not tried: %s", param, reason)
					return
				}
				got := f.do("staff", "GET", with("not-a-"+param), nil)
				require.Equal(t, 400, got.status, "?%s=not-a-%s is outside openapi.yaml's enum; body %s", param, param, got.body)
				p := got.problem(t)
				require.True(t, slices.ContainsFunc(p.Errors, func(e api.FieldProblem) bool { return e.Field == param }),
					"the problem names ?%s: %+v", param, p)
			})
			tried++
		}
	}
	require.GreaterOrEqual(t, tried, 9, "query parameters with an enum tried")
}

func requireResponse(t *testing.T, rt Route, responses map[string]any, status string) {
	t.Helper()
	if _, ok := responses[status]; !ok {
		t.Errorf("%s: response %s is not described", rt.Pattern(), status)
	}
}

func pathParams(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, strings.Trim(seg, "{}."))
		}
	}
	return out
}

// mentionsParam reports whether op lists the path parameter, directly or
// through a $ref to #/components/parameters/<name>.
func mentionsParam(op map[string]any, name string) bool {
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		m, _ := p.(map[string]any)
		if m["name"] == name && m["in"] == "path" || m["$ref"] == "#/components/parameters/"+name {
			return true
		}
	}
	return false
}

func collectRefs(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && k == "$ref" {
				out = append(out, s)
			}
			out = append(out, collectRefs(val)...)
		}
	case []any:
		for _, val := range x {
			out = append(out, collectRefs(val)...)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func resolve(doc map[string]any, ref string) any {
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

func TestOpenAPIIsServed(t *testing.T) {
	s := NewServer(Config{}, Deps{})
	rec := serve(t, s.Handler(), mustRequest(t, "GET", "/api/openapi.json"))
	require.Equal(t, 200, rec.status)
	require.Equal(t, contentTypeJSON, rec.header.Get("Content-Type"))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(rec.body.Bytes(), &doc))
	require.Contains(t, doc, "paths")
}

// TestOpenAPISchemasMatchAPITypes keeps the schemas of openapi.yaml and the
// types of package api, the two writings of the wire contract, the same:
// each schema named here lists exactly the JSON members of its type, down
// through the objects it describes inline (a timeline's moments, the rows
// of compliance). A field added, renamed or dropped on one side only fails.
// A schema only answers use (no request body refers to it) requires exactly
// the members its type always writes (those without omitempty), so that
// the validation of every answer (contract_test.go) notices one missing.
func TestOpenAPISchemasMatchAPITypes(t *testing.T) {
	raw, err := openAPIDocument()
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	types := map[string]any{
		"Problem": api.Problem{}, "FieldProblem": api.FieldProblem{}, "Health": api.Health{}, "Ready": api.Ready{},
		"Agency": api.Agency{}, "ImportResult": api.ImportResult{},
		"SignIn": api.SignIn{}, "Session": api.Session{}, "User": api.User{}, "Me": api.Me{}, "NewUser": api.NewUser{},
		"CreateToken": api.CreateToken{}, "Token": api.Token{}, "NewToken": api.NewToken{},
		"Indicator": api.Indicator{}, "Template": api.Template{}, "Assignment": api.Assignment{}, "Regime": api.Regime{},
		"Policy": reporting.PolicyDoc{}, "Escalation": reporting.EscalationDoc{},
		"Launch": api.Launch{}, "Cycle": api.Cycle{}, "Timeline": api.Timeline{},
		"ExtensionRequest": api.ExtensionRequest{}, "Extension": api.Extension{}, "Reason": api.Reason{},
		"Obligation": api.Obligation{}, "AgencyObligation": api.AgencyObligation{},
		"SubmissionRequest": api.SubmissionRequest{}, "Receipt": api.Receipt{}, "Submission": api.Submission{},
		"Review": api.Review{}, "ReviewRequest": api.ReviewRequest{},
		"Action": api.Action{}, "ActionRequest": api.ActionRequest{}, "RequestDecision": api.RequestDecision{},
		"Compliance": api.Compliance{}, "Aggregates": api.Aggregates{}, "Notification": api.Notification{},
		"ScheduleRequest": api.ScheduleRequest{}, "Note": api.Note{}, "Schedule": api.Schedule{},
		"PasswordResetSent": api.PasswordResetSent{}, "ChangePassword": api.ChangePassword{},
		"UsePasswordReset": api.UsePasswordReset{}, "UserSession": api.UserSession{}, "SessionsEnded": api.SessionsEnded{},
		"AuditRecord": api.AuditRecord{}, "AuditBreak": api.AuditBreak{}, "AuditVerification": api.AuditVerification{},
		"Tier": api.Tier{}, "CycleTier": api.CycleTier{}, "TierProgress": api.TierProgress{}, "Consolidation": api.Consolidation{},
		"ConsolidatedValue": api.ConsolidatedValue{},
		"Rates":             reporting.Rates{},
	}
	requests := requestSchemas(doc)
	for name, v := range types {
		schema, ok := schemas[name].(map[string]any)
		if !ok {
			t.Errorf("openapi.yaml has no schema %s for %s", name, reflect.TypeOf(v))
			continue
		}
		compareSchema(t, doc, name, schema, reflect.TypeOf(v), !requests[name])
	}
}

// compareSchema compares the members of the object schema with the JSON
// fields of the struct type, and recurses into members described inline.
// For a schema only answers use, it compares the required members with
// the fields always written.
func compareSchema(t *testing.T, doc map[string]any, where string, schema map[string]any, typ reflect.Type, answerOnly bool) {
	t.Helper()
	props, required := flatSchema(doc, schema)
	fields := jsonFields(typ)
	for name := range fields {
		if _, ok := props[name]; !ok {
			t.Errorf("%s: %s has %q, which openapi.yaml does not describe", where, typ, name)
		}
	}
	if answerOnly {
		for name, f := range fields {
			if f.always && !required[name] {
				t.Errorf("%s: %s always writes %q; list it in the schema's required", where, typ, name)
			}
			if !f.always && required[name] {
				t.Errorf("%s: %s leaves %q out when empty (omitempty), but the schema requires it", where, typ, name)
			}
		}
	}
	for name, prop := range props {
		f, ok := fields[name]
		if !ok {
			t.Errorf("%s: openapi.yaml describes %q, which %s does not have", where, name, typ)
			continue
		}
		p, _ := prop.(map[string]any)
		if items, ok := p["items"].(map[string]any); ok && p["type"] == "array" {
			p = items
		}
		ft := f.typ
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if _, isRef := p["$ref"]; !isRef && p["properties"] != nil && ft.Kind() == reflect.Struct {
			compareSchema(t, doc, where+"."+name, p, ft, answerOnly)
		}
	}
}

// flatSchema returns the members of an object schema and which of them are
// required, following $ref and allOf.
func flatSchema(doc map[string]any, schema map[string]any) (props map[string]any, required map[string]bool) {
	if ref, ok := schema["$ref"].(string); ok {
		target, _ := resolve(doc, ref).(map[string]any)
		return flatSchema(doc, target)
	}
	props, required = map[string]any{}, map[string]bool{}
	if all, ok := schema["allOf"].([]any); ok {
		for _, s := range all {
			part, _ := s.(map[string]any)
			p, r := flatSchema(doc, part)
			maps.Copy(props, p)
			maps.Copy(required, r)
		}
	}
	own, _ := schema["properties"].(map[string]any)
	maps.Copy(props, own)
	names, _ := schema["required"].([]any)
	for _, name := range names {
		required[name.(string)] = true
	}
	return props, required
}

// requestSchemas returns the names of the component schemas a request body
// refers to, directly or through other schemas.
func requestSchemas(doc map[string]any) map[string]bool {
	names := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		for _, ref := range collectRefs(v) {
			name, ok := strings.CutPrefix(ref, "#/components/schemas/")
			if ok && !names[name] {
				names[name] = true
				walk(resolve(doc, ref))
			}
		}
	}
	for _, ops := range doc["paths"].(map[string]any) {
		for _, op := range ops.(map[string]any) {
			if op, ok := op.(map[string]any); ok {
				walk(op["requestBody"])
			}
		}
	}
	return names
}

// jsonField is a JSON member of a struct type.
type jsonField struct {
	typ    reflect.Type
	always bool // written even when empty: no omitempty or omitzero
}

// jsonFields returns the JSON members of a struct type, with the members
// of embedded structs promoted as encoding/json does.
func jsonFields(typ reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	for f := range typ.Fields() {
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			maps.Copy(out, jsonFields(f.Type))
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omitted := slices.ContainsFunc(strings.Split(opts, ","), func(o string) bool { return o == "omitempty" || o == "omitzero" })
		out[name] = jsonField{typ: f.Type, always: !omitted}
	}
	return out
}
