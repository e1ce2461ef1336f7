// Package messages is rcm's one message catalogue: the languages rcm speaks
// (Vietnamese, the default, and English), how a request's language is
// chosen, every text people read in both languages under a stable key, and
// the ways each language writes the names of statuses, periods, deadlines,
// numbers and percentages.
//
// # Languages and negotiation
//
// Lang is the one language type of rcm. Negotiate picks a request's
// language from its sources in the order the caller gives them: an explicit
// choice (?lang=, a form's lang field: exactly "vi" or "en"), the signed-in
// user's or agency's own language, and the Accept-Language header, read by
// golang.org/x/text/language and matched against vi and en by a
// language.Matcher ("en-US,en;q=0.9" is English, "vi-VN" Vietnamese, "fr",
// "*" and a malformed header neither). No other package reads
// Accept-Language.
//
// # Texts
//
// Text(lang, key, args...) is the one lookup: each key has a Vietnamese and
// an English text, written as fmt formats with the same verbs in both.
// The tables are data in this package (pages.go holds the pages' words,
// problems.go the problems of the API, statuses.go the names of statuses,
// results.go the spreadsheets', mail.go the mail's words that are not
// in notifications' per-language templates, values.go the reasons a
// submitted figure is refused); the tests hold every key to a non-empty
// text in both languages with the same verbs, and fail when another package
// declares a table of its own.
//
// The bodies of the notification mails stay templates (notifications'
// templates/vi and templates/en), one file per kind and language, because a
// message is prose with conditions rather than a list of phrases; they take
// this package's Lang and its formats of deadlines, numbers and percentages.
package messages
