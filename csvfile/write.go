package csvfile

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// Writer writes CSV for people and their spreadsheet programs: every cell
// goes through Neutralise, so that nothing a staff member or an agency typed
// (a template's name, an agency's name) runs as a formula on another
// agency's computer.
type Writer struct {
	bw *bufio.Writer
	cw *csv.Writer
}

// NewWriter writes CSV to w, separated by ',' with "\n" line ends.
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriter(w)
	return &Writer{bw: bw, cw: csv.NewWriter(bw)} // csv.NewWriter keeps bw as its buffer
}

// Write writes one record, each cell neutralised.
func (w *Writer) Write(record []string) error {
	if len(record) == 1 && record[0] == "" {
		// encoding/csv writes a blank line, which readers skip.
		if _, err := w.bw.WriteString("\"\"\n"); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		return nil
	}
	cells := make([]string, len(record))
	for i, c := range record {
		cells[i] = Neutralise(c)
	}
	if err := w.cw.Write(cells); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// WriteAll writes the records and flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, rec := range records {
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	return w.Flush()
}

// Flush writes what is buffered and returns the first error of any write.
func (w *Writer) Flush() error {
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// Neutralise returns cell as it may stand in a CSV file that a spreadsheet
// program opens. Following OWASP's advice on CSV injection, a cell that
// starts with '=', '+', '-', '@', a tab or a carriage return (after any
// spaces or single quotes) is prefixed with a single quote, which spreadsheet
// programs read as "this is text". The one exception is a plain number as
// rcm writes figures, an optional '-' then digits with an optional '.'
// fraction ("-3.5"): a spreadsheet reads it as the number it is and computes
// nothing, so a negative figure in a value column stays a number. Any other
// text a '-' starts ("-3.5+A1", "-1e5", "- 3") is prefixed. Unneutralise
// undoes it.
func Neutralise(cell string) string {
	if !risky(cell) {
		return cell
	}
	return "'" + cell
}

// Unneutralise undoes Neutralise: for every text s, Unneutralise(Neutralise(s))
// is s. A cell that Neutralise would not have written (one quote before a
// plain number or ordinary text) is returned as it is.
func Unneutralise(cell string) string {
	if rest, ok := strings.CutPrefix(cell, "'"); ok && risky(rest) {
		return rest
	}
	return cell
}

// risky reports whether a spreadsheet program could run cell as a formula:
// its first character past spaces and single quotes starts one, and it is
// not a plain number.
func risky(cell string) bool {
	body := strings.TrimLeft(cell, " '\u00a0")
	if body == "" || !strings.ContainsRune("=+-@\t\r", rune(body[0])) {
		return false
	}
	return !plainNumber(cell)
}

// plainNumber reports whether s is an optional '-', digits, and an optional
// '.' with digits.
func plainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	return digits(whole) && (!hasFrac || digits(frac))
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
