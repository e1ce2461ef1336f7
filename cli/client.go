package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
)

// DefaultServer is where role commands find the API unless told otherwise.
const DefaultServer = "http://127.0.0.1:8080"

// clientFlags are the flags of every command that talks to the API.
func clientFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "server", Usage: "address of the rcm API", Value: DefaultServer, EnvVars: []string{"RCM_SERVER"}},
		&ucli.StringFlag{Name: "token", Usage: "your API token (rcm_…); prefer the RCM_TOKEN variable, which stays out of shell history", EnvVars: []string{"RCM_TOKEN"}},
	}
}

// apiClient calls the rcm HTTP API with the caller's token.
type apiClient struct {
	server string
	token  string
	http   *http.Client
}

// newClient builds the client from --server and --token.
func newClient(c *ucli.Context) (*apiClient, error) {
	server := strings.TrimRight(c.String("server"), "/")
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageError("--server %q is not an http:// or https:// address, such as %s", server, DefaultServer)
	}
	return &apiClient{server: server, token: c.String("token"), http: &http.Client{Timeout: 5 * time.Minute}}, nil
}

// APIError is an error answer of the API, as the command line reports it.
type APIError struct {
	Status  int
	Problem api.Problem
}

// Error is the problem's detail, each refused field on its own line, and a
// hint for denials.
func (e *APIError) Error() string {
	var b strings.Builder
	msg := e.Problem.Detail
	if msg == "" {
		msg = e.Problem.Title
	}
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	b.WriteString(msg)
	for _, f := range e.Problem.Errors {
		b.WriteString("\n  ")
		if f.Field != "" {
			b.WriteString(f.Field)
			b.WriteString(": ")
		}
		if f.Line > 0 {
			fmt.Fprintf(&b, "line %d: ", f.Line)
		}
		b.WriteString(f.Reason)
	}
	switch e.Status {
	case http.StatusUnauthorized:
		b.WriteString("\n(check --token or RCM_TOKEN; office staff create tokens with rcm user token create)")
	case http.StatusForbidden:
		b.WriteString("\n(your role does not allow this; ask the office staff)")
	}
	return b.String()
}

// exitCode maps an HTTP status to the exit status scripts see.
func exitCode(status int) int {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return ExitDenied
	case http.StatusNotFound:
		return ExitNotFound
	case http.StatusConflict:
		return ExitConflict
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity, http.StatusUnsupportedMediaType:
		return ExitUsage
	case http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		return ExitUnavailable
	default:
		return ExitFailure
	}
}

// send makes a request and returns the answer if it is a success; an error
// answer becomes an *ExitError wrapping an *APIError.
func (cl *apiClient) send(ctx context.Context, method, path string, body io.Reader, contentType string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, cl.server+path, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json, application/problem+json")
	if cl.token != "" {
		req.Header.Set("Authorization", "Bearer "+cl.token)
	}
	resp, err := cl.http.Do(req)
	if err != nil {
		if isUnreachable(err) {
			return nil, &ExitError{Code: ExitUnavailable, Err: fmt.Errorf(
				"cannot reach the rcm server at %s: is `rcm serve` or `rcm dev` running at %s? (set --server or RCM_SERVER)", cl.server, cl.server)}
		}
		return nil, &ExitError{Code: ExitUnavailable, Err: fmt.Errorf("%s %s: %w", method, path, err)}
	}
	if resp.StatusCode < 400 {
		return resp, nil
	}
	defer resp.Body.Close()
	apiErr := &APIError{Status: resp.StatusCode}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/problem+json" || mt == "application/json" {
		_ = json.Unmarshal(raw, &apiErr.Problem)
	}
	if apiErr.Problem.Detail == "" && apiErr.Problem.Title == "" {
		apiErr.Problem.Detail = fmt.Sprintf("%s %s: %s %s", method, path, resp.Status, strings.TrimSpace(string(raw)))
	}
	return nil, &ExitError{Code: exitCode(resp.StatusCode), Err: apiErr}
}

// do sends in as JSON (when not nil) and decodes the answer into out (when not nil).
func (cl *apiClient) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	contentType := ""
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		body, contentType = bytes.NewReader(b), "application/json"
	}
	return cl.doRaw(ctx, method, path, body, contentType, out)
}

// jsonBody encodes v as a request body.
func jsonBody(v any) (*bytes.Buffer, error) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return &buf, nil
}

// doRaw is do with a body already encoded.
func (cl *apiClient) doRaw(ctx context.Context, method, path string, body io.Reader, contentType string, out any) error {
	resp, err := cl.send(ctx, method, path, body, contentType)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: read the answer: %w", method, path, err)
	}
	return nil
}

// download copies the body of a GET to w.
func (cl *apiClient) download(ctx context.Context, path string, w io.Writer) error {
	resp, err := cl.send(ctx, http.MethodGet, path, nil, "")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}

// listAll follows the pages of a list until the end, or until max items
// (0 = no bound).
func listAll[T any](ctx context.Context, cl *apiClient, path string, query url.Values, max int) ([]T, error) {
	var all []T
	for {
		var p api.Page[T]
		if err := cl.do(ctx, http.MethodGet, path+"?"+query.Encode(), nil, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.Next == "" || (max > 0 && len(all) >= max) {
			break
		}
		query.Set("after", p.Next)
	}
	if max > 0 && len(all) > max {
		all = all[:max]
	}
	return all, nil
}

func isUnreachable(err error) bool {
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dnsErr) ||
		(errors.As(err, &opErr) && opErr.Op == "dial")
}

// getNamed fetches the one thing the command's single argument names, at
// prefix + the argument; without exactly one argument it says usage.
func getNamed(c *ucli.Context, usage, prefix string, out any) error {
	if c.NArg() != 1 {
		return usageError("%s", usage)
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	return cl.do(c.Context, http.MethodGet, prefix+pathEscape(c.Args().First()), nil, out)
}

// pathEscape escapes one path segment.
func pathEscape(s string) string { return url.PathEscape(s) }
