// Package workflows holds rcm's deterministic Temporal code: the CycleWorkflow,
// a durable scheduler that runs one reporting cycle wave by wave, and the
// SubmissionWorkflow, the per-agency loop of review and resubmission. Workflows
// carry ids, states and times only; every side effect is an activity.
package workflows
