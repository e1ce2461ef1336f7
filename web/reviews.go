package web

import (
	"net/http"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

func (s *Server) reviewRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/reviews", Op: operations.OpReadReviews, Handle: s.reviewQueue},
		{Method: "POST", Path: "/api/v1/submissions/{id}/review", Op: operations.OpReview, Handle: s.reviewSubmission},
	}
}

// reviewQueue lists the latest versions waiting for a decision, oldest
// first (?cycle=, ?limit=).
func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	subs, err := s.ops.ReviewQueue(r.Context(), caller(r), store.ReviewQueueFilter{CycleID: r.URL.Query().Get("cycle"), Limit: limit})
	if err != nil {
		return err
	}
	items := make([]api.Submission, len(subs))
	for i, sub := range subs {
		items[i] = toSubmissionJSON(sub)
	}
	writeJSON(w, http.StatusOK, api.Page[api.Submission]{Items: items})
	return nil
}

// reviewSubmission accepts or returns the latest version of an obligation;
// the agency is told, with the reason.
func (s *Server) reviewSubmission(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "submission")
	if err != nil {
		return err
	}
	var req api.ReviewRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	rv, err := s.decide(r, id, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toReviewJSON(rv))
	return nil
}

// decide records a review through operations and counts it; the API and the
// review page share it.
func (s *Server) decide(r *http.Request, submissionID int64, req api.ReviewRequest) (reporting.Review, error) {
	rv, err := s.ops.Review(r.Context(), caller(r), operations.ReviewRequest{SubmissionID: submissionID, Decision: reporting.Decision(req.Decision), Reason: req.Reason,
		Reopen: req.Reopen})
	if err != nil {
		return reporting.Review{}, operationError(r, err)
	}
	s.counts.reviews.WithLabelValues(string(rv.Decision)).Inc()
	return rv, nil
}
