package notifications

import (
	"fmt"
	"strings"
)

// Lang is the language of a message.
type Lang string

// The languages rcm writes messages in. Vietnamese is the default.
const (
	Vietnamese Lang = "vi"
	English    Lang = "en"
)

// Langs returns the supported languages, the default first.
func Langs() []Lang { return []Lang{Vietnamese, English} }

// ParseLang returns the language named by s: "vi" or "en", case-insensitive,
// with an optional region ("vi-VN", "en_US"). The empty string means the
// default, Vietnamese.
func ParseLang(s string) (Lang, error) {
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
