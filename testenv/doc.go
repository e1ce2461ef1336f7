// Package testenv gives integration tests the real services they need: a fresh
// PostgreSQL database per test package, the Temporal dev server, a Temporal
// cluster on PostgreSQL (production's topology) for a test that wants it, and
// an SMTP server on loopback. A test that cannot get one fails loudly; it
// never skips.
package testenv
