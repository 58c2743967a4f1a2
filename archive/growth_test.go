package archive

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/story"
)

// TestDatabaseSizeSettles simulates 90 days of 40 sources × 60 items a day
// with 30 days of retention, pruning once a day, and checks that the file
// stops growing once retention starts removing as much as polling adds.
// It takes a few minutes: run it with NASHRA_GROWTH=1.
func TestDatabaseSizeSettles(t *testing.T) {
	if os.Getenv("NASHRA_GROWTH") == "" {
		t.Skip("set NASHRA_GROWTH=1 to simulate 90 days of polling")
	}
	path := filepath.Join(t.TempDir(), "growth.db")
	s, err := Open(path, WithoutSync(), WithStories(story.NewMatcher(0, 0, nil)))
	if err != nil {
		t.Fatal(err)
	}
	const sources, perDay, days = 40, 60, 90
	retention := 30 * 24 * time.Hour
	rng := rand.New(rand.NewPCG(3, 4))
	syllables := strings.Fields("ما ر كا تب سل مو نا دي لي حا قو فر جو زي شا عي بو طا يو خو")
	word := func() string {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syllables[rng.IntN(len(syllables))])
		}
		return b.String()
	}
	vocab := make([]string, 6000)
	for i := range vocab {
		vocab[i] = word()
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sizes := map[int]int64{}
	seq := 0
	for day := 1; day <= days; day++ {
		for src := range sources {
			batch := make([]news.Item, 0, perDay)
			for i := range perDay {
				at := start.Add(time.Duration(day-1)*24*time.Hour + time.Duration(i*24*60/perDay)*time.Minute + time.Duration(src)*time.Second)
				words := make([]string, 10)
				for j := range words {
					words[j] = vocab[rng.IntN(len(vocab))]
				}
				seq++
				batch = append(batch, news.Item{Key: fmt.Sprintf("%024x", seq), Source: fmt.Sprintf("s%02d", src),
					Identity: fmt.Sprintf("guid:%d", seq), Link: fmt.Sprintf("https://s%02d.example/%d.html", src, seq), Language: "ar",
					Title: strings.Join(words, " "), Summary: strings.Repeat("نص الخبر ", 30), Time: at, FirstSeen: at, Changed: at})
			}
			if _, err := s.SavePoll(context.Background(), fmt.Sprintf("s%02d", src), SourceState{}, batch); err != nil {
				t.Fatal(err)
			}
		}
		now := start.Add(time.Duration(day) * 24 * time.Hour)
		if _, err := s.Prune(now.Add(-retention)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PruneTombstones(now.Add(-3 * retention)); err != nil {
			t.Fatal(err)
		}
		if day%10 == 0 {
			fi, _ := os.Stat(path)
			n, _ := s.Count()
			sizes[day] = fi.Size()
			t.Logf("day %2d: %6d items stored, file %6.1f MiB", day, n, float64(fi.Size())/(1<<20))
		}
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if sizes[90] > sizes[60]*115/100 {
		t.Errorf("file still growing: %d bytes at day 60, %d at day 90", sizes[60], sizes[90])
	}
	before, after, err := storage.Compact(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("nashra compact: %.1f MiB → %.1f MiB", float64(before)/(1<<20), float64(after)/(1<<20))
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.Check(); err != nil {
		t.Fatalf("compacted file: %v", err)
	}
	if n, _ := s2.Count(); n != sources*perDay*30 {
		t.Errorf("compacted file holds %d items, want %d", n, sources*perDay*30)
	}
}

func TestCompactRefusesAnOpenDatabase(t *testing.T) {
	s, path := openTemp(t)
	s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{item("k", "https://x.ma/1", "t", t0)})
	if _, _, err := storage.Compact(path); !errors.Is(err, storage.ErrInUse) {
		t.Fatalf("Compact of an open database = %v, want ErrInUse", err)
	}
	s.Close()
	before, after, err := storage.Compact(path)
	if err != nil || before == 0 || after == 0 {
		t.Fatalf("Compact = %d → %d, %v", before, after, err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, _ := s2.Newest(Query{Limit: 10}); len(got) != 1 {
		t.Errorf("after compact: %d items", len(got))
	}
}
