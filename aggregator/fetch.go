package aggregator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// maxRedirects is how many hops a fetch follows before it gives up (a loop).
const maxRedirects = 5

// feedAccept asks for feeds first; some CMSs serve HTML to a bare Accept.
const feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"

// Fetcher does conditional GETs of source feeds with one shared, bounded HTTP client.
type Fetcher struct {
	client    *http.Client
	userAgent string
	maxBody   int64

	// dialer connects where the operator allowed; publicDialer refuses
	// private addresses (see PrivateNetworks; guard nil: no refusal).
	dialer, publicDialer *net.Dialer
	guard                *privateGuard

	mu      sync.Mutex
	perHost int
	hosts   map[string]chan struct{}
}

// NewFetcher returns a Fetcher whose requests take at most timeout in all,
// read at most maxBody bytes (after decompression) and run at most perHost at
// once against one host.
func NewFetcher(timeout time.Duration, maxBody int64, perHost int, userAgent string) *Fetcher {
	f := &Fetcher{userAgent: userAgent, maxBody: maxBody, perHost: max(perHost, 1), hosts: map[string]chan struct{}{}}
	f.dialer = &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	f.publicDialer = &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: refusePrivate}
	transport := &http.Transport{
		Proxy:                 f.proxy,
		DialContext:           f.dial,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   max(perHost, 2),
		ForceAttemptHTTP2:     true,
	}
	f.client = &http.Client{Transport: transport, Timeout: timeout, CheckRedirect: f.checkRedirect}
	return f
}

// FetchRequest is one conditional GET.
type FetchRequest struct {
	URL          string
	ETag         string
	LastModified string
	UserAgent    string // overrides the fetcher's when set
	// Blocked, when set, is called when the request must wait for one of
	// its host's per_host slots (other sources of the host being fetched).
	Blocked func()
	// Acquired, when set, is called once the request holds one of its
	// host's slots, before it is sent: what came before was a wait for
	// other sources on the host, not this source's slowness. An error from
	// it (the poll could get no worker) gives up the slot and the fetch.
	Acquired func() error
}

// FetchResponse is a fetched body, or a 304.
type FetchResponse struct {
	Status       int
	NotModified  bool
	Body         []byte
	ContentType  string
	ETag         string
	LastModified string
	Header       http.Header
	// MovedTo is the final URL when every redirect followed was permanent (301/308).
	MovedTo string
}

// HTTPError is a response that was neither 2xx nor 304.
type HTTPError struct {
	Code   int
	Header http.Header
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// ErrBodyTooLarge is returned when a body exceeds the cap.
var ErrBodyTooLarge = errors.New("body too large")

type redirectKey struct{}

// redirects records the hops of one fetch, to tell a permanent move from a temporary one.
type redirects struct {
	permanent bool
	last      string
}

// maxErrorURL is how much of an address a fetch error quotes.
const maxErrorURL = 256

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if f.guard != nil && f.guard.literalPrivate(req.URL) {
		return fmt.Errorf("redirect to %s: %w", req.URL.Host, ErrPrivateAddress)
	}
	// No feed lives at such an address; a permanent move there would be
	// stored, shown on /sources and fetched at every poll (seen from
	// outside: 3 MiB).
	if len(req.URL.String()) > MaxURLBytes {
		return fmt.Errorf("redirect to an address longer than %d KiB", MaxURLBytes>>10)
	}
	if r, ok := req.Context().Value(redirectKey{}).(*redirects); ok && req.Response != nil {
		code := req.Response.StatusCode
		r.permanent = (len(via) == 1 || r.permanent) && (code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect)
		r.last = req.URL.String()
	}
	return nil
}

// Fetch performs req. A non-2xx, non-304 answer is a *HTTPError.
func (f *Fetcher) Fetch(ctx context.Context, req FetchRequest) (*FetchResponse, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	release, err := f.acquire(ctx, u.Host, req.Blocked)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	defer release()
	if req.Acquired != nil {
		if err := req.Acquired(); err != nil {
			return nil, err
		}
	}

	hops := &redirects{}
	hreq, err := http.NewRequestWithContext(context.WithValue(ctx, redirectKey{}, hops), http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	ua := f.userAgent
	if req.UserAgent != "" {
		ua = req.UserAgent
	}
	hreq.Header.Set("User-Agent", ua)
	hreq.Header.Set("Accept", feedAccept)
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := f.client.Do(hreq)
	if err != nil {
		// A *url.Error names the URL itself: a redirect's, which may be of
		// any length, is cut (the error is stored and logged).
		var ue *url.Error
		if errors.As(err, &ue) && len(ue.URL) > maxErrorURL {
			ue.URL = truncateBytes(ue.URL, maxErrorURL) + "…"
		}
		return nil, fmt.Errorf("fetch: %w", err)
	}
	defer resp.Body.Close()

	out := &FetchResponse{
		Status:       resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		Header:       resp.Header,
	}
	if hops.permanent && hops.last != "" {
		out.MovedTo = hops.last
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		// A 304 that omits a validator keeps the one we sent.
		if out.ETag == "" {
			out.ETag = req.ETag
		}
		if out.LastModified == "" {
			out.LastModified = req.LastModified
		}
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return out, &HTTPError{Code: resp.StatusCode, Header: resp.Header}
	}
	// The transport has already undone gzip, so the cap bounds what we hold, not what crossed the wire.
	body, err := readBody(resp, f.maxBody+1)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: read body: %w", req.URL, err)
	}
	if int64(len(body)) > f.maxBody {
		return nil, fmt.Errorf("fetch %s: %w (over %d bytes)", req.URL, ErrBodyTooLarge, f.maxBody)
	}
	out.Body = body
	return out, nil
}

// readBody reads at most limit bytes of resp's body, into one buffer of
// the announced length when there is one (io.ReadAll would grow its buffer
// from 512 bytes, copying a feed several times over).
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if n := resp.ContentLength; n > 0 && n < limit {
		buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead)) // room to read the end without growing
		_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit))
		return buf.Bytes(), err
	}
	return io.ReadAll(io.LimitReader(resp.Body, limit))
}

// acquire takes one of host's slots, waiting while perHost requests run;
// blocked (when set) is called first if it must wait. Waiters are served
// in the order they came (a channel's blocked senders are).
func (f *Fetcher) acquire(ctx context.Context, host string, blocked func()) (func(), error) {
	f.mu.Lock()
	sem, ok := f.hosts[host]
	if !ok {
		sem = make(chan struct{}, f.perHost)
		f.hosts[host] = sem
	}
	f.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	default:
	}
	if blocked != nil {
		blocked()
	}
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
