package operations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"rcm/access"
	"rcm/store"
)

// CreateUser adds a person; password "" means API tokens only. A user of
// the same e-mail address is an ErrConflict.
func (e *Engine) CreateUser(ctx context.Context, c Caller, u store.User, password string) (store.User, error) {
	if err := e.Authorize(c, OpCreateUser); err != nil {
		return store.User{}, err
	}
	entry := c.audit(OpCreateUser, "", map[string]any{"email": u.Email, "role": string(u.Role), "agency": u.AgencyCode,
		"password": password != ""})
	return e.store.CreateUser(ctx, u, password, entry)
}

// SetPassword replaces a user's password (office staff; the demo seed).
func (e *Engine) SetPassword(ctx context.Context, c Caller, userID int64, password string) error {
	if err := e.Authorize(c, OpSetPassword); err != nil {
		return err
	}
	return e.store.SetPassword(ctx, userID, password, c.audit(OpSetPassword, "", nil))
}

// BootstrapStaff creates the first office-staff user and issues them an API
// token (named "bootstrap"), which only this answer holds; with a staff
// user in the database already it is an ErrConflict. The caller is
// BootstrapCaller; the token is issued by the new user.
func (e *Engine) BootstrapStaff(ctx context.Context, c Caller, u store.User, password string, tokenExpires *time.Time) (store.User, string, store.Token, error) {
	if err := e.Authorize(c, OpBootstrapStaff); err != nil {
		return store.User{}, "", store.Token{}, err
	}
	created, err := e.store.BootstrapStaff(ctx, u, password, c.audit(OpBootstrapStaff, "", map[string]any{"email": u.Email}))
	if err != nil {
		return store.User{}, "", store.Token{}, err
	}
	self := Caller{Principal: access.Principal{UserID: created.ID, Email: created.Email, Role: created.Role}, RemoteAddr: c.RemoteAddr}
	secret, tok, err := e.CreateToken(ctx, self, created.ID, "bootstrap", tokenExpires)
	return created, secret, tok, err
}

// User returns a user the caller may reach: anyone for office staff, the
// users of their subtree for supervisors, themselves for everyone.
func (e *Engine) User(ctx context.Context, c Caller, id int64) (store.User, error) {
	if err := e.Authorize(c, OpReadUser); err != nil {
		return store.User{}, err
	}
	return e.reachableUser(ctx, c, id, false)
}

// UserByEmail is User by e-mail address (in any letter case).
func (e *Engine) UserByEmail(ctx context.Context, c Caller, email string) (store.User, error) {
	if err := e.Authorize(c, OpReadUser); err != nil {
		return store.User{}, err
	}
	u, err := e.store.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, notFound("user", email)
	}
	if err != nil {
		return store.User{}, err
	}
	if _, err := e.reachableUser(ctx, c, u.ID, false); err != nil {
		return store.User{}, notFound("user", email)
	}
	return u, nil
}

// reachableUser returns the user if the caller may reach them: office staff
// anyone, everyone themselves and, unless selfOnly, a supervisor or
// reviewer the users of their subtree. Anyone else is not found.
func (e *Engine) reachableUser(ctx context.Context, c Caller, id int64, selfOnly bool) (store.User, error) {
	u, err := e.store.User(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, notFoundID("user", id)
	}
	if err != nil {
		return store.User{}, err
	}
	switch {
	case id == c.UserID, c.IsStaff():
		return u, nil
	case selfOnly || !c.HasRole(access.Supervisor, access.Reviewer) || u.AgencyCode == "":
		return store.User{}, notFoundID("user", id)
	}
	paths, err := e.store.AgencyPaths(ctx, []string{u.AgencyCode})
	if err != nil {
		return store.User{}, err
	}
	if !c.CanSeeAgency(paths[u.AgencyCode]) {
		return store.User{}, notFoundID("user", id)
	}
	return u, nil
}

// ListUsers lists the users the caller sees: everyone for office staff, the
// users of their subtree for supervisors; the filter's scope is the caller's.
func (e *Engine) ListUsers(ctx context.Context, c Caller, f store.UserFilter) ([]store.User, error) {
	if err := e.Authorize(c, OpListUsers); err != nil {
		return nil, err
	}
	scope := c.Scope()
	f.ScopePath, f.ScopeExact = scope.Path, scope.Exact
	return e.store.ListUsers(ctx, f)
}

// CreateToken issues an API token for a user: every person for themselves
// only — nobody, office staff included, can act as someone else, so every
// action is recorded as its author's own. rcm's own named callers (the
// demo seed, bootstrap, schedules), which are no person, issue tokens for
// the users they create. The secret is in this answer only.
func (e *Engine) CreateToken(ctx context.Context, c Caller, userID int64, name string, expires *time.Time) (string, store.Token, error) {
	if err := e.Authorize(c, OpCreateToken); err != nil {
		return "", store.Token{}, err
	}
	if c.UserID != 0 && userID != c.UserID {
		return "", store.Token{}, &ForbiddenError{Op: OpCreateToken, Need: nil, Given: c.Role, Reason: "a token is issued to its own holder only: nobody may act as another user"}
	}
	if _, err := e.reachableUser(ctx, c, userID, true); err != nil {
		return "", store.Token{}, err
	}
	details := map[string]any{"user_id": userID, "name": name}
	if expires != nil {
		details["expires_at"] = expires.UTC().Format(time.RFC3339)
	}
	return e.store.CreateToken(ctx, userID, name, expires, c.audit(OpCreateToken, "", details))
}

// ListTokens lists a user's tokens, newest first, for staff or the user.
func (e *Engine) ListTokens(ctx context.Context, c Caller, userID int64) ([]store.Token, error) {
	if err := e.Authorize(c, OpListTokens); err != nil {
		return nil, err
	}
	if _, err := e.reachableUser(ctx, c, userID, true); err != nil {
		return nil, err
	}
	return e.store.ListTokens(ctx, userID)
}

// Token returns a token (without its secret) of the caller's own, or any
// for office staff.
func (e *Engine) Token(ctx context.Context, c Caller, id int64) (store.Token, error) {
	if err := e.Authorize(c, OpListTokens); err != nil {
		return store.Token{}, err
	}
	t, err := e.store.Token(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !c.IsStaff() && t.UserID != c.UserID {
		return store.Token{}, notFoundID("token", id)
	}
	return t, err
}

// RevokeToken revokes a token of the caller's own, or any for office staff.
func (e *Engine) RevokeToken(ctx context.Context, c Caller, id int64) (store.Token, error) {
	if err := e.Authorize(c, OpRevokeToken); err != nil {
		return store.Token{}, err
	}
	if _, err := e.Token(ctx, c, id); err != nil {
		return store.Token{}, err
	}
	return e.store.RevokeToken(ctx, id, c.audit(OpRevokeToken, fmt.Sprintf("token/%d", id), nil))
}

// AuthenticateToken finds who holds an API token; a token that is unknown,
// revoked or expired, or of a disabled user, is an error that is
// errors.Is store.ErrUnauthenticated.
func (e *Engine) AuthenticateToken(ctx context.Context, token string) (access.Principal, error) {
	return e.store.PrincipalForToken(ctx, token)
}

// AuthenticateSession finds who holds a session cookie's secret.
func (e *Engine) AuthenticateSession(ctx context.Context, secret string) (access.Principal, error) {
	return e.store.PrincipalForSession(ctx, secret)
}

// Session is a web session opened by a password sign-in.
type Session struct {
	User    store.User
	Secret  string
	Expires time.Time
}

// SignInRequest is one attempt to sign in with a password.
type SignInRequest struct {
	Email, Password string
	// TTL is how long the session lasts.
	TTL time.Duration
	// Policy is how many attempts are free and how long a lock-out lasts.
	Policy store.SignInPolicy
	// At is when the attempt was made (the server's clock).
	At time.Time
}

// SignIn checks an e-mail address and password and opens a session. The
// attempt is counted against the account and the caller's address before
// the password is checked (store.BeginSignIn), so guesses sent at once are
// held to the same limit; a locked account or address gets a
// *store.ThrottledError whatever the password. A refused attempt is written
// to the audit log (action session.refused) and answered with an error that
// is errors.Is store.ErrUnauthenticated. The caller is anonymous: only its
// address counts.
func (e *Engine) SignIn(ctx context.Context, c Caller, req SignInRequest) (Session, error) {
	attempt, err := e.store.BeginSignIn(ctx, req.Policy, req.Email, c.RemoteAddr, req.At)
	if err != nil {
		return Session{}, err
	}
	u, err := e.store.AuthenticatePassword(ctx, req.Email, req.Password)
	if errors.Is(err, store.ErrUnauthenticated) {
		anonymous := Caller{Principal: access.Principal{Email: req.Email}, RemoteAddr: c.RemoteAddr}
		refused := anonymous.audit(OpRefuseSession, "user/"+req.Email, map[string]any{"reason": err.Error()})
		if auditErr := e.store.SignInFailed(ctx, attempt, refused); auditErr != nil {
			return Session{}, auditErr
		}
		return Session{}, err
	}
	if err != nil {
		return Session{}, err
	}
	if err := e.store.SignInSucceeded(ctx, attempt); err != nil {
		return Session{}, err
	}
	self := Caller{Principal: access.Principal{UserID: u.ID, Email: u.Email, Role: u.Role}, RemoteAddr: c.RemoteAddr}
	secret, expires, err := e.store.CreateSession(ctx, u.ID, req.TTL, self.audit(OpCreateSession, fmt.Sprintf("user/%d", u.ID), nil))
	if err != nil {
		return Session{}, err
	}
	return Session{User: u, Secret: secret, Expires: expires}, nil
}

// SignInLocks lists the accounts and client addresses whose sign-ins are
// refused at now (office staff only); each lock-out is also in the audit log
// as session.locked.
func (e *Engine) SignInLocks(ctx context.Context, c Caller, now time.Time) ([]store.SignInLock, error) {
	if err := e.Authorize(c, OpReadSignInLocks); err != nil {
		return nil, err
	}
	return e.store.SignInLocks(ctx, now)
}

// SignOut ends the caller's session of the secret.
func (e *Engine) SignOut(ctx context.Context, c Caller, secret string) error {
	if err := e.Authorize(c, OpDeleteSession); err != nil {
		return err
	}
	return e.store.DeleteSession(ctx, secret, c.audit(OpDeleteSession, fmt.Sprintf("user/%d", c.UserID), nil))
}

// Me returns the caller as a user, and the part of the tree they see.
func (e *Engine) Me(ctx context.Context, c Caller) (store.User, access.Scope, error) {
	if err := e.Authorize(c, OpReadSelf); err != nil {
		return store.User{}, access.Scope{}, err
	}
	u, err := e.store.User(ctx, c.UserID)
	return u, c.Scope(), err
}

// Ping tells whether the database answers, for readiness checks.
func (e *Engine) Ping(ctx context.Context) error { return e.store.Pool().Ping(ctx) }
