// Package benchmarks measures rcm on the real stack — the Temporal dev
// server, PostgreSQL and an SMTP server on loopback — and prints every figure
// beside a baseline of the raw parts measured in the same run: raw
// Signal-With-Start for a submission, raw SMTP for a notice wave, one
// workflow per agency for a launch. Run them with scripts/bench.
package benchmarks
