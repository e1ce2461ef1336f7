package api

import "time"

// User is a person who uses rcm (GET /api/v1/users, GET /api/v1/users/{id}).
type User struct {
	ID         int64      `json:"id"`
	Email      string     `json:"email"`
	Name       string     `json:"name,omitempty"`
	Role       string     `json:"role"`
	Agency     string     `json:"agency,omitempty"`
	ManagerID  *int64     `json:"manager_id,omitempty"`
	Language   string     `json:"language"`
	CreatedAt  time.Time  `json:"created_at"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
}

// Me is the caller (GET /api/v1/me), with the part of the tree they see.
type Me struct {
	User
	// Scope is the agency tree path the caller sees ("" = all), and
	// ScopeExact whether only that one agency.
	Scope      string `json:"scope"`
	ScopeExact bool   `json:"scope_exact,omitempty"`
}

// NewUser asks for a user (POST /api/v1/users).
type NewUser struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Agency    string `json:"agency"`
	ManagerID *int64 `json:"manager_id,omitempty"`
	Language  string `json:"language"`
	// Password, if given, lets the user sign in to the pages.
	Password string `json:"password,omitempty"`
}

// Token is an API token, without its secret (GET /api/v1/users/{id}/tokens,
// DELETE /api/v1/tokens/{id}).
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name,omitempty"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// NewToken is a token just created (POST /api/v1/users/{id}/tokens): the
// only answer that holds its secret.
type NewToken struct {
	// Secret is the token itself, "rcm_" and 43 characters.
	Secret string `json:"token"`
	Token
}

// CreateToken asks for an API token. ExpiresAt or ExpiresIn ("90d", "12h")
// set the expiry; neither means never.
type CreateToken struct {
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	ExpiresIn string     `json:"expires_in,omitempty"`
}

// SignIn opens a session for the pages (POST /api/v1/session).
type SignIn struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Session is a session just opened; its secret is the cookie.
type Session struct {
	User      User      `json:"user"`
	ExpiresAt time.Time `json:"expires_at"`
}

// SignInLock is an account or client address whose password sign-ins are
// refused for now after too many attempts (GET /api/v1/sign-in-locks).
type SignInLock struct {
	// Kind is "account" (the e-mail address typed) or "address" (the client's).
	Kind          string    `json:"kind"`
	Subject       string    `json:"subject"`
	Failures      int       `json:"failures"`
	LockedUntil   time.Time `json:"locked_until"`
	LastFailureAt time.Time `json:"last_failure_at"`
}
