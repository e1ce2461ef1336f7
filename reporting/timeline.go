package reporting

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Recipient is who a notice of the timeline goes to, at each agency.
type Recipient string

// The recipients of notices.
const (
	// RecipientOfficer is the agency's reporting officer, who submits.
	RecipientOfficer Recipient = "officer"
	// RecipientHead is the head of the agency.
	RecipientHead Recipient = "head"
	// RecipientSupervisor is whoever supervises the agency's part of the hierarchy.
	RecipientSupervisor Recipient = "supervisor"
)

// ParseRecipient parses a recipient name: officer, head or supervisor.
func ParseRecipient(s string) (Recipient, error) {
	r := Recipient(strings.ToLower(strings.TrimSpace(s)))
	if r.IsValid() {
		return r, nil
	}
	return "", fmt.Errorf("recipient %q is unknown; use officer, head or supervisor", s)
}

// IsValid reports whether r is officer, head or supervisor.
func (r Recipient) IsValid() bool {
	switch r {
	case RecipientOfficer, RecipientHead, RecipientSupervisor:
		return true
	}
	return false
}

// EscalationStep is one rung of the ladder after due: the first notice goes to
// Recipients at due + After, and Times notices in all go out Repeat apart.
// Repetitions at or after close are not sent.
type EscalationStep struct {
	// After is how long after due the first notice of the step goes out (>= 0).
	After time.Duration
	// Recipients receive the step's notices; at least one, no repeats.
	Recipients []Recipient
	// Repeat is the interval between the step's notices; 0 sends it once.
	Repeat time.Duration
	// Times is the total number of notices, the first included: 1 with no
	// Repeat, 2 to MaxEscalationTimes with one.
	Times int
}

// MaxEscalationTimes bounds EscalationStep.Times, so that a typing mistake
// cannot flood an agency's head.
const MaxEscalationTimes = 50

// Policy is the timeline of a cycle as data: a regime carries one, and a cycle
// may override it at launch (a demo runs a whole cycle in minutes with
// offsets in seconds).
type Policy struct {
	// ReminderOffsets say how long before due each reminder goes to the
	// officers who have not submitted (for example 3d and 1d); each > 0.
	ReminderOffsets []time.Duration
	// Escalations is the ladder after due, in order of After.
	Escalations []EscalationStep
	// ReviewTime is how long a reviewer has to decide on a submission before
	// being reminded; 0 means no review deadline.
	ReviewTime time.Duration
	// CloseAfter is how long after due the cycle closes; it must come after
	// every escalation step's first notice.
	CloseAfter time.Duration
}

// Validate checks the policy and reports every problem, each naming its field
// the way the policy is written as JSON: "escalations[1].after: must be after
// the previous step (2d)".
func (p Policy) Validate() error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	seen := make(map[time.Duration]int, len(p.ReminderOffsets))
	for i, o := range p.ReminderOffsets {
		field := fmt.Sprintf("reminder_offsets[%d]", i)
		if o <= 0 {
			add(field, "%s is not before due; write how long before due the reminder goes out, for example 1d", FormatOffset(o))
			continue
		}
		if j, dup := seen[o]; dup {
			add(field, "%s repeats reminder_offsets[%d]; drop one of them", FormatOffset(o), j)
			continue
		}
		seen[o] = i
	}
	for i, e := range p.Escalations {
		field := fmt.Sprintf("escalations[%d]", i)
		switch {
		case e.After < 0:
			add(field+".after", "%s is negative; escalations come at or after due", FormatOffset(e.After))
		case i > 0 && e.After <= p.Escalations[i-1].After:
			add(field+".after", "%s must be after the previous step (%s)", FormatOffset(e.After), FormatOffset(p.Escalations[i-1].After))
		}
		if len(e.Recipients) == 0 {
			add(field+".recipients", "empty; name at least one of officer, head or supervisor")
		}
		for j, r := range e.Recipients {
			if !r.IsValid() {
				add(fmt.Sprintf("%s.recipients[%d]", field, j), "%q is unknown; use officer, head or supervisor", r)
			}
			for k := 0; k < j; k++ {
				if e.Recipients[k] == r {
					add(fmt.Sprintf("%s.recipients[%d]", field, j), "%q is listed twice", r)
					break
				}
			}
		}
		switch {
		case e.Repeat < 0:
			add(field+".repeat", "%s is negative; use 0 to send once", FormatOffset(e.Repeat))
		case e.Times < 1 || e.Times > MaxEscalationTimes:
			add(field+".times", "%d is not between 1 and %d; it counts every notice of the step, the first included", e.Times, MaxEscalationTimes)
		case e.Times > 1 && e.Repeat == 0:
			add(field+".repeat", "missing: times is %d, so say how long apart the notices go out, for example 1d", e.Times)
		}
	}
	if p.ReviewTime < 0 {
		add("review_time", "%s is negative; use 0 for no review deadline", FormatOffset(p.ReviewTime))
	}
	switch {
	case p.CloseAfter < 0:
		add("close_after", "%s is negative; the cycle closes at or after due", FormatOffset(p.CloseAfter))
	case len(p.Escalations) > 0:
		last := len(p.Escalations) - 1
		if latest := p.Escalations[last].After; p.CloseAfter <= latest && latest >= 0 {
			add("close_after", "%s is not after the last escalation step (escalations[%d].after is %s); close later or drop the step",
				FormatOffset(p.CloseAfter), last, FormatOffset(latest))
		}
	}
	return errors.Join(errs...)
}

// Moment is one planned instant of a cycle's timeline.
type Moment struct {
	// At is the instant.
	At time.Time
	// Kind is what happens: EventReminder, EventOverdue, EventEscalation or
	// EventClose.
	Kind Event
	// Step numbers the moment among those of its kind, from 1 in time order.
	// Escalations are numbered after their repeats are expanded, so a step
	// sent three times takes three numbers.
	Step int
	// Of is the number of moments of that kind in the timeline.
	Of int
	// Offset is the moment's distance from the due instant it was planned
	// from (negative for reminders).
	Offset time.Duration
	// Recipients receive the notices of a reminder (the officer) or an
	// escalation (the step's recipients); none for overdue and close.
	Recipients []Recipient
	// Tier is the level whose agencies the moment reaches, in a cycle whose
	// levels are chased by ladders of their own; 0 (every agency of the
	// deadline group) otherwise.
	Tier int `json:",omitempty"`
}

// Timeline lays the policy out between due and close with every instant
// exact: TimelineIn with no office hours.
func (p Policy) Timeline(due, close time.Time) []Moment {
	return p.TimelineIn(due, close, OfficeHours{})
}

// TimelineIn lays the policy out between due and close: a reminder before due
// for each offset (OfficeHours.ReminderAt), the overdue moment at due
// (OfficeHours.OverdueAt: its notice waits for the next working morning), every
// escalation notice after due at After (+ Repeat × i) (OfficeHours.EscalationAt),
// and close, sorted by instant and then in the order reminder, overdue,
// escalation, close. Under office hours (hours with a Location) an offset in whole days lands at the
// send time of a working day, so two of them may land together: a reminder
// at the instant of another, or an escalation at the instant of another to
// the same recipients, is dropped. Escalations at or after close are
// dropped, as is any reminder or due after close (when close was moved
// before due); close comes last and is never moved. The result depends only
// on the arguments. Moments already past are kept: the caller decides what
// to do with them.
func (p Policy) TimelineIn(due, close time.Time, hours OfficeHours) []Moment {
	var reminders, escalations []Moment
	for _, o := range p.ReminderOffsets {
		at := hours.ReminderAt(due, o)
		if at.After(close) || hours.moves() && landsWith(reminders, at, []Recipient{RecipientOfficer}) {
			continue
		}
		reminders = append(reminders, Moment{At: at, Kind: EventReminder, Offset: at.Sub(due), Recipients: []Recipient{RecipientOfficer}})
	}
	for _, e := range p.Escalations {
		times := max(e.Times, 1)
		if e.Repeat <= 0 {
			times = 1
		}
		for i := 0; i < times; i++ {
			at := hours.EscalationAt(due, e.After+time.Duration(i)*e.Repeat)
			if !at.Before(close) {
				break
			}
			if hours.moves() && landsWith(escalations, at, e.Recipients) {
				continue
			}
			escalations = append(escalations, Moment{At: at, Kind: EventEscalation, Offset: at.Sub(due), Recipients: append([]Recipient(nil), e.Recipients...)})
		}
	}
	number(reminders)
	number(escalations)

	out := make([]Moment, 0, len(reminders)+len(escalations)+2)
	out = append(out, reminders...)
	if !due.After(close) {
		at := hours.OverdueAt(due)
		if !at.Before(close) {
			at = due
		}
		out = append(out, Moment{At: at, Kind: EventOverdue, Step: 1, Of: 1, Offset: at.Sub(due)})
	}
	out = append(out, escalations...)
	out = append(out, Moment{At: close, Kind: EventClose, Step: 1, Of: 1, Offset: close.Sub(due)})
	sortMoments(out)
	return out
}

// landsWith reports whether one of ms comes at the instant at to the same
// recipients.
func landsWith(ms []Moment, at time.Time, recipients []Recipient) bool {
	for _, m := range ms {
		if m.At.Equal(at) && slices.Equal(m.Recipients, recipients) {
			return true
		}
	}
	return false
}

// number sorts moments of one kind by instant (stably, keeping the policy's
// order for equal instants) and numbers them 1..n of n.
func number(ms []Moment) {
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].At.Before(ms[j].At) })
	for i := range ms {
		ms[i].Step, ms[i].Of = i+1, len(ms)
	}
}

func sortMoments(ms []Moment) {
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		if a.Kind != b.Kind {
			return a.Kind.Order() < b.Kind.Order()
		}
		return a.Step < b.Step
	})
}
