// Package systemtest runs rcm end to end on the real parts: the Temporal dev
// server, a PostgreSQL database of its own and an SMTP server on loopback,
// with the real worker, activities and operations. It has tests only.
package systemtest
