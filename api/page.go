package api

// Page is a list answer: {"items": [...], "next": "CURSOR"}. Next is the
// cursor to send as ?after= for the next page, left out on the last page
// and by lists that are not paged.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}
