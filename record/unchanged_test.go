package record

import (
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// TestUnchanged: a record is unchanged for an item that says the same
// (whatever the fields that say who it is or where it stands), and changed
// for any edit of what it says; compressed summaries alike.
func TestUnchanged(t *testing.T) {
	stored := item()
	stored.Categories = []string{"سياسة", "مجتمع"}
	stored.Updated = stored.FirstSeen.Add(90 * time.Minute)
	tests := []struct {
		name string
		edit func(*news.Item)
		want bool
	}{
		{"the same item", func(*news.Item) {}, true},
		{"its times in another zone", func(it *news.Item) {
			it.Updated = it.Updated.In(time.FixedZone("+01", 3600))
		}, true},
		{"who and where it is differ: not content", func(it *news.Item) {
			it.Key, it.Source, it.GUID, it.Identity, it.Anchor, it.Story = "ff", "other", "g2", "guid:g2", "#x", "s1"
			it.AlsoIn, it.Split, it.FirstSeen, it.Changed = []string{"b"}, true, it.FirstSeen.Add(time.Hour), time.Time{}
		}, true},
		{"title edited", func(it *news.Item) { it.Title += "!" }, false},
		{"summary edited", func(it *news.Item) { it.Summary = it.Summary[:len(it.Summary)-1] + "x" }, false},
		{"summary longer", func(it *news.Item) { it.Summary += " و" }, false},
		{"author", func(it *news.Item) { it.Author = "" }, false},
		{"link", func(it *news.Item) { it.Link += "?v=2" }, false},
		{"image", func(it *news.Item) { it.Image = "https://x.ma/i.jpg" }, false},
		{"language", func(it *news.Item) { it.Language = "fr" }, false},
		{"updated", func(it *news.Item) { it.Updated = it.Updated.Add(time.Nanosecond) }, false},
		{"no updated", func(it *news.Item) { it.Updated = time.Time{} }, false},
		{"a category more", func(it *news.Item) { it.Categories = append(it.Categories, "x") }, false},
		{"a category renamed", func(it *news.Item) { it.Categories = []string{"سياسة", "رياضة"} }, false},
	}
	for _, tt := range tests {
		for _, plain := range []bool{true, false} {
			b := encode(nil, &stored, !plain)
			it := stored
			it.Categories = append([]string(nil), stored.Categories...)
			tt.edit(&it)
			decoded, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if same := news.SameContent(&decoded, &it); same != tt.want {
				t.Fatalf("%s: the case is wrong: SameContent says %v", tt.name, same)
			}
			if got := Unchanged(b, &it); got != tt.want {
				t.Errorf("%s (plain %v): Unchanged = %v, want %v", tt.name, plain, got, tt.want)
			}
		}
	}
	if !flagSet(Encode(nil, &stored), flagSummaryDeflated) {
		t.Fatal("the sample's summary is not compressed: the compressed path is not tested")
	}
}

func flagSet(b []byte, flag uint64) bool {
	r := reader{b: b, off: 1}
	flags, err := r.uvarint("flags")
	return err == nil && flags&flag != 0
}

// FuzzUnchanged checks Unchanged against Decode then news.SameContent, on
// any bytes and on items that are, or are nearly, what the bytes hold.
func FuzzUnchanged(f *testing.F) {
	for _, it := range sampleItems(f, 10) {
		f.Add(Encode(nil, &it), "")
		f.Add(encode(nil, &it, false), "x")
	}
	f.Add([]byte{Version, 0}, "")
	f.Fuzz(func(t *testing.T, b []byte, edit string) {
		decoded, err := Decode(b)
		candidates := []news.Item{item()}
		if err == nil {
			more := decoded
			more.Title += edit
			other := decoded
			other.Summary = edit
			candidates = append(candidates, decoded, more, other)
		}
		for _, it := range candidates {
			want := err == nil && news.SameContent(&decoded, &it)
			if got := Unchanged(b, &it); got != want {
				t.Fatalf("Unchanged(%q, title %q) = %v, Decode then SameContent: %v (decode error %v)", b, it.Title, got, want, err)
			}
		}
	})
}

// TestUnchangedAllocatesNothing: the comparison costs no garbage.
func TestUnchangedAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector empties sync.Pool at random")
	}
	it := item()
	for _, b := range [][]byte{encode(nil, &it, false), Encode(nil, &it)} {
		Unchanged(b, &it) // the inflater pool filled
		if n := testing.AllocsPerRun(100, func() {
			if !Unchanged(b, &it) {
				t.Fatal("changed")
			}
		}); n > 0 {
			t.Errorf("%v allocations per comparison (compressed %v)", n, flagSet(b, flagSummaryDeflated))
		}
	}
}
