// Package e2e tests rcm as people use it: the built binary, its serve and
// worker processes on a real database, Temporal dev server and SMTP server,
// and the command line walking the story of the README from a first staff
// user to a supervisor's compliance. It has tests only.
package e2e
