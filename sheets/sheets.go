// Package sheets holds the layouts of the files an agency fills in and sends
// back: the template exported as a spreadsheet (XLSX) and the two-column CSV
// (indicator, value). Writing and reading a layout live side by side here, so
// a file rcm hands out is always one rcm can read.
//
// Every file states how the figures of its value column are written (see
// ValueHeader), and reading applies what it states: a Vietnamese file reads
// "12.000" as twelve thousand; a file that states nothing is read in the
// canonical notation, and a figure that could be read two ways is refused,
// never guessed. Reading is bounded (MaxFileBytes, MaxUnzippedBytes,
// MaxLines, MaxCellBytes), and a Limiter bounds how many files a server reads
// at once.
package sheets

import (
	"errors"
	"fmt"
	"strings"

	"rcm/messages"
	"rcm/reporting"
)

// Problem codes of a FileError, beside the reporting.Field… codes used for the
// values themselves (unknown_indicator, not_a_number, ...).
const (
	// ProblemNotTheTemplate: the file is not the template it is read against.
	ProblemNotTheTemplate = "not_the_template"
	// ProblemHeader: the header row is missing or names the wrong columns.
	ProblemHeader = "bad_header"
	// ProblemMalformed: the file cannot be read at all (broken CSV quoting,
	// not a spreadsheet).
	ProblemMalformed = "malformed"
	// ProblemDuplicate: an indicator appears on two lines.
	ProblemDuplicate = "duplicate_indicator"
	// ProblemTooLarge: the file is past one of the limits (its size,
	// unzipped size, lines or a cell's length); errors.Is(err, ErrTooLarge)
	// holds for its FileError.
	ProblemTooLarge = "too_large"
	// ProblemEncoding: the text is not UTF-8.
	ProblemEncoding = "encoding"
)

// FileError is a file that cannot be read as the template's, with every
// problem found: each a reporting.FieldError with its Line (a CSV line or a
// spreadsheet row, 1-based; 0 when it concerns the whole file), its Field
// ("values.CODE" for the indicator on that line, "file" otherwise) and its
// Code (one of the Problem… constants or a reporting.Field… code).
type FileError struct {
	// Format is "csv" or "xlsx".
	Format   string
	Problems []reporting.FieldError
}

// Is reports whether target is ErrTooLarge and a problem of e is
// ProblemTooLarge, so that a server answers 413.
func (e *FileError) Is(target error) bool {
	if target != ErrTooLarge {
		return false
	}
	for _, p := range e.Problems {
		if p.Code == ProblemTooLarge {
			return true
		}
	}
	return false
}

// ErrTooLarge matches, with errors.Is, a *FileError about a file past a limit.
var ErrTooLarge = errors.New("file too large")

// Error lists every problem of the file, each with its line.
func (e *FileError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		reason := messages.FieldReason(messages.English, p)
		parts[i] = reason
		if p.Line != 0 {
			parts[i] = fmt.Sprintf("line %d: %s", p.Line, reason)
		}
	}
	return fmt.Sprintf("%s file: %s", e.Format, strings.Join(parts, "; "))
}

// problems collects the problems of one file.
type problems struct {
	format string
	list   []reporting.FieldError
}

// add records a problem at line, about the indicator on it if there is one,
// its reason in English only (the rare problems of a file that is not a
// spreadsheet at all); addKey gives it from the messages catalogue.
func (p *problems) add(line int, indicator, code, format string, args ...any) {
	p.addError(line, indicator, reporting.FieldError{Code: code, Reason: fmt.Sprintf(format, args...)})
}

// addKey records a problem at line, about the indicator on it if there is
// one, its reason the messages catalogue's text of key with args.
func (p *problems) addKey(line int, indicator, code, key string, args ...any) {
	fe := reporting.Keyed("", key, args...)
	fe.Code = code
	p.addError(line, indicator, fe)
}

// addError records fe as a problem at line, about the indicator on it if
// there is one (its field "values.<code>"), else about the file.
func (p *problems) addError(line int, indicator string, fe reporting.FieldError) {
	fe.Field = "file"
	if indicator != "" {
		fe.Field = reporting.ValueField(indicator)
	}
	fe.Line = line
	p.list = append(p.list, fe)
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &FileError{Format: p.format, Problems: p.list}
}
