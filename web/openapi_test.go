package web

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
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
