package reporting

import (
	"math/big"
	"strings"
)

// Figures are exact decimals kept as text ("1234.5"), never floats: they are
// summed across thousands of agencies and compared with bounds, and the
// national total must not depend on rounding order.

// Reasons a text is not a decimal, as FieldError codes.
const (
	decimalOK       = ""
	decimalNotANum  = FieldNotANumber
	decimalComma    = FieldDecimalComma
	maxDecimalChars = 64
)

// parseDecimal reads a decimal written with digits, an optional sign and an
// optional '.' fraction ("-12.50", "+3", ".5"), and returns its canonical text
// (no '+', no leading zeros, no trailing zeros after the point, "0" for
// zero) and its value. problem is decimalComma when the text uses ',' (a
// decimal comma or a thousands separator), decimalNotANum for anything else
// that is not a decimal.
func parseDecimal(s string) (canonical string, value *big.Rat, problem string) {
	text := strings.TrimSpace(s)
	if strings.ContainsRune(text, ',') {
		return "", nil, decimalComma
	}
	neg := false
	if text != "" && (text[0] == '-' || text[0] == '+') {
		neg = text[0] == '-'
		text = text[1:]
	}
	whole, frac, _ := strings.Cut(text, ".")
	if whole == "" && frac == "" || !allDigits(whole) || !allDigits(frac) {
		return "", nil, decimalNotANum
	}
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	if whole == "" {
		whole = "0"
	}
	canonical = whole
	if frac != "" {
		canonical += "." + frac
	}
	if neg && canonical != "0" {
		canonical = "-" + canonical
	}
	value, ok := new(big.Rat).SetString(canonical)
	if !ok { // cannot happen for the text built above
		return "", nil, decimalNotANum
	}
	return canonical, value, decimalOK
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isInteger reports whether a canonical decimal has no fraction.
func isInteger(canonical string) bool {
	return !strings.Contains(canonical, ".")
}

// formatDecimal writes r as canonical decimal text. When r has a finite
// decimal expansion it is written exactly; otherwise, and whenever places >= 0
// asks for it, it is rounded to places digits after the point (halves away
// from zero). Trailing zeros are dropped and zero is "0".
func formatDecimal(r *big.Rat, places int) string {
	if places < 0 {
		exact, ok := exactPlaces(r)
		if !ok {
			exact = 20 // a guard; callers round non-terminating values
		}
		places = exact
	}
	text := r.FloatString(places)
	if strings.Contains(text, ".") {
		text = strings.TrimRight(strings.TrimRight(text, "0"), ".")
	}
	if text == "-0" {
		text = "0"
	}
	return text
}

// exactPlaces returns how many digits after the point write r exactly, and
// false when its expansion does not end (the denominator has a prime factor
// other than 2 and 5).
func exactPlaces(r *big.Rat) (int, bool) {
	d := new(big.Int).Set(r.Denom())
	two, five := big.NewInt(2), big.NewInt(5)
	var twos, fives int
	mod := new(big.Int)
	for {
		q, m := new(big.Int).QuoRem(d, two, mod)
		if m.Sign() != 0 {
			break
		}
		d, twos = q, twos+1
	}
	for {
		q, m := new(big.Int).QuoRem(d, five, mod)
		if m.Sign() != 0 {
			break
		}
		d, fives = q, fives+1
	}
	return max(twos, fives), d.Cmp(big.NewInt(1)) == 0
}
