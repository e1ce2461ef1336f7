package store

import (
	"encoding/json"
	"fmt"

	"rcm/reporting"
)

// encodePolicy writes a policy in its readable JSON form (reporting.PolicyDoc)
// for cycles.policy.
func encodePolicy(p reporting.Policy) ([]byte, error) {
	b, err := json.Marshal(reporting.DocOf(p))
	if err != nil {
		return nil, fmt.Errorf("encode policy: %w", err)
	}
	return b, nil
}

func decodePolicy(b []byte) (reporting.Policy, error) {
	var doc reporting.PolicyDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return reporting.Policy{}, fmt.Errorf("decode policy: %w", err)
	}
	p, problems := doc.Parse(0, 0)
	if len(problems) > 0 {
		return reporting.Policy{}, fmt.Errorf("decode policy: %s: %s", problems[0].Field, problems[0].Reason)
	}
	return p, nil
}
