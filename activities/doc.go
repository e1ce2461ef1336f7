// Package activities implements every side effect rcm's workflows need: opening
// a cycle in PostgreSQL, running a notification wave over thousands of agencies,
// classifying and aggregating at close. Every activity is idempotent, because
// Temporal retries them.
package activities
