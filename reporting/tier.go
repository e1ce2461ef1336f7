package reporting

import (
	"fmt"
	"strings"
	"time"
)

// MaxTierDepth is the deepest level of the agency tree a tier may name.
const MaxTierDepth = 16

// Tier is one level of a multi-tier regime (DOMAIN.md, Levels): the
// agencies at one depth of the agency tree, which report to the level above
// by their own deadline rule. A regime lists its tiers bottom-up: the first
// is the lowest (provincial departments), the last the one that reports to
// the office (the provinces). A regime without tiers is single-tier: every
// assigned agency reports to the office by the regime's deadline rule.
type Tier struct {
	// Level is the tier's place, 1 for the lowest; the store numbers them
	// by their order in the regime.
	Level          int
	NameVI, NameEN string
	// Depth is the depth in the agency tree of the tier's agencies: the
	// root is 1 (/VN/), a region or ministry 2, a province under a region 3,
	// its departments 4 (PathDepth).
	Depth int
	// DeadlineRule is when the tier's agencies are due. The top tier's is
	// the regime's own rule (zero here, or equal to it).
	DeadlineRule DeadlineRule
	// Chase is the level's own reminders and escalation ladder (its
	// ReminderOffsets and Escalations; the rest is the regime's), nil when
	// the level is chased by the regime's policy.
	Chase *Policy
}

// PolicyUnder is the policy the tier's agencies are chased by under the
// regime's policy p: p itself, or p with the level's own reminders and
// escalation ladder.
func (t Tier) PolicyUnder(p Policy) Policy {
	if t.Chase == nil {
		return p
	}
	p.ReminderOffsets = t.Chase.ReminderOffsets
	p.Escalations = t.Chase.Escalations
	return p
}

// ValidateTierChases checks the levels' own reminders and escalation
// ladders as the regime's policy p is checked, each level's ladder within
// the regime's close_after, naming the fields under the level
// ("tiers[0].escalations[1].after").
func ValidateTierChases(tiers []Tier, p Policy) FieldErrors {
	var errs FieldErrors
	for i, t := range tiers {
		if t.Chase == nil {
			continue
		}
		err := t.PolicyUnder(p).Validate()
		if err == nil {
			continue
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			field, reason, ok := strings.Cut(line, ": ")
			if !ok {
				field, reason = "", line
			}
			if field == "close_after" {
				reason = "the regime's close_after: " + reason
				field = fmt.Sprintf("escalations[%d].after", len(t.Chase.Escalations)-1)
			}
			errs.Add(fmt.Sprintf("tiers[%d].%s", i, field), "%s", reason)
		}
	}
	return errs
}

// Name returns the tier's name in lang ("en" or Vietnamese).
func (t Tier) Name(lang string) string {
	if strings.HasPrefix(lang, "en") && t.NameEN != "" {
		return t.NameEN
	}
	return t.NameVI
}

// PathDepth is the depth of the agency whose materialized path is path:
// "/VN/" is 1, "/VN/R-DBSH/HNI/" is 3.
func PathDepth(path string) int {
	return strings.Count(strings.Trim(path, "/"), "/") + 1
}

// TierOfLevel returns the cycle's tier at level (1 for the lowest).
func TierOfLevel(tiers []CycleTier, level int) (CycleTier, bool) {
	if level < 1 || level > len(tiers) {
		return CycleTier{}, false
	}
	return tiers[level-1], true
}

// ChasedByLevel reports whether any level of the cycle has its own
// reminders or escalation ladder, so that its waves select by level.
func ChasedByLevel(tiers []CycleTier) bool {
	for _, t := range tiers {
		if t.Chase != nil {
			return true
		}
	}
	return false
}

// TierAt returns the tier of the agency at depth, if the regime has one.
func TierAt(tiers []Tier, depth int) (Tier, bool) {
	for _, t := range tiers {
		if t.Depth == depth {
			return t, true
		}
	}
	return Tier{}, false
}

// ValidateTiers checks a regime's tiers as data, before any agency is
// looked at: named, at depths that go up the tree one level after another
// (no level twice, none reporting to a level below it, which would make the
// levels a cycle), each lower tier with a deadline rule of its own and the
// top tier with the regime's. rule and cadence are the regime's.
func ValidateTiers(tiers []Tier, rule DeadlineRule, cadence Cadence) FieldErrors {
	var errs FieldErrors
	if len(tiers) == 0 {
		return nil
	}
	if len(tiers) == 1 {
		errs.Add("tiers", "one tier is the regime itself; name two levels or more (lowest first), or none")
		return errs
	}
	seen := make(map[int]int, len(tiers))
	for i, t := range tiers {
		at := fmt.Sprintf("tiers[%d].", i)
		if strings.TrimSpace(t.NameVI) == "" {
			errs.Add(at+"name_vi", "the Vietnamese name of the level is required (e.g. \"Sở, ngành\")")
		}
		switch {
		case t.Depth < 1 || t.Depth > MaxTierDepth:
			errs.Add(at+"depth", "%d is not a depth of the agency tree; give 1 (the root) to %d", t.Depth, MaxTierDepth)
		case seen[t.Depth] != 0:
			errs.Add(at+"depth", "depth %d is also tiers[%d]: two levels cannot overlap; give each level its own depth", t.Depth, seen[t.Depth]-1)
		case i > 0 && t.Depth >= tiers[i-1].Depth:
			errs.Add(at+"depth", "depth %d is not above the level below it (tiers[%d] at depth %d): list the levels lowest first, "+
				"each one higher in the tree, so that no level reports to a level under it (a cycle of levels)", t.Depth, i-1, tiers[i-1].Depth)
		}
		if t.Depth >= 1 && seen[t.Depth] == 0 {
			seen[t.Depth] = i + 1
		}
		top := i == len(tiers)-1
		switch {
		case top && t.DeadlineRule.Kind != "" && t.DeadlineRule != rule:
			errs.Add(at+"deadline_rule", "the top level reports to the office by the regime's deadline rule %s; leave it out or give the same", rule)
		case top:
		case t.DeadlineRule.Kind == "":
			errs.Add(at+"deadline_rule", "a lower level needs its own deadline rule (e.g. day:6 when the level above is due day:8)")
		default:
			if err := t.DeadlineRule.Validate(); err != nil {
				errs.Add(at+"deadline_rule", "%v", err)
			} else if t.DeadlineRule.Kind == RuleDate && cadence == Monthly {
				errs.Add(at+"deadline_rule", "%s names one date of the year; use day:N, days:N or workdays:N for a monthly regime", t.DeadlineRule)
			}
		}
	}
	return errs
}

// TierAgency is an agency assigned to a tiered regime, as CheckTierAgencies
// sees it: its place in the assignments and its tree path.
type TierAgency struct {
	Index int
	Code  string
	Path  string
}

// CheckTierAgencies checks the agencies assigned to a tiered regime against
// its tiers: each agency is at the depth of one tier, each tier has an
// agency, and each agency of a lower tier has an agency of the tier above
// it among the assignments, to review and consolidate its report. A regime
// without tiers, or without assignments yet, passes.
func CheckTierAgencies(tiers []Tier, agencies []TierAgency) FieldErrors {
	var errs FieldErrors
	if len(tiers) == 0 || len(agencies) == 0 {
		return nil
	}
	byDepth := make(map[int]int, len(tiers))
	for i, t := range tiers {
		byDepth[t.Depth] = i
	}
	assigned := make(map[string]bool, len(agencies))
	for _, a := range agencies {
		assigned[a.Path] = true
	}
	count := make([]int, len(tiers))
	for _, a := range agencies {
		at := fmt.Sprintf("assignments[%d].agency", a.Index)
		depth := PathDepth(a.Path)
		i, ok := byDepth[depth]
		if !ok {
			errs.Add(at, "%s is at depth %d of the agency tree, which is no level of the regime (%s); assign agencies of its levels only",
				a.Code, depth, describeTiers(tiers))
			continue
		}
		count[i]++
		if i == len(tiers)-1 {
			continue
		}
		above := tiers[i+1]
		if !assigned[AncestorAt(a.Path, above.Depth)] {
			errs.Add(at, "%s has no agency of the level above (%s, depth %d) among the assignments to review and consolidate its report; assign it",
				a.Code, above.NameVI, above.Depth)
		}
	}
	for i, n := range count {
		if n == 0 {
			errs.Add(fmt.Sprintf("tiers[%d]", i), "no assigned agency is at depth %d (%s): a level without agencies cannot report; assign its agencies or remove the level",
				tiers[i].Depth, tiers[i].NameVI)
		}
	}
	return errs
}

// AncestorAt is the path of the ancestor at depth of the agency whose tree
// path is path ("" when path is not that deep).
func AncestorAt(path string, depth int) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if depth < 1 || depth > len(parts) {
		return ""
	}
	return "/" + strings.Join(parts[:depth], "/") + "/"
}

func describeTiers(tiers []Tier) string {
	parts := make([]string, len(tiers))
	for i, t := range tiers {
		parts[i] = fmt.Sprintf("%s at depth %d", t.NameVI, t.Depth)
	}
	return strings.Join(parts, ", ")
}

// CycleTier is a tier of a cycle, its deadlines frozen at launch.
type CycleTier struct {
	Tier
	Due, Close time.Time
}

// CheckTierDues checks that each level of a cycle is due no later than the
// level above it: a province cannot consolidate departments due after it.
func CheckTierDues(tiers []CycleTier, loc *time.Location) FieldErrors {
	var errs FieldErrors
	for i := 0; i+1 < len(tiers); i++ {
		lo, hi := tiers[i], tiers[i+1]
		if lo.Due.After(hi.Due) {
			errs.Add(fmt.Sprintf("tiers[%d].due", i), "%s would be due %s, after the level above (%s) is due %s: a level must be due before the level that consolidates it",
				lo.NameVI, lo.Due.In(loc).Format("02/01/2006 15:04"), hi.NameVI, hi.Due.In(loc).Format("02/01/2006 15:04"))
		}
	}
	return errs
}

// Settled reports whether a classified obligation no longer holds up the
// level above it: accepted or a nil report while the cycle runs, or closed
// out (any final state).
func (c Classification) Settled() bool {
	return c.Final || c.Live == LiveAccepted || c.Live == LiveNilReport
}

// LevelProgress is how one level of a tiered cycle stands: its compliance
// so far (or final), and its agencies by live or final state.
type LevelProgress struct {
	Tier    CycleTier
	Rates   Rates
	ByState map[string]int
	// Figures are the level's own accepted figures rolled up to the top of
	// the scope looked at, by indicator (AggregateLevel): the top level's
	// are the aggregate built from the consolidations, a lower level's the
	// raw figures to compare them with. Filled by the caller.
	Figures map[string]AggregateValue
}

// ParentProgress is how an agency of an upper level stands with the agencies
// of the level below it: how many there are, how many are settled (accepted,
// nil report or closed out), and which it is still waiting for.
type ParentProgress struct {
	AgencyCode string
	AgencyPath string
	Level      int
	// State is the parent's own obligation's live or final state.
	State    string
	Children int
	Settled  int
	// WaitingFor are the codes of the children not settled, in code order.
	WaitingFor []string
}

// TierProgress computes, at now, the progress of each level of a tiered
// cycle and of each agency of an upper level with its children, from the
// obligations (in agency code order). Obligations at no level's depth are
// left out; a single-tier cycle has no levels and no parents.
func TierProgress(tiers []CycleTier, obligations []Obligation, now time.Time) ([]LevelProgress, []ParentProgress) {
	if len(tiers) == 0 {
		return nil, nil
	}
	levelOf := make(map[int]int, len(tiers))
	for i, t := range tiers {
		levelOf[t.Depth] = i
	}
	states := make([][]Classification, len(tiers))
	byState := make([]map[string]int, len(tiers))
	for i := range byState {
		byState[i] = map[string]int{}
	}
	var parents []ParentProgress
	parentAt := map[string]int{} // path → index in parents
	type child struct {
		code, path string
		level      int
		settled    bool
	}
	var children []child
	for _, o := range obligations {
		i, ok := levelOf[PathDepth(o.AgencyPath)]
		if !ok {
			continue
		}
		c := o.Classify(now)
		states[i] = append(states[i], c)
		state := string(c.Live)
		if c.Final {
			state = string(c.State)
		}
		byState[i][state]++
		if i > 0 {
			parentAt[o.AgencyPath] = len(parents)
			parents = append(parents, ParentProgress{AgencyCode: o.AgencyCode, AgencyPath: o.AgencyPath, Level: tiers[i].Level, State: state})
		}
		if i+1 < len(tiers) {
			children = append(children, child{o.AgencyCode, o.AgencyPath, i, c.Settled()})
		}
	}
	for _, ch := range children {
		j, ok := parentAt[AncestorAt(ch.path, tiers[ch.level+1].Depth)]
		if !ok {
			continue
		}
		p := &parents[j]
		p.Children++
		if ch.settled {
			p.Settled++
		} else {
			p.WaitingFor = append(p.WaitingFor, ch.code)
		}
	}
	levels := make([]LevelProgress, len(tiers))
	for i, t := range tiers {
		levels[i] = LevelProgress{Tier: t, Rates: ComputeRates(states[i]), ByState: byState[i]}
	}
	return levels, parents
}

// AggregateLevels is Aggregate for a tiered cycle, where an upper level's
// report consolidates the level below it, so that counting both would count
// the level below twice. Each node's figures come from one level: the
// highest level at or below the node's depth. The national figure is built
// from the provinces' consolidated reports, a province's is its own report,
// a department's its own. tiers are the cycle's levels, lowest first;
// paths gives every agency's tree path. Without levels it is Aggregate.
func AggregateLevels(tree []Node, indicators []Indicator, accepted map[string]Values, expected []string,
	paths map[string]string, tiers []CycleTier) (map[string]map[string]AggregateValue, error) {
	if len(tiers) == 0 {
		return Aggregate(tree, indicators, accepted, expected)
	}
	out := map[string]map[string]AggregateValue{}
	for i, t := range tiers {
		level, err := AggregateLevel(tree, indicators, accepted, expected, paths, t.Depth)
		if err != nil {
			return nil, err
		}
		above := 0 // the depth of the level above, whose nodes it serves
		if i+1 < len(tiers) {
			above = tiers[i+1].Depth
		}
		for node, v := range level {
			d := PathDepth(paths[node])
			if d > above && (d <= t.Depth || i == 0) {
				out[node] = v
			}
		}
	}
	return out, nil
}

// AggregateLevel is Aggregate over the agencies at one depth of the tree
// only: one level's own figures rolled up, the sum of the raw lower-level
// figures to compare with the consolidations above them.
func AggregateLevel(tree []Node, indicators []Indicator, accepted map[string]Values, expected []string,
	paths map[string]string, depth int) (map[string]map[string]AggregateValue, error) {
	acc := map[string]Values{}
	for code, v := range accepted {
		if PathDepth(paths[code]) == depth {
			acc[code] = v
		}
	}
	var exp []string
	for _, code := range expected {
		if PathDepth(paths[code]) == depth {
			exp = append(exp, code)
		}
	}
	return Aggregate(tree, indicators, acc, exp)
}
