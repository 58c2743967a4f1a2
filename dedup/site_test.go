package dedup

import "testing"

func TestOwnSite(t *testing.T) {
	for _, c := range []struct {
		link, home string
		own        bool
	}{
		{"https://www.hespress.com/politique/a-123.html", "https://www.hespress.com/", true},
		{"https://fr.hespress.com/a.html", "https://www.hespress.com/", true},
		{"https://HESPRESS.com./a", "https://www.hespress.com/", true},
		{"https://www.hespress.com/a.html", "https://evil.example/", false},
		{"https://www.hespress.com/a.html", "https://news.google.com/", false},
		{"https://le360.ma/a", "https://fr.le360.ma/", true},
		{"https://a.blogspot.com/x", "https://b.blogspot.com/", false},
		{"https://www.bbc.co.uk/news/1", "https://feeds.bbc.co.uk/", true},
		{"http://127.0.0.1:8080/a", "http://127.0.0.1:9090/", true},
		{"https://www.hespress.com/a", "", false},
		{"", "https://www.hespress.com/", false},
		{"not a url", "https://www.hespress.com/", false},
	} {
		if got := OwnSite(c.link, c.home); got != c.own {
			t.Errorf("OwnSite(%q, %q) = %v, want %v", c.link, c.home, got, c.own)
		}
	}
}
