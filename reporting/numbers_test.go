package reporting

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseNumber(t *testing.T) {
	long := strings.Repeat("1", 65)
	tests := []struct {
		notation Notation
		in       string
		want     string // canonical figure, or "" when refused
		problem  string // the NumberError's code when refused
	}{
		// Vietnamese: '.' groups thousands, ',' is the decimal mark.
		{NotationVI, "12.000", "12000", ""},
		{NotationVI, "5.500", "5500", ""},
		{NotationVI, "6.200", "6200", ""},
		{NotationVI, "1.234,5", "1234.5", ""},
		{NotationVI, "8,2", "8.2", ""},
		{NotationVI, "1.234.567,89", "1234567.89", ""},
		{NotationVI, "1.000.000", "1000000", ""},
		{NotationVI, "12", "12", ""},
		{NotationVI, "1234", "1234", ""},
		{NotationVI, "1234,50", "1234.5", ""},
		{NotationVI, "12,0", "12", ""},
		{NotationVI, "0", "0", ""},
		{NotationVI, "-0", "0", ""},
		{NotationVI, "0,5", "0.5", ""},
		{NotationVI, ",5", "0.5", ""},
		{NotationVI, "12,", "12", ""},
		{NotationVI, "1.234,", "1234", ""},
		{NotationVI, "007", "7", ""},
		{NotationVI, "-12.000", "-12000", ""},
		{NotationVI, "\u221212.000", "-12000", ""},
		{NotationVI, "-1.234,5", "-1234.5", ""},
		{NotationVI, "-,5", "-0.5", ""},
		{NotationVI, "+12.000", "12000", ""},
		{NotationVI, "  12.000\t", "12000", ""},
		{NotationVI, "\u00a012.000\u202f", "12000", ""},
		{NotationVI, "12 000", "12000", ""},
		{NotationVI, "12\u00a0000,5", "12000.5", ""},
		{NotationVI, "12\u202f000", "12000", ""},
		{NotationVI, "-1\u2009234\u2009567", "-1234567", ""},
		{NotationVI, "12.5", "", FieldAmbiguousNumber},
		{NotationVI, "1.23", "", FieldAmbiguousNumber},
		{NotationVI, "1.2345", "", FieldAmbiguousNumber},
		{NotationVI, "0.500", "", FieldAmbiguousNumber},
		{NotationVI, ".5", "", FieldAmbiguousNumber},
		{NotationVI, "1234.567", "", FieldAmbiguousNumber},
		{NotationVI, "12.000.00", "", FieldAmbiguousNumber},
		{NotationVI, "1..234", "", FieldAmbiguousNumber},
		{NotationVI, "1,234.5", "", FieldAmbiguousNumber},
		{NotationVI, "1,234,567", "", FieldAmbiguousNumber},
		{NotationVI, "1.234 567", "", FieldAmbiguousNumber},
		{NotationVI, "12  000", "", FieldAmbiguousNumber},
		{NotationVI, "12 00", "", FieldAmbiguousNumber},
		{NotationVI, "- 5", "", FieldAmbiguousNumber},
		{NotationVI, "", "", FieldNotANumber},
		{NotationVI, " ", "", FieldNotANumber},
		{NotationVI, "-", "", FieldNotANumber},
		{NotationVI, ",", "", FieldNotANumber},
		{NotationVI, "abc", "", FieldNotANumber},
		{NotationVI, "1e5", "", FieldNotANumber},
		{NotationVI, "12%", "", FieldNotANumber},
		{NotationVI, "(12)", "", FieldNotANumber},
		{NotationVI, "--5", "", FieldNotANumber},
		{NotationVI, "+-5", "", FieldNotANumber},
		{NotationVI, "5-", "", FieldNotANumber},
		{NotationVI, "1'234", "", FieldNotANumber},
		{NotationVI, "١٢", "", FieldNotANumber}, // Arabic-Indic digits
		{NotationVI, long, "", FieldTooLong},
		{NotationVI, strings.Repeat("1.000", 30), "", FieldTooLong},

		// English: ',' groups thousands, '.' is the decimal point.
		{NotationEN, "12,000", "12000", ""},
		{NotationEN, "1,234.5", "1234.5", ""},
		{NotationEN, "-1,234,567.89", "-1234567.89", ""},
		{NotationEN, "8.2", "8.2", ""},
		{NotationEN, "12.000", "12", ""},
		{NotationEN, ".5", "0.5", ""},
		{NotationEN, "+3", "3", ""},
		{NotationEN, "12 000.5", "12000.5", ""},
		{NotationEN, "12\u00a0000", "12000", ""},
		{NotationEN, "8,2", "", FieldAmbiguousNumber},
		{NotationEN, "12,5", "", FieldAmbiguousNumber},
		{NotationEN, "1,23", "", FieldAmbiguousNumber},
		{NotationEN, "1.234,5", "", FieldAmbiguousNumber},
		{NotationEN, "1.2.3", "", FieldAmbiguousNumber},
		{NotationEN, "0,500", "", FieldAmbiguousNumber},
		{NotationEN, "1,234 567", "", FieldAmbiguousNumber},
		{NotationEN, "x", "", FieldNotANumber},

		// Canonical, the API's and the CLI's: today's reading.
		{NotationCanonical, "1234.5", "1234.5", ""},
		{NotationCanonical, "12.000", "12", ""},
		{NotationCanonical, "+007.50", "7.5", ""},
		{NotationCanonical, "-3.5", "-3.5", ""},
		{NotationCanonical, ".5", "0.5", ""},
		{NotationCanonical, "5.", "5", ""},
		{NotationCanonical, "\u00a042\u00a0", "42", ""},
		{NotationCanonical, "8,2", "", FieldDecimalComma},
		{NotationCanonical, "1,234.5", "", FieldDecimalComma},
		{NotationCanonical, "12 000", "", FieldNotANumber},
		{NotationCanonical, "\u221212", "", FieldNotANumber},
		{NotationCanonical, long, "", FieldTooLong},

		// Unstated: canonical, and nothing another notation reads otherwise.
		{NotationUnstated, "12.5", "12.5", ""},
		{NotationUnstated, "1250.5", "1250.5", ""},
		{NotationUnstated, "0.125", "0.125", ""},
		{NotationUnstated, "0.000", "0", ""},
		{NotationUnstated, "1000.000", "1000", ""},
		{NotationUnstated, "-3.5", "-3.5", ""},
		{NotationUnstated, "12", "12", ""},
		{NotationUnstated, "12.000", "", FieldAmbiguousNumber},
		{NotationUnstated, "1.234", "", FieldAmbiguousNumber},
		{NotationUnstated, "-5.500", "", FieldAmbiguousNumber},
		{NotationUnstated, "+100.000", "", FieldAmbiguousNumber},
		{NotationUnstated, "8,2", "", FieldDecimalComma},
		{NotationUnstated, "1.234.567", "", FieldNotANumber},
	}
	for _, tt := range tests {
		got, err := ParseNumber(tt.in, tt.notation)
		if tt.problem == "" {
			if assert.NoError(t, err, "%s %q", tt.notation, tt.in) {
				assert.Equal(t, tt.want, got, "%s %q", tt.notation, tt.in)
			}
			continue
		}
		var ne *NumberError
		if assert.True(t, errors.As(err, &ne), "%s %q: want a *NumberError, got %v (%q)", tt.notation, tt.in, err, got) {
			assert.Equal(t, tt.problem, ne.Code, "%s %q: %v", tt.notation, tt.in, ne)
			assert.Equal(t, tt.notation, ne.Notation)
		}
		assert.Empty(t, got)
	}
}

func TestParseNumberUnknownNotation(t *testing.T) {
	_, err := ParseNumber("1", Notation("fr"))
	require.ErrorContains(t, err, `unknown notation "fr"`)
}

// TestParseNumberCanonicalIsTheAPIReading: the canonical notation accepts
// exactly what ValidateValues accepts, as the same figure, with the same
// problem code.
func TestParseNumberCanonicalIsTheAPIReading(t *testing.T) {
	tmpl := Template{Indicators: []Indicator{{Code: "X", Type: TypeDecimal}}}
	for _, in := range []string{"1234.5", "+007.50", "-0", ".5", "5.", "8,2", "1,234.5", "abc", "12 000", "", "1e5",
		"\u00a042", strings.Repeat("1", 64), strings.Repeat("1", 65)} {
		got, err := ParseNumber(in, NotationCanonical)
		values, problems := tmpl.ValidateValues(Values{"X": in})
		if strings.TrimSpace(in) == "" {
			continue // ValidateValues: not given
		}
		if err == nil {
			assert.Empty(t, problems, in)
			assert.Equal(t, values["X"], got, in)
			continue
		}
		var ne *NumberError
		require.True(t, errors.As(err, &ne))
		if assert.Len(t, problems, 1, in) {
			assert.Equal(t, problems[0].Code, ne.Code, in)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct{ in, vi, en, canonical string }{
		{"1234.5", "1.234,5", "1,234.5", "1234.5"},
		{"-1234567", "-1.234.567", "-1,234,567", "-1234567"},
		{"1234567.891", "1.234.567,891", "1,234,567.891", "1234567.891"},
		{"123", "123", "123", "123"},
		{"1000", "1.000", "1,000", "1000"},
		{"12000", "12.000", "12,000", "12000"},
		{"100000", "100.000", "100,000", "100000"},
		{"0.25", "0,25", "0.25", "0.25"},
		{"-0.5", "-0,5", "-0.5", "-0.5"},
		{"0", "0", "0", "0"},
		{"+007.50", "7,5", "7.5", "7.5"},
	}
	for _, tt := range tests {
		for n, want := range map[Notation]string{NotationVI: tt.vi, NotationEN: tt.en, NotationCanonical: tt.canonical, NotationUnstated: tt.canonical} {
			got, err := FormatNumber(tt.in, n)
			require.NoError(t, err)
			assert.Equal(t, want, got, "%q in %q", tt.in, n)
		}
	}
	for in, code := range map[string]string{"abc": FieldNotANumber, "1,5": FieldDecimalComma, "": FieldNotANumber} {
		_, err := FormatNumber(in, NotationVI)
		var ne *NumberError
		if assert.True(t, errors.As(err, &ne), in) {
			assert.Equal(t, code, ne.Code, in)
		}
	}
}

// FuzzNumberRoundTrip: whatever a notation reads is a canonical figure, and
// formatting it in any notation reads back to the same figure; the unstated
// notation accepts only figures every notation that reads them reads alike.
func FuzzNumberRoundTrip(f *testing.F) {
	for _, seed := range []string{"12.000", "1.234,5", "8,2", "-1,234.5", "0", "+007.50", "12 000", "\u221212", ".5", "1e5", "12.5"} {
		f.Add(seed)
	}
	notations := []Notation{NotationVI, NotationEN, NotationCanonical, NotationUnstated}
	f.Fuzz(func(t *testing.T, text string) {
		for _, n := range notations {
			canonical, err := ParseNumber(text, n)
			if err != nil {
				var ne *NumberError
				if !errors.As(err, &ne) || ne.Code == "" {
					t.Fatalf("%s %q: not a *NumberError with a code: %v", n, text, err)
				}
				continue
			}
			if again, err := ParseNumber(canonical, NotationCanonical); err != nil || again != canonical {
				t.Fatalf("%s %q read as %q, which is not canonical (%q, %v)", n, text, canonical, again, err)
			}
			for _, out := range notations {
				formatted, err := FormatNumber(canonical, out)
				if err != nil {
					t.Fatalf("format %q in %s: %v", canonical, out, err)
				}
				if out == NotationUnstated {
					continue // canonical text may read two ways; covered below
				}
				back, err := ParseNumber(formatted, out)
				if err != nil || back != canonical {
					t.Fatalf("%q (%s) → %q → %q in %s → %q, %v", text, n, canonical, formatted, out, back, err)
				}
			}
			if n == NotationUnstated {
				for _, other := range []Notation{NotationVI, NotationEN} {
					if reading, err := ParseNumber(text, other); err == nil && reading != canonical {
						t.Fatalf("unstated %q read as %q though %s reads %q", text, canonical, other, reading)
					}
				}
			}
		}
	})
}
