package web

import (
	"fmt"
	"net/http"
	"strconv"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

func (s *Server) notificationRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/notifications", Op: operations.OpReadMessages, Handle: s.listNotifications},
	}
}

// listNotifications lists the messages of the notifications log, oldest
// first (?cycle=, ?status=, ?kind=, ?agency=), for office staff to find what
// failed.
func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	status := reporting.NotificationStatus(q.Get("status"))
	if status != "" && !status.IsValid() {
		return errBadRequest(fmt.Sprintf("status %q is unknown", status), reporting.FieldError{Field: "status", Reason: "claimed, sending, sent, failed or skipped"})
	}
	var after int64
	if raw := q.Get("after"); raw != "" {
		if after, err = strconv.ParseInt(raw, 10, 64); err != nil {
			return errBadRequest(fmt.Sprintf("after %q is not the next of a previous page", raw), reporting.FieldError{Field: "after", Reason: "a cursor"})
		}
	}
	list, err := s.ops.Notifications(r.Context(), caller(r), store.NotificationFilter{CycleID: q.Get("cycle"), Status: status,
		Kind: reporting.Event(q.Get("kind")), Subject: q.Get("agency"), AfterID: after, Limit: limit + 1})
	if err != nil {
		return err
	}
	items := make([]api.Notification, len(list))
	for i, n := range list {
		items[i] = api.Notification{ID: n.ID, Cycle: n.Key.CycleID, Subject: n.Key.Subject, Kind: string(n.Key.Kind), Step: n.Key.Step,
			Recipients: n.Recipients, Language: n.Language, Status: string(n.Status), Attempts: n.Attempts, MessageID: n.MessageID,
			LastError: n.LastError, ClaimedAt: n.ClaimedAt, SentAt: n.SentAt}
		if items[i].Recipients == nil {
			items[i].Recipients = []string{}
		}
	}
	writeJSON(w, http.StatusOK, makePage(items, limit, func(n api.Notification) string { return strconv.FormatInt(n.ID, 10) }))
	return nil
}
