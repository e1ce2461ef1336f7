package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// assignedDuring is the rule of who reports in a cycle: the assignment
// (alias ra) and the agency (alias a) are both active during the window of
// w, a row with window_start and window_end. Opening a cycle and planning
// one both use it.
func assignedDuring(w string) string {
	return `(ra.active_from IS NULL OR ra.active_from <= ` + w + `.window_end)
	   AND (ra.active_until IS NULL OR ra.active_until >= ` + w + `.window_start)
	   AND (a.active_from IS NULL OR a.active_from <= ` + w + `.window_end)
	   AND (a.active_until IS NULL OR a.active_until >= ` + w + `.window_start)`
}

// Audience is who a cycle of a regime for a window would write to, counted
// before it is launched: the agencies it would open obligations for, those
// of them without an officer's or a head's address, the supervisors whose
// part of the tree holds one of them, and office staff.
type Audience struct {
	// Agencies are those assigned to the regime and active in the window.
	Agencies int
	// NoOfficer and NoHead list the agencies without that address, by code.
	NoOfficer, NoHead []reporting.Agency
	// Supervisors are the active supervisors above (or at) one of the agencies.
	Supervisors int
	// Unsupervised counts the agencies no active supervisor sees.
	Unsupervised int
	// Staff counts the active office staff.
	Staff int
}

// PlanAudience counts the audience of a cycle of the regime for the
// window start..end, by the rule that opens its obligations.
func (s *Store) PlanAudience(ctx context.Context, regimeCode string, start, end reporting.Date) (Audience, error) {
	var out Audience
	err := s.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT a.code, a.name_vi, a.name_en, coalesce(a.officer_email, '') = '', coalesce(a.head_email, '') = '',
			       NOT EXISTS (SELECT 1 FROM users u JOIN agencies s ON s.code = u.agency_code
			                    WHERE u.role = 'supervisor' AND u.disabled_at IS NULL AND a.path LIKE s.path || '%')
			  FROM (SELECT $2::date AS window_start, $3::date AS window_end) w
			  JOIN regime_assignments ra ON ra.regime_code = $1
			  JOIN agencies a ON a.code = ra.agency_code
			 WHERE `+assignedDuring("w")+`
			 ORDER BY a.code`, regimeCode, dateToPg(start), dateToPg(end))
		if err != nil {
			return err
		}
		var a reporting.Agency
		var noOfficer, noHead, unsupervised bool
		if _, err := pgx.ForEachRow(rows, []any{&a.Code, &a.NameVI, &a.NameEN, &noOfficer, &noHead, &unsupervised}, func() error {
			out.Agencies++
			if noOfficer {
				out.NoOfficer = append(out.NoOfficer, a)
			}
			if noHead {
				out.NoHead = append(out.NoHead, a)
			}
			if unsupervised {
				out.Unsupervised++
			}
			return nil
		}); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM users u JOIN agencies s ON s.code = u.agency_code
			         WHERE u.role = 'supervisor' AND u.disabled_at IS NULL
			           AND EXISTS (SELECT 1 FROM (SELECT $2::date AS window_start, $3::date AS window_end) w
			                         JOIN regime_assignments ra ON ra.regime_code = $1
			                         JOIN agencies a ON a.code = ra.agency_code
			                        WHERE `+assignedDuring("w")+` AND a.path LIKE s.path || '%')),
			       (SELECT count(*) FROM users WHERE role = 'staff' AND disabled_at IS NULL)`,
			regimeCode, dateToPg(start), dateToPg(end)).Scan(&out.Supervisors, &out.Staff)
	})
	if err != nil {
		return Audience{}, fmt.Errorf("plan audience of regime %s: %w", regimeCode, err)
	}
	return out, nil
}
