package messages

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"rcm/reporting"
)

func TestAcceptLanguageMatchesViAndEn(t *testing.T) {
	tests := []struct {
		header string
		want   Lang // "" says nothing
	}{
		{"en-US,en;q=0.9", English},
		{"en-GB,en;q=0.8", English},
		{"vi-VN", Vietnamese},
		{"vi-VN,vi;q=0.9,en;q=0.5", Vietnamese},
		{"en-US,en;q=0.9,vi;q=0.5", English},
		{"vi;q=0.5,en;q=0.9", English},          // by weight, not by order
		{"fr,en;q=0.5", English},                // the first language rcm speaks
		{"fr-CA,fr;q=0.9,vi;q=0.8", Vietnamese}, // the same, further down
		{"EN", English},
		{"en-Latn-US", English},
		{"fr", ""},
		{"de-CH", ""},
		{"*", ""},
		{"en;q=0", ""}, // English refused
		{"", ""},
		{"garbage;;;", ""},
		{"en-US;q=abc", ""},
	}
	for _, tt := range tests {
		got, ok := Choose(AcceptLanguage(tt.header))
		if tt.want == "" {
			assert.False(t, ok, "%q should say nothing, got %q", tt.header, got)
			continue
		}
		assert.True(t, ok, "%q", tt.header)
		assert.Equal(t, tt.want, got, "%q", tt.header)
	}
}

func TestNegotiateTakesTheFirstSourceThatSaysALanguage(t *testing.T) {
	tests := []struct {
		name    string
		sources []Source
		want    Lang
	}{
		{"nothing: Vietnamese", nil, Vietnamese},
		{"explicit first", []Source{Explicit("en"), Own("vi"), AcceptLanguage("vi-VN")}, English},
		{"explicit must be exact", []Source{Explicit("EN"), Own("vi")}, Vietnamese},
		{"unknown explicit falls through", []Source{Explicit("fr"), Own("en")}, English},
		{"own before the header", []Source{Explicit(""), Own("en"), AcceptLanguage("vi-VN")}, English},
		{"header before own when asked so", []Source{Explicit(""), AcceptLanguage("en-US,en;q=0.9"), Own("vi")}, English},
		{"a header for neither falls through", []Source{AcceptLanguage("fr"), Own("en")}, English},
		{"an empty own says nothing", []Source{Own(""), AcceptLanguage("en")}, English},
		{"an unknown own says nothing", []Source{Own("fr"), AcceptLanguage("en")}, English},
		{"own with a region", []Source{Own("en-US")}, English},
		{"a form's choice before the page's", []Source{Explicit("en"), Given(Vietnamese)}, English},
		{"the page's when the form says nothing", []Source{Explicit(""), Given(English)}, English},
		{"an unknown given says nothing", []Source{Given("fr"), Own("en")}, English},
		{"garbage everywhere", []Source{Explicit("x"), Own("??"), AcceptLanguage(";;")}, Vietnamese},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Negotiate(tt.sources...), tt.name)
	}
	_, ok := Choose(Explicit(""), AcceptLanguage("fr"))
	assert.False(t, ok, "Choose says when no source names a language")
}

func TestParseAndOf(t *testing.T) {
	for in, want := range map[string]Lang{"": Vietnamese, "vi": Vietnamese, "VI-vn": Vietnamese, "en": English, "en_US": English, " en ": English} {
		got, err := Parse(in)
		assert.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := Parse("fr")
	assert.ErrorContains(t, err, `unknown language "fr"; use vi or en`)
	assert.Equal(t, English, Of("en-US"))
	assert.Equal(t, Vietnamese, Of("fr"))
	assert.Equal(t, Vietnamese, Of(""))
	assert.Equal(t, English, Vietnamese.Other())
	assert.Equal(t, Vietnamese, English.Other())
	assert.Equal(t, "Hanoi", Name(English, "Hà Nội", "Hanoi"))
	assert.Equal(t, "Hà Nội", Name(English, "Hà Nội", " "))
	assert.Equal(t, "Hà Nội", Name(Vietnamese, "Hà Nội", "Hanoi"))
	assert.Equal(t, reporting.NotationVI, Notation(Vietnamese))
	assert.Equal(t, reporting.NotationVI, Notation(""))
	assert.Equal(t, reporting.NotationEN, Notation(English))
	assert.Equal(t, reporting.NotationEN, Notation(Of("en-GB")))
}
