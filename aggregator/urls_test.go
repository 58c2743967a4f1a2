package aggregator

import (
	"net/url"
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	mapBase, _ := url.Parse("https://www.mapnews.ma/ar")
	feedBase, _ := url.Parse("https://snrtnews.com/fr/rss_fr.xml")
	tests := []struct {
		name string
		raw  string
		base *url.URL
		want string
	}{
		{"utm parameters dropped", "https://www.moroccoworldnews.com/2026/04/98114/oncf/?utm_source=rss&utm_medium=rss&utm_campaign=oncf", nil,
			"https://www.moroccoworldnews.com/2026/04/98114/oncf/"},
		{"click ids dropped, others kept and sorted", "https://x.ma/a?id=2&fbclid=abc&gclid=z&mc_cid=1&b=1", nil, "https://x.ma/a?b=1&id=2"},
		{"fragment dropped", "https://x.ma/a#comments", nil, "https://x.ma/a"},
		{"scheme and host lower-cased", "HTTPS://WWW.Hespress.COM/feed", nil, "https://www.hespress.com/feed"},
		{"default https port dropped", "https://x.ma:443/a", nil, "https://x.ma/a"},
		{"default http port dropped", "http://x.ma:80/a", nil, "http://x.ma/a"},
		{"other port kept", "http://x.ma:8080/a", nil, "http://x.ma:8080/a"},
		{"empty path becomes slash", "https://x.ma", nil, "https://x.ma/"},
		{"lower-case percent hex normalised", "https://www.goud.ma/%d8%a8%d8%b1%d8%a7%d8%af%d8%a9-1/", nil,
			"https://www.goud.ma/%D8%A8%D8%B1%D8%A7%D8%AF%D8%A9-1/"},
		{"raw Arabic encoded", "https://www.goud.ma/برادة-1/", nil, "https://www.goud.ma/%D8%A8%D8%B1%D8%A7%D8%AF%D8%A9-1/"},
		{"needlessly encoded unreserved decoded", "https://x.ma/%7Euser/a%2Db", nil, "https://x.ma/~user/a-b"},
		{"encoded slash kept", "https://x.ma/a%2Fb", nil, "https://x.ma/a%2Fb"},
		{"root-relative against xml:base replaces the path", "/ar/actualites/x", mapBase, "https://www.mapnews.ma/ar/actualites/x"},
		{"relative against feed URL", "/fr/article/oncf-153297", feedBase, "https://snrtnews.com/fr/article/oncf-153297"},
		{"ampersand query kept", "http://www.echo-du-souss.example/article.php?id=5519&rub=2", nil, "http://www.echo-du-souss.example/article.php?id=5519&rub=2"},
		{"a query key without a value is left as it is", "https://x.ma/index.php?item", nil, "https://x.ma/index.php?item"},
		{"a valueless key among others, tracking dropped", "https://x.ma/p?print&utm_source=x&id=3", nil, "https://x.ma/p?id=3&print"},
		{"an empty value keeps its equals sign", "https://x.ma/p?q=&a=1", nil, "https://x.ma/p?a=1&q="},
		{"a repeated key keeps its values in order", "https://x.ma/p?t=2&t=1", nil, "https://x.ma/p?t=2&t=1"},
		{"a semicolon query is kept raw", "https://x.ma/p?a=1;b=2", nil, "https://x.ma/p?a=1;b=2"},
		{"an address at the cap is kept", "https://x.ma/" + strings.Repeat("a", MaxURLBytes-len("https://x.ma/")), nil, "https://x.ma/" + strings.Repeat("a", MaxURLBytes-len("https://x.ma/"))},
		{"an address past the cap is dropped, not cut", "https://x.ma/" + strings.Repeat("a", MaxURLBytes), nil, ""},
		{"an address that percent-encoding takes past the cap is dropped", "https://x.ma/" + strings.Repeat("ب", MaxURLBytes/3), nil, ""},
		{"not http", "mailto:a@b.ma", nil, ""},
		{"empty", "  ", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanonicalURL(tt.raw, tt.base); got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}
