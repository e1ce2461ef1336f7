// Package demo fills a database with demo data from the reference data in
// data/: Vietnam's agency tree after the 2025 merger (a national root, six
// socio-economic regions, 34 provinces and centrally-run cities, the
// ministries), mail addresses on a mail-catcher domain, a monthly
// socio-economic template and regime, users of every role and API tokens, so
// that a cycle can be launched at once. Seeding is idempotent: a second run
// changes nothing but the API tokens, which are shown once and so are issued
// afresh (the previous demo tokens are revoked).
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"rcm/access"
	"rcm/agencyfile"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

//go:embed data/vn-agencies-2025.csv
var agenciesCSV []byte

// Defaults of Options.
const (
	// Domain is the mail domain of demo addresses; Mailpit takes any.
	Domain = "rcm.test"
)

// TokenName names the API tokens the demo issues; a new seed revokes the
// demo tokens of earlier ones.
const TokenName = "demo"

// Options adjusts the demo data; the zero value is the usual demo.
type Options struct {
	// Domain is the mail domain of every demo address (default Domain).
	Domain string
	// CredentialsFile is where the API tokens and the users' passwords are
	// written (mode 0600, replaced whole); "" writes no file. The passwords
	// of an earlier file are kept.
	CredentialsFile string
}

func (o Options) withDefaults() Options {
	if o.Domain == "" {
		o.Domain = Domain
	}
	return o
}

// OfficerEmail is the reporting officer's address of an agency:
// vanphong.hni@rcm.test. It is also the demo officer's sign-in.
func (o Options) OfficerEmail(agencyCode string) string {
	return "vanphong." + strings.ToLower(agencyCode) + "@" + o.withDefaults().Domain
}

// HeadEmail is the address of an agency's head: lanhdao.hni@rcm.test.
func (o Options) HeadEmail(agencyCode string) string {
	return "lanhdao." + strings.ToLower(agencyCode) + "@" + o.withDefaults().Domain
}

// ReviewerEmail is the sign-in of a province's reviewer, who reviews its
// departments' reports under the two-tier regime: thamdinh.hni@rcm.test.
func (o Options) ReviewerEmail(agencyCode string) string {
	return "thamdinh." + strings.ToLower(agencyCode) + "@" + o.withDefaults().Domain
}

// SupervisorEmail is the sign-in of the supervisor of a region or of the
// whole country: giamsat.r-dbsh@rcm.test, giamsat.vn@rcm.test.
func (o Options) SupervisorEmail(agencyCode string) string {
	return "giamsat." + strings.ToLower(agencyCode) + "@" + o.withDefaults().Domain
}

// StaffEmail is the sign-in of the demo's office-staff user.
func (o Options) StaffEmail() string {
	return "chuyenvien.vpcp@" + o.withDefaults().Domain
}

// Credentials are the demo's sign-ins: each demo user's own password and
// the API tokens issued by this seed.
type Credentials struct {
	// Passwords are the demo users' passwords by e-mail address, each drawn
	// at random when the user was created (or when no earlier file knew it).
	Passwords map[string]string
	// Tokens are the API tokens issued now, office staff first.
	Tokens []Token
	// File is where the tokens were written ("" if nowhere).
	File string
	// Seeded says what the seed found and changed.
	Seeded Summary
}

// Token is an API token of one demo user.
type Token struct {
	Role       access.Role
	AgencyCode string // "" for office staff
	Email      string
	Token      string
}

// Summary counts the demo data and what one seed changed.
type Summary struct {
	Agencies, AgenciesCreated, AgenciesUpdated int
	Users, UsersCreated                        int
	TemplateCreated, RegimeCreated             bool
	// Assigned is how many agencies report under the demo regime.
	Assigned int
	// TieredRegimeCreated: the two-tier regime was created by this seed.
	TieredRegimeCreated bool
	// CalendarsCreated is how many holiday calendars (2026, 2027) were stored.
	CalendarsCreated int
}

// Changed reports whether the seed changed anything besides the tokens.
func (s Summary) Changed() bool {
	return s.AgenciesCreated+s.AgenciesUpdated+s.UsersCreated+s.CalendarsCreated > 0 || s.TemplateCreated || s.RegimeCreated ||
		s.TieredRegimeCreated
}

// String says what is there, and what is new: "58 agencies (58 new), 42
// users (42 new), template SEI (new), regime SEI_MONTHLY for 34 agencies
// (new)".
func (s Summary) String() string {
	mark := func(created bool) string {
		if created {
			return " (new)"
		}
		return ""
	}
	agencies := fmt.Sprintf("%d agencies", s.Agencies)
	switch {
	case s.AgenciesCreated > 0 && s.AgenciesUpdated > 0:
		agencies += fmt.Sprintf(" (%d new, %d updated)", s.AgenciesCreated, s.AgenciesUpdated)
	case s.AgenciesCreated > 0:
		agencies += fmt.Sprintf(" (%d new)", s.AgenciesCreated)
	case s.AgenciesUpdated > 0:
		agencies += fmt.Sprintf(" (%d updated)", s.AgenciesUpdated)
	}
	users := fmt.Sprintf("%d users", s.Users)
	if s.UsersCreated > 0 {
		users += fmt.Sprintf(" (%d new)", s.UsersCreated)
	}
	return fmt.Sprintf("%s, %s, template %s%s, regime %s for %d agencies%s, two-tier regime %s%s",
		agencies, users, TemplateCode, mark(s.TemplateCreated), RegimeCode, s.Assigned, mark(s.RegimeCreated),
		TieredRegimeCode, mark(s.TieredRegimeCreated))
}

// Agencies returns the demo agency tree, parents first, each agency with its
// officer's and head's address on the demo domain.
func (o Options) Agencies() ([]reporting.Agency, error) {
	agencies, err := agencyfile.Read(bytes.NewReader(agenciesCSV), RootCode)
	if err != nil {
		return nil, fmt.Errorf("demo agencies: %w", err)
	}
	for _, a := range slices.Clone(agencies) {
		if tiered(a.Code) {
			agencies = append(agencies, DepartmentsOf(a)...)
		}
	}
	namesEN := regionNamesEN()
	for i := range agencies {
		if agencies[i].Kind == "region" && agencies[i].NameEN == "" {
			agencies[i].NameEN = namesEN[agencies[i].NameVI]
		}
		agencies[i].OfficerEmail = o.OfficerEmail(agencies[i].Code)
		agencies[i].HeadEmail = o.HeadEmail(agencies[i].Code)
		if agencies[i].Language == "" {
			agencies[i].Language = "vi"
		}
	}
	return agencies, nil
}

// Seed fills the database with the demo data, through the operations as
// operations.DemoCaller, creating what is missing and leaving
// what exists: agencies are brought back to the demo's values, while users,
// the template and the regime are created only when absent. It then issues
// fresh API tokens for the office-staff user, the officers of Hà Nội and Hồ
// Chí Minh City and the supervisor of the Red River Delta, revokes the demo
// tokens of earlier seeds, and writes the new ones to opts.CredentialsFile.
// The database must be migrated.
func Seed(ctx context.Context, ops *operations.Engine, opts Options) (Credentials, error) {
	o := opts.withDefaults()
	var sum Summary
	agencies, err := o.Agencies()
	if err != nil {
		return Credentials{}, err
	}
	sum.Agencies = len(agencies)
	if sum.AgenciesCreated, sum.AgenciesUpdated, err = upsertChanged(ctx, ops, agencies); err != nil {
		return Credentials{}, err
	}

	users := o.users(agencies)
	sum.Users = len(users)
	passwords, err := readPasswords(o.CredentialsFile)
	if err != nil {
		return Credentials{}, err
	}
	ids, created, err := ensureUsers(ctx, ops, users, passwords, o.CredentialsFile != "")
	if err != nil {
		return Credentials{}, err
	}
	sum.UsersCreated = created

	if sum.CalendarsCreated, err = ensureCalendars(ctx, ops); err != nil {
		return Credentials{}, err
	}
	if sum.TemplateCreated, err = ensureTemplate(ctx, ops); err != nil {
		return Credentials{}, err
	}
	var assigned []string
	for _, a := range agencies {
		if reports(a.Kind) {
			assigned = append(assigned, a.Code)
		}
	}
	if sum.RegimeCreated, sum.Assigned, err = ensureRegime(ctx, ops, assigned, ids[o.StaffEmail()]); err != nil {
		return Credentials{}, err
	}
	var tieredAssigned []string
	for _, a := range agencies {
		if tiered(a.Code) || a.Kind == "department" && tiered(a.ParentCode) {
			tieredAssigned = append(tieredAssigned, a.Code)
		}
	}
	if sum.TieredRegimeCreated, err = ensureTieredRegime(ctx, ops, tieredAssigned, ids[o.StaffEmail()]); err != nil {
		return Credentials{}, err
	}

	creds := Credentials{Passwords: passwords, Seeded: sum}
	for _, u := range o.tokenHolders() {
		tok, err := reissueToken(ctx, ops, ids[u.Email], u.Email)
		if err != nil {
			return Credentials{}, err
		}
		creds.Tokens = append(creds.Tokens, Token{Role: u.Role, AgencyCode: u.AgencyCode, Email: u.Email, Token: tok})
	}
	if o.CredentialsFile != "" {
		if err := writeCredentials(o.CredentialsFile, o, creds, time.Now()); err != nil {
			return Credentials{}, err
		}
		creds.File = o.CredentialsFile
	}
	return creds, nil
}

// upsertChanged writes the agencies that are missing or differ from the
// database, so that a seed of an unchanged tree writes nothing (not even an
// audit entry).
func upsertChanged(ctx context.Context, ops *operations.Engine, agencies []reporting.Agency) (created, updated int, err error) {
	var changed []reporting.Agency
	for _, a := range agencies {
		have, err := ops.Agency(ctx, operations.DemoCaller(), a.Code)
		switch {
		case errors.Is(err, store.ErrNotFound):
			changed = append(changed, a)
		case err != nil:
			return 0, 0, fmt.Errorf("demo agencies: %w", err)
		case !sameAgency(have, a):
			changed = append(changed, a)
		}
	}
	if len(changed) == 0 {
		return 0, 0, nil
	}
	created, updated, err = ops.ImportAgencies(ctx, operations.DemoCaller(), changed)
	if err != nil {
		return 0, 0, fmt.Errorf("demo agencies: %w", err)
	}
	return created, updated, nil
}

// sameAgency compares the fields the demo sets.
func sameAgency(have, want reporting.Agency) bool {
	return have.ParentCode == want.ParentCode && have.NameVI == want.NameVI && have.NameEN == want.NameEN &&
		have.Kind == want.Kind && have.OfficerEmail == want.OfficerEmail && have.HeadEmail == want.HeadEmail &&
		have.Language == want.Language && have.ActiveFrom == nil && have.ActiveUntil == nil
}

// users are the demo's people: office staff, an officer per province and
// city, a supervisor per region and one for the whole country.
func (o Options) users(agencies []reporting.Agency) []store.User {
	users := []store.User{{Email: o.StaffEmail(), Name: "Chuyên viên Văn phòng Chính phủ", Role: access.Staff}}
	for _, a := range agencies {
		switch {
		case reports(a.Kind):
			users = append(users, store.User{Email: o.OfficerEmail(a.Code), Name: "Cán bộ báo cáo, " + a.NameVI,
				Role: access.Officer, AgencyCode: a.Code})
			if tiered(a.Code) {
				users = append(users, store.User{Email: o.ReviewerEmail(a.Code), Name: "Cán bộ thẩm định, " + a.NameVI,
					Role: access.Reviewer, AgencyCode: a.Code})
			}
		case a.Kind == "department":
			users = append(users, store.User{Email: o.OfficerEmail(a.Code), Name: "Cán bộ báo cáo, " + a.NameVI,
				Role: access.Officer, AgencyCode: a.Code})
		case a.Kind == "region":
			users = append(users, store.User{Email: o.SupervisorEmail(a.Code), Name: "Giám sát vùng " + a.NameVI,
				Role: access.Supervisor, AgencyCode: a.Code})
		case a.Kind == "national":
			users = append(users, store.User{Email: o.SupervisorEmail(a.Code), Name: "Giám sát toàn quốc",
				Role: access.Supervisor, AgencyCode: a.Code})
		}
	}
	return users
}

// tokenHolders are the users who get an API token, office staff first.
func (o Options) tokenHolders() []store.User {
	return []store.User{
		{Email: o.StaffEmail(), Role: access.Staff},
		{Email: o.OfficerEmail("HNI"), Role: access.Officer, AgencyCode: "HNI"},
		{Email: o.OfficerEmail("HCM"), Role: access.Officer, AgencyCode: "HCM"},
		{Email: o.SupervisorEmail("R-DBSH"), Role: access.Supervisor, AgencyCode: "R-DBSH"},
	}
}

// ensureUsers creates the users that do not exist yet, each with a password
// of its own drawn at random; with reset, it gives an existing user whose
// password passwords does not know a new one. It fills passwords in with
// every password it knows and returns every user's id by e-mail address.
// Password hashing is slow on purpose, so a few users are handled at once.
func ensureUsers(ctx context.Context, ops *operations.Engine, users []store.User, passwords map[string]string, reset bool) (map[string]int64, int, error) {
	fresh := make([]string, len(users))
	for i, u := range users {
		if fresh[i] = passwords[u.Email]; fresh[i] == "" {
			p, err := newPassword()
			if err != nil {
				return nil, 0, err
			}
			fresh[i] = p
		}
	}
	ids := make([]int64, len(users))
	made := make([]bool, len(users))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, u := range users {
		g.Go(func() error {
			have, err := ops.UserByEmail(gctx, operations.DemoCaller(), u.Email)
			if err == nil {
				ids[i] = have.ID
				if passwords[u.Email] != "" || !reset {
					fresh[i] = passwords[u.Email]
					return nil
				}
				return ops.SetPassword(gctx, operations.DemoCaller(), have.ID, fresh[i])
			}
			if !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("demo user %s: %w", u.Email, err)
			}
			created, err := ops.CreateUser(gctx, operations.DemoCaller(), u, fresh[i])
			if errors.Is(err, store.ErrConflict) { // created meanwhile by another seed
				have, err = ops.UserByEmail(gctx, operations.DemoCaller(), u.Email)
				if err != nil {
					return fmt.Errorf("demo user %s: %w", u.Email, err)
				}
				ids[i] = have.ID
				return ops.SetPassword(gctx, operations.DemoCaller(), have.ID, fresh[i])
			}
			if err != nil {
				return fmt.Errorf("demo user: %w", err)
			}
			ids[i], made[i] = created.ID, true
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, 0, err
	}
	byEmail := make(map[string]int64, len(users))
	for i, u := range users {
		byEmail[u.Email] = ids[i]
		if fresh[i] != "" {
			passwords[u.Email] = fresh[i]
		}
	}
	count := 0
	for _, m := range made {
		if m {
			count++
		}
	}
	return byEmail, count, nil
}

// ensureTemplate creates the demo template unless a template of its code
// exists (templates never change in place).
func ensureTemplate(ctx context.Context, ops *operations.Engine) (created bool, err error) {
	_, err = ops.Template(ctx, operations.DemoCaller(), TemplateCode)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("demo template: %w", err)
	}
	err = ops.CreateTemplate(ctx, operations.DemoCaller(), Template())
	if errors.Is(err, store.ErrConflict) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("demo template: %w", err)
	}
	return true, nil
}

// ensureRegime creates the demo regime unless it exists, and returns how
// many agencies report under it.
func ensureRegime(ctx context.Context, ops *operations.Engine, assigned []string, reviewerID int64) (created bool, n int, err error) {
	have, err := ops.Regime(ctx, operations.DemoCaller(), RegimeCode)
	if err == nil {
		return false, len(have.Assignments), nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return false, 0, fmt.Errorf("demo regime: %w", err)
	}
	r, err := regime(assigned, reviewerID)
	if err != nil {
		return false, 0, fmt.Errorf("demo regime: %w", err)
	}
	_, err = ops.CreateRegime(ctx, operations.DemoCaller(), r)
	if errors.Is(err, store.ErrConflict) {
		return false, len(assigned), nil
	}
	if err != nil {
		return false, 0, fmt.Errorf("demo regime: %w", err)
	}
	return true, len(assigned), nil
}

// ensureTieredRegime creates the demo's two-tier regime unless it exists.
func ensureTieredRegime(ctx context.Context, ops *operations.Engine, assigned []string, reviewerID int64) (created bool, err error) {
	_, err = ops.Regime(ctx, operations.DemoCaller(), TieredRegimeCode)
	if err == nil {
		return false, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("demo two-tier regime: %w", err)
	}
	_, err = ops.CreateRegime(ctx, operations.DemoCaller(), tieredRegime(assigned, reviewerID))
	if errors.Is(err, store.ErrConflict) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("demo two-tier regime: %w", err)
	}
	return true, nil
}

// reissueToken revokes the user's earlier demo tokens and issues a new one.
func reissueToken(ctx context.Context, ops *operations.Engine, userID int64, email string) (string, error) {
	tokens, err := ops.ListTokens(ctx, operations.DemoCaller(), userID)
	if err != nil {
		return "", fmt.Errorf("demo token of %s: %w", email, err)
	}
	for _, t := range tokens {
		if t.Name == TokenName && t.RevokedAt == nil {
			if _, err := ops.RevokeToken(ctx, operations.DemoCaller(), t.ID); err != nil {
				return "", fmt.Errorf("demo token of %s: %w", email, err)
			}
		}
	}
	token, _, err := ops.CreateToken(ctx, operations.DemoCaller(), userID, TokenName, nil)
	if err != nil {
		return "", fmt.Errorf("demo token of %s: %w", email, err)
	}
	return token, nil
}

// Token returns the token issued to the first holder of the role (and of the
// agency, unless agencyCode is ""), and false if none was.
func (c Credentials) Token(role access.Role, agencyCode string) (Token, bool) {
	i := slices.IndexFunc(c.Tokens, func(t Token) bool {
		return t.Role == role && (agencyCode == "" || t.AgencyCode == agencyCode)
	})
	if i < 0 {
		return Token{}, false
	}
	return c.Tokens[i], true
}
