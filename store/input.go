package store

import (
	"errors"
	"regexp"

	"github.com/jackc/pgx/v5/pgconn"

	"rcm/reporting"
)

// invalid refuses one field of the input: a *reporting.InputError.
func invalid(field, format string, args ...any) error {
	var errs reporting.FieldErrors
	errs.Add(field, format, args...)
	return errs.Err()
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
