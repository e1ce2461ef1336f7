package reporting

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// Node is one agency in the tree figures roll up along.
type Node struct {
	// Code identifies the agency.
	Code string
	// Parent is the code of the agency above it, "" for a root. A tree may
	// have several roots (for example one per region).
	Parent string
}

// AggregateValue is one indicator rolled up over one node's subtree, with
// its coverage: Count contributors of Expected.
type AggregateValue struct {
	// Value is canonical decimal text: exact for sum, min and max; means
	// (avg and weighted) are rounded to AvgPlaces decimals (halves away from
	// zero).
	Value string `json:"value"`
	// Count is the number of agencies whose accepted value contributed (for
	// a weighted mean, those with both the value and its weight).
	Count int `json:"count"`
	// Expected is the number of agencies of the subtree expected to report
	// in the cycle: the coverage is Count of Expected.
	Expected int `json:"expected"`
}

// AvgPlaces is the number of decimals an average is rounded to.
const AvgPlaces = 4

// Aggregate rolls accepted values up the agency tree. accepted holds the
// accepted values of each agency that has them (agency code → values, as
// normalised by Template.ValidateValues); expected lists the agencies
// expected to report (the cycle's obligations), whose count under each node
// is the coverage's denominator.
//
// The result is keyed by node, then indicator code, and holds an entry for
// every node with at least one contributing agency in its subtree (the node
// itself included). avg is the mean over the contributing agencies of the
// subtree, not a mean of the children's means; a weighted mean is Σ value ×
// weight ÷ Σ weight over the agencies with both (no entry where the weights
// add up to zero). Indicators aggregated by none (or not at all) and text
// indicators are skipped. Arithmetic is exact (math/big), so the result does
// not depend on the order of anything.
//
// It is an error for the tree to repeat a code, name an unknown parent or
// contain a cycle, for accepted or expected to name an agency missing from
// the tree, or for a value to not be a number.
func Aggregate(tree []Node, indicators []Indicator, accepted map[string]Values, expected []string) (map[string]map[string]AggregateValue, error) {
	parent, err := checkTree(tree)
	if err != nil {
		return nil, err
	}
	for _, code := range expected {
		if _, ok := parent[code]; !ok {
			return nil, fmt.Errorf("aggregate: agency %q is expected to report but is not in the agency tree", code)
		}
	}
	for code := range accepted {
		if _, ok := parent[code]; !ok {
			return nil, fmt.Errorf("aggregate: agency %q has accepted values but is not in the agency tree", code)
		}
	}
	up := func(code string, count func(node string)) {
		for node := code; node != ""; node = parent[node] {
			count(node)
		}
	}
	return aggregateAlong(up, indicators, accepted, expected)
}

// AggregateAt is Aggregate for the agencies of nodes alone, placed by tree
// paths instead of the whole tree: paths holds the tree path of every agency
// of accepted and expected, and each of them counts at those of nodes whose
// code is a segment of its path at or below rootPath (the subtree the figures
// are of; "" for the whole tree). A page that shows a node and its children
// needs no more than that, and no tree.
func AggregateAt(rootPath string, nodes []string, indicators []Indicator, accepted map[string]Values, paths map[string]string, expected []string) (map[string]map[string]AggregateValue, error) {
	wanted := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		wanted[n] = true
	}
	for code := range accepted {
		if _, ok := paths[code]; !ok {
			return nil, fmt.Errorf("aggregate: agency %q has accepted values but no tree path", code)
		}
	}
	up := func(code string, count func(node string)) {
		rel, ok := strings.CutPrefix(paths[code], rootPath)
		if !ok {
			return
		}
		if above := strings.TrimSuffix(rootPath, "/"); above != "" {
			// The subtree's root is the last segment of rootPath.
			if root := above[strings.LastIndex(above, "/")+1:]; wanted[root] {
				count(root)
			}
		}
		for seg := range strings.SplitSeq(strings.Trim(rel, "/"), "/") {
			if seg != "" && wanted[seg] {
				count(seg)
			}
		}
	}
	return aggregateAlong(up, indicators, accepted, expected)
}

// aggregateAlong is Aggregate with each agency counted at the nodes up
// calls count with: its ancestors and itself.
func aggregateAlong(up func(code string, count func(node string)), indicators []Indicator, accepted map[string]Values, expected []string) (map[string]map[string]AggregateValue, error) {
	expectedUnder := make(map[string]int)
	for _, code := range expected {
		up(code, func(node string) { expectedUnder[node]++ })
	}
	agencies := make([]string, 0, len(accepted))
	for code := range accepted {
		agencies = append(agencies, code)
	}
	sort.Strings(agencies)

	type acc struct {
		sum, lo, hi *big.Rat
		weights     *big.Rat
		count       int
	}
	result := make(map[string]map[string]AggregateValue)
	for _, ind := range indicators {
		if !ind.Aggregation.IsValid() {
			return nil, fmt.Errorf("aggregate: indicator %s: aggregation %q is unknown; use %s", ind.Code, ind.Aggregation, aggregationChoices)
		}
		if !ind.Aggregation.Rolls() || !ind.Type.IsNumeric() {
			continue
		}
		weightCode, weighted := ind.Aggregation.Weight()
		accs := make(map[string]*acc)
		for _, agency := range agencies {
			v, ok, err := acceptedNumber(accepted, agency, ind.Code)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			weight := big.NewRat(1, 1)
			if weighted {
				w, ok, err := acceptedNumber(accepted, agency, weightCode)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue // no weight, no contribution to a weighted mean
				}
				weight = w
			}
			weighed := new(big.Rat).Mul(v, weight)
			up(agency, func(node string) {
				a := accs[node]
				if a == nil {
					a = &acc{sum: new(big.Rat), weights: new(big.Rat), lo: v, hi: v}
					accs[node] = a
				}
				a.sum.Add(a.sum, weighed)
				a.weights.Add(a.weights, weight)
				a.count++
				if v.Cmp(a.lo) < 0 {
					a.lo = v
				}
				if v.Cmp(a.hi) > 0 {
					a.hi = v
				}
			})
		}
		for node, a := range accs { // each entry is written on its own: order does not matter
			var value string
			switch ind.Aggregation {
			case AggregationSum:
				value = formatDecimal(a.sum, -1)
			case AggregationAvg:
				mean := new(big.Rat).Quo(a.sum, new(big.Rat).SetInt64(int64(a.count)))
				value = formatDecimal(mean, AvgPlaces)
			case AggregationMin:
				value = formatDecimal(a.lo, -1)
			case AggregationMax:
				value = formatDecimal(a.hi, -1)
			default: // a weighted mean
				if a.weights.Sign() == 0 {
					continue // weights adding up to zero weigh nothing
				}
				value = formatDecimal(new(big.Rat).Quo(a.sum, a.weights), AvgPlaces)
			}
			if result[node] == nil {
				result[node] = make(map[string]AggregateValue)
			}
			result[node][ind.Code] = AggregateValue{Value: value, Count: a.count, Expected: max(expectedUnder[node], a.count)}
		}
	}
	return result, nil
}

// acceptedNumber returns the agency's accepted value of an indicator as a
// number; ok is false when the agency left it empty.
func acceptedNumber(accepted map[string]Values, agency, code string) (v *big.Rat, ok bool, err error) {
	text, ok := accepted[agency][code]
	if !ok || strings.TrimSpace(text) == "" {
		return nil, false, nil
	}
	_, v, problem := parseDecimal(text)
	if problem != decimalOK {
		return nil, false, fmt.Errorf("aggregate: agency %q, indicator %s: value %q is not a number", agency, code, text)
	}
	return v, true, nil
}

// checkTree returns the parent of every node, after checking that codes are
// present and unique, every parent is in the tree, and no node is its own
// ancestor. Problems are reported for the first offending node in tree order.
func checkTree(tree []Node) (map[string]string, error) {
	parent := make(map[string]string, len(tree))
	for i, n := range tree {
		if n.Code == "" {
			return nil, fmt.Errorf("agency tree: node %d has no code", i+1)
		}
		if _, dup := parent[n.Code]; dup {
			return nil, fmt.Errorf("agency tree: agency %q is listed twice", n.Code)
		}
		parent[n.Code] = n.Parent
	}
	for _, n := range tree {
		if _, ok := parent[n.Parent]; n.Parent != "" && !ok {
			return nil, fmt.Errorf("agency tree: agency %q has parent %q, which is not in the tree", n.Code, n.Parent)
		}
	}
	// Walk up from every node; a walk longer than the tree has gone round a cycle.
	done := make(map[string]bool, len(tree))
	for _, n := range tree {
		path := []string{}
		onPath := make(map[string]bool)
		for code := n.Code; code != "" && !done[code]; code = parent[code] {
			if onPath[code] {
				i := 0
				for path[i] != code {
					i++
				}
				loop := append(path[i:], code)
				return nil, fmt.Errorf("agency tree: the parents go round in a cycle (%s); fix the parent of one of them",
					strings.Join(loop, " → "))
			}
			onPath[code] = true
			path = append(path, code)
		}
		for _, code := range path {
			done[code] = true
		}
	}
	return parent, nil
}
