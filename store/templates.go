package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// CreateTemplate stores a report template with its indicators, in one
// transaction. The template must pass reporting.Template.Validate (its error
// lines become the fields of an *InputError); a template with the same code is an
// ErrConflict: templates are never changed in place, since cycles refer to them.
func (s *Store) CreateTemplate(ctx context.Context, t reporting.Template, audit ...AuditEntry) error {
	if err := t.Validate(); err != nil {
		return fmt.Errorf("create template %s: %w", t.Code, &InputError{Fields: templateFieldErrors(err)})
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO templates (code, name_vi, name_en) VALUES ($1, $2, $3)`,
			t.Code, t.NameVI, t.NameEN); err != nil {
			return err
		}
		batch := &pgx.Batch{}
		for i, ind := range t.Indicators {
			agg := ind.Aggregation
			if agg == "" {
				agg = reporting.AggregationNone
			}
			batch.Queue(`
				INSERT INTO indicators (template_code, code, position, name_vi, name_en, unit, type,
				                        required, min_value, max_value, aggregation)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nullif($9, '')::numeric, nullif($10, '')::numeric, $11)`,
				t.Code, ind.Code, i, ind.NameVI, ind.NameEN, ind.Unit, string(ind.Type),
				ind.Required, ind.Min, ind.Max, string(agg))
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit)
	})
	if isUniqueViolation(err, "templates_pkey") {
		return fmt.Errorf("template %s: %w", t.Code, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create template %s: %w", t.Code, err)
	}
	return nil
}

// Template returns the template with the code and its indicators in order.
func (s *Store) Template(ctx context.Context, code string) (reporting.Template, error) {
	var t reporting.Template
	err := s.pool.QueryRow(ctx, `SELECT code, name_vi, name_en FROM templates WHERE code = $1`, code).
		Scan(&t.Code, &t.NameVI, &t.NameEN)
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Template{}, fmt.Errorf("template %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return reporting.Template{}, fmt.Errorf("template %s: %w", code, err)
	}
	byCode, err := s.indicators(ctx, []string{code})
	if err != nil {
		return reporting.Template{}, fmt.Errorf("template %s: %w", code, err)
	}
	t.Indicators = byCode[code]
	return t, nil
}

// ListTemplates lists every template with its indicators, in code order.
func (s *Store) ListTemplates(ctx context.Context) ([]reporting.Template, error) {
	rows, err := s.pool.Query(ctx, `SELECT code, name_vi, name_en FROM templates ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	templates, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Template, error) {
		var t reporting.Template
		err := r.Scan(&t.Code, &t.NameVI, &t.NameEN)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	codes := make([]string, len(templates))
	for i, t := range templates {
		codes[i] = t.Code
	}
	byCode, err := s.indicators(ctx, codes)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	for i := range templates {
		templates[i].Indicators = byCode[templates[i].Code]
	}
	return templates, nil
}

// indicators returns the indicators of the templates, by template code, in position order.
func (s *Store) indicators(ctx context.Context, templateCodes []string) (map[string][]reporting.Indicator, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT template_code, code, name_vi, name_en, unit, type, required,
		       coalesce(min_value::text, ''), coalesce(max_value::text, ''), aggregation
		  FROM indicators
		 WHERE template_code = ANY($1)
		 ORDER BY template_code, position`, templateCodes)
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	out := make(map[string][]reporting.Indicator, len(templateCodes))
	var (
		tmpl string
		ind  reporting.Indicator
	)
	_, err = pgx.ForEachRow(rows, []any{&tmpl, &ind.Code, &ind.NameVI, &ind.NameEN, &ind.Unit, &ind.Type,
		&ind.Required, &ind.Min, &ind.Max, &ind.Aggregation}, func() error {
		out[tmpl] = append(out[tmpl], ind)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	return out, nil
}

// templateFieldErrors turns the lines of reporting.Template.Validate into
// field errors, naming the indicator by its index where the line names its
// position.
func templateFieldErrors(err error) []FieldError {
	var out []FieldError
	for _, line := range strings.Split(err.Error(), "\n") {
		field := "template"
		if _, rest, ok := strings.Cut(line, "(position "); ok {
			if n, _, ok := strings.Cut(rest, ")"); ok {
				if pos, convErr := strconv.Atoi(n); convErr == nil {
					field = fmt.Sprintf("indicators[%d]", pos-1)
				}
			}
		}
		out = append(out, FieldError{Field: field, Reason: line})
	}
	return out
}
