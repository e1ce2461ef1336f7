package web

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"rcm/api"
)

// TestOpenAPIMatchesRoutes keeps the API description true: every route of
// the table is described, every described operation is a route, and what a
// route's table entry says about access shows in its description.
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
		public := rt.Roles == nil
		switch {
		case public && (!hasSecurity || len(security) != 0):
			t.Errorf("%s needs no authentication: give it security: []", rt.Pattern())
		case !public && hasSecurity && len(security) == 0:
			t.Errorf("%s needs authentication but is described with security: []", rt.Pattern())
		}
		if !public {
			requireResponse(t, rt, responses, "401")
		}
		if !public && !slices.Equal(rt.Roles, everyRole) {
			requireResponse(t, rt, responses, "403")
		}
		if rt.Scope != nil || strings.Contains(rt.Path, "{") {
			requireResponse(t, rt, responses, "404")
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

	// Every $ref points at something.
	var whole map[string]any
	require.NoError(t, json.Unmarshal(raw, &whole))
	for _, ref := range collectRefs(whole) {
		if resolve(whole, ref) == nil {
			t.Errorf("$ref %s points at nothing", ref)
		}
	}
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
	rec := newRecorder()
	s.Handler().ServeHTTP(rec, mustRequest(t, "GET", "/api/openapi.json"))
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
		"Launch": api.Launch{}, "Cycle": api.Cycle{}, "Timeline": api.Timeline{},
		"ExtensionRequest": api.ExtensionRequest{}, "Extension": api.Extension{}, "Reason": api.Reason{},
		"Obligation": api.Obligation{}, "AgencyObligation": api.AgencyObligation{},
		"SubmissionRequest": api.SubmissionRequest{}, "Receipt": api.Receipt{}, "Submission": api.Submission{},
		"Review": api.Review{}, "ReviewRequest": api.ReviewRequest{},
		"Compliance": api.Compliance{}, "Aggregates": api.Aggregates{}, "Notification": api.Notification{},
		"ScheduleRequest": api.ScheduleRequest{}, "Note": api.Note{}, "Schedule": api.Schedule{},
	}
	for name, v := range types {
		schema, ok := schemas[name].(map[string]any)
		if !ok {
			t.Errorf("openapi.yaml has no schema %s for api.%s", name, reflect.TypeOf(v).Name())
			continue
		}
		compareSchema(t, doc, name, schema, reflect.TypeOf(v))
	}
}

// compareSchema compares the members of the object schema with the JSON
// fields of the struct type, and recurses into members described inline.
func compareSchema(t *testing.T, doc map[string]any, where string, schema map[string]any, typ reflect.Type) {
	t.Helper()
	props := schemaProperties(doc, schema)
	fields := jsonFields(typ)
	for name := range fields {
		if _, ok := props[name]; !ok {
			t.Errorf("%s: api.%s has %q, which openapi.yaml does not describe", where, typ.Name(), name)
		}
	}
	for name, prop := range props {
		ft, ok := fields[name]
		if !ok {
			t.Errorf("%s: openapi.yaml describes %q, which api.%s does not have", where, name, typ.Name())
			continue
		}
		p, _ := prop.(map[string]any)
		if items, ok := p["items"].(map[string]any); ok && p["type"] == "array" {
			p = items
		}
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if _, isRef := p["$ref"]; !isRef && p["properties"] != nil && ft.Kind() == reflect.Struct {
			compareSchema(t, doc, where+"."+name, p, ft)
		}
	}
}

// schemaProperties returns the members of an object schema, following
// $ref and allOf.
func schemaProperties(doc map[string]any, schema map[string]any) map[string]any {
	if ref, ok := schema["$ref"].(string); ok {
		target, _ := resolve(doc, ref).(map[string]any)
		return schemaProperties(doc, target)
	}
	out := map[string]any{}
	if all, ok := schema["allOf"].([]any); ok {
		for _, s := range all {
			part, _ := s.(map[string]any)
			maps.Copy(out, schemaProperties(doc, part))
		}
	}
	props, _ := schema["properties"].(map[string]any)
	maps.Copy(out, props)
	return out
}

// jsonFields returns the JSON member names of a struct type and their Go
// types, with the members of embedded structs promoted as encoding/json does.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range typ.Fields() {
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			maps.Copy(out, jsonFields(f.Type))
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
