package record

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nashra-ma/nashra/news"
)

// headline is one line of the story package's labelled sets: real-looking
// Moroccan headlines, invented, in Arabic, French and a few in English.
type headline struct {
	group, lang, text string
}

// loadHeadlines reads every labelled headline set in story/testdata.
func loadHeadlines(tb testing.TB) []headline {
	tb.Helper()
	files := []string{
		"../story/testdata/headlines-ar.tsv",
		"../story/testdata/headlines-fr.tsv",
		"../story/testdata/independent/tune.tsv",
		"../story/testdata/independent/test.tsv",
	}
	var all []headline
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatalf("sample: %v", err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			cols := strings.Split(line, "\t")
			if len(cols) < 4 {
				continue
			}
			// Groups are named per file: the same topic name in two files is two topics.
			all = append(all, headline{group: filepath.Base(name) + "/" + cols[0], lang: cols[2], text: cols[len(cols)-1]})
		}
		f.Close()
		if err := sc.Err(); err != nil {
			tb.Fatalf("sample: read %s: %v", name, err)
		}
	}
	if len(all) < 500 {
		tb.Fatalf("sample: only %d headlines in story/testdata", len(all))
	}
	return all
}

// outlet is how one kind of source shapes its items' links and GUIDs.
type outlet struct {
	name, lang string
	link       func(r *rand.Rand, title string, id int) string
	guid       func(link string, id int) string // "" when the feed gives none
	authors    []string
	categories []string
	image      bool
}

func slug(title string, n int) string {
	words := strings.Fields(title)
	if len(words) > n {
		words = words[:n]
	}
	return strings.Join(words, "-")
}

var outlets = []outlet{
	{ // WordPress, Arabic slug percent-encoded, ?p=ID GUIDs (cmd/nashra/testdata/hespress-ar.xml)
		name: "hespress-ar", lang: "ar",
		link: func(r *rand.Rand, title string, id int) string {
			return "https://www.hespress.com/" + url.PathEscape(slug(title, 3)) + fmt.Sprintf("-%d.html", id)
		},
		guid:       func(_ string, id int) string { return fmt.Sprintf("https://www.hespress.com/?p=%d", id) },
		authors:    []string{"هسبريس من الرباط", "هسبريس - و.م.ع", ""},
		categories: []string{"سياسة", "اقتصاد", "رياضة", "مجتمع", "جهات", "دولية"},
		image:      true,
	},
	{ // Arc-style, Latin slug and an id suffix; the GUID is the link
		name: "le360-fr", lang: "fr",
		link: func(r *rand.Rand, title string, id int) string {
			s := strings.ToLower(url.PathEscape(slug(title, 6)))
			return "https://fr.le360.ma/" + []string{"economie", "politique", "societe", "sports"}[r.IntN(4)] + "/" + s + fmt.Sprintf("_%X/", id*7919)
		},
		guid:       func(link string, _ int) string { return link },
		categories: []string{"Economie", "Politique", "Société", "Sports"},
		image:      true,
	},
	{ // JSON Feed, id = URL
		name: "goud-ar", lang: "ar",
		link: func(r *rand.Rand, title string, id int) string {
			return fmt.Sprintf("https://www.goud.ma/%s-%d/", url.PathEscape(slug(title, 4)), id)
		},
		guid:    func(link string, _ int) string { return link },
		authors: []string{"كود ـ الرباط", ""},
	},
	{ // wire: no GUID, the link is the identity
		name: "map-fr", lang: "fr",
		link: func(r *rand.Rand, title string, id int) string {
			return fmt.Sprintf("https://www.mapexpress.ma/actualite/%d/", id)
		},
		guid:       func(string, int) string { return "" },
		categories: []string{"Activités Royales", "Economie", "Régions", "Monde"},
	},
	{
		name: "medias24-fr", lang: "fr",
		link: func(r *rand.Rand, title string, id int) string {
			return fmt.Sprintf("https://medias24.com/2026/04/%02d/%s/", 1+r.IntN(28), strings.ToLower(url.PathEscape(slug(title, 7))))
		},
		guid:    func(_ string, id int) string { return fmt.Sprintf("https://medias24.com/?p=%d", id) },
		authors: []string{"Médias24", "Rédaction", "Hamza Mekouar"},
		image:   true,
	},
}

// summaryFrom writes a summary of about want runes in one language from
// headlines of distinct topics, so that no summary repeats itself more than
// a lead paragraph does: the text is varied, never one text repeated.
func summaryFrom(r *rand.Rand, pool []headline, want int, skipGroup string) string {
	var b strings.Builder
	used := map[string]bool{skipGroup: true}
	for tries := 0; utf8.RuneCountInString(b.String()) < want && tries < 100; tries++ {
		h := pool[r.IntN(len(pool))]
		if used[h.group] {
			continue
		}
		used[h.group] = true
		if b.Len() > 0 {
			if h.lang == "ar" {
				b.WriteString([]string{"، ", ". ", "؛ "}[r.IntN(3)])
			} else {
				b.WriteString([]string{", ", ". ", " ; "}[r.IntN(3)])
			}
		}
		b.WriteString(h.text)
	}
	s := b.String()
	if utf8.RuneCountInString(s) > want+60 {
		s = string([]rune(s)[:want]) + "…"
	}
	return s
}

// sampleItems returns n varied, realistic items as the aggregator stores
// them: real-looking Arabic and French headlines and summaries of 150–400
// characters (about 300 on average), outlet-shaped links and GUIDs, and the
// times a first store sets.
func sampleItems(tb testing.TB, n int) []news.Item {
	tb.Helper()
	all := loadHeadlines(tb)
	byLang := map[string][]headline{}
	for _, h := range all {
		byLang[h.lang] = append(byLang[h.lang], h)
	}
	r := rand.New(rand.NewPCG(12, 2026))
	base := time.Date(2026, 4, 14, 6, 0, 0, 0, time.UTC)
	items := make([]news.Item, 0, n)
	for i := range n {
		o := outlets[r.IntN(len(outlets))]
		pool := byLang[o.lang]
		h := pool[r.IntN(len(pool))]
		id := 1200000 + i*3 + r.IntN(3)
		link := o.link(r, h.text, id)
		guid := o.guid(link, id)
		published := base.Add(time.Duration(i)*97*time.Second + time.Duration(r.IntN(3600))*time.Second)
		firstSeen := published.Add(time.Duration(30+r.IntN(900))*time.Second + time.Duration(r.Int64N(1e9)))
		it := news.Item{
			Source:    o.name,
			GUID:      guid,
			Link:      link,
			Title:     h.text,
			Summary:   summaryFrom(r, pool, 150+r.IntN(250), h.group),
			Language:  o.lang,
			Published: published,
			FirstSeen: firstSeen,
			Changed:   firstSeen,
			Time:      published,
			TimeFrom:  news.TimeFromPublished,
		}
		if len(o.authors) > 0 {
			it.Author = o.authors[r.IntN(len(o.authors))]
		}
		if len(o.categories) > 0 {
			it.Categories = []string{o.categories[r.IntN(len(o.categories))]}
		}
		if o.image && r.IntN(4) > 0 {
			it.Image = fmt.Sprintf("https://cdn.%s.example/wp-content/uploads/2026/04/img-%d-%d.jpg", o.name, id, r.IntN(1000))
		}
		switch r.IntN(20) {
		case 0: // edited later
			it.Changed = firstSeen.Add(time.Duration(r.Int64N(int64(3 * time.Hour))))
			it.Updated = it.Changed.Truncate(time.Second)
		case 1: // no date: first seen
			it.Published = time.Time{}
			it.Time, it.TimeFrom = firstSeen, news.TimeFromFirstSeen
		case 2: // another outlet carried the same link
			it.AlsoIn = []string{outlets[r.IntN(len(outlets))].name}
		case 3:
			it.Story = fmt.Sprintf("%x", r.Uint64())
		}
		it.Identity = "guid:" + it.GUID // as aggregator.Identity names a unique GUID
		it.Key = itemKey(it.Source, it.Identity)
		items = append(items, it)
	}
	return items
}

// itemKey is aggregator.ItemKey (which this package cannot import: the
// aggregator stores through archive, which encodes with record).
func itemKey(source, identity string) string {
	sum := sha256.Sum256([]byte(source + "\x00" + identity))
	return hex.EncodeToString(sum[:12])
}
