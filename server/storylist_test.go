package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// /stories and /stories.json let an editor scan the window's stories for
// wrong merges: each story with its reports and their item ids.
func TestStoriesPagesListTheWindowsStories(t *testing.T) {
	s, store := storyTestServer(t)
	s.clock = func() time.Time { return at("2026-04-14T16:00:00Z") }
	old := alertMAP
	old.Key, old.Time, old.Link = "old-m", at("2026-04-12T09:00:00Z"), "https://www.mapnews.ma/ar/old"
	oldCopy := alertHespress
	oldCopy.Key, oldCopy.Time, oldCopy.Link = "old-h", at("2026-04-12T09:30:00Z"), "https://www.hespress.com/old.html"
	alone := news.Item{Key: "x", Source: "goud", Language: "ar", Link: "https://www.goud.ma/x",
		Title: "بورصة الدار البيضاء تنهي التداولات على وقع الارتفاع", Time: at("2026-04-14T15:30:00Z")}
	for _, it := range []news.Item{old, oldCopy, alertHespress, alertMAP, alertGoud, alone} {
		poll(t, store, it)
	}

	rec := serve(s, "GET", "/stories.json")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("/stories.json: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var got struct {
		Stories []struct {
			ID, Key string
			Reports []struct {
				Item, Source, Outlet, Link, Title string
				Time                              string
			}
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	// Only the story inside the window (36 h): the one from two days ago and
	// the item in no story are not listed.
	if len(got.Stories) != 1 {
		t.Fatalf("stories: %+v", got.Stories)
	}
	st := got.Stories[0]
	if st.ID != "tag:nashra.test,2026:item/h" || st.Key != "h" {
		t.Errorf("story id %q key %q: want the line's feed id (h)", st.ID, st.Key)
	}
	var reports []string
	for _, r := range st.Reports {
		reports = append(reports, r.Item+" "+r.Outlet+" "+r.Time+" "+r.Link)
	}
	want := []string{
		"m MAP 2026-04-14T15:00:00+01:00 https://www.mapnews.ma/ar/1",
		"h هسبريس 2026-04-14T15:50:00+01:00 https://www.hespress.com/2.html",
		"g كود 2026-04-14T16:10:00+01:00 https://www.goud.ma/3",
	}
	if strings.Join(reports, "\n") != strings.Join(want, "\n") {
		t.Errorf("reports (earliest first, Casablanca time):\n%s\nwant\n%s", strings.Join(reports, "\n"), strings.Join(want, "\n"))
	}

	for _, path := range []string{"/stories", "/stories.json"} {
		rec := serve(s, "GET", path)
		etag := rec.Header().Get("ETag")
		if etag == "" || !strings.HasPrefix(rec.Header().Get("Cache-Control"), "public, max-age=") {
			t.Errorf("%s: ETag %q Cache-Control %q", path, etag, rec.Header().Get("Cache-Control"))
		}
		if again := serve(s, "GET", path, "If-None-Match", etag); again.Code != 304 {
			t.Errorf("%s with its ETag: %d, want 304", path, again.Code)
		}
		// Every page carries Last-Modified too (README): seen from outside,
		// /stories answered If-Modified-Since with the whole page.
		lm := rec.Header().Get("Last-Modified")
		if _, err := http.ParseTime(lm); err != nil {
			t.Errorf("%s: Last-Modified %q: %v", path, lm, err)
		}
		if again := serve(s, "GET", path, "If-Modified-Since", lm); again.Code != 304 {
			t.Errorf("%s with its Last-Modified: %d, want 304", path, again.Code)
		}
	}
	html := serve(s, "GET", "/stories").Body.String()
	for _, want := range []string{`dir="auto"`, alertMAP.Title, `<code>m</code>`, `<code>h</code>`, `<code>g</code>`, "15:00"} {
		if !strings.Contains(html, want) {
			t.Errorf("/stories lacks %q", want)
		}
	}
	if strings.Contains(strings.ToLower(html), "/split") || strings.Contains(html, "<form") {
		t.Error("/stories offers a split action: splitting is admin-only")
	}

	// A split shows at once: the story is gone from the list.
	if _, err := store.Split("h"); err != nil {
		t.Fatal(err)
	}
	var after struct{ Stories []struct{ Key string } }
	json.Unmarshal(serve(s, "GET", "/stories.json").Body.Bytes(), &after)
	if len(after.Stories) != 1 || after.Stories[0].Key != "m" {
		t.Errorf("after splitting the founder: %+v, want the rest under m", after.Stories)
	}
}
