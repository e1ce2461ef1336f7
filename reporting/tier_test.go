package reporting

import (
	"strings"
	"testing"
	"time"
)

func mustRule(t *testing.T, s string) DeadlineRule {
	t.Helper()
	r, err := ParseDeadlineRule(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestPathDepth(t *testing.T) {
	for path, want := range map[string]int{"/VN/": 1, "/VN/BTC/": 2, "/VN/R-DBSH/HNI/": 3, "/VN/R-DBSH/HNI/SO-TC-HNI/": 4} {
		if got := PathDepth(path); got != want {
			t.Errorf("PathDepth(%q) = %d, want %d", path, got, want)
		}
	}
	if got := AncestorAt("/VN/R-DBSH/HNI/SO-TC-HNI/", 3); got != "/VN/R-DBSH/HNI/" {
		t.Errorf("AncestorAt = %q", got)
	}
	if got := AncestorAt("/VN/", 3); got != "" {
		t.Errorf("AncestorAt beyond the path = %q", got)
	}
}

func TestValidateTiersRefusesBadLevels(t *testing.T) {
	day8, day6 := mustRule(t, "day:8"), mustRule(t, "day:6")
	good := []Tier{{NameVI: "Sở", Depth: 4, DeadlineRule: day6}, {NameVI: "Tỉnh", Depth: 3}}
	if errs := ValidateTiers(good, day8, Monthly); len(errs) != 0 {
		t.Fatalf("two good tiers refused: %v", errs)
	}
	if errs := ValidateTiers(nil, day8, Monthly); len(errs) != 0 {
		t.Fatalf("no tiers (single-tier) refused: %v", errs)
	}
	cases := []struct {
		name  string
		tiers []Tier
		field string
		says  string
	}{
		{"one tier", []Tier{{NameVI: "Tỉnh", Depth: 3}}, "tiers", "two levels"},
		{"overlapping levels", []Tier{{NameVI: "Sở", Depth: 3, DeadlineRule: day6}, {NameVI: "Tỉnh", Depth: 3}}, "tiers[1].depth", "overlap"},
		{"a level below the one it consolidates (cycle of levels)",
			[]Tier{{NameVI: "Tỉnh", Depth: 3, DeadlineRule: day6}, {NameVI: "Sở", Depth: 4}}, "tiers[1].depth", "cycle"},
		{"no depth", []Tier{{NameVI: "Sở", DeadlineRule: day6}, {NameVI: "Tỉnh", Depth: 3}}, "tiers[0].depth", "not a depth"},
		{"no name", []Tier{{Depth: 4, DeadlineRule: day6}, {NameVI: "Tỉnh", Depth: 3}}, "tiers[0].name_vi", "required"},
		{"lower level without a rule", []Tier{{NameVI: "Sở", Depth: 4}, {NameVI: "Tỉnh", Depth: 3}}, "tiers[0].deadline_rule", "its own deadline rule"},
		{"top level with another rule", []Tier{{NameVI: "Sở", Depth: 4, DeadlineRule: day6}, {NameVI: "Tỉnh", Depth: 3, DeadlineRule: day6}},
			"tiers[1].deadline_rule", "regime's deadline rule"},
		{"a date rule on a monthly regime", []Tier{{NameVI: "Sở", Depth: 4, DeadlineRule: mustRule(t, "date:06-06")}, {NameVI: "Tỉnh", Depth: 3}},
			"tiers[0].deadline_rule", "monthly"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			requireRefused(t, ValidateTiers(c.tiers, day8, Monthly), c.field, c.says)
		})
	}
}

func TestCheckTierAgencies(t *testing.T) {
	tiers := []Tier{{NameVI: "Sở", Depth: 4, DeadlineRule: mustRule(t, "day:6")}, {NameVI: "Tỉnh", Depth: 3}}
	ok := []TierAgency{
		{0, "HNI", "/VN/R/HNI/"}, {1, "SO-HNI", "/VN/R/HNI/SO-HNI/"}, {2, "HCM", "/VN/R/HCM/"}, {3, "SO-HCM", "/VN/R/HCM/SO-HCM/"},
	}
	if errs := CheckTierAgencies(tiers, ok); len(errs) != 0 {
		t.Fatalf("good assignments refused: %v", errs)
	}
	if errs := CheckTierAgencies(tiers, nil); len(errs) != 0 {
		t.Fatalf("no assignments yet refused: %v", errs)
	}
	cases := []struct {
		name     string
		agencies []TierAgency
		field    string
		says     string
	}{
		{"a tier without agencies", []TierAgency{{0, "HNI", "/VN/R/HNI/"}}, "tiers[0]", "without agencies"},
		{"an agency of no tier", append(append([]TierAgency{}, ok...), TierAgency{4, "R", "/VN/R/"}), "assignments[4].agency", "no level"},
		{"a department whose province is not assigned", []TierAgency{{0, "HNI", "/VN/R/HNI/"}, {1, "SO-HCM", "/VN/R/HCM/SO-HCM/"}},
			"assignments[1].agency", "level above"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			requireRefused(t, CheckTierAgencies(tiers, c.agencies), c.field, c.says)
		})
	}
}

func TestCheckTierDues(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	d6 := time.Date(2026, 10, 7, 0, 0, 0, 0, loc)
	d8 := time.Date(2026, 10, 9, 0, 0, 0, 0, loc)
	lo := CycleTier{Tier: Tier{NameVI: "Sở"}, Due: d6}
	hi := CycleTier{Tier: Tier{NameVI: "Tỉnh"}, Due: d8}
	if errs := CheckTierDues([]CycleTier{lo, hi}, loc); len(errs) != 0 {
		t.Fatalf("departments before the province refused: %v", errs)
	}
	lo.Due, hi.Due = d8, d6
	errs := CheckTierDues([]CycleTier{lo, hi}, loc)
	if len(errs) != 1 || errs[0].Field != "tiers[0].due" {
		t.Fatalf("departments due after the province: got %v", errs)
	}
}

// requireRefused fails unless errs refuses field with a reason saying says.
func requireRefused(t *testing.T, errs FieldErrors, field, says string) {
	t.Helper()
	for _, e := range errs {
		if e.Field == field && strings.Contains(e.Reason, says) {
			return
		}
	}
	t.Fatalf("want %s refused saying %q, got %v", field, says, errs)
}

func TestAggregateLevelsCountsEachLevelOnce(t *testing.T) {
	tree := []Node{{Code: "VN"}, {Code: "HNI", Parent: "VN"}, {Code: "HNI-A", Parent: "HNI"}, {Code: "HNI-B", Parent: "HNI"},
		{Code: "HCM", Parent: "VN"}, {Code: "HCM-A", Parent: "HCM"}}
	paths := map[string]string{"VN": "/VN/", "HNI": "/VN/HNI/", "HNI-A": "/VN/HNI/HNI-A/", "HNI-B": "/VN/HNI/HNI-B/",
		"HCM": "/VN/HCM/", "HCM-A": "/VN/HCM/HCM-A/"}
	indicators := []Indicator{{Code: "GRDP", Type: TypeDecimal, Aggregation: AggregationSum}}
	// HNI consolidated 100 + 50 and adjusted it to 160; HCM has not
	// consolidated its department's 70 yet.
	accepted := map[string]Values{"HNI": {"GRDP": "160"}, "HNI-A": {"GRDP": "100"}, "HNI-B": {"GRDP": "50"}, "HCM-A": {"GRDP": "70"}}
	expected := []string{"HNI", "HNI-A", "HNI-B", "HCM", "HCM-A"}
	tiers := []CycleTier{{Tier: Tier{Level: 1, Depth: 3}}, {Tier: Tier{Level: 2, Depth: 2}}}

	got, err := AggregateLevels(tree, indicators, accepted, expected, paths, tiers)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]AggregateValue{
		"VN":    {Value: "160", Count: 1, Expected: 2}, // from the provinces' consolidations only
		"HNI":   {Value: "160", Count: 1, Expected: 1}, // its own report, not 160 + 150
		"HNI-A": {Value: "100", Count: 1, Expected: 1},
		"HCM-A": {Value: "70", Count: 1, Expected: 1},
	}
	for node, w := range want {
		if g := got[node]["GRDP"]; g != w {
			t.Errorf("%s: got %+v, want %+v", node, g, w)
		}
	}
	if _, ok := got["HCM"]; ok {
		t.Errorf("HCM has no report of its own yet, got %+v", got["HCM"])
	}

	raw, err := AggregateLevel(tree, indicators, accepted, expected, paths, 3)
	if err != nil {
		t.Fatal(err)
	}
	if g := raw["VN"]["GRDP"]; g != (AggregateValue{Value: "220", Count: 3, Expected: 3}) {
		t.Errorf("the raw departments' sum: got %+v", g)
	}
}

// TestALevelsLadderReplacesTheRegimesRemindersAndEscalationsOnly: a level
// with its own ladder is reminded and escalated by it, and reviewed and
// closed by the regime's times; a level without follows the regime.
func TestALevelsLadderReplacesTheRegimesRemindersAndEscalationsOnly(t *testing.T) {
	head := []Recipient{RecipientHead}
	regime := Policy{ReminderOffsets: []time.Duration{72 * time.Hour}, ReviewTime: 24 * time.Hour, CloseAfter: 240 * time.Hour,
		Escalations: []EscalationStep{{After: 48 * time.Hour, Recipients: head, Times: 1}}}
	own := Tier{Chase: &Policy{ReminderOffsets: []time.Duration{24 * time.Hour}}}
	got := own.PolicyUnder(regime)
	if len(got.ReminderOffsets) != 1 || got.ReminderOffsets[0] != 24*time.Hour || len(got.Escalations) != 0 {
		t.Errorf("the level's own ladder: %+v", got)
	}
	if got.ReviewTime != regime.ReviewTime || got.CloseAfter != regime.CloseAfter {
		t.Errorf("review time and close are the regime's: %+v", got)
	}
	if p := (Tier{}).PolicyUnder(regime); p.ReminderOffsets[0] != 72*time.Hour || len(p.Escalations) != 1 {
		t.Errorf("a level without a ladder follows the regime: %+v", p)
	}
	if errs := ValidateTierChases([]Tier{own, {}}, regime); len(errs) != 0 {
		t.Errorf("a good ladder is refused: %v", errs)
	}
}
