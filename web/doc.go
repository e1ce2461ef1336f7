// Package web serves rcm's HTTP API (JSON, described by OpenAPI) and the pages
// for agencies and supervisors, checking on every request who is asking and
// which part of the agency tree they may see.
package web
