package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
)

//go:embed templates/*.html
var templateFS embed.FS

var templates = template.Must(template.ParseFS(templateFS, "templates/*.html"))

type page struct {
	// Failing of Polled sources fail, said on a page without items, with a
	// link to SourcesURL.
	Failing, Polled int
	SourcesURL      string
	// Others are the other outputs, linked from the page.
	Others                        []otherOutput
	Title, Description, Lang, Dir string
	RSS, Atom, JSON, Text, Home   string
	Days                          []day
	Count                         int
	// Events is the output's live stream; Since (unix ns) is the newest
	// change the page shows, where the stream takes up.
	Events string
	Since  int64
	// Snippet is the <iframe> that embeds the output on another site.
	Snippet string
	// ScanLimit is how many items the read walked when it stopped at the
	// output's max_scan (0: it did not): older matches were not searched.
	ScanLimit int
}

type otherOutput struct{ Title, URL, Lang string }

type day struct {
	Label string
	Lines []line
}

type line struct {
	// ID is the line's anchor, made from the key its feed id is made from.
	ID                                    string
	Clock, ISO, Title, Link, Outlet, Lang string
	Also                                  []alsoLink
	// Sep separates the Also names, in the line's language.
	Sep string
	// Changed is when the line's item last changed, for the live stream.
	Changed time.Time
}

// alsoLink is another outlet that carried the item, linked to its report when known.
type alsoLink struct{ Name, Link string }

// renderHTML writes the ticker page: one line per item, "HH:MM headline",
// newest first, grouped by day in the configured zone.
func renderHTML(tk *feeds.Ticker, cfg *config.Config, failing int, sc scan) ([]byte, error) {
	p := tickerPage(tk, cfg)
	if sc.Truncated {
		p.ScanLimit = sc.Scanned
	}
	if len(tk.Items) == 0 && failing > 0 {
		p.Failing, p.Polled, p.SourcesURL = failing, polledSources(cfg), cfg.BaseURL+"/sources"
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "ticker.html", p); err != nil {
		return nil, fmt.Errorf("server: render html: %w", err)
	}
	return buf.Bytes(), nil
}

// tickerPage is what the ticker page and the live stream show of tk.
func tickerPage(tk *feeds.Ticker, cfg *config.Config) page {
	p := page{
		Title: tk.Title, Description: tk.Description, Lang: tk.Language, Dir: "rtl",
		RSS: tk.SelfRSS, Atom: tk.SelfAtom, JSON: tk.SelfJSON, Home: cfg.BaseURL + "/",
		Count: len(tk.Items),
	}
	if out := outputByName(cfg, tk.Name); out != nil {
		u := urls(cfg, out)
		p.Text, p.Events = u.Text, u.Events
		p.Snippet = embedSnippet(u.Embed, out.Title)
		if eu, err := url.Parse(u.Events); err == nil {
			p.Events = eu.Path // same origin whatever host the page was reached by
		}
	}
	if !tk.Updated.IsZero() {
		p.Since = tk.Updated.UnixNano()
	}
	if p.Lang == "" {
		p.Lang = "ar"
	}
	for i := range cfg.Outputs {
		o := &cfg.Outputs[i]
		if o.Name == tk.Name {
			continue
		}
		p.Others = append(p.Others, otherOutput{Title: o.Title, URL: urls(cfg, o).Home, Lang: o.Language})
	}
	if p.Lang != "ar" {
		p.Dir = "ltr"
	}
	loc := tk.Location
	for _, it := range tk.Items {
		local := it.Time.In(loc)
		label := dayLabel(local, p.Lang)
		if len(p.Days) == 0 || p.Days[len(p.Days)-1].Label != label {
			p.Days = append(p.Days, day{Label: label})
		}
		o := tk.Outlets[it.Source]
		ln := line{
			ID:    "item-" + tk.LineKey(&it),
			Clock: local.Format("15:04"), ISO: local.Format(time.RFC3339),
			Title: it.Title, Link: it.Link, Outlet: outletTitle(o, it.Source), Lang: it.Language,
			Sep:     feeds.ListSeparator(it.Language),
			Changed: it.Changed,
		}
		seen := map[string]bool{it.Source: true}
		for _, name := range it.AlsoIn {
			if !seen[name] {
				seen[name] = true
				ln.Also = append(ln.Also, alsoLink{Name: outletTitle(tk.Outlets[name], name), Link: it.Link})
			}
		}
		for _, r := range it.Related {
			if !seen[r.Source] {
				seen[r.Source] = true
				ln.Also = append(ln.Also, alsoLink{Name: outletTitle(tk.Outlets[r.Source], r.Source), Link: r.Link})
			}
		}
		d := &p.Days[len(p.Days)-1]
		d.Lines = append(d.Lines, ln)
	}
	return p
}

func outletTitle(o feeds.Outlet, name string) string {
	if o.Title != "" {
		return o.Title
	}
	return name
}

var (
	arWeekdays = [...]string{"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"}
	arMonths   = [...]string{"يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"}
	frWeekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frMonths   = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// dayLabel names a day the way Moroccan sites do, in the page's language.
func dayLabel(t time.Time, lang string) string {
	switch lang {
	case "fr":
		return fmt.Sprintf("%s %d %s %d", frWeekdays[t.Weekday()], t.Day(), frMonths[t.Month()-1], t.Year())
	case "en":
		return t.Format("Monday 2 January 2006")
	default:
		return fmt.Sprintf("%s %d %s %d", arWeekdays[t.Weekday()], t.Day(), arMonths[t.Month()-1], t.Year())
	}
}

// plainLine is s with every control character a space: /ticker.txt is
// read in terminals, where an escape sequence in an outlet's title (seen
// from outside) would clear the screen or retitle the window.
func plainLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// renderText writes the ticker as plain lines: "16:04 headline — outlet",
// followed by "+ other outlets" when others carried the same story. Each
// day starts with its name (in the output's language), after a blank line
// from the day before.
func renderText(tk *feeds.Ticker) []byte {
	var b bytes.Buffer
	lang := tk.Language
	if lang == "" {
		lang = "ar"
	}
	var last string
	for _, it := range tk.Items {
		local := it.Time.In(tk.Location)
		if day := dayLabel(local, lang); day != last {
			if last != "" {
				b.WriteByte('\n')
			}
			b.WriteString(day + "\n")
			last = day
		}
		fmt.Fprintf(&b, "%s %s — %s", local.Format("15:04"), plainLine(it.Title), plainLine(outletTitle(tk.Outlets[it.Source], it.Source)))
		if also := tk.AlsoIn(&it); len(also) > 0 {
			fmt.Fprintf(&b, " + %s", plainLine(strings.Join(also, feeds.ListSeparator(it.Language))))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}
