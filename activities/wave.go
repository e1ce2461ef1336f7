package activities

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"rcm/messages"
	"rcm/notifications"
	"rcm/reporting"
	"rcm/store"
)

// waveProgress is a wave's heartbeat: the last agency handled, so that a
// retried wave resumes after it. Restart asks the next attempt to go over
// every agency again because messages were deferred.
type waveProgress struct {
	After   string
	Restart bool
}

// RunWave runs one moment of a cycle's timeline over every agency it applies
// to, in batches, heartbeating its progress. It is safe to run again: every
// message is claimed once, and obligations change state only forward.
func (a *Activities) RunWave(ctx context.Context, in WaveInput) (res WaveResult, err error) {
	started := time.Now()
	defer func() { a.cfg.Metrics.waveDone(in.Moment.Kind, started, err) }()
	ctx, stop := a.keepAlive(ctx)
	defer stop()
	cc, err := a.loadCycleContext(ctx, in.CycleID)
	if err != nil {
		return WaveResult{}, err
	}
	if in.legacy {
		if in.Moment, err = plannedMoment(cc.cycle.Policy, in.Moment); err != nil {
			return WaveResult{}, err
		}
	}
	m := in.Moment
	switch m.Kind {
	case reporting.EventDeadlineNotice:
		return a.agencyWave(ctx, cc, in, store.WaveSelection{Kind: store.TargetOpen}, nil)
	case reporting.EventReminder:
		return a.agencyWave(ctx, cc, in, store.WaveSelection{Kind: store.TargetNotSubmitted, Offset: -m.Offset, Tier: m.Tier}, nil)
	case reporting.EventOverdue:
		if _, err := a.store.MarkOverdue(ctx, in.CycleID, m.At); err != nil {
			return WaveResult{}, err
		}
		return a.agencyWave(ctx, cc, in, store.WaveSelection{Kind: store.TargetOverdue, Tier: m.Tier}, nil)
	case reporting.EventEscalation:
		return a.escalationWave(ctx, cc, in)
	case reporting.EventDeadlineExtended:
		ext, err := a.store.Extension(ctx, in.ExtensionID)
		if err != nil {
			return WaveResult{}, nonRetryableIfMissing(err)
		}
		return a.agencyWave(ctx, cc, in, store.WaveSelection{Kind: store.TargetAgency, Agency: ext.AgencyCode}, &ext)
	case reporting.EventClose:
		return a.closeWave(ctx, in)
	case reporting.EventCycleSummary:
		return a.summaryWave(ctx, cc, in)
	default:
		return WaveResult{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("cycle %s: no wave runs %q", in.CycleID, m.Kind), "InvalidInput", nil)
	}
}

// plannedMoment completes a moment that a wave scheduled by an older worker
// named only by kind and step: its offset, count and recipients come from
// the cycle's policy, laid out from an arbitrary due.
func plannedMoment(p reporting.Policy, m reporting.Moment) (reporting.Moment, error) {
	if m.Kind != reporting.EventReminder && m.Kind != reporting.EventEscalation {
		return m, nil
	}
	due := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, planned := range p.Timeline(due, due.AddDate(100, 0, 0)) {
		if planned.Kind == m.Kind && planned.Step == m.Step {
			planned.At = m.At
			return planned, nil
		}
	}
	return m, temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("the cycle's policy has no %s step %d", m.Kind, m.Step), "InvalidInput", nil)
}

// agencyWave sends one message of kind to every agency the selection finds,
// page by page, resuming after the last agency of a previous attempt.
func (a *Activities) agencyWave(ctx context.Context, cc cycleContext, in WaveInput, sel store.WaveSelection, ext *reporting.Extension) (WaveResult, error) {
	kind := in.Moment.Kind
	sel.CycleID, sel.At = in.CycleID, in.Moment.At
	var rep deliveryReport
	selected, err := a.eachPage(ctx, sel, true, func(targets []store.WaveTarget) error {
		msgs := make([]message, 0, len(targets))
		for _, t := range targets {
			msgs = append(msgs, a.agencyMessage(cc, in, kind, t, ext))
		}
		r, err := a.deliver(ctx, msgs)
		rep.add(r)
		if err != nil || kind != reporting.EventDeadlineNotice {
			return err
		}
		codes := make([]string, len(targets))
		for i, t := range targets {
			codes[i] = t.AgencyCode
		}
		return a.store.MarkNotified(ctx, in.CycleID, codes, time.Now())
	})
	if err != nil {
		return WaveResult{}, err
	}
	return a.finishWave(ctx, in, selected, rep)
}

// eachPage calls fn with every page of the selection, in agency-code order,
// and returns how many agencies it saw. With resume, it starts after the
// last agency a previous attempt of the activity finished and heartbeats
// after each page.
func (a *Activities) eachPage(ctx context.Context, sel store.WaveSelection, resume bool, fn func([]store.WaveTarget) error) (int, error) {
	sel.Limit = a.cfg.BatchSize
	sel.After = ""
	if resume {
		if progress := a.resumeProgress(ctx); !progress.Restart {
			sel.After = progress.After
		}
	}
	seen := 0
	for {
		if workerStopping(ctx) {
			return seen, errWorkerStopping
		}
		targets, err := a.store.WaveTargets(ctx, sel)
		if err != nil {
			return seen, err
		}
		if len(targets) == 0 {
			return seen, nil
		}
		seen += len(targets)
		if err := fn(targets); err != nil {
			return seen, err
		}
		sel.After = targets[len(targets)-1].AgencyCode
		if resume {
			heartbeat(ctx, waveProgress{After: sel.After})
		}
	}
}

// finishWave turns a wave's delivery into its result, or into an error that
// makes Temporal retry the wave for its deferred messages.
func (a *Activities) finishWave(ctx context.Context, in WaveInput, selected int, rep deliveryReport) (WaveResult, error) {
	if rep.deferred > 0 {
		heartbeat(ctx, waveProgress{Restart: true})
		return WaveResult{}, fmt.Errorf("cycle %s %s wave: %d %w", in.CycleID, in.Moment.Kind, rep.deferred, errDeferred)
	}
	counts, err := a.store.LevelNotificationCounts(ctx, in.CycleID, WaveNotificationKinds(in.Moment.Kind), notificationStep(in), in.Moment.Tier)
	if err != nil {
		return WaveResult{}, err
	}
	res := WaveResult{Selected: selected, Sent: counts[reporting.NotificationSent],
		Failed: counts[reporting.NotificationFailed], Skipped: counts[reporting.NotificationSkipped]}
	a.logger.InfoContext(ctx, "wave done", "cycle", in.CycleID, "kind", in.Moment.Kind, "step", in.Moment.Step,
		"selected", res.Selected, "sent", res.Sent, "failed", res.Failed, "skipped", res.Skipped, "sent_now", rep.sent)
	return res, nil
}

// notificationStep is the step recorded on a wave's notifications.
func notificationStep(in WaveInput) int {
	if in.Moment.Kind == reporting.EventDeadlineExtended {
		return int(in.ExtensionID)
	}
	return MomentNotificationStep(in.Moment)
}

// WaveNotificationKinds are the kinds of the notifications a wave of kind
// records (none for close): the wave's result counts them, and so do the
// timeline's figures of a part of the tree.
func WaveNotificationKinds(kind reporting.Event) []reporting.Event {
	switch kind {
	case reporting.EventClose:
		return nil
	case reporting.EventEscalation:
		return []reporting.Event{reporting.EventEscalation, reporting.EventEscalationDigest}
	default:
		return []reporting.Event{kind}
	}
}

// MomentNotificationStep is the step of the notifications of the wave at m:
// the reminder's or escalation's step, the extension's id (a deadline
// extended moment's step), else 0.
func MomentNotificationStep(m reporting.Moment) int {
	switch m.Kind {
	case reporting.EventReminder, reporting.EventEscalation, reporting.EventDeadlineExtended:
		return m.Step
	default:
		return 0
	}
}

func (a *Activities) resumeProgress(ctx context.Context) waveProgress {
	var p waveProgress
	if activity.IsActivity(ctx) && activity.HasHeartbeatDetails(ctx) {
		if err := activity.GetHeartbeatDetails(ctx, &p); err != nil {
			return waveProgress{}
		}
	}
	return p
}

// agencyMessage builds the message of kind about one agency's obligation.
func (a *Activities) agencyMessage(cc cycleContext, in WaveInput, kind reporting.Event, t store.WaveTarget, ext *reporting.Extension) message {
	lang := langOf(t.Language)
	d := a.baseData(cc, lang, t.AgencyCode, messages.Name(lang, t.AgencyNameVI, t.AgencyNameEN))
	d.Due, d.Close = t.Due, t.Close
	m := message{
		key:  reporting.NotificationKey{CycleID: in.CycleID, Subject: t.AgencyCode, Kind: kind, Step: notificationStep(in)},
		kind: kind, lang: lang, to: []string{t.OfficerEmail},
	}
	if t.Returned() && kind != reporting.EventDeadlineNotice && kind != reporting.EventDeadlineExtended {
		// Chased for a returned version: the message says so, and why.
		d.Version, d.Reason = t.ReturnedVersion, t.ReturnedReason
	}
	switch kind {
	case reporting.EventReminder:
		d.ReminderNumber = in.Moment.Step
		d.ReminderCount = len(cc.cycle.Policy.ReminderOffsets)
	case reporting.EventOverdue:
		d.DaysOverdue = daysBetween(t.Due, in.Moment.At)
	case reporting.EventDeadlineExtended:
		if ext != nil {
			if ext.OldDue != nil {
				d.OldDue = *ext.OldDue
			}
			d.ExtensionReason = ext.Reason
		}
	}
	m.data = d
	return m
}

// baseData fills what every message of the cycle shows.
func (a *Activities) baseData(cc cycleContext, lang messages.Lang, agencyCode, name string) notifications.Data {
	return notifications.Data{
		AgencyCode:     agencyCode,
		AgencyName:     name,
		RegimeName:     messages.Name(lang, cc.regime.NameVI, cc.regime.NameEN),
		PeriodLabel:    messages.PeriodLabel(lang, cc.period),
		CutOff:         cc.cycle.CutOff,
		Due:            cc.cycle.Due,
		Close:          cc.cycle.Close,
		Location:       cc.location,
		Estimates:      cc.cycle.ReportsEstimates(),
		SubmissionLink: a.link("/cycles/%s/agencies/%s", cc.cycle.ID, agencyCode),
		DashboardLink:  a.link("/cycles/%s", cc.cycle.ID),
	}
}

func (a *Activities) link(format string, args ...any) string {
	return strings.TrimRight(a.cfg.BaseURL, "/") + fmt.Sprintf(format, args...)
}

// escalationWave sends step n of the escalation ladder: to the officer and
// head of each agency still overdue (as the step says), and one digest per
// supervisor of the overdue agencies in their subtree.
func (a *Activities) escalationWave(ctx context.Context, cc cycleContext, in WaveInput) (WaveResult, error) {
	toOfficer, toHead, toSupervisor := false, false, false
	for _, r := range in.Moment.Recipients {
		switch r {
		case reporting.RecipientOfficer:
			toOfficer = true
		case reporting.RecipientHead:
			toHead = true
		case reporting.RecipientSupervisor:
			toSupervisor = true
		}
	}
	sel := store.WaveSelection{CycleID: in.CycleID, Kind: store.TargetEscalation, At: in.Moment.At, Offset: in.Moment.Offset, Tier: in.Moment.Tier}
	var rep deliveryReport
	selected := 0
	if toOfficer || toHead {
		var err error
		selected, err = a.eachPage(ctx, sel, true, func(targets []store.WaveTarget) error {
			msgs := make([]message, 0, len(targets))
			for _, t := range targets {
				m := a.agencyMessage(cc, in, reporting.EventEscalation, t, nil)
				m.data.EscalationStep = in.Moment.Step
				m.data.DaysOverdue = daysBetween(t.Due, in.Moment.At)
				m.to, m.cc = nil, nil
				if toOfficer {
					m.to = append(m.to, t.OfficerEmail)
				}
				if toHead {
					m.cc = append(m.cc, t.HeadEmail)
				}
				msgs = append(msgs, m)
			}
			r, err := a.deliver(ctx, msgs)
			rep.add(r)
			return err
		})
		if err != nil {
			return WaveResult{}, err
		}
	}
	if toSupervisor {
		n, r, err := a.escalationDigests(ctx, cc, in, sel)
		rep.add(r)
		if err != nil {
			return WaveResult{}, err
		}
		if selected == 0 {
			selected = n
		}
	}
	return a.finishWave(ctx, in, selected, rep)
}

// escalationDigests groups every agency chased at this step — overdue with
// nothing submitted, or returned and awaiting resubmission — under the
// nearest supervised ancestor, and sends each of its supervisors one digest
// ("3 missing, 2 returned awaiting resubmission").
func (a *Activities) escalationDigests(ctx context.Context, cc cycleContext, in WaveInput, sel store.WaveSelection) (int, deliveryReport, error) {
	supervisors, err := a.store.ActiveSupervisors(ctx)
	if err != nil {
		return 0, deliveryReport{}, err
	}
	overdue := map[string][]store.WaveTarget{} // supervised root path → agencies, missing and returned
	var due time.Time
	count, err := a.eachPage(ctx, sel, false, func(targets []store.WaveTarget) error {
		for _, t := range targets {
			if root := nearestSupervised(supervisors, t.Path); root != "" {
				overdue[root] = append(overdue[root], t)
			}
			if due.IsZero() || t.Due.Before(due) {
				due = t.Due
			}
		}
		return nil
	})
	if err != nil {
		return 0, deliveryReport{}, err
	}
	var msgs []message
	for _, root := range sortedKeys(overdue) {
		for _, sup := range supervisors[root] {
			lang := langOf(sup.Language)
			d := a.baseData(cc, lang, sup.AgencyCode, messages.Name(lang, sup.AgencyNameVI, sup.AgencyNameEN))
			d.Due = due
			d.EscalationStep = in.Moment.Step
			for _, t := range overdue[root] {
				name := messages.Name(lang, t.AgencyNameVI, t.AgencyNameEN)
				if t.Returned() {
					d.ReturnedAgencies = append(d.ReturnedAgencies, name)
				} else {
					d.OverdueAgencies = append(d.OverdueAgencies, name)
				}
			}
			d.DashboardLink = a.link("/cycles/%s?under=%s", cc.cycle.ID, sup.AgencyCode)
			msgs = append(msgs, message{
				key:  reporting.NotificationKey{CycleID: in.CycleID, Subject: digestSubject(sup.AgencyCode, sup.UserID, in.Moment.Tier), Kind: reporting.EventEscalationDigest, Step: in.Moment.Step},
				kind: reporting.EventEscalationDigest, lang: lang, to: []string{sup.Email}, data: d,
			})
		}
	}
	rep, err := a.deliver(ctx, msgs)
	return count, rep, err
}

// nearestSupervised returns the longest supervised path that contains path.
func nearestSupervised(supervisors map[string][]store.SupervisorContact, path string) string {
	best := ""
	for root := range supervisors {
		if strings.HasPrefix(path, root) && len(root) > len(best) {
			best = root
		}
	}
	return best
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// userSubject is the notification subject of a message to one person about
// an agency (or "*" for the whole cycle).
func userSubject(about string, userID int64) string {
	return fmt.Sprintf("%s/u%d", about, userID)
}

// digestSubject is the subject of a supervisor's escalation digest: one per
// step, and per level when levels have ladders of their own, so that the
// provinces' first step is not taken for the departments' one already sent.
func digestSubject(about string, userID int64, tier int) string {
	if tier == 0 {
		return userSubject(about, userID)
	}
	return fmt.Sprintf("%s/level%d", userSubject(about, userID), tier)
}

// closeWave gives every obligation whose close has come its final state,
// then ends the submission loops of every final obligation that still has
// one. Each step is idempotent and the second is derived from the loops
// still running (obligations.loop_ended_at), not from what this attempt
// finalized, so an attempt interrupted between the two — or part-way
// through the signals — leaves the rest to the next attempt.
func (a *Activities) closeWave(ctx context.Context, in WaveInput) (WaveResult, error) {
	closing, err := a.store.ClosingObligations(ctx, in.CycleID, in.Moment.At)
	if err != nil {
		return WaveResult{}, err
	}
	states := make(map[string]reporting.ObligationStatus, len(closing))
	for _, o := range closing {
		states[o.AgencyCode] = o.FinalState()
	}
	remaining, err := a.store.FinalizeObligations(ctx, in.CycleID, states, time.Now())
	if err != nil {
		return WaveResult{}, err
	}
	ended, err := a.endLoops(ctx, in.CycleID, store.LoopsOfFinalized)
	if err != nil {
		return WaveResult{}, err
	}
	a.logger.InfoContext(ctx, "obligations closed", "cycle", in.CycleID, "closed", len(closing), "loops_ended", ended, "remaining", remaining)
	return WaveResult{Selected: len(closing), Remaining: remaining}, nil
}

// summaryWave sends the closed cycle's figures: to each supervisor for their
// subtree, and to office staff for the whole cycle.
func (a *Activities) summaryWave(ctx context.Context, cc cycleContext, in WaveInput) (WaveResult, error) {
	outcomes, err := a.store.FinalStates(ctx, in.CycleID)
	if err != nil {
		return WaveResult{}, err
	}
	supervisors, err := a.store.ActiveSupervisors(ctx)
	if err != nil {
		return WaveResult{}, err
	}
	staff, err := a.store.StaffUsers(ctx)
	if err != nil {
		return WaveResult{}, err
	}
	unreachable, err := a.store.UnreachableAgencies(ctx, in.CycleID)
	if err != nil {
		return WaveResult{}, err
	}
	var msgs []message
	for _, root := range sortedKeys(supervisors) {
		for _, sup := range supervisors[root] {
			lang := langOf(sup.Language)
			d := a.baseData(cc, lang, sup.AgencyCode, messages.Name(lang, sup.AgencyNameVI, sup.AgencyNameEN))
			d.Summary = summarize(outcomes, root, lang)
			if d.Summary.Expected == 0 {
				continue
			}
			d.DashboardLink = a.link("/cycles/%s?under=%s", cc.cycle.ID, sup.AgencyCode)
			msgs = append(msgs, message{
				key:  reporting.NotificationKey{CycleID: in.CycleID, Subject: userSubject(sup.AgencyCode, sup.UserID), Kind: reporting.EventCycleSummary},
				kind: reporting.EventCycleSummary, lang: lang, to: []string{sup.Email}, data: d,
			})
		}
	}
	for _, u := range staff {
		lang := langOf(u.Language)
		d := a.baseData(cc, lang, "*", messages.Text(lang, "mail.office_scope"))
		d.Summary = summarize(outcomes, "", lang)
		for _, ag := range unreachable {
			d.Summary.UnreachableAgencies = append(d.Summary.UnreachableAgencies, messages.Name(lang, ag.NameVI, ag.NameEN))
		}
		msgs = append(msgs, message{
			key:  reporting.NotificationKey{CycleID: in.CycleID, Subject: userSubject("*", u.ID), Kind: reporting.EventCycleSummary},
			kind: reporting.EventCycleSummary, lang: lang, to: []string{u.Email}, data: d,
		})
	}
	rep, err := a.deliver(ctx, msgs)
	if err != nil {
		return WaveResult{}, err
	}
	return a.finishWave(ctx, in, len(msgs), rep)
}

// summarize computes the figures of the subtree under path ("" = all).
func summarize(outcomes []reporting.Obligation, path string, lang messages.Lang) notifications.Summary {
	var states []reporting.Classification
	var s notifications.Summary
	for _, o := range outcomes {
		if !strings.HasPrefix(o.AgencyPath, path) {
			continue
		}
		states = append(states, o.Classify(o.Close))
		name := messages.Name(lang, o.AgencyNameVI, o.AgencyNameEN)
		switch o.Status {
		case reporting.ObligationMissing:
			s.MissingAgencies = append(s.MissingAgencies, name)
		case reporting.ObligationLate:
			s.LateAgencies = append(s.LateAgencies, name)
		}
	}
	r := reporting.ComputeRates(states)
	s.Expected, s.Submitted, s.OnTime, s.Late, s.Missing, s.NotAccepted = r.Expected, r.Submitted, r.OnTime, r.Late, r.Missing, r.NotAccepted
	s.NotReviewed, s.NilReport = r.NotReviewed, r.NilReport
	s.ReportingRate, s.OnTimeRate = r.ReportingRate, r.OnTimeRate
	return s
}

// langOf is the language of a user's or an agency's messages: their own,
// else Vietnamese.
func langOf(s string) messages.Lang { return messages.Negotiate(messages.Own(s)) }

// daysBetween counts whole days from due to at (0 if at is not after due).
func daysBetween(due, at time.Time) int {
	if !at.After(due) {
		return 0
	}
	return int(at.Sub(due) / (24 * time.Hour))
}
