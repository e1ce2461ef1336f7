package store

import (
	"encoding/json"
	"fmt"
	"time"

	"rcm/reporting"
)

// policyDoc is the readable JSON form of a reporting.Policy kept in
// cycles.policy: offsets as "3d", "36h", "90s".
type policyDoc struct {
	ReminderOffsets []string        `json:"reminder_offsets"`
	Escalations     []escalationDoc `json:"escalations"`
	ReviewTime      string          `json:"review_time"`
	CloseAfter      string          `json:"close_after"`
}

type escalationDoc struct {
	After      string   `json:"after"`
	Recipients []string `json:"recipients"`
	Repeat     string   `json:"repeat,omitempty"`
	Times      int      `json:"times"`
}

func encodePolicy(p reporting.Policy) ([]byte, error) {
	doc := policyDoc{
		ReminderOffsets: make([]string, 0, len(p.ReminderOffsets)),
		Escalations:     make([]escalationDoc, 0, len(p.Escalations)),
		ReviewTime:      reporting.FormatOffset(p.ReviewTime),
		CloseAfter:      reporting.FormatOffset(p.CloseAfter),
	}
	for _, o := range p.ReminderOffsets {
		doc.ReminderOffsets = append(doc.ReminderOffsets, reporting.FormatOffset(o))
	}
	for _, e := range p.Escalations {
		ed := escalationDoc{After: reporting.FormatOffset(e.After), Times: e.Times}
		if e.Repeat > 0 {
			ed.Repeat = reporting.FormatOffset(e.Repeat)
		}
		for _, r := range e.Recipients {
			ed.Recipients = append(ed.Recipients, string(r))
		}
		doc.Escalations = append(doc.Escalations, ed)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode policy: %w", err)
	}
	return b, nil
}

func decodePolicy(b []byte) (reporting.Policy, error) {
	var doc policyDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return reporting.Policy{}, fmt.Errorf("decode policy: %w", err)
	}
	parse := func(field, s string) (time.Duration, error) {
		if s == "" {
			return 0, nil
		}
		d, err := reporting.ParseOffset(s)
		if err != nil {
			return 0, fmt.Errorf("decode policy %s: %w", field, err)
		}
		return d, nil
	}
	var p reporting.Policy
	var err error
	for i, s := range doc.ReminderOffsets {
		d, err := parse(fmt.Sprintf("reminder_offsets[%d]", i), s)
		if err != nil {
			return reporting.Policy{}, err
		}
		p.ReminderOffsets = append(p.ReminderOffsets, d)
	}
	for i, ed := range doc.Escalations {
		e := reporting.EscalationStep{Times: ed.Times}
		if e.After, err = parse(fmt.Sprintf("escalations[%d].after", i), ed.After); err != nil {
			return reporting.Policy{}, err
		}
		if e.Repeat, err = parse(fmt.Sprintf("escalations[%d].repeat", i), ed.Repeat); err != nil {
			return reporting.Policy{}, err
		}
		for _, r := range ed.Recipients {
			e.Recipients = append(e.Recipients, reporting.Recipient(r))
		}
		p.Escalations = append(p.Escalations, e)
	}
	if p.ReviewTime, err = parse("review_time", doc.ReviewTime); err != nil {
		return reporting.Policy{}, err
	}
	if p.CloseAfter, err = parse("close_after", doc.CloseAfter); err != nil {
		return reporting.Policy{}, err
	}
	return p, nil
}
