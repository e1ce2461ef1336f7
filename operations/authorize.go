package operations

import (
	"fmt"
	"strings"

	"rcm/access"
)

// Op names an operation: the key of the role table and, for a change, the
// action its audit entry records ("agency.import").
type Op string

// The operations, by what they act on.
const (
	OpReadSelf    Op = "me.read"      // who am I; sign out
	OpReadMetrics Op = "metrics.read" // the server's Prometheus metrics

	OpReadAgencies   Op = "agency.read"
	OpImportAgencies Op = "agency.import"

	OpBootstrapStaff  Op = "user.bootstrap"
	OpCreateUser      Op = "user.create"
	OpSetPassword     Op = "user.password_set"
	OpListUsers       Op = "user.list"
	OpReadUser        Op = "user.read"
	OpCreateToken     Op = "token.create"
	OpListTokens      Op = "token.list"
	OpRevokeToken     Op = "token.revoke"
	OpCreateSession   Op = "session.create"
	OpRefuseSession   Op = "session.refused"
	OpDeleteSession   Op = "session.delete"
	OpReadSignInLocks Op = "session.locks"
	OpDisableUser     Op = "user.disable"
	OpEnableUser      Op = "user.enable"
	OpChangePassword  Op = "user.password_change"
	OpResetPassword   Op = "user.password_reset"
	OpUseReset        Op = "user.password_reset_used"
	OpListSessions    Op = "session.list"
	OpEndSessions     Op = "session.end"
	OpReadAudit       Op = "audit.read"
	OpVerifyAudit     Op = "audit.verify"

	OpReadTemplates  Op = "template.read"
	OpCreateTemplate Op = "template.create"

	OpReadRegimes    Op = "regime.read"
	OpCreateRegime   Op = "regime.create"
	OpAssignRegime   Op = "regime.assign"
	OpPlanPeriod     Op = "regime.plan"
	OpReadCalendars  Op = "calendar.read"
	OpImportCalendar Op = "calendar.import"
	OpSeedCalendar   Op = "calendar.seed"
	OpManageSchedule Op = "schedule.manage"
	OpReadSchedules  Op = "schedule.read"

	OpReadCycles   Op = "cycle.read"
	OpReadTimeline Op = "cycle.timeline"
	OpLaunchCycle  Op = "cycle.launch"
	OpPlanLaunch   Op = "cycle.plan"
	OpUndoLaunch   Op = "cycle.launch_undone"
	OpExtendCycle  Op = "cycle.extend"
	OpCloseCycle   Op = "cycle.close"
	OpCancelCycle  Op = "cycle.cancel"
	OpReadResults  Op = "result.read"
	OpSubmit       Op = "submission.create"
	OpReadReviews  Op = "review.read"
	OpReview       Op = "review.decide"
	OpReadMessages Op = "notification.read"

	// The agency's side of the conversation (reporting.Action).
	OpReopen           Op = "obligation.reopen"
	OpDeclareNil       Op = "obligation.nil_report"
	OpRequestExtension Op = "obligation.extension_request"
	OpReadRequests     Op = "extension_request.read"
	OpDecideRequest    Op = "extension_request.decide"
	OpFileLate         Op = "obligation.late_filing"
	OpReadLateFilings  Op = "late_filing.read"
	OpDecideLateFiling Op = "late_filing.decide"
)

// permission says who may run an operation and whether it needs Temporal.
type permission struct {
	roles    []access.Role
	temporal bool
}

var (
	everyRole   = []access.Role{access.Staff, access.Officer, access.Supervisor, access.Reviewer}
	staffOnly   = []access.Role{access.Staff}
	officerOnly = []access.Role{access.Officer}
	// overseers see a subtree as a whole: its users and its cycles'
	// timelines (staff the whole tree).
	overseers = []access.Role{access.Staff, access.Supervisor, access.Reviewer}
	// reviewers decide on submissions: office staff any, a reviewer those
	// of the agencies below their own (access.Principal.CanReview).
	reviewers = []access.Role{access.Staff, access.Reviewer}
)

// permissions is the one role table of rcm. What each role then sees of the
// agency tree is the subtree rule of package access, applied by each read.
var permissions = map[Op]permission{
	OpReadSelf:    {roles: everyRole},
	OpReadMetrics: {roles: staffOnly},

	OpReadAgencies:   {roles: everyRole},
	OpImportAgencies: {roles: staffOnly},

	OpBootstrapStaff:  {roles: staffOnly},
	OpCreateUser:      {roles: staffOnly},
	OpSetPassword:     {roles: staffOnly},
	OpListUsers:       {roles: overseers},
	OpReadUser:        {roles: everyRole},
	OpCreateToken:     {roles: everyRole}, // their own; staff anyone's
	OpListTokens:      {roles: everyRole},
	OpRevokeToken:     {roles: everyRole},
	OpDeleteSession:   {roles: everyRole},
	OpReadSignInLocks: {roles: staffOnly},
	OpDisableUser:     {roles: staffOnly},
	OpEnableUser:      {roles: staffOnly},
	OpChangePassword:  {roles: everyRole}, // their own
	OpResetPassword:   {roles: staffOnly},
	OpListSessions:    {roles: everyRole}, // their own; staff anyone's
	OpEndSessions:     {roles: everyRole}, // their own; staff anyone's
	OpReadAudit:       {roles: staffOnly},
	OpVerifyAudit:     {roles: staffOnly},

	OpReadTemplates:  {roles: everyRole},
	OpCreateTemplate: {roles: staffOnly},

	OpReadRegimes:    {roles: everyRole},
	OpCreateRegime:   {roles: staffOnly},
	OpAssignRegime:   {roles: staffOnly},
	OpPlanPeriod:     {roles: everyRole},
	OpReadCalendars:  {roles: staffOnly},
	OpImportCalendar: {roles: staffOnly, temporal: true},
	OpSeedCalendar:   {roles: staffOnly},
	OpManageSchedule: {roles: staffOnly, temporal: true},
	OpReadSchedules:  {roles: staffOnly, temporal: true},

	OpReadCycles:   {roles: everyRole},
	OpReadTimeline: {roles: overseers, temporal: true},
	OpLaunchCycle:  {roles: staffOnly, temporal: true},
	OpPlanLaunch:   {roles: staffOnly},
	OpExtendCycle:  {roles: staffOnly, temporal: true},
	OpCloseCycle:   {roles: staffOnly, temporal: true},
	OpCancelCycle:  {roles: staffOnly, temporal: true},
	OpReadResults:  {roles: everyRole},
	OpSubmit:       {roles: officerOnly, temporal: true},
	OpReadReviews:  {roles: reviewers},
	OpReview:       {roles: reviewers, temporal: true},
	OpReadMessages: {roles: staffOnly},

	// Office staff reopen and answer requests. A nil report and an
	// extension request are the agency's own statements: only its reporting
	// officer makes them, as only they submit (staff cannot declare nil for
	// an agency).
	OpReopen:           {roles: staffOnly, temporal: true},
	OpDeclareNil:       {roles: officerOnly, temporal: true},
	OpRequestExtension: {roles: officerOnly, temporal: true},
	OpReadRequests:     {roles: staffOnly},
	OpDecideRequest:    {roles: staffOnly, temporal: true},
	// A late filing is the agency's own version, filed by its reporting
	// officer; office staff admit or refuse it (a supervisor cannot).
	OpFileLate:         {roles: officerOnly, temporal: true},
	OpReadLateFilings:  {roles: staffOnly},
	OpDecideLateFiling: {roles: staffOnly, temporal: true},
}

// Roles returns the roles that may run op; none for an operation that is
// not in the table (anyone's, such as signing in, or unknown).
func Roles(op Op) []access.Role { return permissions[op].roles }

// ForbiddenError refuses an operation to the caller's role; it is
// errors.Is ErrForbidden.
type ForbiddenError struct {
	Op    Op
	Need  []access.Role
	Given access.Role
	// Reason, when set, is why the caller's role is not enough.
	Reason string
}

func (e *ForbiddenError) Error() string {
	if e.Reason != "" {
		return e.Reason
	}
	names := make([]string, len(e.Need))
	for i, r := range e.Need {
		names[i] = string(r)
	}
	return fmt.Sprintf("this needs the role %s; you are %s", strings.Join(names, " or "), e.Given)
}

// Is makes a ForbiddenError match ErrForbidden.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// Authorize decides whether the caller may run op: a role the table allows,
// and Temporal when op needs it (ErrNoTemporal). Every operation asks it
// first; the web server asks it too before reading a request's body, so
// that a refused caller is told 403 whatever they sent.
func (e *Engine) Authorize(c Caller, op Op) error {
	p, ok := permissions[op]
	if !ok {
		return fmt.Errorf("operation %s is in no role table: %w", op, ErrForbidden)
	}
	if !c.HasRole(p.roles...) {
		return &ForbiddenError{Op: op, Need: p.roles, Given: c.Role}
	}
	if p.temporal {
		return e.requireTemporal()
	}
	return nil
}
