package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// CreateTemplate stores a report template with its indicators, in one
// transaction. The template must pass reporting.Template.Validate (its
// problems are a *reporting.InputError); a template with the same code is an
// ErrConflict: templates are never changed in place, since cycles refer to them.
func (s *Store) CreateTemplate(ctx context.Context, t reporting.Template, audit AuditEntry) error {
	if problems := t.Problems(); len(problems) > 0 {
		return fmt.Errorf("create template %s: %w", t.Code, &reporting.InputError{Fields: problems})
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

// CycleTemplate returns the template a cycle's agencies fill in: its
// regime's. It is read once per cycle and then kept, for it cannot change
// under the cycle: a regime's template is set when the regime is created,
// and a template is never changed in place.
func (s *Store) CycleTemplate(ctx context.Context, cycleID string) (reporting.Template, error) {
	if t, ok := s.templates.Load(cycleID); ok {
		return cloneTemplate(t.(reporting.Template)), nil
	}
	var code string
	err := s.pool.QueryRow(ctx, `
		SELECT r.template_code FROM cycles c JOIN regimes r ON r.code = c.regime_code WHERE c.id = $1`, cycleID).Scan(&code)
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Template{}, fmt.Errorf("cycle %s: %w", cycleID, ErrNotFound)
	}
	if err != nil {
		return reporting.Template{}, fmt.Errorf("template of cycle %s: %w", cycleID, err)
	}
	t, err := s.Template(ctx, code)
	if err != nil {
		return reporting.Template{}, fmt.Errorf("cycle %s: %w", cycleID, err)
	}
	s.templates.Store(cycleID, t)
	return cloneTemplate(t), nil
}

// cloneTemplate copies a cached template, so that no caller changes the
// cache.
func cloneTemplate(t reporting.Template) reporting.Template {
	t.Indicators = slices.Clone(t.Indicators)
	return t
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
