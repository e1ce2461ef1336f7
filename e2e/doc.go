// Package e2e tests rcm as people use it: the built binary, its serve and
// worker processes on a real database, Temporal (the dev server, or a
// cluster on PostgreSQL as in production, with processes killed mid-wave)
// and SMTP server, and the command line walking the story of the README
// from a first staff user to a supervisor's compliance. It has tests only.
package e2e
