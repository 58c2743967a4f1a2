package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/news"
)

// testCommand fetches, decodes and normalises one source as a poll would,
// and prints what would be stored, without opening the database: it works
// while the service runs.
func testCommand(opt options, words []string, stdout, stderr io.Writer) int {
	if len(words) != 1 {
		fmt.Fprintln(stderr, "usage: nashra test SOURCE|URL")
		return 2
	}
	cfg, ok := loadConfig(opt.configPath, stderr)
	if !ok {
		return 1
	}
	src, err := sourceToTest(cfg, words[0])
	if err != nil {
		fmt.Fprintln(stderr, "nashra test:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	tr, err := tryFeed(ctx, cfg, src, true, time.Now())
	if tr != nil {
		printTrial(stdout, tr, cfg.Location)
	}
	if err != nil {
		// Named as every log names a source: no userinfo, no secret values.
		fmt.Fprintf(stderr, "nashra test: %s: %s\n", src.PublicURL(), src.Redact(err.Error()))
		return 1
	}
	return 0
}

// sourceToTest is the configured source named arg, or a source for the URL
// arg read with the config's zone and defaults.
func sourceToTest(cfg *config.Config, arg string) (*config.Source, error) {
	for i := range cfg.Sources {
		if cfg.Sources[i].Name == arg || cfg.Sources[i].URL == arg {
			return &cfg.Sources[i], nil
		}
	}
	if !strings.HasPrefix(arg, "http://") && !strings.HasPrefix(arg, "https://") {
		names := make([]string, len(cfg.Sources))
		for i, s := range cfg.Sources {
			names[i] = s.Name
		}
		return nil, fmt.Errorf("%q is neither a configured source (%s) nor an http(s) URL", arg, strings.Join(names, ", "))
	}
	return cfg.AdHocSource("test", arg), nil
}

// trial is what one fetch of a source gave, before any storing.
type trial struct {
	Source      *config.Source
	URL         string // fetched from (after permanent redirects)
	HTTP        int
	ContentType string
	Bytes       int
	Charset     string // decoded from; "" for UTF-8
	Invalid     int    // bytes replaced with U+FFFD: neither UTF-8 nor a charset the feed names
	Title       string // the document's
	Items       []news.Item
	Rejected    int
	Tally       aggregator.Tally

	body []byte // as fetched, for discovery when it is a page
}

// tryFeed is one poll of src through the service's own fetcher, decoder and
// normaliser, with no validators sent and nothing stored. A URL given on the
// command line is trusted as a configured one is.
func tryFeed(ctx context.Context, cfg *config.Config, src *config.Source, trusted bool, now time.Time) (*trial, error) {
	withSrc := *cfg
	if trusted {
		withSrc.Sources = append(slices.Clone(cfg.Sources), *src)
	}
	resp, err := newFetcher(&withSrc).Fetch(ctx, aggregator.FetchRequest{URL: src.URL, UserAgent: src.UserAgent})
	if err != nil {
		return nil, err
	}
	tr := &trial{Source: src, URL: src.URL, HTTP: resp.Status, ContentType: resp.ContentType, Bytes: len(resp.Body), body: resp.Body}
	if resp.MovedTo != "" {
		tr.URL = resp.MovedTo
	}
	tr.Charset = feeds.Charset(resp.Body, resp.ContentType, src.Charset)
	if tr.Charset == "unknown" {
		tr.Invalid = feeds.InvalidBytes(resp.Body)
	}
	doc, err := feeds.DecodeUpTo(resp.Body, resp.ContentType, src.Charset, src.MaxItems)
	if err != nil {
		return tr, feeds.WithAdvertised(err, resp.Body, tr.URL)
	}
	// The feed's title goes to the operator's terminal and, through add,
	// into the config: cleaned as its items' titles are (control
	// characters out, seen from outside as a raw escape sequence).
	tr.Title, tr.Rejected = aggregator.CleanText(doc.Title, feeds.TextGuess), doc.Rejected
	tr.Items, tr.Tally = aggregator.NormaliseTally(doc, src, tr.URL, now.UTC())
	return tr, nil
}

func printTrial(w io.Writer, tr *trial, loc *time.Location) {
	fmt.Fprintf(w, "%s: %s\n", tr.Source.Name, tr.Source.PublicURL())
	if tr.URL != tr.Source.URL {
		fmt.Fprintf(w, "moved permanently to %s\n", tr.Source.Redact(tr.URL))
	}
	fmt.Fprintf(w, "HTTP %d, %s, %d bytes\n", tr.HTTP, tr.ContentType, tr.Bytes)
	if tr.Charset != "" {
		fmt.Fprintf(w, "charset: %s, decoded to UTF-8\n", tr.Charset)
	}
	if tr.Title != "" {
		fmt.Fprintf(w, "feed title: %s\n", tr.Title)
	}
	if tr.Items == nil && tr.Title == "" {
		return // not decoded
	}
	fmt.Fprintf(w, "times in %s\n\n", loc)
	for _, it := range tr.Items {
		lang := ""
		if it.Language != "" {
			lang = "[" + it.Language + "] "
		}
		fmt.Fprintf(w, "%s  %s%s\n    %s (time from %s)\n", it.Time.In(loc).Format("2006-01-02 15:04 -07:00"), lang, it.Title, it.Link, it.TimeFrom)
	}
	fmt.Fprintf(w, "\n%d items; nothing stored (the database is not opened)\n", len(tr.Items))
	for _, r := range repairs(tr) {
		fmt.Fprintln(w, r)
	}
}

// repairs lists, one line each, what decoding and normalising changed or
// left out.
func repairs(tr *trial) []string {
	var out []string
	add := func(what string, n int, why string) {
		if n > 0 {
			out = append(out, fmt.Sprintf("%s: %d (%s)", what, n, why))
		}
	}
	add("invalid bytes replaced", tr.Invalid, "neither UTF-8 nor a charset the feed names: each shown as �; set the source's charset: to the outlet's, e.g. windows-1256")
	add("rejected", tr.Rejected, "broken: markup swallowed by the title, or neither link nor guid")
	add("untitled", tr.Tally.Untitled, "no title once cleaned: left out")
	add("repeated", tr.Tally.Repeated, "an earlier entry's identity again: left out")
	add("capped", tr.Tally.Capped, "beyond max_items: the oldest, left out")
	add("future-dated", tr.Tally.FutureDated, "kept, placed at the time first seen")
	add("expired", tr.Tally.Expired, "older than retention: left out, as pruning would")
	add("proxy suffix stripped", tr.Tally.ProxyStripped, `an aggregator's " - Outlet" removed from the title`)
	return out
}
