package httpclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// APIPrefix is the path prefix of every operation of the API version this
// client speaks.
const APIPrefix = "/api/v1"

// DefaultUserAgent is sent when WithUserAgent is not used.
const DefaultUserAgent = "scale-httpclient/1"

// TokenSource returns the bearer token of one request; it is called for
// every request, so it may refresh an expiring token.
type TokenSource func(ctx context.Context) (string, error)

// Client calls the Scale HTTP API. It is safe for concurrent use.
type Client struct {
	base      string
	hc        *http.Client
	token     TokenSource
	userAgent string
}

// Option configures a Client.
type Option func(*Client) error

// WithToken authenticates every request with a static bearer token.
func WithToken(token string) Option {
	return func(c *Client) error {
		if token == "" {
			return errors.New("httpclient: WithToken needs a token")
		}
		c.token = func(context.Context) (string, error) { return token, nil }
		return nil
	}
}

// WithTokenSource authenticates every request with the token src returns.
func WithTokenSource(src TokenSource) Option {
	return func(c *Client) error {
		if src == nil {
			return errors.New("httpclient: WithTokenSource needs a function")
		}
		c.token = src
		return nil
	}
}

// WithHTTPClient sends requests with hc instead of a client with a 60 s
// timeout. Give uploads of large statements a client without a timeout
// and bound them with the context instead.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("httpclient: WithHTTPClient needs a client")
		}
		c.hc = hc
		return nil
	}
}

// WithUserAgent sets the User-Agent header of every request.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		c.userAgent = ua
		return nil
	}
}

// New returns a client of the server at baseURL, its root such as
// "https://scale.example.com" (a trailing "/api/v1" is accepted too).
// Without WithToken or WithTokenSource requests carry no credentials and
// every operation answers 401.
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("httpclient: base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("httpclient: base URL %q must be an absolute http or https URL", baseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("httpclient: base URL %q must not have a query or fragment", baseURL)
	}
	base := strings.TrimSuffix(u.String(), "/")
	base = strings.TrimSuffix(base, APIPrefix)
	c := &Client{base: base + APIPrefix, hc: &http.Client{Timeout: 60 * time.Second}, userAgent: DefaultUserAgent}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// request describes one call of an operation.
type request struct {
	op          Operation
	params      []string
	query       url.Values
	body        io.Reader
	contentType string
	accept      string
}

// url expands the operation's path template with the escaped params, in
// order of appearance.
func (r *request) url(base string) (string, error) {
	path := r.op.Path
	for _, p := range r.params {
		i := strings.Index(path, "{")
		j := strings.Index(path, "}")
		if i < 0 || j < i {
			return "", fmt.Errorf("httpclient: %s: too many path parameters", r.op.ID)
		}
		if p == "" {
			return "", fmt.Errorf("httpclient: %s: empty %s", r.op.ID, path[i+1:j])
		}
		path = path[:i] + url.PathEscape(p) + path[j+1:]
	}
	if strings.Contains(path, "{") {
		return "", fmt.Errorf("httpclient: %s: missing path parameter", r.op.ID)
	}
	u := base + path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	return u, nil
}

// send performs r and returns the response of a 2xx answer; any other
// answer is returned as a *Problem with the body closed.
func (c *Client) send(ctx context.Context, r request) (*http.Response, error) {
	u, err := r.url(c.base)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, r.op.Method, u, r.body)
	if err != nil {
		return nil, fmt.Errorf("httpclient: %s: %w", r.op.ID, err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	accept := r.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept+", application/problem+json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if c.token != nil {
		tok, err := c.token(ctx)
		if err != nil {
			return nil, fmt.Errorf("httpclient: %s: token: %w", r.op.ID, err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("httpclient: %s: %w", r.op.ID, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		return nil, readProblem(resp)
	}
	return resp, nil
}

// call sends a JSON body (when in is not nil) and decodes a JSON answer into
// out (when out is not nil).
func (c *Client) call(ctx context.Context, op Operation, params []string, query url.Values, in, out any) error {
	r := request{op: op, params: params, query: query}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("httpclient: %s: encode request: %w", op.ID, err)
		}
		r.body, r.contentType = bytes.NewReader(b), "application/json"
	}
	resp, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return decodeBody(op, resp, out)
}

// decodeBody decodes a JSON answer into out, or drains it when out is nil.
func decodeBody(op Operation, resp *http.Response, out any) error {
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("httpclient: %s: decode response: %w", op.ID, err)
	}
	return nil
}

// values builds query parameters, leaving out empty ones.
type values url.Values

func (v values) set(k, s string) {
	if s != "" {
		url.Values(v).Set(k, s)
	}
}

func (v values) setInt(k string, n int) {
	if n != 0 {
		url.Values(v).Set(k, fmt.Sprint(n))
	}
}

func (v values) setBool(k string, b bool) {
	if b {
		url.Values(v).Set(k, "true")
	}
}

// FormatDate writes the civil date of t as "YYYY-MM-DD", the form of every
// date the API reads and writes.
func FormatDate(t time.Time) string { return t.Format(time.DateOnly) }
