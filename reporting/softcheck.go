package reporting

import (
	"fmt"
	"math/big"
)

// Soft checks stand beside the hard ones of ValidateValues: a figure that
// moves more than a regime's factor from the agency's previous accepted
// period is not refused (growth of ten times happens), but flagged, so that
// the agency confirms or corrects it before sending and the reviewer sees it.
// It catches the misread of a factor of 1,000 ("12.000" read as 12).

// DefaultSoftCheckFactor is the factor of a regime that does not set one:
// a figure ten times larger or smaller than the previous period's is flagged.
const DefaultSoftCheckFactor = 10

// SoftCheckFactorOrDefault is the regime's soft-check factor, or
// DefaultSoftCheckFactor when it sets none.
func (r Regime) SoftCheckFactorOrDefault() int {
	if r.SoftCheckFactor == 0 {
		return DefaultSoftCheckFactor
	}
	return r.SoftCheckFactor
}

// Jump is a figure that moved more than the factor from the previous period.
type Jump struct {
	// Indicator is the indicator's code.
	Indicator string
	// Previous and Current are the figures, in canonical notation.
	Previous, Current string
	// Larger says the figure grew; else it shrank.
	Larger bool
	// Times is how many times larger or smaller, rounded down (at least
	// the factor).
	Times int64
}

// Jumps returns the numeric figures of current that are more than factor
// times larger or smaller than in previous, in the template's order. A
// figure missing on either side, or zero on either side, or that changed
// sign, is not compared: no ratio says how far it moved.
func Jumps(t Template, current, previous Values, factor int) []Jump {
	if factor < 2 {
		factor = DefaultSoftCheckFactor
	}
	limit := new(big.Rat).SetInt64(int64(factor))
	var out []Jump
	for _, ind := range t.Indicators {
		if ind.Type == TypeText {
			continue
		}
		cur, ok1 := rat(current[ind.Code])
		prev, ok2 := rat(previous[ind.Code])
		if !ok1 || !ok2 || cur.Sign() == 0 || prev.Sign() == 0 || cur.Sign() != prev.Sign() {
			continue
		}
		ratio := new(big.Rat).Quo(cur, prev)
		if ratio.Sign() < 0 {
			ratio.Neg(ratio)
		}
		larger := ratio.Cmp(big.NewRat(1, 1)) >= 0
		if !larger {
			ratio.Inv(ratio)
		}
		if ratio.Cmp(limit) <= 0 {
			continue
		}
		times := new(big.Int).Quo(ratio.Num(), ratio.Denom())
		out = append(out, Jump{Indicator: ind.Code, Previous: previous[ind.Code], Current: current[ind.Code], Larger: larger, Times: times.Int64()})
	}
	return out
}

// rat reads a canonical figure; false for "" or anything else.
func rat(v string) (*big.Rat, bool) {
	if v == "" {
		return nil, false
	}
	_, r, problem := parseDecimal(v)
	return r, problem == decimalOK
}

// String writes the jump for logs and tests: "GRDP 12000 → 12 (÷1000)".
func (j Jump) String() string {
	op := "÷"
	if j.Larger {
		op = "×"
	}
	return fmt.Sprintf("%s %s → %s (%s%d)", j.Indicator, j.Previous, j.Current, op, j.Times)
}
