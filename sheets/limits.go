package sheets

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/semaphore"

	"rcm/reporting"
)

// Limits on the files Read and ReadCSV accept from outside. A template has
// tens of indicators, a few hundred at most; these leave room for thousands
// and bound the memory one read takes (see Limiter for reads at once). A
// file past one is refused with a ProblemTooLarge problem in its FileError.
const (
	// MaxFileBytes bounds a file as sent.
	MaxFileBytes = 4 << 20
	// MaxUnzippedBytes bounds the parts of a spreadsheet, unzipped: the
	// XLSX reader holds them in memory. A filled-in template of 5,000
	// indicators is about 2 MiB.
	MaxUnzippedBytes = 4 << 20
	// maxZipEntries bounds the parts of a spreadsheet (an exported
	// template has about ten).
	maxZipEntries = 1000
	// MaxLines bounds the lines (CSV) or rows (XLSX) a file may have.
	MaxLines = 5000
	// MaxCellBytes bounds one cell: a text indicator's
	// reporting.MaxTextLength characters of up to four bytes each.
	MaxCellBytes = 4 * reporting.MaxTextLength
)

// DefaultConcurrentReads is how many files a server may read at once. With
// the limits above, reading a spreadsheet at the limits (5,000 rows of 26
// number cells, 4 MiB unzipped) grows the heap by about 60 MiB, so two
// take about 120 MiB whatever is uploaded; a template of 2,000 indicators
// filled in takes about 10 MiB, one of a few hundred about 1 MiB.
const DefaultConcurrentReads = 2

// Limiter bounds how many files are read at once, so that the memory a
// server spends reading uploads does not grow with the uploads it is sent:
// each read is bounded by the limits above, and the Limiter bounds how many
// run together. A server holds one Limiter for all its requests and takes
// a turn around each Read or ReadCSV, after the upload is received (a slow
// sender does not hold a turn):
//
//	release, err := limiter.Acquire(ctx)
//	if err != nil {
//		return err
//	}
//	defer release()
//	values, err := sheets.Read(bytes.NewReader(upload), tmpl)
//
// A nil *Limiter does not limit.
type Limiter struct {
	sem *semaphore.Weighted
}

// NewLimiter lets n reads run at once (at least one).
func NewLimiter(n int) *Limiter {
	return &Limiter{sem: semaphore.NewWeighted(int64(max(n, 1)))}
}

// Acquire waits for a turn and returns the function that ends it (calling
// it again does nothing), or fails when ctx ends first (the caller went
// away).
func (l *Limiter) Acquire(ctx context.Context) (release func(), err error) {
	if l == nil {
		return func() {}, nil
	}
	if err := l.sem.Acquire(ctx, 1); err != nil {
		return nil, fmt.Errorf("wait for a turn to read a file: %w", err)
	}
	var once sync.Once
	return func() { once.Do(func() { l.sem.Release(1) }) }, nil
}
