package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/opml"
)

// addCommand finds the feed at a URL (a feed, or a site's page that
// advertises one), shows what polling it would store, and appends it to the
// config's sources: (or prints the entry with -print).
func addCommand(opt options, words []string, stdout, stderr io.Writer) int {
	if len(words) != 1 {
		fmt.Fprintln(stderr, "usage: nashra add URL [-name N] [-language L] [-print]")
		return 2
	}
	cfg, err := config.LoadToAdd(opt.configPath) // its first source may be this one
	if !reportConfig(err, stderr) {
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	tr, err := findFeed(ctx, cfg, words[0], stdout)
	if err != nil {
		fmt.Fprintln(stderr, "nashra add:", err)
		return 1
	}
	for _, s := range cfg.Sources {
		if s.URL == tr.URL {
			fmt.Fprintf(stderr, "nashra add: %s is already configured as %s\n", tr.URL, s.Name)
			return 1
		}
	}
	entry := newEntry(cfg, tr, opt.addName, opt.addLanguage)
	tr.Source.Name = entry.Name
	if entry.Language == "" {
		fmt.Fprintln(stderr, "nashra add: the feed declares no language and its titles do not tell it: give one with -language (ar, fr, en…) or edit the entry")
	}
	printTrial(stdout, tr, cfg.Location)
	text, err := opml.Entries([]opml.ImportedSource{entry})
	if err != nil {
		fmt.Fprintln(stderr, "nashra add:", err)
		return 1
	}
	if opt.addPrint {
		fmt.Fprintf(stdout, "\n# for sources: in %s\n%s", cfg.File, text)
		return 0
	}
	if err := appendToConfig(cfg.File, text, stderr); err != nil {
		fmt.Fprintln(stderr, "nashra add:", err)
		return 1
	}
	fmt.Fprintf(stdout, "\nadded %s to %s:\n%s(a running service takes it on `nashra reload`)\n", entry.Name, cfg.File, text)
	return 0
}

// findFeed fetches raw; when it is a page rather than a feed, it says which
// feeds the page advertises and takes the first that decodes, then the
// usual feed paths of the site.
func findFeed(ctx context.Context, cfg *config.Config, raw string, stdout io.Writer) (*trial, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", raw)
	}
	now := time.Now()
	// Only the host the operator typed is trusted as a configured URL is
	// (it may be on a private network); a feed a page points elsewhere is
	// fetched as a redirect would be (seen from outside: a public page's
	// <link rel="alternate"> led nashra add to a loopback service).
	probe := func(target string) (*trial, error) {
		return tryFeed(ctx, cfg, cfg.AdHocSource("new", target), sameHostPort(target, raw), now)
	}
	tr, err := probe(raw)
	if err == nil {
		return tr, nil
	}
	if tr == nil || !errors.Is(err, feeds.ErrNotAFeed) {
		return nil, fmt.Errorf("%s: %w", raw, err)
	}
	base, _ := url.Parse(tr.URL)
	ads := feeds.Advertised(tr.body, base)
	var candidates []string
	if len(ads) == 0 {
		fmt.Fprintf(stdout, "%s is a page that advertises no feed; trying the usual paths\n", raw)
	} else {
		fmt.Fprintf(stdout, "%s is a page that advertises %d feed(s):\n", raw, len(ads))
		for _, a := range ads {
			// The page's words, bound for the operator's terminal: cleaned
			// as a feed's title is (an escape sequence seen from outside).
			fmt.Fprintf(stdout, "  %s  %s  %s\n", a.URL, aggregator.CleanText(a.Type, feeds.TextPlain), aggregator.CleanText(a.Title, feeds.TextGuess))
			candidates = append(candidates, a.URL)
		}
	}
	for _, p := range feeds.CommonFeedPaths {
		candidates = append(candidates, (&url.URL{Scheme: base.Scheme, Host: base.Host, Path: p}).String())
	}
	tried := map[string]bool{raw: true}
	advertised := len(ads) // the candidates the page gave, before the usual paths
	for i, c := range candidates {
		if tried[c] {
			continue
		}
		tried[c] = true
		tr, err := probe(c)
		if err == nil {
			fmt.Fprintf(stdout, "using %s\n\n", c)
			return tr, nil
		}
		// Why an advertised feed was not taken (seen from outside: one
		// refused on a private network went unexplained); the usual
		// paths, guesses, are summed up below.
		if i < advertised {
			fmt.Fprintf(stdout, "  not taken: %s: %s\n", c, aggregator.CleanText(err.Error(), feeds.TextPlain))
		}
	}
	return nil, fmt.Errorf("%s: no feed found (tried what the page advertises and %v)", raw, feeds.CommonFeedPaths)
}

// sameHostPort reports whether two URLs name one host and port, as the
// fetcher dials them.
func sameHostPort(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil && aggregator.HostPort(ua) == aggregator.HostPort(ub)
}

// newEntry is the config entry for the feed tried: the name given or one
// made from its title or host (unique in cfg), its title, and the language
// given, the feed's, or most of its items'.
func newEntry(cfg *config.Config, tr *trial, name, language string) opml.ImportedSource {
	taken := make([]string, len(cfg.Sources))
	for i, s := range cfg.Sources {
		taken[i] = s.Name
	}
	if language == "" {
		language = commonLanguage(tr)
	}
	e := opml.SourcesBeside([]opml.Feed{{Title: tr.Title, XMLURL: tr.URL, Language: language}}, taken)[0]
	if name != "" {
		e.Name = name
	}
	return e
}

// commonLanguage is the language most of the items were given.
func commonLanguage(tr *trial) string {
	count := map[string]int{}
	best := ""
	for _, it := range tr.Items {
		count[it.Language]++
		if it.Language != "" && count[it.Language] > count[best] {
			best = it.Language
		}
	}
	return best
}

// appendToConfig appends entries to path's sources: textually, checks the
// result loads as nashra would load it, and only then replaces the file.
func appendToConfig(path string, entries []byte, stderr io.Writer) error {
	// Written where the file lives: a link to it stays a link.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	old, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	updated, err := config.AppendSources(old, entries)
	if fe := (*config.FlowSourcesError)(nil); errors.As(err, &fe) {
		return fmt.Errorf("%s:%d: %w", path, fe.Line, config.ErrFlowSources)
	}
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".new-*")
	if err != nil {
		return fmt.Errorf("write next to %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(updated); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return fmt.Errorf("chmod %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	// Checked as the file it becomes: problems name path and its lines,
	// not the temporary file.
	if _, err := config.Parse(path, updated); !reportConfig(err, stderr) {
		return fmt.Errorf("%s left unchanged: with the new entries it would not load", path)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}
