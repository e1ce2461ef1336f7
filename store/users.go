package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"rcm/access"

	"rcm/messages"
	"rcm/reporting"
)

// User is a person who signs in to rcm.
type User struct {
	ID    int64
	Email string
	Name  string
	Role  access.Role
	// AgencyCode is the officer's agency or the root of the supervisor's
	// subtree; "" for staff.
	AgencyCode string
	ManagerID  *int64
	// Language is the language of the user's messages and pages: "vi" or "en".
	Language   string
	CreatedAt  time.Time
	DisabledAt *time.Time
}

// UserFilter selects users. Zero fields select everything.
type UserFilter struct {
	// ScopePath keeps users whose agency's path starts with it; "" keeps
	// everyone, staff included (staff have no agency, so any other scope
	// leaves them out).
	ScopePath string
	// ScopeExact keeps only users of the agency whose path is ScopePath.
	ScopeExact bool
	Role       access.Role
	// After is the id of the last user already seen (keyset pagination).
	After int64
	Limit int
}

// Token is a personal API token, without its secret.
type Token struct {
	ID     int64
	UserID int64
	Name   string
	// Prefix is the start of the token, enough for a person to recognise it.
	Prefix     string
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

// Errors of authentication. Each is errors.Is ErrUnauthenticated; the
// caller may tell them apart to help the person, but should not tell a
// stranger which one it was.
var (
	ErrUnauthenticated = errors.New("not authenticated")
	ErrTokenUnknown    = authError("the token is unknown")
	ErrTokenRevoked    = authError("the token was revoked")
	ErrTokenExpired    = authError("the token has expired")
	ErrUserDisabled    = authError("the user is disabled")
	ErrBadCredentials  = authError("the e-mail address or the password is wrong")
	ErrSessionExpired  = authError("the session has expired or ended")
)

type authError string

func (e authError) Error() string { return string(e) }

// Is makes every authError match ErrUnauthenticated.
func (e authError) Is(target error) bool { return target == ErrUnauthenticated }

// TokenPrefix starts every API token, so that scanners and people recognise one.
const TokenPrefix = "rcm_"

// MinPasswordLength is the shortest password CreateUser accepts.
const MinPasswordLength = 10

const userColumns = `u.id, u.email, u.name, u.role, coalesce(u.agency_code, ''), u.manager_id,
	u.language, u.created_at, u.disabled_at`

func scanUser(row pgx.Row) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.AgencyCode, &u.ManagerID,
		&u.Language, &u.CreatedAt, &u.DisabledAt)
	return u, err
}

func collectUsers(rows pgx.Rows) ([]User, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) { return scanUser(r) })
}

// CreateUser adds a person. password "" means the person cannot sign in with
// a password (API tokens only). A second user with the same e-mail address
// (in any letter case) is an ErrConflict; refused fields are a *reporting.InputError.
func (s *Store) CreateUser(ctx context.Context, u User, password string, audit AuditEntry) (User, error) {
	if err := validateUser(u, password); err != nil {
		return User{}, fmt.Errorf("create user %s: %w", u.Email, err)
	}
	var created User
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		created, err = insertUser(ctx, tx, u, password)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit.withObject(fmt.Sprintf("user/%d", created.ID)))
	})
	switch {
	case isUniqueViolation(err, "users_email_key"):
		return User{}, fmt.Errorf("user %s: %w", u.Email, ErrConflict)
	case pgCode(err) == sqlForeignKeyViolation && strings.Contains(err.Error(), "agency"):
		return User{}, fmt.Errorf("create user %s: %w", u.Email, invalid("agency", "agency %s does not exist", u.AgencyCode))
	case pgCode(err) == sqlForeignKeyViolation:
		return User{}, fmt.Errorf("create user %s: %w", u.Email, invalid("manager_id", "user %d does not exist", derefID(u.ManagerID)))
	case err != nil:
		return User{}, fmt.Errorf("create user %s: %w", u.Email, err)
	}
	return created, nil
}

// insertUser hashes the password (if any) and inserts the user.
func insertUser(ctx context.Context, q Querier, u User, password string) (User, error) {
	var hash *string
	if password != "" {
		h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
		if err != nil {
			return User{}, fmt.Errorf("hash password: %w", err)
		}
		hs := string(h)
		hash = &hs
	}
	if u.Language == "" {
		u.Language = string(messages.Vietnamese)
	}
	return scanUser(q.QueryRow(ctx, `
		INSERT INTO users AS u (email, name, role, agency_code, manager_id, language, password_hash)
		VALUES ($1, $2, $3, nullif($4, ''), $5, $6, $7)
		RETURNING `+userColumns,
		u.Email, u.Name, u.Role, u.AgencyCode, u.ManagerID, u.Language, hash))
}

func derefID(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

func validateUser(u User, password string) error {
	var errs reporting.FieldErrors
	if !emailPattern.MatchString(u.Email) {
		errs.Add("email", "%q is not an e-mail address", u.Email)
	}
	if _, err := access.ParseRole(string(u.Role)); err != nil {
		errs.Add("role", "%v", err)
	}
	switch {
	case u.Role.NeedsAgency() && u.AgencyCode == "":
		errs.Add("agency", "an %s must belong to an agency; name its code", u.Role)
	case u.Role == access.Staff && u.AgencyCode != "":
		errs.Add("agency", "office staff belong to no agency; leave it empty")
	}
	if u.Language != "" && !messages.IsLang(u.Language) {
		errs.Add("language", "%q is not a language rcm writes; use vi or en", u.Language)
	}
	if password != "" && len(password) < MinPasswordLength {
		errs.Add("password", "too short: use at least %d characters", MinPasswordLength)
	}
	if len(password) > 72 {
		errs.Add("password", "too long: use at most 72 bytes")
	}
	return errs.Err()
}

// User returns the user with the id.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns the user with the e-mail address, in any letter case.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE lower(u.email) = lower($1)`, email))
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, fmt.Errorf("user %s: %w", email, ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("user %s: %w", email, err)
	}
	return u, nil
}

// ListUsers lists users in id order.
func (s *Store) ListUsers(ctx context.Context, f UserFilter) ([]User, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT `+userColumns+`
		  FROM users u LEFT JOIN agencies a ON a.code = u.agency_code
		 WHERE ($1 = '' OR (CASE WHEN $2 THEN a.path = $1 ELSE a.path LIKE $1 || '%' END))
		   AND ($3 = '' OR u.role = $3)
		   AND u.id > $4
		 ORDER BY u.id
		 LIMIT $5`, f.ScopePath, f.ScopeExact, string(f.Role), f.After, clampLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	users, err := collectUsers(rows)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// HasStaff reports whether any office-staff user exists, disabled or not.
func (s *Store) HasStaff(ctx context.Context) (bool, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE role = 'staff')`).Scan(&exists); err != nil {
		return false, fmt.Errorf("look for staff users: %w", err)
	}
	return exists, nil
}

// BootstrapStaff creates the first office-staff user, refusing with
// ErrConflict when any staff user exists already. The check and the insert
// hold a lock on users, so two bootstraps at once cannot both succeed.
func (s *Store) BootstrapStaff(ctx context.Context, u User, password string, audit AuditEntry) (User, error) {
	u.Role, u.AgencyCode = access.Staff, ""
	if err := validateUser(u, password); err != nil {
		return User{}, fmt.Errorf("bootstrap %s: %w", u.Email, err)
	}
	var created User
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE role = 'staff')`).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return fmt.Errorf("a staff user exists already: %w", ErrConflict)
		}
		var err error
		created, err = insertUser(ctx, tx, u, password)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit.withObject(fmt.Sprintf("user/%d", created.ID)))
	})
	if err != nil {
		return User{}, fmt.Errorf("bootstrap %s: %w", u.Email, err)
	}
	return created, nil
}

// StaffUsers lists the office staff who are not disabled.
func (s *Store) StaffUsers(ctx context.Context) ([]User, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT `+userColumns+` FROM users u
		 WHERE u.role = 'staff' AND u.disabled_at IS NULL
		 ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	users, err := collectUsers(rows)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return users, nil
}

// ReviewersAt lists the active reviewers of the agency whose tree path is
// agencyPath: the people who review the reports of the level below it.
func (s *Store) ReviewersAt(ctx context.Context, agencyPath string) ([]User, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT `+userColumns+` FROM users u JOIN agencies a ON a.code = u.agency_code
		 WHERE u.role = $1 AND u.disabled_at IS NULL AND a.path = $2
		 ORDER BY u.id`, access.Reviewer, agencyPath)
	if err != nil {
		return nil, fmt.Errorf("reviewers at %s: %w", agencyPath, err)
	}
	users, err := collectUsers(rows)
	if err != nil {
		return nil, fmt.Errorf("reviewers at %s: %w", agencyPath, err)
	}
	return users, nil
}

// SupervisorsAbove returns the active supervisors of the nearest agency, at
// agencyPath or above it, that has any: the people an escalation about the
// agency at agencyPath goes to. None is an empty list, not an error.
func (s *Store) SupervisorsAbove(ctx context.Context, agencyPath string) ([]User, error) {
	rows, err := s.pool.Query(ctx, `
		WITH candidates AS (
			SELECT u.*, a.path AS agency_path
			  FROM users u JOIN agencies a ON a.code = u.agency_code
			 WHERE u.role = 'supervisor' AND u.disabled_at IS NULL
			   AND starts_with($1, a.path)
		)
		SELECT `+userColumns+` FROM candidates u
		 WHERE length(u.agency_path) = (SELECT max(length(agency_path)) FROM candidates)
		 ORDER BY u.id`, agencyPath)
	if err != nil {
		return nil, fmt.Errorf("supervisors above %s: %w", agencyPath, err)
	}
	users, err := collectUsers(rows)
	if err != nil {
		return nil, fmt.Errorf("supervisors above %s: %w", agencyPath, err)
	}
	return users, nil
}

// principalColumns select what a Principal needs from users u and agencies a.
const principalColumns = `u.id, u.email, u.role, coalesce(u.agency_code, ''), coalesce(a.path, ''), u.language, u.disabled_at`

func scanPrincipal(row pgx.Row, extra ...any) (access.Principal, *time.Time, error) {
	var p access.Principal
	var disabled *time.Time
	dest := append([]any{&p.UserID, &p.Email, &p.Role, &p.AgencyCode, &p.AgencyPath, &p.Language, &disabled}, extra...)
	err := row.Scan(dest...)
	return p, disabled, err
}

// PrincipalFor returns the principal of a user, for work done on their
// behalf outside a request (the CLI's direct commands, tests).
func (s *Store) PrincipalFor(ctx context.Context, userID int64) (access.Principal, error) {
	p, disabled, err := scanPrincipal(s.pool.QueryRow(ctx, `
		SELECT `+principalColumns+`
		  FROM users u LEFT JOIN agencies a ON a.code = u.agency_code
		 WHERE u.id = $1`, userID))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return access.Principal{}, fmt.Errorf("user %d: %w", userID, ErrNotFound)
	case err != nil:
		return access.Principal{}, fmt.Errorf("user %d: %w", userID, err)
	case disabled != nil:
		return access.Principal{}, fmt.Errorf("user %d: %w", userID, ErrUserDisabled)
	}
	return p, nil
}

// AuthenticatePassword checks an e-mail address and password. A wrong
// address and a wrong password are the same ErrBadCredentials, and take the
// same time.
func (s *Store) AuthenticatePassword(ctx context.Context, email, password string) (User, error) {
	var hash *string
	u, err := scanUserWithHash(s.pool.QueryRow(ctx, `
		SELECT `+userColumns+`, u.password_hash FROM users u WHERE lower(u.email) = lower($1)`, email), &hash)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return User{}, fmt.Errorf("sign in %s: %w", email, err)
	}
	if hash == nil {
		// Spend the time of a real comparison so that timing does not tell
		// which addresses exist.
		_ = bcrypt.CompareHashAndPassword([]byte(decoyHash), []byte(password))
		return User{}, ErrBadCredentials
	}
	if bcrypt.CompareHashAndPassword([]byte(*hash), []byte(password)) != nil {
		return User{}, ErrBadCredentials
	}
	if u.DisabledAt != nil {
		return User{}, ErrUserDisabled
	}
	return u, nil
}

// decoyHash is a bcrypt hash of no one's password, compared against when the
// address is unknown.
const decoyHash = "$2a$10$8CF.IKT33SlxfMR2wLs0uu3Eq2XysatttLn96mdCB82TqhI2U6viy"

func scanUserWithHash(row pgx.Row, hash **string) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.AgencyCode, &u.ManagerID,
		&u.Language, &u.CreatedAt, &u.DisabledAt, hash)
	return u, err
}

// newSecret returns 32 random bytes in base64url (43 characters).
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

const tokenColumns = `id, user_id, name, prefix, created_at, expires_at, revoked_at, last_used_at`

func scanToken(row pgx.Row) (Token, error) {
	var t Token
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt, &t.LastUsedAt)
	return t, err
}

// CreateToken issues a personal API token for the user. The token itself
// ("rcm_" and 43 characters) is returned only here; the database keeps its
// SHA-256. expiresAt nil means the token does not expire.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string, expiresAt *time.Time, audit AuditEntry) (string, Token, error) {
	secret, err := newSecret()
	if err != nil {
		return "", Token{}, fmt.Errorf("create token for user %d: %w", userID, err)
	}
	token := TokenPrefix + secret
	var t Token
	err = s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		t, err = scanToken(tx.QueryRow(ctx, `
			INSERT INTO api_tokens (user_id, name, token_hash, prefix, expires_at)
			VALUES ($1, $2, $3, $4, $5)
			RETURNING `+tokenColumns, userID, name, hashSecret(token), token[:len(TokenPrefix)+6], expiresAt))
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit.withObject(fmt.Sprintf("token/%d", t.ID)))
	})
	if pgCode(err) == sqlForeignKeyViolation {
		return "", Token{}, fmt.Errorf("create token: user %d: %w", userID, ErrNotFound)
	}
	if err != nil {
		return "", Token{}, fmt.Errorf("create token for user %d: %w", userID, err)
	}
	return token, t, nil
}

// Token returns the API token with the id (without its secret).
func (s *Store) Token(ctx context.Context, id int64) (Token, error) {
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, fmt.Errorf("token %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Token{}, fmt.Errorf("token %d: %w", id, err)
	}
	return t, nil
}

// ListTokens lists a user's API tokens, newest first, revoked ones included.
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("tokens of user %d: %w", userID, err)
	}
	tokens, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Token, error) { return scanToken(r) })
	if err != nil {
		return nil, fmt.Errorf("tokens of user %d: %w", userID, err)
	}
	return tokens, nil
}

// RevokeToken revokes an API token from now on. Revoking a revoked token
// changes nothing and is not an error.
func (s *Store) RevokeToken(ctx context.Context, id int64, audit AuditEntry) (Token, error) {
	var t Token
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		t, err = scanToken(tx.QueryRow(ctx, `
			UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())
			 WHERE id = $1
			RETURNING `+tokenColumns, id))
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, fmt.Errorf("token %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Token{}, fmt.Errorf("revoke token %d: %w", id, err)
	}
	return t, nil
}

// PrincipalForToken authenticates an API token. An unknown, revoked or
// expired token, or one of a disabled user, is the matching Err… error
// (each errors.Is ErrUnauthenticated). The token's last use is recorded at
// most once a minute, so that busy clients do not write on every request.
func (s *Store) PrincipalForToken(ctx context.Context, token string) (access.Principal, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return access.Principal{}, ErrTokenUnknown
	}
	var (
		id               int64
		expires, revoked *time.Time
		stale            bool
	)
	p, disabled, err := scanPrincipal(s.pool.QueryRow(ctx, `
		SELECT `+principalColumns+`, t.id, t.expires_at, t.revoked_at,
		       t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute'
		  FROM api_tokens t
		  JOIN users u ON u.id = t.user_id
		  LEFT JOIN agencies a ON a.code = u.agency_code
		 WHERE t.token_hash = $1`, hashSecret(token)), &id, &expires, &revoked, &stale)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return access.Principal{}, ErrTokenUnknown
	case err != nil:
		return access.Principal{}, fmt.Errorf("authenticate token: %w", err)
	case revoked != nil:
		return access.Principal{}, ErrTokenRevoked
	case expires != nil && !expires.After(time.Now()):
		return access.Principal{}, ErrTokenExpired
	case disabled != nil:
		return access.Principal{}, ErrUserDisabled
	}
	if stale {
		if _, err := s.pool.Exec(ctx, `UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, id); err != nil {
			return access.Principal{}, fmt.Errorf("authenticate token %d: record use: %w", id, err)
		}
	}
	return p, nil
}

// CreateSession opens a web session for the user, valid for ttl, and returns
// the secret for the session cookie; the database keeps its SHA-256.
// Sessions that ended more than a day ago are swept on the way.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration, audit AuditEntry) (string, time.Time, error) {
	secret, err := newSecret()
	if err != nil {
		return "", time.Time{}, fmt.Errorf("create session for user %d: %w", userID, err)
	}
	var expires time.Time
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at < now() - interval '1 day'`); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO sessions (token_hash, user_id, expires_at, remote_addr)
			VALUES ($1, $2, now() + $3::interval, $4)
			RETURNING expires_at`, hashSecret(secret), userID, durationToInterval(ttl), audit.RemoteAddr).Scan(&expires); err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit)
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("create session for user %d: %w", userID, err)
	}
	return secret, expires, nil
}

// PrincipalForSession authenticates a session cookie's secret.
func (s *Store) PrincipalForSession(ctx context.Context, secret string) (access.Principal, error) {
	var expires time.Time
	p, disabled, err := scanPrincipal(s.pool.QueryRow(ctx, `
		SELECT `+principalColumns+`, s.expires_at
		  FROM sessions s
		  JOIN users u ON u.id = s.user_id
		  LEFT JOIN agencies a ON a.code = u.agency_code
		 WHERE s.token_hash = $1`, hashSecret(secret)), &expires)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return access.Principal{}, ErrSessionExpired
	case err != nil:
		return access.Principal{}, fmt.Errorf("authenticate session: %w", err)
	case !expires.After(time.Now()):
		return access.Principal{}, ErrSessionExpired
	case disabled != nil:
		return access.Principal{}, ErrUserDisabled
	}
	return p, nil
}

// DeleteSession ends a web session. Ending one that does not exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, secret string, audit AuditEntry) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashSecret(secret)); err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}
