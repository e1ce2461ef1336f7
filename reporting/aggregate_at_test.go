package reporting

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// AggregateAt (tree paths, a few nodes) must give exactly what Aggregate
// (the whole tree) gives for those nodes, for every root a page may show.
func TestAggregateAtIsAggregateForTheNodesShown(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 2026))
	inds := []Indicator{
		{Code: "GRDP", Type: TypeDecimal, Aggregation: AggregationSum},
		{Code: "GROWTH", Type: TypePercent, Aggregation: WeightedMean("GRDP")},
		{Code: "FIRMS", Type: TypeInteger, Aggregation: AggregationAvg},
		{Code: "LOW", Type: TypeDecimal, Aggregation: AggregationMin},
		{Code: "HIGH", Type: TypeDecimal, Aggregation: AggregationMax},
		{Code: "RATE", Type: TypePercent, Aggregation: AggregationNone},
	}
	// VN → 4 regions → 3 provinces → 5 districts; paths as the store keeps them.
	tree := []Node{{Code: "VN"}}
	paths := map[string]string{"VN": "/VN/"}
	add := func(code, parent string) {
		tree = append(tree, Node{Code: code, Parent: parent})
		paths[code] = paths[parent] + code + "/"
	}
	for r := range 4 {
		region := fmt.Sprintf("R%d", r)
		add(region, "VN")
		for p := range 3 {
			province := fmt.Sprintf("%s_P%d", region, p)
			add(province, region)
			for d := range 5 {
				add(fmt.Sprintf("%s_D%d", province, d), province)
			}
		}
	}
	accepted := map[string]Values{}
	var expected []string
	for _, n := range tree {
		if rnd.IntN(6) == 0 {
			continue // not expected
		}
		expected = append(expected, n.Code)
		if rnd.IntN(3) == 0 {
			continue // nothing accepted
		}
		v := Values{}
		for _, ind := range inds {
			if rnd.IntN(5) > 0 {
				v[ind.Code] = fmt.Sprintf("%d.%02d", rnd.IntN(1000), rnd.IntN(100))
			}
		}
		accepted[n.Code] = v
	}
	children := func(code string) []string {
		out := []string{code}
		for _, n := range tree {
			if n.Parent == code {
				out = append(out, n.Code)
			}
		}
		return out
	}
	inSubtree := func(root string) (sub []Node, acc map[string]Values, exp []string) {
		acc = map[string]Values{}
		for _, n := range tree {
			if len(paths[n.Code]) >= len(paths[root]) && paths[n.Code][:len(paths[root])] == paths[root] {
				if n.Code == root {
					n.Parent = ""
				}
				sub = append(sub, n)
				if v, ok := accepted[n.Code]; ok {
					acc[n.Code] = v
				}
				if slices.Contains(expected, n.Code) {
					exp = append(exp, n.Code)
				}
			}
		}
		return sub, acc, exp
	}
	for _, root := range []string{"VN", "R2", "R1_P0", "R3_P2_D4"} {
		for _, rootPath := range []string{paths[root], ""} {
			if rootPath == "" && root != "VN" {
				continue
			}
			sub, acc, exp := inSubtree(root)
			all, err := Aggregate(sub, inds, acc, exp)
			require.NoError(t, err)
			nodes := children(root)
			want := map[string]map[string]AggregateValue{}
			for _, code := range nodes {
				if f, ok := all[code]; ok {
					want[code] = f
				}
			}
			got, err := AggregateAt(rootPath, nodes, inds, acc, paths, exp)
			require.NoError(t, err)
			require.Equal(t, want, got, "root %s, rootPath %q", root, rootPath)
			if root == "VN" {
				require.Len(t, got, 5, "the nation and its four regions")
				require.Equal(t, []string{"FIRMS", "GRDP", "GROWTH", "HIGH", "LOW"}, slices.Sorted(maps.Keys(got["VN"])))
			}
		}
	}
	_, err := AggregateAt("", []string{"VN"}, inds, map[string]Values{"NOWHERE": {"GRDP": "1"}}, paths, nil)
	require.ErrorContains(t, err, `"NOWHERE" has accepted values but no tree path`)
}
