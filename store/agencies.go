package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"rcm/messages"
	"rcm/reporting"
)

var agencyCodePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,31}$`)

// AgencyFilter selects agencies. Zero fields select everything.
type AgencyFilter struct {
	// ScopePath keeps the agencies whose path starts with it ("" = all).
	ScopePath string
	// ScopeExact keeps only the agency whose path is exactly ScopePath (an
	// officer's scope, see access.Scope).
	ScopeExact bool
	Kind       string
	// After is the code of the last agency already seen (keyset pagination).
	After string
	Limit int
}

const agencyColumns = `code, coalesce(parent_code, ''), path, name_vi, name_en, kind,
	coalesce(officer_email, ''), coalesce(head_email, ''), language, active_from, active_until`

func scanAgency(row pgx.Row) (reporting.Agency, error) {
	var a reporting.Agency
	var from, until *time.Time
	err := row.Scan(&a.Code, &a.ParentCode, &a.Path, &a.NameVI, &a.NameEN, &a.Kind,
		&a.OfficerEmail, &a.HeadEmail, &a.Language, &from, &until)
	a.ActiveFrom, a.ActiveUntil = optDateFromPg(from), optDateFromPg(until)
	return a, err
}

// Agency returns the agency with the code.
func (s *Store) Agency(ctx context.Context, code string) (reporting.Agency, error) {
	a, err := scanAgency(s.pool.QueryRow(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Agency{}, fmt.Errorf("agency %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return reporting.Agency{}, fmt.Errorf("agency %s: %w", code, err)
	}
	return a, nil
}

// ListAgencies lists agencies in code order.
func (s *Store) ListAgencies(ctx context.Context, f AgencyFilter) ([]reporting.Agency, error) {
	// Agency codes contain no LIKE wildcards, so the prefix match is exact.
	rows, err := s.pool.Query(ctx, `
		SELECT `+agencyColumns+` FROM agencies
		 WHERE ($1 = '' OR (CASE WHEN $2 THEN path = $1 ELSE path LIKE $1 || '%' END))
		   AND ($3 = '' OR kind = $3)
		   AND code > $4
		 ORDER BY code
		 LIMIT $5`, f.ScopePath, f.ScopeExact, f.Kind, f.After, clampLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	agencies, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Agency, error) { return scanAgency(r) })
	if err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	return agencies, nil
}

// UpsertAgencies creates and updates agencies in one transaction: all of them
// or none. Parents are written before their children whatever the order of
// the input; a parent must be in the input or in the database already. It
// returns how many agencies were created and how many changed; unchanged ones
// count in neither. Refused input is an *InputError naming the record by its
// index in agencies.
func (s *Store) UpsertAgencies(ctx context.Context, agencies []reporting.Agency, audit AuditEntry) (created, updated int, err error) {
	if err := validateAgencies(agencies); err != nil {
		return 0, 0, err
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		order, err := agencyOrder(ctx, tx, agencies)
		if err != nil {
			return err
		}
		created, updated, err = upsertAgencies(ctx, tx, agencies, order)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit.withDetails(map[string]any{"created": created, "updated": updated}))
	})
	if err != nil {
		return 0, 0, fmt.Errorf("upsert %d agencies: %w", len(agencies), err)
	}
	return created, updated, nil
}

// validateAgencies checks each agency on its own and the codes for duplicates.
func validateAgencies(agencies []reporting.Agency) error {
	var errs reporting.FieldErrors
	seen := make(map[string]int, len(agencies))
	for i, a := range agencies {
		at := fmt.Sprintf("[%d].", i)
		switch {
		case !agencyCodePattern.MatchString(a.Code):
			errs.Add(at+"code", "%q is not an agency code: use 1 to 32 capital letters, digits and '-', starting with a letter or digit", a.Code)
		default:
			if j, dup := seen[a.Code]; dup {
				errs.Add(at+"code", "%s appears twice (also at [%d]); keep one row per agency", a.Code, j)
			}
			seen[a.Code] = i
		}
		if a.ParentCode != "" && a.ParentCode == a.Code {
			errs.Add(at+"parent", "an agency cannot be its own parent")
		}
		if strings.TrimSpace(a.NameVI) == "" {
			errs.Add(at+"name_vi", "the Vietnamese name is required")
		}
		if !slices.Contains(reporting.AgencyKinds(), a.Kind) {
			errs.Add(at+"kind", "%q is not a kind of agency; use one of %s", a.Kind, strings.Join(reporting.AgencyKinds(), ", "))
		}
		if a.OfficerEmail != "" && !emailPattern.MatchString(a.OfficerEmail) {
			errs.Add(at+"officer_email", "%q is not an e-mail address", a.OfficerEmail)
		}
		if a.HeadEmail != "" && !emailPattern.MatchString(a.HeadEmail) {
			errs.Add(at+"head_email", "%q is not an e-mail address", a.HeadEmail)
		}
		if a.Language != "" && !messages.IsLang(a.Language) {
			errs.Add(at+"language", "%q is not a language rcm writes; use vi or en", a.Language)
		}
		if a.ActiveFrom != nil && a.ActiveUntil != nil && a.ActiveUntil.Before(*a.ActiveFrom) {
			errs.Add(at+"active_until", "%s is before active_from %s", a.ActiveUntil, a.ActiveFrom)
		}
	}
	return errs.Err()
}

// agencyOrder returns the indexes of agencies with every parent before its
// children, checking that parents outside the input exist and that the input
// has no cycle.
func agencyOrder(ctx context.Context, q Querier, agencies []reporting.Agency) ([]int, error) {
	index := make(map[string]int, len(agencies))
	for i, a := range agencies {
		index[a.Code] = i
	}
	var outside []string
	for _, a := range agencies {
		if _, in := index[a.ParentCode]; a.ParentCode != "" && !in {
			outside = append(outside, a.ParentCode)
		}
	}
	existing := map[string]bool{}
	if len(outside) > 0 {
		rows, err := q.Query(ctx, `SELECT code FROM agencies WHERE code = ANY($1)`, outside)
		if err != nil {
			return nil, fmt.Errorf("look up parents: %w", err)
		}
		codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("look up parents: %w", err)
		}
		for _, c := range codes {
			existing[c] = true
		}
	}

	const (
		unvisited = iota
		visiting
		done
	)
	state := make([]int, len(agencies))
	order := make([]int, 0, len(agencies))
	var errs reporting.FieldErrors
	for start := range agencies {
		// Walk up from start to the first parent already placed (or outside
		// the input), then place the chain top-down.
		var chain []int
		for i := start; state[i] == unvisited; {
			state[i] = visiting
			chain = append(chain, i)
			p, in := index[agencies[i].ParentCode]
			if !in {
				if pc := agencies[i].ParentCode; pc != "" && !existing[pc] {
					errs.Add(fmt.Sprintf("[%d].parent", i), "agency %s does not exist, neither in the database nor in this import; import the parent too", pc)
				}
				break
			}
			if state[p] == visiting {
				errs.Add(fmt.Sprintf("[%d].parent", i), "agency %s is inside the subtree of %s: the parents form a cycle", agencies[i].ParentCode, agencies[i].Code)
				break
			}
			i = p
		}
		for k := len(chain) - 1; k >= 0; k-- {
			state[chain[k]] = done
			order = append(order, chain[k])
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return order, nil
}

// upsertAgencies writes the agencies in order, pipelined in batches.
func upsertAgencies(ctx context.Context, tx pgx.Tx, agencies []reporting.Agency, order []int) (created, updated int, err error) {
	const batchSize = 500
	for start := 0; start < len(order); start += batchSize {
		chunk := order[start:min(start+batchSize, len(order))]
		batch := &pgx.Batch{}
		for _, i := range chunk {
			a := agencies[i]
			lang := a.Language
			if lang == "" {
				lang = string(messages.Vietnamese)
			}
			// The WHERE clause skips rows that would not change, so that
			// "updated" counts real changes and updated_at stays true.
			batch.Queue(`
				INSERT INTO agencies (code, parent_code, name_vi, name_en, kind, officer_email,
				                      head_email, language, active_from, active_until)
				VALUES ($1, nullif($2, ''), $3, $4, $5, nullif($6, ''), nullif($7, ''), $8, $9, $10)
				ON CONFLICT (code) DO UPDATE
				   SET parent_code = EXCLUDED.parent_code, name_vi = EXCLUDED.name_vi,
				       name_en = EXCLUDED.name_en, kind = EXCLUDED.kind,
				       officer_email = EXCLUDED.officer_email, head_email = EXCLUDED.head_email,
				       language = EXCLUDED.language, active_from = EXCLUDED.active_from,
				       active_until = EXCLUDED.active_until, updated_at = now()
				 WHERE (agencies.parent_code, agencies.name_vi, agencies.name_en, agencies.kind,
				        agencies.officer_email, agencies.head_email, agencies.language,
				        agencies.active_from, agencies.active_until)
				       IS DISTINCT FROM
				       (EXCLUDED.parent_code, EXCLUDED.name_vi, EXCLUDED.name_en, EXCLUDED.kind,
				        EXCLUDED.officer_email, EXCLUDED.head_email, EXCLUDED.language,
				        EXCLUDED.active_from, EXCLUDED.active_until)
				RETURNING xmax = 0`,
				a.Code, a.ParentCode, a.NameVI, a.NameEN, a.Kind, a.OfficerEmail, a.HeadEmail, lang,
				optDateToPg(a.ActiveFrom), optDateToPg(a.ActiveUntil))
		}
		results := tx.SendBatch(ctx, batch)
		for _, i := range chunk {
			var inserted bool
			err := results.QueryRow().Scan(&inserted)
			switch {
			case errors.Is(err, pgx.ErrNoRows): // unchanged
			case err != nil:
				results.Close()
				return 0, 0, agencyWriteError(i, agencies[i], err)
			case inserted:
				created++
			default:
				updated++
			}
		}
		if err := results.Close(); err != nil {
			return 0, 0, fmt.Errorf("write agencies: %w", err)
		}
	}
	return created, updated, nil
}

// agencyWriteError explains why the database refused agency a, the i-th of the input.
func agencyWriteError(i int, a reporting.Agency, err error) error {
	switch pgCode(err) {
	case sqlCheckViolation:
		if a.ParentCode != "" {
			return invalid(fmt.Sprintf("[%d].parent", i), "agency %s cannot move under %s, which is inside its own subtree", a.Code, a.ParentCode)
		}
		return invalid(fmt.Sprintf("[%d]", i), "agency %s is refused: %v", a.Code, err)
	case sqlForeignKeyViolation:
		return invalid(fmt.Sprintf("[%d].parent", i), "agency %s does not exist", a.ParentCode)
	}
	return fmt.Errorf("write agency %s: %w", a.Code, err)
}

// AgencyPaths returns the tree paths of the agencies with the codes; codes
// that do not exist are left out.
func (s *Store) AgencyPaths(ctx context.Context, codes []string) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT code, path FROM agencies WHERE code = ANY($1)`, codes)
	if err != nil {
		return nil, fmt.Errorf("agency paths: %w", err)
	}
	out := make(map[string]string, len(codes))
	var code, path string
	if _, err := pgx.ForEachRow(rows, []any{&code, &path}, func() error {
		out[code] = path
		return nil
	}); err != nil {
		return nil, fmt.Errorf("agency paths: %w", err)
	}
	return out, nil
}

func optDateToPg(d *reporting.Date) *time.Time {
	if d == nil || d.IsZero() {
		return nil
	}
	t := dateToPg(*d)
	return &t
}

func optDateFromPg(t *time.Time) *reporting.Date {
	if t == nil {
		return nil
	}
	d := dateFromPg(*t)
	return &d
}
