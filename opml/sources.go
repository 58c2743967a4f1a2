package opml

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
)

// ImportedSource is a config source made from an OPML subscription.
type ImportedSource struct {
	Name       string   `yaml:"name"`
	Title      string   `yaml:"title,omitempty"`
	URL        string   `yaml:"url"`
	Language   string   `yaml:"language,omitempty"`
	Categories []string `yaml:"categories,flow,omitempty"`
}

var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// Sources turns feeds into config sources with unique, valid names: from the
// title when it is written in Latin letters, else from the feed's host.
func Sources(feeds []Feed) []ImportedSource { return SourcesBeside(feeds, nil) }

// SourcesBeside is Sources for a config that already names taken: the new
// names differ from those too.
func SourcesBeside(feeds []Feed, taken []string) []ImportedSource {
	used := map[string]bool{}
	for _, n := range taken {
		used[n] = true
	}
	next := map[string]int{} // base → the suffix to try next: each name is found once, not by counting up from 2 (seen from outside: 40,000 feeds of one host took minutes)
	out := make([]ImportedSource, 0, len(feeds))
	for _, f := range feeds {
		s := ImportedSource{Title: f.Title, URL: f.XMLURL, Language: news.BaseLanguage(f.Language)}
		if !config.KnownLanguage(s.Language) {
			s.Language = "" // told from the headlines instead: one bad attribute blocks no merge
		}
		if s.Language == "" && news.DetectLanguage(f.Title) == "ar" {
			s.Language = "ar"
		}
		for _, c := range f.Categories {
			s.Categories = append(s.Categories, strings.ToLower(c))
		}
		base := slug(f.Title)
		if base == "" || news.DetectLanguage(f.Title) == "ar" {
			base = hostSlug(f.XMLURL)
		}
		if base == "" {
			base = "source"
		}
		name := base
		i := max(next[base], 2)
		for ; used[name]; i++ {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		next[base] = i
		used[name] = true
		s.Name = name
		out = append(out, s)
	}
	return out
}

// Entries renders sources as block-sequence entries at column 0
// ("- name: x\n  url: ...\n"), for config.AppendSources.
func Entries(sources []ImportedSource) ([]byte, error) {
	out, err := yaml.Marshal(sources)
	if err != nil {
		return nil, fmt.Errorf("opml: %w", err)
	}
	return out, nil
}

// YAML renders sources as a `sources:` block ready to paste into config.yaml.
func YAML(sources []ImportedSource) ([]byte, error) {
	out, err := yaml.Marshal(struct {
		Sources []ImportedSource `yaml:"sources"`
	}{sources})
	if err != nil {
		return nil, fmt.Errorf("opml: %w", err)
	}
	return out, nil
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r < 128:
			b.WriteRune(r)
		case strings.ContainsRune("éèêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("àâä", r):
			b.WriteByte('a')
		case strings.ContainsRune("îï", r):
			b.WriteByte('i')
		case strings.ContainsRune("ôö", r):
			b.WriteByte('o')
		case strings.ContainsRune("ùûü", r):
			b.WriteByte('u')
		case r == 'ç':
			b.WriteByte('c')
		default:
			b.WriteByte(' ')
		}
	}
	n := strings.Trim(nonName.ReplaceAllString(b.String(), "-"), "-")
	if len(n) > 40 {
		n = strings.TrimRight(n[:40], "-")
	}
	return n
}

func hostSlug(feedURL string) string {
	u, err := url.Parse(feedURL)
	if err != nil {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if i := strings.LastIndexByte(host, '.'); i > 0 {
		host = host[:i]
	}
	return slug(host)
}
