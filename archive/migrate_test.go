package archive

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// copyFixture copies a committed database into a temporary directory.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "nashra.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMigratesReleases opens the databases earlier releases wrote and
// checks that this schema reads the same items, stories, states,
// tombstones, links and the editor's split, and goes on storing: the
// schema 1 release's (testdata/schema1.db, written by its own code;
// schema1.json is what that release read back from it), and the same
// database as the schema 2 release (9315eed) left it after migrating it
// (testdata/schema2.db), which must read as schema1.json says.
func TestMigratesReleases(t *testing.T) {
	for _, fixture := range []string{"schema1.db", "schema2.db"} {
		t.Run(fixture, func(t *testing.T) { testMigratesRelease(t, fixture) })
	}
}

func testMigratesRelease(t *testing.T, fixture string) {
	golden := readSchema1Golden(t)
	path := copyFixture(t, fixture)
	s, err := Open(path, WithStories(story.NewMatcher(0, 0, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.schema(context.Background()); v != SchemaVersion {
		t.Fatalf("schema after open = %d, want %d", v, SchemaVersion)
	}
	if n, _ := s.Count(); n != len(golden.Items) {
		t.Errorf("count = %d, want %d", n, len(golden.Items))
	}
	got, err := s.Newest(Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(golden.Items) {
		t.Fatalf("%d items, want %d", len(got), len(golden.Items))
	}
	for i := range got {
		a, b := mustJSON(t, got[i]), mustJSON(t, golden.Items[i])
		if a != b {
			t.Errorf("item %d changed in migration:\n got %s\nwant %s", i, a, b)
		}
	}
	states, _ := s.States()
	if mustJSON(t, states) != mustJSON(t, golden.States) {
		t.Errorf("states changed:\n got %s\nwant %s", mustJSON(t, states), mustJSON(t, golden.States))
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}

	// The migrated indexes answer as the old ones did.
	byStory := map[string][]string{}
	var split news.Item
	for _, it := range got {
		if it.Story != "" {
			byStory[it.Story] = append(byStory[it.Story], it.Key)
		}
		if it.Split {
			split = it
		}
	}
	for id, keys := range byStory {
		ms := storyMembersOf(t, s, id)
		slices.Sort(keys)
		slices.Sort(ms)
		if !slices.Equal(ms, keys) {
			t.Errorf("story %s members %v, want %v", id, ms, keys)
		}
	}
	grouped, _ := s.Newest(Query{Limit: 100, Stories: true})
	if want := len(got) - countDupes(byStory); len(grouped) != want {
		t.Errorf("ticker with stories: %d lines, want %d", len(grouped), want)
	}
	fr, _ := s.Newest(Query{Limit: 100, Languages: []string{"fr"}, Keep: func(it *news.Item) bool { return it.Language == "fr" }})
	wantFR := 0
	for _, it := range got {
		if it.Language == "fr" {
			wantFR++
		}
	}
	if len(fr) != wantFR {
		t.Errorf("by_lang after migration: %d French items, want %d", len(fr), wantFR)
	}

	ctx := context.Background()
	// The pruned item is still kept out, by key and by link.
	pruned := golden.Pruned
	if c, err := s.SavePoll(ctx, pruned.Source, SourceState{}, []news.Item{pruned}); err != nil || c.Pruned != 1 {
		t.Errorf("re-served pruned item: %+v %v, want pruned", c, err)
	}
	// A stored link from another source is a duplicate, not a new item.
	dup := golden.Items[0]
	dup.Key, dup.Source, dup.GUID, dup.Identity = "dupkey00000000000000000", "another-src", "other", "guid:other"
	if c, err := s.SavePoll(ctx, "another-src", SourceState{}, []news.Item{dup}); err != nil || c.Duplicate != 1 {
		t.Errorf("same link from another source: %+v %v, want a duplicate", c, err)
	}
	// The split item never joins a story again, even re-served.
	if split.Key == "" {
		t.Fatal("the fixture has no split item")
	}
	if c, err := s.SavePoll(ctx, split.Source, SourceState{}, []news.Item{split}); err != nil || c.Unchanged != 1 {
		t.Errorf("re-served split item: %+v %v", c, err)
	}
	if it, _, _ := s.Item(split.Key); !it.Split || it.Story != "" {
		t.Errorf("split item after migration: %+v", it)
	}
	// The window was filled from the migrated records: a new wire copy joins its story.
	var weather news.Item
	for _, it := range got {
		if it.Story != "" && it.Language == "ar" {
			weather = it
		}
	}
	copyIt := weather
	copyIt.Key, copyIt.Source, copyIt.Link, copyIt.GUID, copyIt.Identity, copyIt.Story = "newcopy0000000000000000", "alyaoum24", "https://alyaoum24.com/9", "g9", "guid:g9", ""
	copyIt.Time = weather.Time.Add(20 * time.Minute)
	c, err := s.SavePoll(ctx, "alyaoum24", SourceState{}, []news.Item{copyIt})
	if err != nil || c.Merged != 1 {
		t.Errorf("a new copy of a migrated story: %+v %v, want merged", c, err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func storyMembersOf(t *testing.T, s *Archive, id string) []string {
	t.Helper()
	ms, ok := decodeMembers(rawGet(t, s, tStories, []byte(id)))
	if !ok {
		t.Fatalf("story %s: damaged", id)
	}
	var keys []string
	for _, m := range ms {
		keys = append(keys, m.Key)
	}
	return keys
}

func countDupes(stories map[string][]string) int {
	n := 0
	for _, keys := range stories {
		n += len(keys) - 1
	}
	return n
}

// schema1Golden is testdata/schema1.json: what the previous release read
// back from testdata/schema1.db, which it wrote.
type schema1Golden struct {
	Items  []news.Item            `json:"items"`
	States map[string]SourceState `json:"states"`
	Pruned news.Item              `json:"pruned"`
}

func readSchema1Golden(t *testing.T) schema1Golden {
	t.Helper()
	var golden schema1Golden
	raw, err := os.ReadFile("testdata/schema1.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	return golden
}
