// Package devstack brings up the services rcm needs on one machine without a
// container engine: it provisions the Temporal CLI, Mailpit, the Temporal
// server and its schema tool into a cache folder, runs the Temporal dev
// server, a Temporal cluster on PostgreSQL (frontend, history, matching and
// worker as processes of their own, configured from temporalconfig, as in
// production) and Mailpit, and finds or starts a PostgreSQL server.
// `rcm dev` and the tests use it.
package devstack
