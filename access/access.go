// Package access holds rcm's roles and the part of the agency tree each
// person's role reaches (the subtree rule). Which role may run which
// operation is the role table of package operations, which asks this
// package for every command and read.
package access

import (
	"fmt"
	"strings"
)

// Role is what a person does in rcm.
type Role string

// The roles.
const (
	// Staff are office staff of the coordinating office: they see everything.
	Staff Role = "staff"
	// Officer is an agency's reporting officer, bound to exactly one agency.
	Officer Role = "officer"
	// Supervisor sees the subtree of the agency tree rooted at their agency.
	Supervisor Role = "supervisor"
	// Reviewer reviews, for the level of their agency in a multi-tier
	// regime (a province's office), the reports of the agencies below it
	// (its departments); they see the subtree rooted at their agency and
	// review none outside it, nor their own agency's report.
	Reviewer Role = "reviewer"
)

// Roles lists every role, staff first.
func Roles() []Role { return []Role{Staff, Officer, Supervisor, Reviewer} }

// ParseRole returns the role named s ("staff", "officer", "supervisor",
// "reviewer").
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Staff, Officer, Supervisor, Reviewer:
		return r, nil
	default:
		return "", fmt.Errorf("role %q is unknown; use staff, officer, supervisor or reviewer", s)
	}
}

// NeedsAgency reports whether a person of role r is bound to an agency:
// officers, supervisors and reviewers are, staff are not.
func (r Role) NeedsAgency() bool { return r == Officer || r == Supervisor || r == Reviewer }

// Principal is the authenticated person making a request.
type Principal struct {
	UserID int64
	Email  string
	Role   Role
	// AgencyCode is the officer's agency or the supervisor's subtree root;
	// empty for staff.
	AgencyCode string
	// AgencyPath is the materialized path of AgencyCode ("/VN/R-DBSH/HNI/").
	AgencyPath string
	Language   string
}

// Scope is the part of the agency tree a principal reaches: every agency
// whose path starts with Path, or, when Exact, only the agency whose path is
// Path. The zero Scope is the whole tree.
type Scope struct {
	Path  string
	Exact bool
}

// All reports whether s is the whole tree.
func (s Scope) All() bool { return s.Path == "" }

// Contains reports whether the agency whose tree path is path lies in s.
func (s Scope) Contains(path string) bool {
	switch {
	case s.Path == "":
		return true
	case s.Exact:
		return path == s.Path
	default:
		return strings.HasPrefix(path, s.Path)
	}
}

// Within narrows s to the subtree rooted at the agency whose path is under:
// the part of the tree in both. It reports false when they do not overlap.
func (s Scope) Within(under string) (Scope, bool) {
	switch {
	case under == "" || strings.HasPrefix(s.Path, under):
		return s, true // under is s's root or one of its ancestors
	case s.Contains(under):
		return Scope{Path: under}, true
	default:
		return Scope{}, false
	}
}

// Scope returns the part of the tree p reaches: everything for staff, the
// subtree of their agency for supervisors and reviewers, exactly their
// agency for officers.
// A principal of an unknown role, or without an agency where the role needs
// one, reaches nothing: its scope is an exact path no agency has.
func (p Principal) Scope() Scope {
	switch {
	case p.Role == Staff:
		return Scope{}
	case (p.Role == Supervisor || p.Role == Reviewer) && p.AgencyPath != "":
		return Scope{Path: p.AgencyPath}
	case p.Role == Officer && p.AgencyPath != "":
		return Scope{Path: p.AgencyPath, Exact: true}
	default:
		return Scope{Path: "/", Exact: true}
	}
}

// CanSeeAgency reports whether p may see the agency whose tree path is path.
func (p Principal) CanSeeAgency(path string) bool {
	return path != "" && p.Scope().Contains(path)
}

// CanSubmitFor reports whether p may submit reports on behalf of agencyCode:
// only an officer of that very agency may.
func (p Principal) CanSubmitFor(agencyCode string) bool {
	return p.Role == Officer && p.AgencyCode != "" && p.AgencyCode == agencyCode
}

// CanReview reports whether p may review the reports of the agency whose
// tree path is path: office staff any agency's, a reviewer those strictly
// below their own agency (the level above reviews the level below; their
// own agency's report goes up to the level above them).
func (p Principal) CanReview(path string) bool {
	switch {
	case p.Role == Staff:
		return true
	case p.Role == Reviewer && p.AgencyPath != "":
		return path != p.AgencyPath && strings.HasPrefix(path, p.AgencyPath)
	default:
		return false
	}
}

// Reviews reports whether p reviews reports at all: office staff and
// reviewers do.
func (p Principal) Reviews() bool { return p.Role == Staff || p.Role == Reviewer }

// IsStaff reports whether p is office staff.
func (p Principal) IsStaff() bool { return p.Role == Staff }

// HasRole reports whether p has one of roles.
func (p Principal) HasRole(roles ...Role) bool {
	for _, r := range roles {
		if p.Role == r {
			return true
		}
	}
	return false
}

// ScopePath is the tree prefix that bounds what p sees: "" (everything) for
// staff, the agency's own path for officers and supervisors. Officers see
// only the agency with exactly this path: use Scope when filtering lists.
func (p Principal) ScopePath() string { return p.Scope().Path }
