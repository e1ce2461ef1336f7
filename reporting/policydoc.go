package reporting

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PolicyDoc is a Policy as people, files and the API write it: offsets as
// "3d", "36h" or "90s". Its JSON form is the one rcm stores, serves and
// reads everywhere.
type PolicyDoc struct {
	ReminderOffsets []string        `json:"reminder_offsets"`
	Escalations     []EscalationDoc `json:"escalations"`
	ReviewTime      string          `json:"review_time,omitempty"`
	CloseAfter      string          `json:"close_after,omitempty"`
}

// EscalationDoc is an EscalationStep as written. Times 0 means once.
type EscalationDoc struct {
	After      string   `json:"after"`
	Recipients []string `json:"recipients"`
	Repeat     string   `json:"repeat,omitempty"`
	Times      int      `json:"times,omitempty"`
}

// DocOf writes a policy.
func DocOf(p Policy) PolicyDoc {
	d := PolicyDoc{
		ReminderOffsets: make([]string, 0, len(p.ReminderOffsets)),
		Escalations:     EscalationDocsOf(p.Escalations),
		ReviewTime:      FormatOffset(p.ReviewTime),
		CloseAfter:      FormatOffset(p.CloseAfter),
	}
	for _, o := range p.ReminderOffsets {
		d.ReminderOffsets = append(d.ReminderOffsets, FormatOffset(o))
	}
	return d
}

// EscalationDocsOf writes escalation steps.
func EscalationDocsOf(steps []EscalationStep) []EscalationDoc {
	out := make([]EscalationDoc, 0, len(steps))
	for _, e := range steps {
		ed := EscalationDoc{After: FormatOffset(e.After), Times: e.Times}
		if e.Repeat > 0 {
			ed.Repeat = FormatOffset(e.Repeat)
		}
		for _, r := range e.Recipients {
			ed.Recipients = append(ed.Recipients, string(r))
		}
		out = append(out, ed)
	}
	return out
}

// Parse reads a written policy, naming every field that does not parse
// relative to the policy ("escalations[1].after"); an
// empty review_time or close_after takes the default given. It checks the
// form of each field only: Policy.Validate checks the policy as a whole.
func (d PolicyDoc) Parse(defaultReviewTime, defaultCloseAfter time.Duration) (Policy, []FieldError) {
	var p Policy
	var problems []FieldError
	for i, o := range d.ReminderOffsets {
		field := fmt.Sprintf("reminder_offsets[%d]", i)
		if o == "" {
			problems = append(problems, FieldError{Field: field, Reason: "empty; write how long before due, such as 3d"})
			continue
		}
		v, err := ParseOffset(o)
		if err != nil {
			problems = append(problems, FieldError{Field: field, Reason: err.Error()})
		}
		p.ReminderOffsets = append(p.ReminderOffsets, v)
	}
	steps, stepProblems := ParseEscalationDocs("escalations", d.Escalations)
	p.Escalations, problems = steps, append(problems, stepProblems...)
	p.ReviewTime, problems = parseDocOffset("review_time", d.ReviewTime, defaultReviewTime, problems)
	p.CloseAfter, problems = parseDocOffset("close_after", d.CloseAfter, defaultCloseAfter, problems)
	return p, problems
}

// ParseEscalationDocs reads written escalation steps, naming the fields
// under prefix ("escalations[0].after").
func ParseEscalationDocs(prefix string, docs []EscalationDoc) ([]EscalationStep, []FieldError) {
	var problems []FieldError
	steps := make([]EscalationStep, 0, len(docs))
	for i, e := range docs {
		field := fmt.Sprintf("%s[%d]", prefix, i)
		step := EscalationStep{Times: e.Times}
		if step.Times == 0 {
			step.Times = 1
		}
		if e.After == "" {
			problems = append(problems, FieldError{Field: field + ".after", Reason: "required; write how long after due, such as 1d"})
		} else {
			step.After, problems = parseDocOffset(field+".after", e.After, 0, problems)
		}
		step.Repeat, problems = parseDocOffset(field+".repeat", e.Repeat, 0, problems)
		for _, r := range e.Recipients {
			step.Recipients = append(step.Recipients, Recipient(r))
		}
		steps = append(steps, step)
	}
	return steps, problems
}

func parseDocOffset(field, text string, def time.Duration, problems []FieldError) (time.Duration, []FieldError) {
	if text == "" {
		return def, problems
	}
	d, err := ParseOffset(text)
	if err != nil {
		return 0, append(problems, FieldError{Field: field, Reason: err.Error()})
	}
	return d, problems
}

// ParseEscalationText reads an escalation step written on one line, as the
// command line and the launch page take it: AFTER:RECIPIENTS, the
// recipients joined with + ("10s:officer+head"), optionally *TIMES/REPEAT
// ("30s:supervisor*2/10s": twice, 10 seconds apart). The offsets are
// checked when the step is parsed (ParseEscalationDocs).
func ParseEscalationText(s string) (EscalationDoc, error) {
	after, rest, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || after == "" || rest == "" {
		return EscalationDoc{}, fmt.Errorf("%q: write AFTER:RECIPIENTS[*TIMES/REPEAT], such as 10s:officer+head or 30s:supervisor*2/10s", s)
	}
	recipients, repeat, hasRepeat := strings.Cut(rest, "*")
	e := EscalationDoc{After: after, Recipients: strings.Split(recipients, "+")}
	if hasRepeat {
		times, every, ok := strings.Cut(repeat, "/")
		n, err := strconv.Atoi(times)
		if !ok || err != nil || every == "" {
			return EscalationDoc{}, fmt.Errorf("%q: after * write TIMES/REPEAT, such as *2/10s (twice, 10 seconds apart)", s)
		}
		e.Times, e.Repeat = n, every
	}
	return e, nil
}
