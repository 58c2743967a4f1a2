package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/internal/logbuf"
	"github.com/nashra-ma/nashra/server"
)

// rssItems is an RSS document around items.
func rssItems(items ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:x="urn:x"><channel><title>t</title><link>https://h.ma/</link>` +
		strings.Join(items, "\n") + `</channel></rss>`
}

// rssItem is one item; an empty link or guid is left out.
func rssItem(title, link, guid, date string) string {
	var b strings.Builder
	b.WriteString("<item><title>" + title + "</title>")
	if link != "" {
		b.WriteString("<link>" + link + "</link>")
	}
	if guid != "" {
		b.WriteString(`<guid isPermaLink="false">` + guid + "</guid>")
	}
	if date != "" {
		b.WriteString("<pubDate>" + date + "</pubDate>")
	}
	return b.String() + "</item>"
}

const hostileDate = "Tue, 14 Apr 2026 14:00:00 +0000"

func numbered(n int, title string) []string {
	var out []string
	for i := range n {
		out = append(out, rssItem(fmt.Sprintf("%s %d", title, i), fmt.Sprintf("https://h.ma/%s-%d", strings.ReplaceAll(title, " ", "-"), i), "",
			fmt.Sprintf("Tue, 14 Apr 2026 %02d:%02d:00 +0000", 14-i/60, 59-i%60)))
	}
	return out
}

// TestHostileDocuments is the hostile corpus of issue 9 run through the whole
// service: each case is one source whose document attacks one thing; /sources
// and the poll log line must say what happened, and the ticker must hold what
// was repaired or kept.
func TestHostileDocuments(t *testing.T) {
	tests := []struct {
		name   string // the source's name: what it attacks
		extra  string // more source keys
		body   string
		state  string
		err    string
		items  int
		counts map[string]int // /sources.json fields
		log    []string       // parts of the source's poll log line
		ticker []string       // headlines in /ticker.txt
	}{
		{name: "nesting-overflows-the-stack", body: strings.TrimSuffix(rssItems(rssItem("a", "https://h.ma/a", "", hostileDate)), "</item></channel></rss>") + strings.Repeat("<x:a>", 2_000_000),
			state: "failing", err: "nested deeper than 128 levels"},
		{name: "json-nesting", body: `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"a","x":` + strings.Repeat("[", 1_000_000) + `]}]}`,
			state: "failing", err: "nested deeper than 128 levels"},
		{name: "escaped-control-character-rejects-the-feed", body: rssItems(append(numbered(20, "good"), rssItem("Bad&#11;title", "https://h.ma/bad", "", hostileDate))...),
			state: "ok", items: 21, ticker: []string{"Bad title"}},
		{name: "markup-in-titles", body: rssItems(
			rssItem("<![CDATA[<script>alert(1)</script>Headline after a script]]>", "https://h.ma/m1", "", hostileDate),
			rssItem("Le &lt;b&gt;Maroc&lt;/b&gt; qualifié", "https://h.ma/m2", "", hostileDate),
			rssItem("Inflation &lt; 2% while growth &gt; 3%", "https://h.ma/m3", "", hostileDate),
			rssItem("Clean headline without link or guid", "", "", hostileDate),
			rssItem("<![CDATA[<b>Markup without link or guid</b>]]>", "", "", hostileDate),
			rssItem("<![CDATA[Swallowed</title><link>https://evil.example/</link>]]>", "https://h.ma/m6", "", hostileDate)),
			state: "ok", items: 4, counts: map[string]int{"rejected_items": 2, "dropped_items": 2}, log: []string{"rejected=2"},
			ticker: []string{"Headline after a script", "Maroc", "Inflation", "Clean headline without link or guid"}},
		{name: "flood-of-items", extra: ", max_items: 50", body: rssItems(numbered(60, "flood")...),
			state: "ok", items: 50, counts: map[string]int{"capped_items": 10, "dropped_items": 10}, log: []string{"items=50", "capped=10"},
			ticker: []string{"flood 0 "}},
		{name: "untitled-items", body: rssItems(rssItem("", "https://h.ma/u1", "", hostileDate), rssItem(" ", "https://h.ma/u2", "", hostileDate), rssItem("titled", "https://h.ma/u3", "", hostileDate)),
			state: "ok", items: 1, counts: map[string]int{"untitled_items": 2, "dropped_items": 2}, log: []string{"untitled=2"}},
		{name: "future-dated", body: rssItems(rssItem("From the future", "https://h.ma/f1", "", "Fri, 01 Jan 2100 00:00:00 +0000")),
			state: "ok", items: 1, counts: map[string]int{"future_dated_items": 1}, log: []string{"future_dated=1"}, ticker: []string{"From the future"}},
	}
	docs := map[string]string{}
	for _, tt := range tests {
		docs["/"+tt.name] = tt.body
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte(docs[r.URL.Path]))
	}))
	defer srv.Close()

	dir := t.TempDir()
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "database: %s\nworkers: 1\nsources:\n", filepath.Join(dir, "db"))
	for _, tt := range tests {
		fmt.Fprintf(&yaml, "  - {name: %s, url: \"%s/%s\"%s}\n", tt.name, srv.URL, tt.name, tt.extra)
	}
	p, cfg := testPipeline(t, dir, yaml.String())
	var logs logbuf.Buffer
	p.poller.Log = slog.New(slog.NewTextHandler(&logs, nil))
	p.scheduler.RunOnce(t.Context())

	web := httptest.NewServer(server.New(cfg, p.store, nil, nil).Handler())
	defer web.Close()
	var rows []map[string]any
	if err := json.Unmarshal(readAll(t, get(t, web.URL+"/sources.json").Body), &rows); err != nil {
		t.Fatal(err)
	}
	byName := map[string]map[string]any{}
	for _, r := range rows {
		byName[r["name"].(string)] = r
	}
	txt := string(readAll(t, get(t, web.URL+"/ticker.txt").Body))
	lines := strings.Split(logs.String(), "\n")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := byName[tt.name]
			errText, _ := row["error"].(string)
			if row["state"] != tt.state || !strings.Contains(errText, tt.err) || int(row["items"].(float64)) != tt.items {
				t.Errorf("/sources: state=%v error=%q items=%v; want %s, %q, %d", row["state"], errText, row["items"], tt.state, tt.err, tt.items)
			}
			for k, want := range tt.counts {
				if got, _ := row[k].(float64); int(got) != want {
					t.Errorf("/sources %s = %v, want %d", k, row[k], want)
				}
			}
			var line string
			for _, l := range lines {
				if strings.Contains(l, "msg=poll source="+tt.name+" ") {
					line = l
				}
			}
			for _, part := range tt.log {
				if !strings.Contains(line, " "+part) {
					t.Errorf("poll line lacks %q: %s", part, line)
				}
			}
			for _, h := range tt.ticker {
				if !strings.Contains(txt, h) {
					t.Errorf("ticker lacks %q", h)
				}
			}
		})
	}
	if strings.Contains(txt, "evil.example") || strings.Contains(txt, "Markup without link") {
		t.Errorf("a swallowed or unvouched item reached the ticker:\n%s", txt)
	}
}
