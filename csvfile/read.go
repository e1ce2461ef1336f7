// Package csvfile is the one way rcm reads CSV files that come from outside
// and writes the CSV files people open: the agency's filled-in template, the
// agency and indicator lists office staff import, and every CSV the command
// line and the web server write.
//
// Reading is bounded and strict about what it cannot read: a UTF-8 byte-order
// mark is skipped; the separator is ',' or, as spreadsheet programs set to
// Vietnamese (and other decimal-comma) conventions write, ';' or a tab, told
// by the header line or by Excel's "sep=;" first line; the file, its lines,
// its records and each field have a size limit; a field that is not UTF-8 is
// refused naming its line and column. Writing neutralises cells a
// spreadsheet program would run as formulas (see Neutralise), and reading
// undoes that.
package csvfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Codes of Error.
const (
	// CodeMalformed: the text is not CSV (broken quoting).
	CodeMalformed = "malformed"
	// CodeTooLarge: the file, a line, the number of records or a field is
	// past its limit.
	CodeTooLarge = "too_large"
	// CodeEncoding: the text is not UTF-8.
	CodeEncoding = "encoding"
)

// ErrTooLarge matches, with errors.Is, an *Error of code CodeTooLarge, so
// that a server can answer 413.
var ErrTooLarge = errors.New("csv file too large")

// Error is a CSV file that cannot be read, at a line (1-based, counting the
// file's physical lines; 0 for the whole file) and, where it concerns one
// field, a column (1-based) with its header's name.
type Error struct {
	Line       int
	Column     int
	ColumnName string
	// Code is CodeMalformed, CodeTooLarge or CodeEncoding.
	Code string
	// Reason says what is wrong, for a person, and what to do.
	Reason string
}

// Error writes the problem with its line and column.
func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Detail()
	}
	if e.Column > 0 {
		return fmt.Sprintf("line %d, %s", e.Line, e.Detail())
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Detail())
}

// Detail writes the problem with its column but not its line, for callers
// that report lines their own way.
func (e *Error) Detail() string {
	if e.Column == 0 {
		return e.Reason
	}
	col := fmt.Sprintf("column %d", e.Column)
	if e.ColumnName != "" {
		col += fmt.Sprintf(" (%s)", e.ColumnName)
	}
	return col + ": " + e.Reason
}

// Is reports whether target is ErrTooLarge and e is about a limit.
func (e *Error) Is(target error) bool {
	return target == ErrTooLarge && e.Code == CodeTooLarge
}

// Limits bound what a Reader accepts; a zero field takes the default.
type Limits struct {
	// Bytes bounds the whole file (default 10 MiB).
	Bytes int64
	// LineBytes bounds one physical line (default 64 KiB): it bounds the
	// fields of a record, which the CSV parser holds at once.
	LineBytes int
	// Records bounds the records, the header included (default 100,000).
	Records int
	// FieldBytes bounds one field (default 16 KiB).
	FieldBytes int
}

func (l Limits) withDefaults() Limits {
	if l.Bytes <= 0 {
		l.Bytes = 10 << 20
	}
	if l.LineBytes <= 0 {
		l.LineBytes = 64 << 10
	}
	if l.Records <= 0 {
		l.Records = 100_000
	}
	if l.FieldBytes <= 0 {
		l.FieldBytes = 16 << 10
	}
	return l
}

// Reader reads the records of a CSV file from outside. The first record is
// taken as the header: its fields name the columns in errors.
type Reader struct {
	lim     Limits
	br      *bufio.Reader
	cr      *csv.Reader
	comma   rune
	skipped int // lines before the CSV text: Excel's "sep=" line
	records int
	line    int // of the last record read
	header  []string
	err     error // from opening: the encoding, the first line
}

// NewReader reads CSV from r within lim. It reads the start of the file at
// once, to tell the separator; problems there (the encoding, the first line)
// are returned by the first Read.
func NewReader(r io.Reader, lim Limits) *Reader {
	lim = lim.withDefaults()
	src := &limitedReader{r: r, lim: lim, line: 1}
	rd := &Reader{lim: lim, br: bufio.NewReaderSize(src, 64<<10), comma: ','}
	rd.err = rd.open()
	rd.cr = csv.NewReader(rd.br)
	rd.cr.Comma = rd.comma
	rd.cr.FieldsPerRecord = -1
	return rd
}

// Comma returns the separator of the file: ',', ';' or '\t'.
func (r *Reader) Comma() rune { return r.comma }

// open skips a byte-order mark and an Excel "sep=" line, refuses UTF-16, and
// tells the separator from the first line.
func (r *Reader) open() error {
	start, err := r.br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return r.wrap(err)
	}
	switch {
	case bytes.HasPrefix(start, []byte("\xef\xbb\xbf")):
		_, _ = r.br.Discard(3)
	case bytes.HasPrefix(start, []byte("\xff\xfe")) || bytes.HasPrefix(start, []byte("\xfe\xff")):
		return &Error{Line: 1, Code: CodeEncoding,
			Reason: "the file is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\""}
	}
	first, err := r.peekLine()
	if err != nil {
		return err
	}
	if sep, ok := strings.CutPrefix(strings.TrimRight(string(first), "\r\n"), "sep="); ok {
		if c, size := utf8.DecodeRuneInString(sep); size == len(sep) && separator(c) {
			_, _ = r.br.Discard(len(first))
			r.comma, r.skipped = c, 1
			return nil
		}
		return &Error{Line: 1, Code: CodeMalformed,
			Reason: fmt.Sprintf("%q names no separator rcm reads; use sep=, or sep=; or none", string(first))}
	}
	r.comma = guessComma(first)
	return nil
}

// peekLine returns the first line (with its newline), or as much of it as
// the buffer holds.
func (r *Reader) peekLine() ([]byte, error) {
	for n := 64; ; n *= 2 {
		buf, err := r.br.Peek(n)
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			return buf[:i+1], nil
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, bufio.ErrBufferFull) {
				return buf, nil
			}
			return nil, r.wrap(err)
		}
	}
}

func separator(c rune) bool { return c == ',' || c == ';' || c == '\t' }

// guessComma picks the separator that occurs most often in the first line
// outside quotes, ',' when none does. A tie between ';' and ',' goes to ';':
// a ';' file may hold an unquoted ',' in its header ("value (1.234,5)"),
// while a ',' file has no reason to hold a ';' there.
func guessComma(line []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(line) {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && separator(c):
			counts[c]++
		}
	}
	best := ','
	if counts[';'] > 0 && counts[';'] >= counts[','] {
		best = ';'
	}
	if counts['\t'] > counts[best] {
		best = '\t'
	}
	return best
}

// Read returns the next record, io.EOF after the last one, or an *Error.
// Blank lines are skipped.
func (r *Reader) Read() ([]string, error) {
	if r.err != nil {
		return nil, r.err
	}
	rec, err := r.cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		r.err = r.wrap(err)
		return nil, r.err
	}
	first, _ := r.cr.FieldPos(0)
	r.line = first + r.skipped
	r.records++
	if r.records > r.lim.Records {
		r.err = &Error{Line: r.line, Code: CodeTooLarge, Reason: fmt.Sprintf("the file has more than %d lines", r.lim.Records)}
		return nil, r.err
	}
	for i, f := range rec {
		fieldLine, _ := r.cr.FieldPos(i)
		switch {
		case len(f) > r.lim.FieldBytes:
			return nil, r.fieldError(fieldLine+r.skipped, i, CodeTooLarge, fmt.Sprintf("the field is longer than %d bytes", r.lim.FieldBytes))
		case !utf8.ValidString(f):
			return nil, r.fieldError(fieldLine+r.skipped, i, CodeEncoding,
				"not UTF-8 text; the file was probably saved in a Windows code page: save it as \"CSV UTF-8\"")
		}
		rec[i] = Unneutralise(f)
	}
	if r.header == nil {
		r.header = append([]string(nil), rec...)
	}
	return rec, nil
}

// Line returns the line of the file the last record read starts on (0
// before the first).
func (r *Reader) Line() int { return r.line }

func (r *Reader) fieldError(line, i int, code, reason string) error {
	name := ""
	if i < len(r.header) {
		name = strings.TrimSpace(r.header[i])
	}
	r.err = &Error{Line: line, Column: i + 1, ColumnName: name, Code: code, Reason: reason}
	return r.err
}

// wrap turns the errors of the CSV parser and of the limits into an *Error.
func (r *Reader) wrap(err error) error {
	var e *Error
	var pe *csv.ParseError
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &pe):
		return &Error{Line: pe.Line + r.skipped, Code: CodeMalformed,
			Reason: fmt.Sprintf("not CSV: %v (at byte %d of the line); a field with %q, a separator or a line break must be in double quotes, with its quotes doubled",
				pe.Err, pe.Column, `"`)}
	}
	return fmt.Errorf("read csv: %w", err)
}

// limitedReader passes bytes on until the file or one of its lines is past
// its limit, then fails with an *Error of CodeTooLarge, and keeps failing.
type limitedReader struct {
	r        io.Reader
	lim      Limits
	read     int64
	line     int // the physical line being read, 1-based
	lineRead int
	err      error
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if left := l.lim.Bytes - l.read + 1; int64(len(p)) > left {
		p = p[:left] // one byte past the limit shows there is more
	}
	n, err := l.r.Read(p)
	for i, b := range p[:n] {
		l.read++
		if l.read > l.lim.Bytes {
			l.err = &Error{Code: CodeTooLarge, Reason: fmt.Sprintf("the file is larger than %d bytes", l.lim.Bytes)}
			return i, l.err
		}
		if b == '\n' {
			l.line, l.lineRead = l.line+1, 0
			continue
		}
		l.lineRead++
		if l.lineRead > l.lim.LineBytes {
			l.err = &Error{Line: l.line, Code: CodeTooLarge, Reason: fmt.Sprintf("the line is longer than %d bytes", l.lim.LineBytes)}
			return i, l.err
		}
	}
	return n, err
}
