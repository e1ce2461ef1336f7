package web

import (
	"fmt"
	"net/http"
	"strconv"

	"rcm/api"
	"rcm/reporting"
)

// Pagination of lists: ?limit=N (1 to maxPageSize, default defaultPageSize)
// and ?after=CURSOR, the "next" of the previous page. A list answers
// {"items": [...], "next": "CURSOR"}, without next on the last page.
const (
	defaultPageSize = 100
	maxPageSize     = 500
)

// pageLimit reads ?limit.
func pageLimit(r *http.Request) (int, error) {
	raw := r.URL.Query().Get("limit")
	if raw == "" {
		return defaultPageSize, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > maxPageSize {
		return 0, errBadRequest(fmt.Sprintf("limit %q is not a number from 1 to %d", raw, maxPageSize),
			reporting.FieldError{Field: "limit", Reason: fmt.Sprintf("a number from 1 to %d", maxPageSize)})
	}
	return n, nil
}

// makePage trims items fetched with limit+1 to limit, and names the cursor
// of the next page when there is one.
func makePage[T any](items []T, limit int, cursor func(T) string) api.Page[T] {
	p := api.Page[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(items) > limit {
		p.Items = items[:limit]
		p.Next = cursor(items[limit-1])
	}
	return p
}
