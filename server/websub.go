package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/nashra-ma/nashra/config"
)

// Notifier tells the configured WebSub hub when an output's content changed,
// so that subscribers get new items pushed instead of polling. It runs
// beside polling and never blocks it: Kick only flags that data changed.
type Notifier struct {
	s      *Server
	hub    string
	client *http.Client
	log    *slog.Logger
	kick   chan struct{}
	last   map[string]string // output name → ETag last announced

	// Debounce gathers a poll round's changes into one notification;
	// Retries and Backoff govern a hub that fails.
	Debounce time.Duration
	Retries  int
	Backoff  time.Duration
}

// NewNotifier returns a Notifier for s's hub, or nil when none is configured.
func (s *Server) NewNotifier() *Notifier {
	hub := s.config().WebSub.Hub
	if hub == "" {
		return nil
	}
	return &Notifier{
		s: s, hub: hub, log: s.log,
		client:   &http.Client{Timeout: 15 * time.Second, CheckRedirect: refuseRedirect},
		kick:     make(chan struct{}, 1),
		last:     map[string]string{},
		Debounce: 2 * time.Second, Retries: 4, Backoff: 2 * time.Second,
	}
}

// refuseRedirect keeps the hub's client at the configured address: a
// redirect may lead anywhere, a private address included, and a 302 turns
// the POST into a GET that a 2xx answers as if published (seen from
// outside). The hub's final address belongs in websub.hub.
func refuseRedirect(req *http.Request, _ []*http.Request) error {
	return fmt.Errorf("%w to %s: redirects are not followed; set websub.hub to the address it gives", errHubRedirect, req.URL.Redacted())
}

// errHubRedirect is a hub's redirect: the configuration's to mend, not
// retried (seen from outside: five tries, ~30 s, for every URL).
var errHubRedirect = errors.New("the hub redirected")

// Kick records that stored items changed. It never blocks.
func (n *Notifier) Kick() {
	select {
	case n.kick <- struct{}{}:
	default: // a notification round is already due
	}
}

// Run announces changed outputs until ctx ends. What the outputs hold when
// Run starts is the baseline: a restart announces nothing by itself.
func (n *Notifier) Run(ctx context.Context) {
	n.changed(n.s.config()) // baseline
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.kick:
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(n.Debounce):
		}
		cfg := n.s.config()
		for _, out := range n.changed(cfg) {
			for _, f := range []format{formatRSS, formatAtom, formatJSON, formatText} { // every format that advertises the hub
				n.publish(ctx, selfURL(cfg, out, f))
			}
		}
	}
}

// changed returns the outputs whose content differs from the last announced.
func (n *Notifier) changed(cfg *config.Config) []*config.Output {
	var outs []*config.Output
	for i := range cfg.Outputs {
		out := &cfg.Outputs[i]
		rd, err := n.s.get(cfg, out, formatAtom)
		if err != nil {
			n.log.Warn("websub: render", "output", out.Name, "err", err)
			continue
		}
		if prev, seen := n.last[out.Name]; seen && prev != rd.etag {
			outs = append(outs, out)
		}
		n.last[out.Name] = rd.etag
	}
	return outs
}

// publish sends hub.mode=publish for one feed URL, retrying with backoff.
func (n *Notifier) publish(ctx context.Context, feedURL string) {
	form := url.Values{"hub.mode": {"publish"}, "hub.url": {feedURL}}
	wait := n.Backoff
	for attempt := 1; ; attempt++ {
		err := n.post(ctx, form)
		if err == nil {
			n.log.Info("websub: published", "hub", n.hub, "url", feedURL)
			n.s.metrics.WebSub(true)
			return
		}
		if attempt > n.Retries || ctx.Err() != nil || errors.Is(err, errHubRedirect) {
			n.log.Warn("websub: publish failed", "hub", n.hub, "url", feedURL, "attempts", attempt, "err", err)
			n.s.metrics.WebSub(false)
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (n *Notifier) post(ctx context.Context, form url.Values) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.hub, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := n.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && errors.Is(ue.Err, errHubRedirect) {
			return ue.Err // not "Post <the redirect's target>": nothing was posted there
		}
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("hub answered %s", resp.Status)
	}
	return nil
}
