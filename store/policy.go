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

// encodeChase writes a level's own reminders and escalation ladder for
// regime_tiers.policy and cycle_tiers.policy; nil (SQL NULL) when the level
// follows the regime's.
func encodeChase(p *reporting.Policy) ([]byte, error) {
	if p == nil {
		return nil, nil
	}
	doc := reporting.DocOf(reporting.Policy{ReminderOffsets: p.ReminderOffsets, Escalations: p.Escalations})
	doc.ReviewTime, doc.CloseAfter = "", ""
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode level policy: %w", err)
	}
	return b, nil
}

// decodeChase reads what encodeChase wrote.
func decodeChase(b []byte) (*reporting.Policy, error) {
	if b == nil {
		return nil, nil
	}
	p, err := decodePolicy(b)
	if err != nil {
		return nil, fmt.Errorf("level: %w", err)
	}
	return &reporting.Policy{ReminderOffsets: p.ReminderOffsets, Escalations: p.Escalations}, nil
}
