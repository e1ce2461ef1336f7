package activities

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"golang.org/x/sync/errgroup"

	"rcm/messages"
	"rcm/notifications"
	"rcm/reporting"
	"rcm/store"
)

// message is one notification to deliver: its key, what to render and to whom.
type message struct {
	key  reporting.NotificationKey
	kind reporting.Event
	lang messages.Lang
	to   []string
	cc   []string
	data notifications.Data
}

// deliveryReport counts what one delivery pass did; stopped says a lane
// stopped early because its worker is stopping.
type deliveryReport struct {
	sent, failed, skipped, deferred int
	stopped                         bool
}

func (r *deliveryReport) add(o deliveryReport) {
	r.sent += o.sent
	r.failed += o.failed
	r.skipped += o.skipped
	r.deferred += o.deferred
	r.stopped = r.stopped || o.stopped
}

// deliver claims, renders and sends msgs, each at most once ever: a message
// whose row was sent, failed or skipped by an earlier attempt is left alone;
// one still claimed (an earlier attempt never got to it) is sent now; one an
// earlier attempt left 'sending' may have gone out, so it is recorded as
// failed with that explanation rather than sent twice. A message with no
// valid recipient is recorded as skipped; a permanent SMTP refusal or a
// rendering error as failed; a temporary failure is retried once in place,
// then deferred to the next activity attempt, or recorded as failed on the
// final one.
func (a *Activities) deliver(ctx context.Context, msgs []message) (deliveryReport, error) {
	var rep deliveryReport
	if len(msgs) == 0 {
		return rep, nil
	}
	batch := make([]store.NewNotification, len(msgs))
	for i, m := range msgs {
		m.to, m.cc = cleanRecipients(m.to, m.cc)
		msgs[i] = m
		batch[i] = store.NewNotification{Key: m.key, Recipients: append(append([]string{}, m.to...), m.cc...),
			Language: string(m.lang), MessageID: m.key.MessageID(a.cfg.MessageIDDomain)}
	}
	claims, err := a.store.ClaimNotifications(ctx, batch)
	if err != nil {
		return rep, err
	}
	byKey := make(map[reporting.NotificationKey]reporting.Notification, len(claims))
	for _, c := range claims {
		byKey[c.Key] = c
	}
	var todo []claimedMessage
	for _, m := range msgs {
		c, ok := byKey[m.key]
		switch {
		case !ok:
		case c.Status == reporting.NotificationSending:
			// An earlier attempt stopped while sending it: it may have gone out.
			if err := a.store.MarkNotificationUnknown(ctx, c.ID, store.ErrOutcomeUnknown); err != nil {
				return rep, err
			}
			a.cfg.Metrics.message(string(m.kind), "failed")
			rep.failed++
		case c.Status != reporting.NotificationClaimed:
		case len(m.to) == 0:
			if err := a.store.MarkNotificationSkipped(ctx, c.ID, skipReason(m)); err != nil {
				return rep, err
			}
			a.cfg.Metrics.message(string(m.kind), "skipped")
			rep.skipped++
		default:
			todo = append(todo, claimedMessage{message: m, claim: c})
		}
	}
	sent, err := a.sendAll(ctx, todo)
	rep.add(sent)
	if err == nil && rep.stopped {
		err = errWorkerStopping
	}
	return rep, err
}

// claimedMessage is a message whose claimed row is ours to send.
type claimedMessage struct {
	message
	claim reporting.Notification
}

// sendAll sends the messages over up to cfg.Lanes SMTP connections at once;
// each lane sends its share in order.
func (a *Activities) sendAll(ctx context.Context, todo []claimedMessage) (deliveryReport, error) {
	lanes := min(a.cfg.Lanes, (len(todo)+lanePortion-1)/lanePortion)
	if lanes <= 1 {
		return a.sendLane(ctx, todo)
	}
	reports := make([]deliveryReport, lanes)
	g, gctx := errgroup.WithContext(ctx)
	for l := 0; l < lanes; l++ {
		var share []claimedMessage
		for i := l; i < len(todo); i += lanes {
			share = append(share, todo[i])
		}
		g.Go(func() error {
			var err error
			reports[l], err = a.sendLane(gctx, share)
			return err
		})
	}
	err := g.Wait()
	var rep deliveryReport
	for _, r := range reports {
		rep.add(r)
	}
	return rep, err
}

// lanePortion is the fewest messages worth a connection of their own.
const lanePortion = 25

// sendLane sends messages one after the other over one SMTP connection, a
// portion of cfg.SendPortion at a time (see sendPortion). Between portions
// it stops early if its worker is stopping.
func (a *Activities) sendLane(ctx context.Context, todo []claimedMessage) (deliveryReport, error) {
	lane := &smtpLane{final: a.isFinalAttempt(ctx)}
	defer lane.close()
	rep, err := a.sendPortions(ctx, lane, todo)
	// The last portion's messages are recorded sent before the lane answers.
	return rep, errors.Join(err, a.recordSent(ctx, lane))
}

// sendPortions is sendLane's loop over its portions.
func (a *Activities) sendPortions(ctx context.Context, lane *smtpLane, todo []claimedMessage) (deliveryReport, error) {
	var rep deliveryReport
	portion := sendPortionOf(len(todo), a.cfg.SendPortion)
	for start := 0; start < len(todo); start += portion {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if workerStopping(ctx) {
			// Not an error, which would cancel the other lanes mid-send:
			// each finishes the portion in hand, and deliver reports it.
			rep.stopped = true
			return rep, nil
		}
		r, err := a.sendPortion(ctx, lane, todo[start:min(start+portion, len(todo))])
		rep.add(r)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// sendPortionOf is how many of a lane's n messages (its share of one page
// of a wave) go in one portion: a tenth of them, at least one and at most
// limit. A small wave, whose speed matters little, keeps the crash window
// of one message per lane (under twenty messages a lane); a full page
// (cfg.BatchSize of 500 over 4 lanes) takes the full portion. (It took a
// fiftieth until 01/12/2026, which a lane's share of a page never made more
// than two: a wave committed twice per message or two.)
func sendPortionOf(n, limit int) int {
	return max(1, min(limit, n/10))
}

// smtpLane is one lane's SMTP connection, opened on first use, and what
// it sent that is not on record yet.
type smtpLane struct {
	conn  *notifications.Batch
	final bool // this activity attempt is the last to defer a message
	// unrecorded are the messages of the lane's last portion, sent and not
	// yet recorded sent: the next portion's mark records them
	// (store.MarkNotificationsSending), or recordSent when the lane ends.
	unrecorded []store.SentMark
}

// recordSent records the lane's unrecorded messages sent, also when the
// lane stops early: on a cancelled context it still has a few seconds to
// say so.
func (a *Activities) recordSent(ctx context.Context, lane *smtpLane) error {
	if len(lane.unrecorded) == 0 {
		return nil
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := a.store.MarkNotificationsSent(rctx, lane.unrecorded); err != nil {
		return err
	}
	lane.unrecorded = nil
	return nil
}

func (l *smtpLane) close() {
	if l.conn != nil {
		_ = l.conn.Close()
	}
}

// sendPortion renders a few messages, marks them sending in one durable
// commit (which also records the lane's previous portion sent), and sends
// them: one commit per portion rather than two per message. The price is
// the crash window: a worker killed mid-portion leaves up to a portion's
// messages 'sending' that may not have gone out, and the previous
// portion's, which had, not yet recorded; the next attempt reports both as
// of unknown outcome instead of sending them twice. A lane that stops on a
// cancelled context records what it sent and hands the messages it never
// began back to the next attempt.
func (a *Activities) sendPortion(ctx context.Context, lane *smtpLane, portion []claimedMessage) (deliveryReport, error) {
	var rep deliveryReport
	type ready struct {
		claimedMessage
		env notifications.Envelope
	}
	byID := make(map[int64]ready, len(portion))
	ids := make([]int64, 0, len(portion))
	for _, cm := range portion {
		rendered, err := a.renderer.Render(cm.kind, cm.lang, cm.data)
		if err != nil {
			if err := a.store.MarkNotificationAttempt(ctx, cm.claim.ID, err.Error(), true); err != nil {
				return rep, err
			}
			a.logger.ErrorContext(ctx, "message not rendered", "kind", cm.kind, "subject", cm.key.Subject, "error", err)
			a.cfg.Metrics.message(string(cm.kind), "failed")
			rep.failed++
			continue
		}
		byID[cm.claim.ID] = ready{claimedMessage: cm, env: rendered.Envelope(cm.claim.MessageID, cm.to, cm.cc)}
		ids = append(ids, cm.claim.ID)
	}
	if len(ids) == 0 {
		return rep, nil
	}
	if lane.conn == nil {
		var err error
		if lane.conn, err = a.mailer.Open(ctx); err != nil {
			// Nothing was sent on this lane: the activity is retried as a whole.
			return rep, fmt.Errorf("open SMTP connection: %w", err)
		}
	}
	took, err := a.store.MarkNotificationsSending(ctx, ids, lane.unrecorded)
	if err != nil {
		return rep, err
	}
	lane.unrecorded = nil
	// In the order given; a message a concurrent attempt took is its to send.
	taken := slices.DeleteFunc(ids, func(id int64) bool { return !slices.Contains(took, id) })
	for i, id := range taken {
		r := byID[id]
		if ctx.Err() != nil {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			releaseErr := a.store.ReleaseNotificationsSending(rctx, taken[i:])
			cancel()
			return rep, errors.Join(ctx.Err(), releaseErr, a.recordSent(ctx, lane))
		}
		r.env.Date = time.Now()
		err := lane.conn.Send(ctx, r.env)
		if err != nil && !notifications.IsPermanent(err) && !errors.Is(err, notifications.ErrOutcomeUnknown) && ctx.Err() == nil {
			if sleepCtx(ctx, a.cfg.RetryDelay) == nil {
				err = lane.conn.Send(ctx, r.env)
			}
		}
		switch {
		case err == nil:
			lane.unrecorded = append(lane.unrecorded, store.SentMark{ID: id, At: time.Now()})
			a.cfg.Metrics.message(string(r.kind), "sent")
			rep.sent++
		case ctx.Err() != nil:
			// This one is left 'sending': the next attempt records it as
			// unknown, never resends it. The rest were never begun.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			releaseErr := a.store.ReleaseNotificationsSending(rctx, taken[i+1:])
			cancel()
			return rep, errors.Join(ctx.Err(), releaseErr, a.recordSent(ctx, lane))
		case notifications.IsPermanent(err) || errors.Is(err, notifications.ErrOutcomeUnknown) || lane.final:
			if err := a.store.MarkNotificationAttempt(ctx, id, err.Error(), true); err != nil {
				return rep, errors.Join(err, a.recordSent(ctx, lane))
			}
			a.cfg.Metrics.message(string(r.kind), "failed")
			rep.failed++
		default:
			if err := a.store.MarkNotificationAttempt(ctx, id, err.Error(), false); err != nil {
				return rep, errors.Join(err, a.recordSent(ctx, lane))
			}
			a.cfg.Metrics.message(string(r.kind), "deferred")
			rep.deferred++
		}
	}
	return rep, nil
}

// isFinalAttempt reports whether this activity attempt is the last one that
// leaves temporarily failed messages for later.
func (a *Activities) isFinalAttempt(ctx context.Context) bool {
	if !activity.IsActivity(ctx) {
		return true
	}
	return activity.GetInfo(ctx).Attempt >= a.cfg.FinalSendAttempt
}

// errDeferred is returned by a wave that left messages for its next attempt.
var errDeferred = errors.New("messages deferred after temporary SMTP failures")

func skipReason(m message) string {
	return fmt.Sprintf("no valid e-mail address for %s (%s)", m.key.Subject, m.kind)
}

// cleanRecipients drops empty and invalid addresses and duplicates; an
// address in both lists stays in To.
func cleanRecipients(to, cc []string) ([]string, []string) {
	seen := map[string]bool{}
	keep := func(in []string) []string {
		var out []string
		for _, addr := range in {
			addr = strings.TrimSpace(addr)
			if addr == "" || seen[strings.ToLower(addr)] {
				continue
			}
			if _, err := mail.ParseAddress(addr); err != nil {
				continue
			}
			seen[strings.ToLower(addr)] = true
			out = append(out, addr)
		}
		return out
	}
	t := keep(to)
	c := keep(cc)
	if len(t) == 0 && len(c) > 0 {
		t, c = c, nil
	}
	return t, c
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
