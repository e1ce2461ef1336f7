// Package crashtest runs one reporting cycle on rcm's real processes — the
// built binary as `rcm serve` and `rcm worker`, a Temporal dev server on a
// database file, a private PostgreSQL cluster and an SMTP server — twice
// from the same script, side by side: once undisturbed, and once while the
// worker is killed during the deadline notice, a reminder wave and close,
// the Temporal server is killed and started again on its file, PostgreSQL
// is stopped for tens of seconds and the web server is killed while
// submissions arrive. It checks that no receipt is lost, no message goes
// out twice, every message is delivered or recorded as of unknown outcome,
// no workflow runs on after close and the final compliance is the same in
// both runs, and it reports the delay each fault added to the timeline. It
// has tests only.
package crashtest
