package archive

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// panicky panics in Apply while boom is set, as a bug deep in a commit would.
type panicky struct {
	storage.Engine
	boom *atomic.Bool
}

func (p panicky) Apply(ctx context.Context, b *storage.Batch) error {
	if p.boom.Load() {
		panic("boom")
	}
	return p.Engine.Apply(ctx, b)
}

// A panic while a poll is written fails that poll with an error and leaves
// the writer free: the next poll lands. Without it the panic went up the
// goroutine that happened to be writing, and the polls it had taken along
// waited for ever.
func TestSavePollPanicIsAnError(t *testing.T) {
	eng, err := storage.OpenBolt(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	var boom atomic.Bool
	a, err := New(panicky{eng, &boom})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := context.Background()
	boom.Store(true)
	if _, err := a.SavePoll(ctx, "src", SourceState{}, []news.Item{sourced("src", "a", "https://x.ma/a", "one", t0)}); err == nil || !strings.Contains(err.Error(), "panic") {
		t.Fatalf("save during a panic: %v, want an error naming it", err)
	}
	boom.Store(false)
	got, err := a.SavePoll(ctx, "src", SourceState{}, []news.Item{sourced("src", "b", "https://x.ma/b", "two", t0)})
	if err != nil || got.New != 1 {
		t.Fatalf("the next save: %+v, %v", got, err)
	}
	if n, _ := a.Count(); n != 1 {
		t.Errorf("%d items stored, want 1 (nothing of the panicked poll)", n)
	}
}
