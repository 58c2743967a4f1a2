package server

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// An explanation of two stored items says whether the later one strays from
// the earlier one's story, as the join decided.
func TestExplainStoredStoryCheck(t *testing.T) {
	m := story.NewMatcher(0, 0, nil)
	db, err := archive.Open(filepath.Join(t.TempDir(), "e.db"), archive.WithStories(m), archive.WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Now().UTC().Add(-5 * time.Hour)
	item := func(source, key, title string, after time.Duration) news.Item {
		t := at.Add(after)
		return news.Item{Key: key, Source: source, Identity: "guid:" + key, Link: "https://" + source + ".example/" + key,
			Title: title, Language: "ar", Time: t, FirstSeen: t, Changed: t}
	}
	items := []news.Item{
		item("a", "k1", "مصرع أربعة أشخاص في حادثة سير خطيرة بإقليم تارودانت", 0),
		item("b", "k2", "فاجعة بتارودانت.. أربعة قتلى في حادثة سير مروعة", 10*time.Minute),
		item("c", "k3", "مصرع اربعة اشخاص في حادثة سير خطيره باقليم تارودانت", 20*time.Minute),
		item("d", "k4", "مصرع أربعة أشخاص في حادثة سير خطيرة بإقليم تيزنيت", 30*time.Minute),
		item("e", "k5", "مصرع أربعة أشخاص في حادثة بإقليم تيزنيت", 40*time.Minute),
	}
	for _, it := range items {
		if _, err := db.SavePoll(context.Background(), it.Source, archive.SourceState{}, []news.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	stored, err := db.Newest(archive.Query{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	storyOf := map[string]string{}
	for _, it := range stored {
		storyOf[it.Key] = it.Story
	}
	if storyOf["k1"] == "" || storyOf["k3"] != storyOf["k1"] || storyOf["k4"] == storyOf["k1"] || storyOf["k5"] == storyOf["k1"] {
		t.Fatalf("stories %v: want k1 and k3 in one, k4 and k5 outside it", storyOf)
	}
	// The template word for word in another province (k4) carries most of
	// the story's words, which a window of five makes rare: since round
	// ten it keeps the story's words and is no stray (Stray's
	// keptPerMissing); the decision's place conflict parts it. One that
	// carries fewer of them (k5) strays.
	tests := []struct {
		name, later string
		strays      bool
		conflict    bool
	}{
		{"a look-alike in another province", "k5", true, true},
		{"the template word for word in another province", "k4", false, true},
		{"a report of the story", "k3", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ExplainStored(db, m, tt.later, "k1")
			if err != nil {
				t.Fatal(err)
			}
			if ex.Story == nil {
				t.Fatalf("no story check: %+v", ex)
			}
			if got := ex.Story.Core != ""; got != tt.strays {
				t.Errorf("strays %v (core %q, other %q), want %v", got, ex.Story.Core, ex.Story.Other, tt.strays)
			}
			if got := ex.Decision.Conflict != ""; got != tt.conflict || (tt.conflict && ex.Decision.Same) {
				t.Errorf("conflict %q, same %v; want a conflict %v and never one story with it", ex.Decision.Conflict, ex.Decision.Same, tt.conflict)
			}
		})
	}
}

// Two stored reports far apart in time are explained at the threshold the
// window decided them at: raised for their time apart, and said so.
func TestExplainStoredRaisesThresholdForTimeApart(t *testing.T) {
	m := story.NewMatcher(0, 0, nil)
	db, err := archive.Open(filepath.Join(t.TempDir(), "e.db"), archive.WithStories(m), archive.WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Now().UTC().Add(-30 * time.Hour)
	for i, title := range []string{"مصرع أربعة أشخاص في حادثة سير خطيرة بإقليم تارودانت", "فاجعة بتارودانت.. أربعة قتلى في حادثة سير مروعة"} {
		when := at.Add(time.Duration(i) * 27 * time.Hour) // three quarters of the default window of 36 h
		key := []string{"k1", "k2"}[i]
		it := news.Item{Key: key, Source: key, Identity: "guid:" + key, Link: "https://" + key + ".example/", Title: title,
			Language: "ar", Time: when, FirstSeen: when, Changed: when}
		if _, err := db.SavePoll(context.Background(), key, archive.SourceState{}, []news.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	ex, err := ExplainStored(db, m, "k2", "k1")
	if err != nil {
		t.Fatal(err)
	}
	d := ex.Decision
	if d.Apart < 0.7 || d.Apart > 0.8 || d.Drift <= 0 || d.Threshold <= story.DefaultParams.Threshold {
		t.Errorf("apart %.2f, drift %.2f, threshold %.2f (base %.2f); want the threshold raised for 27 h of 36", d.Apart, d.Drift, d.Threshold, story.DefaultParams.Threshold)
	}
}
