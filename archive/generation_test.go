package archive

import (
	"context"
	"testing"

	"github.com/nashra-ma/nashra/news"
)

// The generation is what rendered outputs are cached by: it must move when
// readers' view changes, and only then.
func TestGenerationMovesOnlyWhenReadersViewChanges(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if _, err := s.SavePoll(ctx, "le360-fr", SourceState{}, []news.Item{item("a", "https://fr.le360.ma/x/", "ONCF", t0)}); err != nil {
		t.Fatal(err)
	}
	dup := item("b", "https://fr.le360.ma/x/", "ONCF", t0)
	dup.Source = "le360-eco"
	other := item("c", "https://fr.le360.ma/x/", "ONCF", t0)
	other.Source = "le360-sport"
	tests := []struct {
		name   string
		source string
		items  []news.Item
		moves  bool
	}{
		{"another outlet's copy seen first: also-in changes", "le360-eco", []news.Item{dup}, true},
		{"the same copy seen again: duplicate-only poll", "le360-eco", []news.Item{dup}, false},
		{"identical re-poll of the original", "le360-fr", []news.Item{item("a", "https://fr.le360.ma/x/", "ONCF", t0)}, false},
		{"a third outlet's copy", "le360-sport", []news.Item{other}, true},
		{"the third copy again", "le360-sport", []news.Item{other}, false},
	}
	for _, tt := range tests {
		gen := s.Generation()
		c, err := s.SavePoll(ctx, tt.source, SourceState{}, tt.items)
		if err != nil {
			t.Fatal(err)
		}
		if moved := s.Generation() != gen; moved != tt.moves {
			t.Errorf("%s: generation moved=%v, want %v (counts %+v)", tt.name, moved, tt.moves, c)
		}
		if c.Changed() != tt.moves {
			t.Errorf("%s: Changed()=%v, want %v (counts %+v)", tt.name, c.Changed(), tt.moves, c)
		}
	}
}
