package store

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// FieldError names one field of the input and why it is refused. Field uses
// the API's JSON names, with an index for records of a list ("[3].parent").
type FieldError struct {
	Field  string
	Reason string
}

// InputError is input the store refuses because of what it says (a parent
// that does not exist, an e-mail address that is not one), as opposed to the
// state of the records (ErrConflict) or a record that is absent (ErrNotFound).
type InputError struct {
	Fields []FieldError
}

// Error lists the refused fields and why.
func (e *InputError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// inputErrors collects field errors while a record is checked.
type inputErrors struct {
	prefix string
	fields []FieldError
}

func (e *inputErrors) add(field, format string, args ...any) {
	e.fields = append(e.fields, FieldError{Field: e.prefix + field, Reason: fmt.Sprintf(format, args...)})
}

// err returns the collected errors as an *InputError, or nil when there are none.
func (e *inputErrors) err() error {
	if len(e.fields) == 0 {
		return nil
	}
	return &InputError{Fields: e.fields}
}

func invalid(field, format string, args ...any) error {
	return &InputError{Fields: []FieldError{{Field: field, Reason: fmt.Sprintf(format, args...)}}}
}

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)

// pgCode returns the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// SQLSTATE codes the store translates.
const (
	sqlForeignKeyViolation = "23503"
	sqlCheckViolation      = "23514"
	sqlUniqueViolation     = "23505"
)
