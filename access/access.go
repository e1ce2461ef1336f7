// Package access decides who may see and do what in rcm: the roles, and the
// part of the agency tree each person's role reaches. It is the one place
// these rules live; the HTTP API, the engine and the pages all ask it.
package access

import "strings"

// Role is what a person does in rcm.
type Role string

// The three roles.
const (
	// Staff are office staff of the coordinating office: they see everything.
	Staff Role = "staff"
	// Officer is an agency's reporting officer, bound to exactly one agency.
	Officer Role = "officer"
	// Supervisor sees the subtree of the agency tree rooted at their agency.
	Supervisor Role = "supervisor"
)

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

// CanSeeAgency reports whether p may see the agency whose tree path is path.
func (p Principal) CanSeeAgency(path string) bool {
	switch p.Role {
	case Staff:
		return true
	case Officer:
		return p.AgencyPath != "" && path == p.AgencyPath
	case Supervisor:
		return p.AgencyPath != "" && strings.HasPrefix(path, p.AgencyPath)
	default:
		return false
	}
}

// CanSubmitFor reports whether p may submit reports on behalf of agencyCode:
// only an officer of that very agency may.
func (p Principal) CanSubmitFor(agencyCode string) bool {
	return p.Role == Officer && p.AgencyCode != "" && p.AgencyCode == agencyCode
}

// IsStaff reports whether p is office staff.
func (p Principal) IsStaff() bool { return p.Role == Staff }

// ScopePath is the tree prefix that bounds what p sees: "" (everything) for
// staff, the agency's own path for officers and supervisors. Queries filter
// with `path LIKE ScopePath || '%'`; officers additionally match exactly.
func (p Principal) ScopePath() string {
	if p.Role == Staff {
		return ""
	}
	return p.AgencyPath
}
