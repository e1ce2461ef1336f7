package activities

import (
	"context"
	"fmt"

	"rcm/messages"
	"rcm/reporting"
)

// ActionTaken tells the people concerned of an action on an obligation: a
// reopen to the agency (with the office's reason, as a returned report), a
// nil report to the reviewers and the agency, an extension request to the
// reviewers, a refusal to the agency; a late filing to the reviewers and
// the agency, its admission or refusal to the agency. A grant sends nothing here: the
// extension it made tells the agency (deadline_extended, from the
// CycleWorkflow). Each message is keyed by the action, so a retried
// activity never mails twice. It reports when the obligation closes, which
// a grant may have moved.
func (a *Activities) ActionTaken(ctx context.Context, in ActionInput) (ActionState, error) {
	ctx, stop := a.keepAlive(ctx)
	defer stop()
	act, err := a.store.Action(ctx, in.ActionID)
	if err != nil {
		return ActionState{}, nonRetryableIfMissing(err)
	}
	ob, err := a.store.Obligation(ctx, act.CycleID, act.AgencyCode)
	if err != nil {
		return ActionState{}, nonRetryableIfMissing(err)
	}
	state := ActionState{CloseAt: ob.Close, Closed: ob.FinalizedAt != nil}
	if !in.Event.SendsMessages() {
		return state, nil
	}
	cc, err := a.loadCycleContext(ctx, act.CycleID)
	if err != nil {
		return ActionState{}, err
	}
	agency, err := a.store.Agency(ctx, act.AgencyCode)
	if err != nil {
		return ActionState{}, err
	}
	data := func(lang string) message {
		l := langOf(lang)
		d := a.baseData(cc, l, agency.Code, messages.Name(l, agency.NameVI, agency.NameEN))
		d.Due, d.Close, d.Version = ob.Due, ob.Close, act.Version
		d.Reason = act.Reason
		switch in.Event {
		case reporting.EventExtensionRefused, reporting.EventLateFilingRefused, reporting.EventLateFilingAdmitted:
			d.Reason = act.DecisionReason
		}
		if act.RequestedDue != nil {
			d.RequestedDue = act.RequestedDue.End(cc.location)
		}
		return message{kind: in.Event, lang: l, data: d}
	}
	toAgency := func() message {
		m := data(agency.Language)
		m.key = reporting.NotificationKey{CycleID: act.CycleID, Subject: act.AgencyCode, Kind: in.Event, Step: int(act.ID)}
		m.to = []string{agency.OfficerEmail}
		return m
	}
	var msgs []message
	switch in.Event {
	case reporting.EventReopened, reporting.EventExtensionRefused, reporting.EventLateFilingAdmitted, reporting.EventLateFilingRefused:
		msgs = append(msgs, toAgency())
	case reporting.EventNilReported, reporting.EventExtensionRequested, reporting.EventLateFiled:
		if in.Event == reporting.EventNilReported || in.Event == reporting.EventLateFiled {
			msgs = append(msgs, toAgency())
		}
		reviewers, err := a.reviewers(ctx, cc, "") // staff decide requests
		if err != nil {
			return ActionState{}, err
		}
		for _, u := range reviewers {
			m := data(u.Language)
			m.key = reporting.NotificationKey{CycleID: act.CycleID, Subject: userSubject(act.AgencyCode, u.ID), Kind: in.Event, Step: int(act.ID)}
			m.to = []string{u.Email}
			m.data.DashboardLink = a.link("/cycles/%s/agencies/%s", act.CycleID, act.AgencyCode)
			msgs = append(msgs, m)
		}
	default:
		return ActionState{}, fmt.Errorf("action %d: no message for %s", act.ID, in.Event)
	}
	if err := a.deliverAll(ctx, msgs); err != nil {
		return ActionState{}, fmt.Errorf("tell of action %d (%s): %w", act.ID, in.Event, err)
	}
	return state, nil
}

// ObligationClose reports when the agency's obligation closes as it stands
// now — an extension (for the agency or the whole cycle) may have moved it
// since the submission loop last looked — and whether it is final.
func (a *Activities) ObligationClose(ctx context.Context, in ObligationInput) (ActionState, error) {
	ob, err := a.store.Obligation(ctx, in.CycleID, in.AgencyCode)
	if err != nil {
		return ActionState{}, nonRetryableIfMissing(err)
	}
	return ActionState{CloseAt: ob.Close, Closed: ob.FinalizedAt != nil}, nil
}
