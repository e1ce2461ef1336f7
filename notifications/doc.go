// Package notifications renders rcm's messages (Vietnamese and English, plain
// text and HTML, templates embedded in the binary) and delivers them over SMTP.
package notifications
