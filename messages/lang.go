package messages

import (
	"fmt"
	"strings"
)

// Lang is a language rcm writes in: Vietnamese (the default) or English.
type Lang string

// The languages rcm writes in. Vietnamese is the default.
const (
	Vietnamese Lang = "vi"
	English    Lang = "en"
)

// Langs returns the supported languages, the default first.
func Langs() []Lang { return []Lang{Vietnamese, English} }

// Parse returns the language named by s: "vi" or "en", case-insensitive,
// with an optional region ("vi-VN", "en_US"). The empty string means the
// default, Vietnamese; anything else is refused, naming the choices.
func Parse(s string) (Lang, error) {
	base := strings.ToLower(strings.TrimSpace(s))
	if base == "" {
		return Vietnamese, nil
	}
	if i := strings.IndexAny(base, "-_"); i > 0 {
		base = base[:i]
	}
	switch Lang(base) {
	case Vietnamese:
		return Vietnamese, nil
	case English:
		return English, nil
	}
	return "", fmt.Errorf("unknown language %q; use vi or en", s)
}

// Of reads a language leniently, as a stored or passed-on value: English
// when s names English ("en", "en-US", "EN"), Vietnamese otherwise.
func Of(s string) Lang {
	if strings.HasPrefix(strings.ToLower(s), string(English)) {
		return English
	}
	return Vietnamese
}

// Other is the other language than l: the one a page's language switch
// leads to.
func (l Lang) Other() Lang {
	if l == English {
		return Vietnamese
	}
	return English
}

// pick returns en for English and vi otherwise.
func (l Lang) pick(vi, en string) string {
	if l == English {
		return en
	}
	return vi
}

// Name is a record's name in l from its Vietnamese and English names (an
// agency's, an indicator's, a template's): the English one on English
// output when there is one, the Vietnamese one otherwise.
func Name(l Lang, nameVI, nameEN string) string {
	if l == English && strings.TrimSpace(nameEN) != "" {
		return nameEN
	}
	return nameVI
}
