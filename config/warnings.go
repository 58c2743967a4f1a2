package config

import (
	"fmt"
	"net/url"
	"strings"
)

// FeedKey is a source URL as far as telling two feeds apart goes: host
// case, a default port, a trailing slash and a fragment do not make another
// feed.
func FeedKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return raw
	}
	u.Scheme, u.Host, u.Fragment = strings.ToLower(u.Scheme), strings.ToLower(u.Host), ""
	u.Host = strings.TrimSuffix(strings.TrimSuffix(u.Host, ":80"), ":443")
	u.Path = strings.TrimRight(u.Path, "/")
	return u.String()
}

// duplicateURLs warns of sources that poll one feed: both are polled and
// stored, and every report appears twice. A warning, not a problem: a
// config written so on purpose (two categories of one feed) still runs.
func duplicateURLs(c *Config, lines lineMap) []Problem {
	var out []Problem
	first := map[string]int{}
	for i := range c.Sources {
		key := FeedKey(c.Sources[i].URL)
		j, seen := first[key]
		if !seen {
			first[key] = i
			continue
		}
		path := fmt.Sprintf("sources[%d].url", i)
		out = append(out, Problem{File: c.File, Line: lines.path[path], Key: path,
			Msg: fmt.Sprintf("warning: the same feed as sources[%d] (%s): both are polled and every item stored twice; remove one", j, c.Sources[j].Name)})
	}
	return out
}
