// Package notifications renders rcm's messages (Vietnamese and English, plain
// text and HTML, templates embedded in the binary) and delivers them over SMTP.
//
// It needs nothing else of rcm but the domain's event names (reporting) and
// the message catalogue (messages: the language type and how each language
// writes deadlines, numbers and percentages): activities decide who gets
// which message and claim the notification row (so that nothing is mailed
// twice); this package writes the message and hands it to the mail server.
//
// # Rendering
//
// NewRenderer parses templates/<lang>/<kind>.txt (subject and plain text,
// text/template) and templates/<lang>/<kind>.html (html/template, inside the
// shared templates/layout.html) once. Render checks first that the Data
// carries every field the kind requires (RequiredFields) and returns a
// *MissingFieldError naming the first one missing, so no message goes out
// with a blank. User text (a reviewer's reason, an extension reason) is
// escaped in the HTML part and shown as written in the text part. Subjects
// are one line.
//
// Times are shown in Data.Location as dd/mm/yyyy HH:MM. Deadlines are stored
// as the first instant after them (due 15/10/2026 is 16/10/2026 00:00 in the
// regime's zone); a deadline at midnight is shown as the day that ends
// there: "hết ngày 15/10/2026" / "end of 15/10/2026" in the body and
// "15/10/2026" in subjects. A deadline at any other time (a demo timeline in
// minutes) is shown with its time.
//
// # Delivery
//
// go-mail/mail/v2 writes the MIME message (multipart/alternative, UTF-8,
// quoted-printable, RFC 2047 headers); emersion/go-smtp's client speaks
// SMTP (PLAIN or LOGIN from go-sasl) over a connection this package dials
// and watches itself, so that the context bounds every step (go-mail's
// Dialer takes no context and hides its connection; go-smtp's client takes
// none either). A Batch is one connection reused for many messages: a
// refused message is followed by RSET and the connection carries on; a
// broken connection, or a 421 from a server that limits messages per
// connection, is replaced once per message when nothing can have been
// delivered. IsPermanent tells the caller which failures to record as final
// (invalid addresses or envelopes, 5xx refusals of a recipient or of the
// message, judged with their enhanced status codes: see
// SMTPError.Permanent) and which to retry.
package notifications
