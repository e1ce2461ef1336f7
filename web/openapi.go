package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"go.yaml.in/yaml/v3"
)

// openAPISource is the hand-written API description. It is YAML for people
// to edit, and served as JSON.
//
//go:embed openapi.yaml
var openAPISource []byte

// openAPIDocument returns the API description as JSON.
func openAPIDocument() ([]byte, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(openAPISource, &doc); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml as JSON: %w", err)
	}
	return b, nil
}

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) error {
	doc, err := s.openapi()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentTypeJSON)
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = w.Write(doc)
	return err
}
