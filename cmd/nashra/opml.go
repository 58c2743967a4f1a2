package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/opml"
)

// opmlCommand runs `nashra opml export` and `nashra opml import FILE`.
func opmlCommand(opt options, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: nashra opml export | nashra opml import FILE [-merge config.yaml]")
		return 2
	}
	switch args[0] {
	case "export":
		cfg, ok := loadConfig(opt.configPath, stderr)
		if !ok {
			return 1
		}
		out, err := opml.FromConfig(cfg, time.Now()).Marshal()
		if err != nil {
			fmt.Fprintln(stderr, "nashra:", err)
			return 1
		}
		stdout.Write(out)
		return 0
	case "import":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "usage: nashra opml import FILE [-merge config.yaml]")
			return 2
		}
		f, err := os.Open(args[1])
		if err != nil {
			fmt.Fprintln(stderr, "nashra:", err)
			return 1
		}
		defer f.Close()
		doc, err := opml.Parse(f)
		if err != nil {
			fmt.Fprintf(stderr, "nashra: %s: %v\n", args[1], err)
			return 1
		}
		feeds := doc.Feeds()
		if len(feeds) == 0 {
			fmt.Fprintf(stderr, "nashra: %s: no feeds found\n", args[1])
			return 1
		}
		if opt.merge != "" {
			return mergeOPML(opt.merge, args[1], feeds, stdout, stderr)
		}
		feeds = newFeeds(feeds, nil, false, lookupHosts(feeds), stderr)
		out, err := opml.YAML(opml.Sources(feeds))
		if err != nil {
			fmt.Fprintln(stderr, "nashra:", err)
			return 1
		}
		fmt.Fprintf(stdout, "# %d sources from %s; check languages before use\n", len(feeds), args[1])
		stdout.Write(out)
		return 0
	default:
		fmt.Fprintf(stderr, "nashra: unknown opml command %q\n", args[0])
		return 2
	}
}

// mergeOPML appends feeds not yet in the config at path to its sources:,
// textually (the rest of the file stays as it is), with names unique there.
func mergeOPML(path, from string, feeds []opml.Feed, stdout, stderr io.Writer) int {
	cfg, ok := loadConfig(path, stderr)
	if !ok {
		return 1
	}
	resolve := func(string) []netip.Addr { return nil }
	if !cfg.AllowPrivateNetworks {
		resolve = lookupHosts(feeds)
	}
	feeds = newFeeds(feeds, cfg.Sources, cfg.AllowPrivateNetworks, resolve, stderr)
	if len(feeds) == 0 {
		fmt.Fprintf(stdout, "%s: every feed of %s is configured already\n", path, from)
		return 0
	}
	taken := make([]string, len(cfg.Sources))
	for i, s := range cfg.Sources {
		taken[i] = s.Name
	}
	text, err := opml.Entries(opml.SourcesBeside(feeds, taken))
	if err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 1
	}
	if err := appendToConfig(path, text, stderr); err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 1
	}
	fmt.Fprintf(stdout, "added %d sources from %s to %s; check their languages\n", len(feeds), from, path)
	return 0
}

// lookupHosts resolves the hosts of feeds for newFeeds, all at once and
// within three seconds in all: a host that does not resolve in time
// (offline, or no such name) resolves to nothing. Sixteen look-ups at a
// time, by sixteen goroutines: one goroutine a host took 2.4 GB for an
// OPML file of 200,000 (seen from outside).
func lookupHosts(list []opml.Feed) func(host string) []netip.Addr {
	return lookupHostsWith(list, net.DefaultResolver.LookupNetIP)
}

// lookupHostsWith is lookupHosts with its resolver given.
func lookupHostsWith(list []opml.Feed, lookup func(ctx context.Context, network, host string) ([]netip.Addr, error)) func(host string) []netip.Addr {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	found := map[string][]netip.Addr{}
	var hosts []string
	for _, f := range list {
		u, err := url.Parse(f.XMLURL)
		if err != nil || u.Hostname() == "" {
			continue
		}
		if _, seen := found[u.Hostname()]; !seen {
			found[u.Hostname()] = nil
			hosts = append(hosts, u.Hostname())
		}
	}
	var mu sync.Mutex
	next := make(chan string)
	var wg sync.WaitGroup
	for range min(16, len(hosts)) {
		wg.Go(func() {
			for host := range next {
				addrs, _ := lookup(ctx, "ip", host)
				mu.Lock()
				found[host] = addrs
				mu.Unlock()
			}
		})
	}
	for _, h := range hosts {
		next <- h
	}
	close(next)
	wg.Wait()
	return func(host string) []netip.Addr { return found[host] }
}

// newFeeds drops, with a warning each, the feeds whose URL is configured
// already or listed earlier in the OPML file, and, unless private networks
// are allowed, those whose host is written as a private address or
// resolves (resolve) to one: a configured URL is trusted to reach it (seen
// from outside: a third party's OPML brought http://169.254.169.254/, cloud
// metadata, and names of loopback hosts, in silence).
func newFeeds(found []opml.Feed, configured []config.Source, allowPrivate bool, resolve func(host string) []netip.Addr, stderr io.Writer) []opml.Feed {
	owner := map[string]string{}
	for _, s := range configured {
		owner[config.FeedKey(s.URL)] = s.Name
	}
	seen := map[string]bool{}
	var out []opml.Feed
	for _, f := range found {
		// A title goes into the config and onto pages: one line, as a feed's is.
		f.Title = aggregator.CleanText(f.Title, feeds.TextPlain)
		key := config.FeedKey(f.XMLURL)
		switch {
		case !isFeedURL(f.XMLURL):
			// Seen from outside: javascript:, data: and file: URLs printed
			// as sources, and a merge refused whole for them.
			fmt.Fprintf(stderr, "nashra: skipped %s: %q is not an http(s) URL\n", f.Title, config.RedactURL(f.XMLURL, nil))
		case owner[key] != "":
			fmt.Fprintf(stderr, "nashra: skipped %s: %s is already configured as %s\n", f.Title, f.XMLURL, owner[key])
		case seen[key]:
			fmt.Fprintf(stderr, "nashra: skipped %s: %s is listed twice in the OPML file\n", f.Title, f.XMLURL)
		case !allowPrivate && (aggregator.NamesPrivateAddress(f.XMLURL) || resolvesPrivate(f.XMLURL, resolve)):
			fmt.Fprintf(stderr, "nashra: skipped %s: %s is on a private network, which a configured URL may reach; add it by hand if you mean it\n", f.Title, config.RedactURL(f.XMLURL, nil))
		default:
			seen[key] = true
			out = append(out, f)
		}
	}
	return out
}

// isFeedURL reports whether raw is an absolute http(s) URL with a host, as a
// source's url must be.
func isFeedURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// resolvesPrivate reports whether raw's host resolves to a private network
// address.
func resolvesPrivate(raw string, resolve func(string) []netip.Addr) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return false
	}
	for _, a := range resolve(u.Hostname()) {
		if aggregator.IsPrivate(a) {
			return true
		}
	}
	return false
}
