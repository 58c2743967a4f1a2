package opml

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/config"
)

func TestImportReaderExports(t *testing.T) {
	tests := []struct {
		file string
		want []ImportedSource
	}{
		{"feedly.opml", []ImportedSource{
			{Name: "hespress-fr", Title: "Hespress FR", URL: "https://fr.hespress.com/feed", Categories: []string{"maroc"}},
			{Name: "medias24", Title: "Médias24", URL: "https://medias24.com/feed/", Categories: []string{"maroc"}},
			{Name: "hespress", Title: "هسبريس", URL: "https://www.hespress.com/feed", Language: "ar", Categories: []string{"maroc"}},
			{Name: "challenge", Title: "Challenge", URL: "https://www.challenge.ma/feed", Categories: []string{"économie"}},
		}},
		{"miniflux.opml", []ImportedSource{
			{Name: "goud", Title: "كود", URL: "https://www.goud.ma/feed/", Language: "ar", Categories: []string{"أخبار"}},
			{Name: "alyaoum24", Title: "اليوم 24", URL: "https://alyaoum24.com/feed", Language: "ar", Categories: []string{"أخبار"}},
			{Name: "morocco-world-news", Title: "Morocco World News", URL: "https://www.moroccoworldnews.com/feed/", Categories: []string{"english"}},
		}},
		{"freshrss.opml", []ImportedSource{
			{Name: "l-economiste", Title: "L'Economiste", URL: "https://www.leconomiste.com/rss.xml", Language: "fr", Categories: []string{"presse"}},
			{Name: "le360-co", Title: "Le360 & co", URL: "https://fr.le360.ma/arc/outboundfeeds/rss/?outputType=xml", Language: "fr", Categories: []string{"presse"}},
			{Name: "hespress-fr", Title: "Hespress FR", URL: "https://fr.hespress.com/economie/feed", Categories: []string{"economie"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			doc, err := Parse(f)
			if err != nil {
				t.Fatal(err)
			}
			got := Sources(doc.Feeds())
			if len(got) != len(tt.want) {
				t.Fatalf("got %d sources: %+v", len(got), got)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.Name != w.Name || g.Title != w.Title || g.URL != w.URL || g.Language != w.Language || strings.Join(g.Categories, "|") != strings.Join(w.Categories, "|") {
					t.Errorf("source %d = %+v, want %+v", i, g, w)
				}
			}
			// The printed block is a valid configuration as it stands.
			block, err := YAML(got)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := config.Parse(tt.file+".yaml", block); err != nil {
				t.Errorf("imported block is not a valid config: %v\n%s", err, block)
			}
		})
	}
}

func TestImportNamesAreUnique(t *testing.T) {
	got := Sources([]Feed{{Title: "Hespress", XMLURL: "https://a/feed"}, {Title: "Hespress", XMLURL: "https://b/feed"}, {Title: "هسبريس", XMLURL: "https://www.hespress.com/feed"}, {Title: "!!!", XMLURL: "https://www.hespress.com/x"}})
	names := []string{}
	for _, s := range got {
		names = append(names, s.Name)
	}
	if strings.Join(names, " ") != "hespress hespress-2 hespress-3 hespress-4" {
		t.Errorf("names = %v", names)
	}
}

func TestExportRoundTrip(t *testing.T) {
	cfg, err := config.Load("../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := FromConfig(cfg, time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC))
	out, err := doc.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(strings.NewReader(string(out)))
	if err != nil {
		t.Fatal(err)
	}
	feeds := back.Feeds()
	if len(feeds) != len(cfg.Sources) {
		t.Fatalf("%d feeds exported, %d sources", len(feeds), len(cfg.Sources))
	}
	if back.Version != "2.0" || len(back.Body) != 3 {
		t.Errorf("version %q, %d language folders", back.Version, len(back.Body))
	}
	first := feeds[0]
	if first.Title != "هسبريس" || first.XMLURL != "https://www.hespress.com/feed" || first.Language != "ar" || first.HTMLURL != "https://www.hespress.com/" {
		t.Errorf("first feed = %+v", first)
	}
	if strings.Join(first.Categories, ",") != "ar,national" {
		t.Errorf("categories = %v", first.Categories)
	}
}

// An OPML outline's language nashra would refuse is left out of the entry
// (the source's items then get theirs from their headlines), so that one
// bad attribute does not block a whole merge. Seen from outside:
// language="zz" refused the merge of every feed with it.
func TestImportDropsUnknownLanguages(t *testing.T) {
	got := Sources([]Feed{
		{Title: "A", XMLURL: "https://a.example/feed", Language: "zz"},
		{Title: "B", XMLURL: "https://b.example/feed", Language: "fr-FR"},
		{Title: "C", XMLURL: "https://c.example/feed", Language: "klingon"},
	})
	var langs []string
	for _, s := range got {
		langs = append(langs, s.Language)
	}
	if strings.Join(langs, ",") != ",fr," {
		t.Errorf("languages %q, want none, fr, none", langs)
	}
	block, err := YAML(got)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := config.Parse("c.yaml", block); err != nil {
		t.Errorf("imported block is not a valid config: %v\n%s", err, block)
	}
}

// Seen from outside: an OPML file of 200,000 feeds took 1.8 GB to import.
// A file of more outlines than MaxOutlines, or of more than MaxBytes, is
// refused before it is decoded.
func TestParseRefusesHugeLists(t *testing.T) {
	outlines := func(n int) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>`)
		for i := range n {
			fmt.Fprintf(&b, `<outline type="rss" text="f%d" xmlUrl="https://h%d.example/feed"/>`, i, i)
		}
		b.WriteString(`</body></opml>`)
		return b.String()
	}
	if d, err := Parse(strings.NewReader(outlines(MaxOutlines))); err != nil || len(d.Feeds()) != MaxOutlines {
		t.Fatalf("%d outlines: %v", MaxOutlines, err)
	}
	if _, err := Parse(strings.NewReader(outlines(MaxOutlines + 1))); err == nil || !strings.Contains(err.Error(), "split the file") {
		t.Errorf("%d outlines: %v", MaxOutlines+1, err)
	}
	big := `<?xml version="1.0"?><opml version="2.0"><head><title>` + strings.Repeat("x", MaxBytes) + `</title></head><body></body></opml>`
	if _, err := Parse(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "MiB") {
		t.Errorf("a file of more than %d bytes: %v", MaxBytes, err)
	}
}

// Seen from outside at the fourth look: outlines in a namespace passed the
// byte count (20,000 imported), and 40,000 feeds of one host, named
// h-2 … h-40000, took minutes (each name counted up from 2).
func TestParseCountsNamespacedOutlinesAndNamesFast(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><opml version="2.0" xmlns:o="x"><head><title>x</title></head><body>`)
	for i := range MaxOutlines + 1 {
		fmt.Fprintf(&b, `<o:outline type="rss" xmlUrl="https://one.example/feed/%d"/>`, i)
	}
	b.WriteString(`</body></opml>`)
	if _, err := Parse(strings.NewReader(b.String())); err == nil || !strings.Contains(err.Error(), "split the file") {
		t.Errorf("%d namespaced outlines: %v", MaxOutlines+1, err)
	}
	feeds := make([]Feed, 40000)
	for i := range feeds {
		feeds[i] = Feed{XMLURL: fmt.Sprintf("https://one.example/feed/%d", i)}
	}
	start := time.Now()
	srcs := Sources(feeds)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("naming 40,000 feeds of one host took %s", d)
	}
	seen := map[string]bool{}
	for _, s := range srcs {
		if seen[s.Name] {
			t.Fatalf("name %s twice", s.Name)
		}
		seen[s.Name] = true
	}
}
