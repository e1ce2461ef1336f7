package activities

import (
	"context"
	"encoding/hex"
	"fmt"

	"rcm/messages"
	"rcm/reporting"
	"rcm/store"
)

// SubmissionReceived acknowledges a stored version: the receipt to the
// submitter and the agency's officer, the review notice to the reviewers.
// It reports whether the version is still the latest, when its review is due
// and when the obligation closes.
func (a *Activities) SubmissionReceived(ctx context.Context, in SubmissionInput) (SubmissionState, error) {
	ctx, stop := a.keepAlive(ctx)
	defer stop()
	sub, err := a.store.Submission(ctx, in.SubmissionID)
	if err != nil {
		return SubmissionState{}, nonRetryableIfMissing(err)
	}
	cc, err := a.loadCycleContext(ctx, sub.CycleID)
	if err != nil {
		return SubmissionState{}, err
	}
	latest, err := a.store.MarkUnderReview(ctx, sub.CycleID, sub.AgencyCode, sub.Version)
	if err != nil {
		return SubmissionState{}, err
	}
	ob, err := a.store.Obligation(ctx, sub.CycleID, sub.AgencyCode)
	if err != nil {
		return SubmissionState{}, err
	}
	state := SubmissionState{
		Latest:    latest,
		ReviewDue: sub.SubmittedAt.Add(cc.cycle.Policy.ReviewTime),
		CloseAt:   ob.Close,
		Closed:    ob.FinalizedAt != nil,
	}
	if !latest || state.Closed {
		return state, nil
	}
	agency, err := a.store.Agency(ctx, sub.AgencyCode)
	if err != nil {
		return SubmissionState{}, err
	}
	lang := langOf(agency.Language)
	d := a.baseData(cc, lang, agency.Code, messages.Name(lang, agency.NameVI, agency.NameEN))
	d.Due, d.Close = ob.Due, ob.Close
	d.ReceiptNumber, d.Version, d.SubmittedAt = sub.ReceiptNumber, sub.Version, sub.SubmittedAt
	d.ContentHash = hex.EncodeToString(sub.ContentHash)
	msgs := []message{{
		key:  reporting.NotificationKey{CycleID: sub.CycleID, Subject: sub.AgencyCode, Kind: reporting.EventReceipt, Step: sub.Version},
		kind: reporting.EventReceipt, lang: lang, to: []string{sub.SubmittedByEmail, agency.OfficerEmail}, data: d,
	}}
	reviewers, err := a.reviewers(ctx, cc, agency.Path)
	if err != nil {
		return SubmissionState{}, err
	}
	for _, u := range reviewers {
		rl := langOf(u.Language)
		rd := a.baseData(cc, rl, agency.Code, messages.Name(rl, agency.NameVI, agency.NameEN))
		rd.Version, rd.SubmittedAt, rd.ReviewDue = sub.Version, sub.SubmittedAt, state.ReviewDue
		rd.DashboardLink = a.link("/review/%d", sub.ID)
		msgs = append(msgs, message{
			key:  reporting.NotificationKey{CycleID: sub.CycleID, Subject: userSubject(sub.AgencyCode, u.ID), Kind: reporting.EventReviewWaiting, Step: sub.Version},
			kind: reporting.EventReviewWaiting, lang: rl, to: []string{u.Email}, data: rd,
		})
	}
	if err := a.deliverAll(ctx, msgs); err != nil {
		return SubmissionState{}, fmt.Errorf("acknowledge submission %d: %w", sub.ID, err)
	}
	return state, nil
}

// ReviewOverdue tells the reviewers' managers that a version has waited
// longer than the regime's review time. Nothing is sent once it was reviewed
// or superseded.
func (a *Activities) ReviewOverdue(ctx context.Context, in SubmissionInput) error {
	ctx, stop := a.keepAlive(ctx)
	defer stop()
	sub, err := a.store.Submission(ctx, in.SubmissionID)
	if err != nil {
		return nonRetryableIfMissing(err)
	}
	if sub.Review != nil {
		return nil
	}
	ob, err := a.store.Obligation(ctx, sub.CycleID, sub.AgencyCode)
	if err != nil {
		return err
	}
	if ob.Versions != sub.Version || ob.FinalizedAt != nil {
		return nil
	}
	cc, err := a.loadCycleContext(ctx, sub.CycleID)
	if err != nil {
		return err
	}
	managers, err := a.reviewManagers(ctx, cc, ob.AgencyPath)
	if err != nil {
		return err
	}
	var msgs []message
	for _, u := range managers {
		lang := langOf(u.Language)
		d := a.baseData(cc, lang, sub.AgencyCode, messages.Name(lang, ob.AgencyNameVI, ob.AgencyNameEN))
		d.Version, d.SubmittedAt, d.ReviewDue = sub.Version, sub.SubmittedAt, sub.SubmittedAt.Add(cc.cycle.Policy.ReviewTime)
		d.DashboardLink = a.link("/review/%d", sub.ID)
		msgs = append(msgs, message{
			key:  reporting.NotificationKey{CycleID: sub.CycleID, Subject: userSubject(sub.AgencyCode, u.ID), Kind: reporting.EventReviewOverdue, Step: sub.Version},
			kind: reporting.EventReviewOverdue, lang: lang, to: []string{u.Email}, data: d,
		})
	}
	return a.deliverAll(ctx, msgs)
}

// ReviewDecided tells the submitter and the agency's officer that their
// version was accepted, or returned and why.
func (a *Activities) ReviewDecided(ctx context.Context, in ReviewInput) error {
	ctx, stop := a.keepAlive(ctx)
	defer stop()
	rv, sub, err := a.store.ReviewByID(ctx, in.ReviewID)
	if err != nil {
		return nonRetryableIfMissing(err)
	}
	cc, err := a.loadCycleContext(ctx, sub.CycleID)
	if err != nil {
		return err
	}
	agency, err := a.store.Agency(ctx, sub.AgencyCode)
	if err != nil {
		return err
	}
	kind := reporting.EventAccepted
	if rv.Decision == reporting.DecisionReturned {
		kind = reporting.EventReturned
	}
	lang := langOf(agency.Language)
	d := a.baseData(cc, lang, agency.Code, messages.Name(lang, agency.NameVI, agency.NameEN))
	d.Version, d.ReceiptNumber, d.SubmittedAt, d.Reason = sub.Version, sub.ReceiptNumber, sub.SubmittedAt, rv.Reason
	if ob, err := a.store.Obligation(ctx, sub.CycleID, sub.AgencyCode); err == nil {
		d.Due, d.Close = ob.Due, ob.Close
	}
	return a.deliverAll(ctx, []message{{
		key:  reporting.NotificationKey{CycleID: sub.CycleID, Subject: sub.AgencyCode, Kind: kind, Step: sub.Version},
		kind: kind, lang: lang, to: []string{sub.SubmittedByEmail, agency.OfficerEmail}, data: d,
	}})
}

// deliverAll delivers a few messages; deferred ones fail the activity so
// that Temporal retries it.
func (a *Activities) deliverAll(ctx context.Context, msgs []message) error {
	rep, err := a.deliver(ctx, msgs)
	if err != nil {
		return err
	}
	if rep.deferred > 0 {
		return fmt.Errorf("%d %w", rep.deferred, errDeferred)
	}
	return nil
}

// reviewers are the people who review the reports of the agency at
// agencyPath: in a tiered cycle, for an agency of a lower level, the
// reviewers of its agency in the level above; else, or when that agency
// has none, the regime's reviewer, or every active staff user.
func (a *Activities) reviewers(ctx context.Context, cc cycleContext, agencyPath string) ([]store.User, error) {
	if above, ok := levelAbove(cc.cycle.Tiers, agencyPath); ok {
		users, err := a.store.ReviewersAt(ctx, above)
		if err != nil || len(users) > 0 {
			return users, err
		}
	}
	if id := cc.regime.ReviewerID; id != nil {
		u, err := a.store.User(ctx, *id)
		if err == nil && u.DisabledAt == nil {
			return []store.User{u}, nil
		}
	}
	return a.store.StaffUsers(ctx)
}

// levelAbove is the tree path of the agency of the level above the agency
// at agencyPath in a tiered cycle, when that agency is of a lower level.
func levelAbove(tiers []reporting.CycleTier, agencyPath string) (string, bool) {
	if agencyPath == "" {
		return "", false
	}
	depth := reporting.PathDepth(agencyPath)
	for i := 0; i+1 < len(tiers); i++ {
		if tiers[i].Depth == depth {
			return reporting.AncestorAt(agencyPath, tiers[i+1].Depth), true
		}
	}
	return "", false
}

// reviewManagers are the managers of the reviewers of the agency at
// agencyPath (the level's own manager, in a tiered cycle), or every active
// staff user when no reviewer has one.
func (a *Activities) reviewManagers(ctx context.Context, cc cycleContext, agencyPath string) ([]store.User, error) {
	reviewers, err := a.reviewers(ctx, cc, agencyPath)
	if err != nil {
		return nil, err
	}
	var managers []store.User
	seen := map[int64]bool{}
	for _, r := range reviewers {
		if r.ManagerID == nil || seen[*r.ManagerID] {
			continue
		}
		m, err := a.store.User(ctx, *r.ManagerID)
		if err != nil || m.DisabledAt != nil {
			continue
		}
		seen[m.ID] = true
		managers = append(managers, m)
	}
	if len(managers) == 0 {
		return a.store.StaffUsers(ctx)
	}
	return managers, nil
}
