// Package worker builds and runs rcm's Temporal worker: it registers the
// workflows and activities and tunes the worker options.
package worker
