package aggregator

import (
	"testing"
	"time"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
)

// Google News titles end in " - Outlet": the outlet is named elsewhere, the
// suffix goes (and it kept the proxy's copy from matching the outlet's story).
func TestStripProxySuffix(t *testing.T) {
	tests := []struct{ scenario, in, want string }{
		{"Latin outlet", "ONCF : trafic en hausse au premier trimestre - Le360", "ONCF : trafic en hausse au premier trimestre"},
		{"Arabic outlet", "برادة يراجع معايير اختيار مؤسسات الريادة - هسبريس", "برادة يراجع معايير اختيار مؤسسات الريادة"},
		{"outlet of several words", "Morocco wins the cup - Morocco World News", "Morocco wins the cup"},
		{"only the last suffix", "Casablanca - Rabat : le TGV arrive - Médias24", "Casablanca - Rabat : le TGV arrive"},
		{"no suffix", "Titre sans suffixe", "Titre sans suffixe"},
		{"a dash with nothing before it is kept", " - Le360", " - Le360"},
		{"a long tail is a headline, not an outlet", "Match - le Maroc bat l'Espagne aux tirs au but après prolongation", "Match - le Maroc bat l'Espagne aux tirs au but après prolongation"},
	}
	for _, tt := range tests {
		if got := StripProxySuffix(tt.in); got != tt.want {
			t.Errorf("%s: %q → %q, want %q", tt.scenario, tt.in, got, tt.want)
		}
	}
}

// Only a proxy's titles lose their last " - …": an outlet's own headline
// with a dash is its headline.
func TestNormaliseStripsOnlyProxyTitles(t *testing.T) {
	at := tallyNow.Add(-time.Minute)
	doc := &feeds.Document{Entries: []feeds.Entry{{Link: "https://news.google.com/rss/articles/abc", GUID: "abc", Title: "ONCF : trafic en hausse - Le360", PublishedParsed: &at}}}
	tests := []struct {
		scenario string
		src      config.Source
		want     string
	}{
		{"Google News, a proxy by default", config.Source{Name: "g", URL: "https://news.google.com/rss?hl=fr"}, "ONCF : trafic en hausse"},
		{"an outlet", config.Source{Name: "o", URL: "https://fr.le360.ma/feed"}, "ONCF : trafic en hausse - Le360"},
	}
	for _, tt := range tests {
		items, _ := NormaliseTally(doc, &tt.src, tt.src.URL, tallyNow)
		if len(items) != 1 || items[0].Title != tt.want {
			t.Errorf("%s: %+v, want title %q", tt.scenario, items, tt.want)
		}
	}
}
