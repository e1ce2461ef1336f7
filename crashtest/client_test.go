package crashtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// apiClient calls rcm's HTTP API as a connected system does: a request the
// server could not answer (refused connection, reset, 5xx) is sent again,
// with the same Idempotency-Key, until it is answered or ctx ends.
type apiClient struct {
	base       string
	http       *http.Client
	retryEvery time.Duration
}

func newAPIClient(base string) *apiClient {
	return &apiClient{base: base, http: &http.Client{Timeout: 15 * time.Second}, retryEvery: 200 * time.Millisecond}
}

// answer is the server's answer to a request, and what it took to get it.
type answer struct {
	status   int
	body     []byte
	attempts int
	took     time.Duration
}

// call sends the request until the server answers below 500.
func (c *apiClient) call(ctx context.Context, method, path, token, idempotencyKey string, body any) (answer, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return answer{}, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		a, err := c.once(ctx, method, path, token, idempotencyKey, payload)
		if err == nil && a.status < 500 {
			a.attempts, a.took = attempt, time.Since(start)
			return a, nil
		}
		if err == nil {
			err = fmt.Errorf("%d: %s", a.status, a.body)
		}
		select {
		case <-ctx.Done():
			return answer{attempts: attempt}, fmt.Errorf("%s %s: no answer after %d attempts in %s: %v",
				method, path, attempt, time.Since(start).Round(time.Millisecond), err)
		case <-time.After(c.retryEvery):
		}
	}
}

func (c *apiClient) once(ctx context.Context, method, path, token, idempotencyKey string, payload []byte) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(payload))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{status: resp.StatusCode, body: b}, nil
}

// json calls and decodes a successful answer into out, requiring one of
// the statuses given.
func (c *apiClient) json(ctx context.Context, method, path, token string, body, out any, want ...int) (answer, error) {
	a, err := c.call(ctx, method, path, token, "", body)
	if err != nil {
		return a, err
	}
	for _, w := range want {
		if a.status == w {
			if out == nil {
				return a, nil
			}
			if err := json.Unmarshal(a.body, out); err != nil {
				return a, fmt.Errorf("%s %s: decode %s: %w", method, path, a.body, err)
			}
			return a, nil
		}
	}
	return a, fmt.Errorf("%s %s: answered %d, want %v: %s", method, path, a.status, want, a.body)
}
