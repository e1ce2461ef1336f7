package reporting

// Agency is a node of the agency tree: the national root, regions,
// ministries, provinces and cities, corporations, departments and districts.
type Agency struct {
	Code string
	// ParentCode is "" for the root of the tree.
	ParentCode string
	// Path is the materialized path from the root ("/VN/R-DBSH/HNI/"): the
	// agency's code after those of every agency above it, so that "the
	// subtree of X" is every path that starts with X's. The store maintains
	// it; it is ignored on input.
	Path         string
	NameVI       string
	NameEN       string
	Kind         string
	OfficerEmail string
	HeadEmail    string
	// Language is the language of messages to the agency: "vi" (default) or "en".
	Language    string
	ActiveFrom  *Date
	ActiveUntil *Date
}

// AgencyKinds lists the kinds of agency the tree knows.
func AgencyKinds() []string {
	return []string{"national", "region", "ministry", "ministerial_agency", "government_agency",
		"province", "city", "corporation", "department", "district", "other"}
}
