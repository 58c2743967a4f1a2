package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/config"
)

// stories.enabled: false stops ingest from grouping: two outlets' reports of
// one alert stay two stories-less items, at start and after a reload.
func TestStoriesEnabledSwitch(t *testing.T) {
	feeds := storyFeeds(t)
	for _, tc := range []struct {
		name, stories string
		reload        string // applied before the poll when set
		wantStories   int
	}{
		{"left out: wire copies are grouped", "", "", 1},
		{"enabled false: no story is formed", "stories: {enabled: false}\n", "", 0},
		{"turned off by a reload: no story is formed", "", "stories: {enabled: false}\n", 0},
		{"turned on by a reload: grouped again", "stories: {enabled: false}\n", "stories: {enabled: true}\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			yaml := func(extra string) string {
				return fmt.Sprintf("database: %s\n%ssources:\n  - {name: map, url: %s/map, language: ar}\n  - {name: hespress, url: %s/hespress, language: ar}\n",
					filepath.Join(dir, "db"), extra, feeds, feeds)
			}
			cfg := loadYAML(t, dir, yaml(tc.stories))
			p, err := newPipeline(cfg, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer p.store.Close()
			if tc.reload != "" {
				p.store.SetStoryMatcher(grouping(loadYAML(t, dir, yaml(tc.reload))))
			}
			for _, r := range p.scheduler.RunOnce(t.Context()) {
				if r.Err != nil {
					t.Fatalf("%s: %v", r.Source, r.Err)
				}
			}
			got, err := p.store.Stories(time.Now().Add(-48*time.Hour), 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.wantStories {
				t.Errorf("%d stories, want %d: %+v", len(got), tc.wantStories, got)
			}
		})
	}
}

func loadYAML(t *testing.T, dir, yaml string) *config.Config {
	t.Helper()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
