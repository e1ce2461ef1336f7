package messages

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/reporting"
)

// verbPattern finds the fmt verbs of a format: %d, %[2]s, %.1f, and %%.
var verbPattern = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs are the verbs of a format, sorted, without their argument indexes:
// a language may name the same kind of argument in another form (a month
// by its number in Vietnamese, by its name in English), but every text of
// a key takes as many arguments of each kind.
func verbs(format string) []string {
	found := verbPattern.FindAllString(format, -1)
	for i, v := range found {
		if j := strings.Index(v, "]"); j > 0 {
			found[i] = "%" + v[j+1:]
		}
	}
	slices.Sort(found)
	return found
}

func TestEveryKeyHasBothLanguagesWithTheSameVerbs(t *testing.T) {
	keys := Keys()
	require.NotEmpty(t, keys)
	for _, key := range keys {
		e, _ := lookup(key)
		assert.NotEmpty(t, strings.TrimSpace(e.vi), "%s has no Vietnamese text", key)
		assert.NotEmpty(t, strings.TrimSpace(e.en), "%s has no English text", key)
		assert.Equal(t, verbs(e.vi), verbs(e.en), "%s: the Vietnamese and the English text take different arguments", key)
	}
}

func TestKeysAreUnique(t *testing.T) {
	seen := map[string]int{}
	for i, table := range tables() {
		for key := range table {
			if j, ok := seen[key]; ok {
				t.Errorf("key %q is in tables %d and %d", key, j, i)
			}
			seen[key] = i
		}
	}
}

func TestTextLooksUpAndFormats(t *testing.T) {
	assert.Equal(t, "trễ hạn", Text(Vietnamese, statusKey("late")))
	assert.Equal(t, "late", Text(English, statusKey("late")))
	assert.Equal(t, "no.such.key", Text(English, "no.such.key"), "an unknown key shows itself")
	assert.Equal(t, "trễ hạn", Text("", statusKey("late")), "no language is Vietnamese")
}

func TestEveryStatusOfTheDomainHasANameInBothLanguages(t *testing.T) {
	var codes []string
	for _, s := range reporting.ObligationStatuses() {
		codes = append(codes, string(s))
	}
	for _, s := range reporting.CycleStatuses() {
		codes = append(codes, string(s))
	}
	for _, d := range reporting.Decisions() {
		codes = append(codes, string(d))
	}
	codes = append(codes, string(reporting.LiveNotYetDue), string(reporting.LiveAwaitingReview))
	for _, code := range codes {
		assert.True(t, Has(statusKey(code)), "%s has no name", code)
		assert.NotEqual(t, code, StatusName(Vietnamese, code), "%s in Vietnamese", code)
	}
	assert.Equal(t, "đã hủy", StatusName(Vietnamese, "cancelled"))
	assert.Equal(t, "submitted, not reviewed", StatusName(English, "submitted_not_reviewed"))
	assert.Equal(t, "strange", StatusName(English, "strange"), "an unknown code is shown as it is")
}
