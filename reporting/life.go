package reporting

import "slices"

// life is the life of a kind of status: each status, and the statuses it may
// follow. Every status has an entry, so that the keys are the statuses.
type life[S ~string] map[S][]S

// valid reports whether s is one of the statuses.
func (l life[S]) valid(s S) bool {
	_, ok := l[s]
	return ok
}

// from returns the statuses that may become s.
func (l life[S]) from(s S) []S { return slices.Clone(l[s]) }

// follows reports whether prev may become s.
func (l life[S]) follows(s, prev S) bool { return slices.Contains(l[s], prev) }
