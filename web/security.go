package web

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
)

// The pages' stylesheet and script, served as files so that the Content
// Security Policy needs no 'unsafe-inline'.
//
//go:embed static
var staticFiles embed.FS

// contentSecurityPolicy lets pages load only rcm's own files: no inline
// script or style, no plug-ins, no framing by any site, forms posted only
// here.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// setSecurityHeaders sets on every answer what a browser needs to keep it
// safe: the CSP, no MIME sniffing, no framing, no full address sent to
// other sites, and, when the server is reached over https, HSTS.
func (s *Server) setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	if s.secure {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}

// staticFile answers GET /static/{file} from the embedded files.
func (s *Server) staticFile(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	body, err := fs.ReadFile(staticFiles, "static/"+name)
	if err != nil {
		return errNotFound("file", name)
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}
