// Package reporting is rcm's domain, free of I/O: the records — agency,
// template, regime, cycle, obligation, submission, review, extension,
// notification — with their typed statuses and the transitions between them
// (CycleStatus, ObligationStatus, NotificationStatus, Decision); the rules
// over them, each written once — whether an obligation was on time and how it
// stands (Obligation.FinalState, LiveState, MissedDue), whether an agency may
// submit now (Obligation.MaySubmit), the compliance roll-up over the agency
// tree (RollUpCompliance) and the aggregation of accepted figures (Aggregate);
// reporting periods and their Decree 09 cut-off windows, deadline rules and
// the timeline of a cycle; the validation of templates and submitted values;
// and the one shape of a refused input field (FieldError). It imports nothing
// of rcm's, so every rule here can be tested as a table; the store maps rows
// to these types and builds its SQL's states from them.
package reporting
