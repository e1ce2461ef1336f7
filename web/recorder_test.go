package web

import (
	"bytes"
	"io"
	"maps"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// recorder is a minimal http.ResponseWriter for handler calls without a network.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func mustRequest(t *testing.T, method, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, "http://rcm.test"+path, nil)
	require.NoError(t, err)
	return req
}

// validating serves every request with next and holds the exchange to
// openapi.yaml (contract.check); an exchange the document does not describe
// fails t, naming the request and printing the answer. Every test's
// requests go through it: the fixture's server runs it (so t is the test
// that built the fixture, also for the requests of its subtests), and
// handler calls without a network use serve.
func validating(t testing.TB, next http.Handler) http.Handler {
	c, err := loadContract()
	require.NoError(t, err)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var reqBody []byte
		if r.Body != nil {
			var err error
			if reqBody, err = io.ReadAll(r.Body); err != nil {
				http.Error(w, "read the request body: "+err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(reqBody))
		}
		req := r.Clone(r.Context()) // the handler may change r
		rec := newRecorder()
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if err := c.check(req.Context(), exchange{req: req, reqBody: reqBody, status: rec.status,
			header: rec.header.Clone(), body: rec.body.Bytes()}); err != nil {
			t.Errorf("%s %s: the exchange breaks openapi.yaml:\n%v\nanswer %d %s: %.2000s",
				r.Method, r.URL.RequestURI(), err, rec.status, rec.header.Get("Content-Type"), rec.body.Bytes())
		}
		maps.Copy(w.Header(), rec.header)
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes())
	})
}

// serve answers req with h, without a network, held to openapi.yaml as
// validating holds the fixture's server.
func serve(t *testing.T, h http.Handler, req *http.Request) *recorder {
	t.Helper()
	rec := newRecorder()
	validating(t, h).ServeHTTP(rec, req)
	return rec
}
