package feeds

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestAdvertised attacks feed discovery on a site's page: feeds missed,
// relative links left unresolved, non-feed alternates taken for feeds.
func TestAdvertised(t *testing.T) {
	base, _ := url.Parse("https://www.example.ma/actu/index.html")
	cases := []struct {
		name, page string
		want       []string
	}{
		{"rss atom and json feed, relative and absolute",
			`<html><head><link rel="alternate" type="application/rss+xml" title="RSS" href="/feed"><link rel="alternate" type="application/atom+xml" href="https://www.example.ma/atom.xml"><link rel="alternate" type="application/feed+json" href="feed.json"></head></html>`,
			[]string{"https://www.example.ma/feed", "https://www.example.ma/atom.xml", "https://www.example.ma/actu/feed.json"}},
		{"other alternates are not feeds",
			`<link rel="alternate" hreflang="ar" href="/ar/"><link rel="stylesheet" type="text/css" href="/s.css"><link rel="alternate" type="application/json" href="/wp-json/">`, nil},
		{"rel with several words, type with parameters, case",
			`<LINK REL="Alternate nofollow" TYPE="application/RSS+xml; charset=utf-8" HREF="/rss">`, []string{"https://www.example.ma/rss"}},
		{"repeats and javascript: links dropped",
			`<link rel=alternate type=application/rss+xml href=/feed><link rel=alternate type=application/rss+xml href=/feed><link rel=alternate type=application/rss+xml href="javascript:alert(1)">`,
			[]string{"https://www.example.ma/feed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, a := range Advertised([]byte(c.page), base) {
				got = append(got, a.URL)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// TestWithAdvertised: a source configured with a site's page instead of its
// feed fails, and the failure names the feeds the page advertises (outside
// review: only `nashra add` said so).
func TestWithAdvertised(t *testing.T) {
	page := []byte(`<!doctype html><html><head><title>Site</title>
<link rel="alternate" type="application/rss+xml" href="/feed/">
<link rel="alternate" type="application/atom+xml" href="https://b.example/atom.xml">
</head><body>Bonjour</body></html>`)
	_, err := Decode(page, "text/html", "")
	got := WithAdvertised(err, page, "https://site.example/news/")
	if !errors.Is(got, ErrNotAFeed) || !strings.Contains(got.Error(), "https://site.example/feed/") || !strings.Contains(got.Error(), "https://b.example/atom.xml") {
		t.Errorf("error %q should stay a not-a-feed error naming both advertised feeds", got)
	}
	plain := []byte(`<html><body>no feeds here</body></html>`)
	_, err = Decode(plain, "text/html", "")
	if got := WithAdvertised(err, plain, "https://site.example/"); got.Error() != err.Error() {
		t.Errorf("a page that advertises nothing: %q, want the error unchanged", got)
	}
}
