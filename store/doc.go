// Package store is rcm's PostgreSQL storage: the connection pool, the embedded
// SQL migrations and every query, in plain SQL.
package store
