package access

import "testing"

const (
	pathVN  = "/VN/"
	pathDB  = "/VN/R-DBSH/"
	pathHNI = "/VN/R-DBSH/HNI/"
	pathHNX = "/VN/R-DBSH/HNI/HNI-SYT/"
	pathHPG = "/VN/R-DBSH/HPG/"
	pathHN2 = "/VN/R-DBSH/HNI2/" // shares a string prefix with HNI but is not inside it
)

func TestCanSeeAgency(t *testing.T) {
	staff := Principal{UserID: 1, Role: Staff}
	officer := Principal{UserID: 2, Role: Officer, AgencyCode: "HNI", AgencyPath: pathHNI}
	supervisor := Principal{UserID: 3, Role: Supervisor, AgencyCode: "R-DBSH", AgencyPath: pathDB}
	hniSupervisor := Principal{UserID: 4, Role: Supervisor, AgencyCode: "HNI", AgencyPath: pathHNI}
	homeless := Principal{UserID: 5, Role: Officer}
	unknown := Principal{UserID: 6, Role: "admin", AgencyPath: pathVN}

	tests := []struct {
		name string
		p    Principal
		path string
		want bool
	}{
		{"staff sees the root", staff, pathVN, true},
		{"staff sees a leaf", staff, pathHNX, true},
		{"officer sees own agency", officer, pathHNI, true},
		{"officer does not see a child of own agency", officer, pathHNX, false},
		{"officer does not see the parent", officer, pathDB, false},
		{"officer does not see a sibling", officer, pathHPG, false},
		{"officer does not see a look-alike code", officer, pathHN2, false},
		{"supervisor sees own root", supervisor, pathDB, true},
		{"supervisor sees a child", supervisor, pathHNI, true},
		{"supervisor sees a grandchild", supervisor, pathHNX, true},
		{"supervisor does not see the parent", supervisor, pathVN, false},
		{"supervisor of HNI does not see HNI2", hniSupervisor, pathHN2, false},
		{"officer without agency sees nothing", homeless, pathHNI, false},
		{"unknown role sees nothing", unknown, pathHNI, false},
		{"empty path is never visible", supervisor, "", false},
		{"empty path is never visible to staff", staff, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.CanSeeAgency(tt.path); got != tt.want {
				t.Errorf("CanSeeAgency(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestCanSubmitFor(t *testing.T) {
	tests := []struct {
		name   string
		p      Principal
		agency string
		want   bool
	}{
		{"officer for own agency", Principal{Role: Officer, AgencyCode: "HNI"}, "HNI", true},
		{"officer for another agency", Principal{Role: Officer, AgencyCode: "HNI"}, "HPG", false},
		{"officer without agency", Principal{Role: Officer}, "", false},
		{"supervisor never submits", Principal{Role: Supervisor, AgencyCode: "HNI"}, "HNI", false},
		{"staff never submits", Principal{Role: Staff}, "HNI", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.CanSubmitFor(tt.agency); got != tt.want {
				t.Errorf("CanSubmitFor(%q) = %v, want %v", tt.agency, got, tt.want)
			}
		})
	}
}

func TestScopeWithin(t *testing.T) {
	tests := []struct {
		name   string
		s      Scope
		under  string
		want   Scope
		wantOK bool
	}{
		{"whole tree, no narrowing", Scope{}, "", Scope{}, true},
		{"whole tree narrowed", Scope{}, pathDB, Scope{Path: pathDB}, true},
		{"subtree narrowed to a child", Scope{Path: pathDB}, pathHNI, Scope{Path: pathHNI}, true},
		{"subtree narrowed to its parent stays", Scope{Path: pathDB}, pathVN, Scope{Path: pathDB}, true},
		{"exact scope narrowed to its parent stays", Scope{Path: pathHNI, Exact: true}, pathDB, Scope{Path: pathHNI, Exact: true}, true},
		{"subtree and a sibling do not overlap", Scope{Path: pathHNI}, pathHPG, Scope{}, false},
		{"exact scope narrowed to itself", Scope{Path: pathHNI, Exact: true}, pathHNI, Scope{Path: pathHNI, Exact: true}, true},
		{"exact scope narrowed to its child", Scope{Path: pathHNI, Exact: true}, pathHNX, Scope{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.s.Within(tt.under)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Errorf("Within(%q) = %+v, %v; want %+v, %v", tt.under, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range Roles() {
		got, err := ParseRole(string(r))
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
	}
	if _, err := ParseRole("admin"); err == nil {
		t.Error("ParseRole(admin) succeeded")
	}
}

func TestScopePath(t *testing.T) {
	if got := (Principal{Role: Staff}).ScopePath(); got != "" {
		t.Errorf("staff ScopePath = %q", got)
	}
	if got := (Principal{Role: Supervisor, AgencyPath: pathDB}).ScopePath(); got != pathDB {
		t.Errorf("supervisor ScopePath = %q", got)
	}
}

func TestReviewerReviewsTheLevelsBelowTheirAgencyOnly(t *testing.T) {
	reviewer := Principal{UserID: 7, Role: Reviewer, AgencyCode: "HNI", AgencyPath: pathHNI}
	tests := []struct {
		name      string
		path      string
		see, vets bool
	}{
		{"sees and reviews a department of their city", pathHNX, true, true},
		{"sees but does not review their own city's report", pathHNI, true, false},
		{"neither sees nor reviews the region above", pathDB, false, false},
		{"neither sees nor reviews a sibling city", pathHPG, false, false},
		{"neither sees nor reviews a look-alike code", pathHN2, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reviewer.CanSeeAgency(tt.path); got != tt.see {
				t.Errorf("CanSeeAgency(%q) = %v, want %v", tt.path, got, tt.see)
			}
			if got := reviewer.CanReview(tt.path); got != tt.vets {
				t.Errorf("CanReview(%q) = %v, want %v", tt.path, got, tt.vets)
			}
		})
	}
	if (Principal{Role: Supervisor, AgencyPath: pathDB}).CanReview(pathHNI) {
		t.Error("a supervisor reviews nothing")
	}
	if !(Principal{Role: Staff}).CanReview(pathHNI) {
		t.Error("office staff review everything")
	}
	if (Principal{Role: Reviewer}).CanReview(pathHNI) {
		t.Error("a reviewer without an agency reviews nothing")
	}
}
