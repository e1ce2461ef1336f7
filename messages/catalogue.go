package messages

import (
	"fmt"
	"sort"
)

// entry is one text of the catalogue: its Vietnamese and its English
// version, each an fmt format with the same verbs.
type entry struct{ vi, en string }

// tables are the catalogue's tables; a key is in exactly one of them
// (TestKeysAreUnique).
func tables() []map[string]entry {
	return []map[string]entry{pageTexts, problemTexts, statusTexts, resultTexts, mailTexts, sheetTexts, valueTexts, periodTexts, cliTexts, eventTexts, reasonTexts}
}

// lookup finds key's texts.
func lookup(key string) (entry, bool) {
	for _, t := range tables() {
		if e, ok := t[key]; ok {
			return e, true
		}
	}
	return entry{}, false
}

// Text returns the text of key in lang, formatted with args as by
// fmt.Sprintf when there are any (a text without args is returned as
// written, so a literal % needs no escaping). An unknown key is returned as
// it is, so a missing text shows where it is missing rather than nothing.
func Text(lang Lang, key string, args ...any) string {
	e, ok := lookup(key)
	if !ok {
		return key
	}
	format := lang.pick(e.vi, e.en)
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// Has reports whether the catalogue holds key.
func Has(key string) bool {
	_, ok := lookup(key)
	return ok
}

// Keys returns every key of the catalogue, sorted.
func Keys() []string {
	var keys []string
	for _, t := range tables() {
		for k := range t {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
