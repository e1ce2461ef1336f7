// Package devstack brings up the services rcm needs on one machine without a
// container engine: it provisions the Temporal CLI and Mailpit into a cache
// folder, runs the Temporal dev server and Mailpit, and finds or starts a
// PostgreSQL server. `rcm dev` and the test script use it.
package devstack
