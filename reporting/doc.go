// Package reporting is rcm's domain, free of I/O: reporting periods and their
// Decree 09 cut-off windows, deadline rules, the timeline of a cycle, templates
// and the validation of submitted values, compliance classification and the
// aggregation of accepted figures along the agency tree. It imports nothing of
// rcm's, so every rule here can be tested as a table.
package reporting
