package archive

import (
	"context"
	"fmt"
	"time"

	"github.com/nashra-ma/nashra/news"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/storage"
)

// A store written only through the archive (stories, a split, a prune,
// tombstones, three languages, categories) verifies clean; each kind of
// damage is found and named, and Verify changes nothing.
func TestVerify(t *testing.T) {
	ctx := context.Background()
	s, path := richStore(t)
	defer s.Close()
	rep, err := s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Records == 0 || rep.Records != rep.Counted {
		t.Fatalf("clean store: %+v", rep)
	}
	if rep.Entries[tByTime] != rep.Records || rep.Entries[tByLang] != rep.Records || rep.Entries[tLinks] == 0 || rep.Entries[tStories] == 0 {
		t.Errorf("clean store's entries: %+v", rep.Entries)
	}
	before := contents(t, s.eng)

	// Each case damages a fresh copy of the store, as a disk or an old bug might.
	var key, timeEntry, langEntry, storyID, storyValue []byte
	s.eng.View(ctx, func(r storage.Reader) error {
		kvs, _ := r.Scan(tByTime, storage.Range{Limit: 1, Reverse: true})
		timeEntry = kvs[0].Key
		key = timeEntry[8:]
		kvs, _ = r.Scan(tByLang, storage.Range{Prefix: scoped("fr"), Limit: 1})
		langEntry = kvs[0].Key
		kvs, _ = r.Scan(tStories, storage.Range{Limit: 1})
		storyID, storyValue = kvs[0].Key, kvs[0].Value
		return nil
	})
	cases := []struct {
		name   string
		damage func(b *storage.Batch)
		want   string
	}{
		{"a record that does not decode", func(b *storage.Batch) { b.Put(tRecords, key, []byte{0xff, 0xfe, 0x00}) }, "does not decode"},
		{"a record's time entry lost", func(b *storage.Batch) { b.Delete(tByTime, timeEntry) }, "by_time: no entry for record"},
		{"a record lost, its entries left", func(b *storage.Batch) { b.Delete(tRecords, key) }, "which is not stored"},
		{"a stray language entry", func(b *storage.Batch) {
			b.Put(tByLang, append(scoped("en"), langEntry[len(scoped("fr")):]...), nil)
		}, "by_lang: "},
		{"a link to nothing", func(b *storage.Batch) { b.Put(tLinks, linkDigest("https://nowhere.example/x"), []byte("no-such-key")) }, `links`},
		{"a story's members lost", func(b *storage.Batch) { b.Delete(tStories, []byte(storyID)) }, "does not list record"},
		{"a story under another id", func(b *storage.Batch) {
			b.Delete(tStories, []byte(storyID))
			b.Put(tStories, []byte("not-a-story-id"), storyValue)
		}, `lists record`},
		{"a link naming a record of another link", func(b *storage.Batch) { b.Put(tLinks, linkDigest("https://elsewhere.example/y"), key) }, "whose link is another"},
		{"a stray entry with a huge key", func(b *storage.Batch) {
			b.Put(tByLang, append(scoped("en"), []byte(strings.Repeat("x", 20000))...), nil)
		}, "by_lang"},
		{"the item count off", func(b *storage.Batch) { b.Put(tMeta, keyCount, uint64Bytes(uint64(rep.Counted+3))) }, "meta: item count"},
	}
	sameContents(t, "after Verify", contents(t, s.eng), before)
	s.Close()
	clean, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			copyPath := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(copyPath, clean, 0o600); err != nil {
				t.Fatal(err)
			}
			d, err := Open(copyPath, WithoutSync())
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			b := &storage.Batch{}
			c.damage(b)
			if err := d.eng.Apply(ctx, b); err != nil {
				t.Fatal(err)
			}
			got, err := d.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range got.Problems {
				if len(p) > maxProblemLine+len("…") {
					t.Errorf("a problem line of %d bytes", len(p))
				}
			}
			if got.OK() || !strings.Contains(strings.Join(got.Problems, "\n"), c.want) {
				t.Errorf("found %d problems, want one saying %q:\n%s", got.Found, c.want, strings.Join(got.Problems, "\n"))
			}
		})
	}
}

// Verify while a writer commits: one snapshot, so no figure of one moment
// is compared with another's, and bbolt's page check under the write lock,
// so it never reads a freelist changing under it (seen from outside: a
// service polling during verify made it report a healthy file damaged).
func TestVerifyWhileWriting(t *testing.T) {
	ctx := context.Background()
	s, _ := richStore(t)
	defer s.Close()
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		base := time.Date(2026, 3, 20, 8, 0, 0, 0, time.UTC)
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			var poll []news.Item
			for j := range 20 {
				poll = append(poll, report("live", fmt.Sprintf("live-%d-%d", i, j), "fr", fmt.Sprintf("dépêche %d numéro %d", i, j), base.Add(time.Duration(i*20+j)*time.Minute)))
			}
			if _, err := s.SavePoll(ctx, "live", SourceState{}, poll); err != nil {
				done <- err
				return
			}
		}
	}()
	for range 5 {
		rep, err := s.Verify(ctx)
		if err != nil || !rep.OK() {
			t.Errorf("verify while writing: %v\n%s", err, strings.Join(rep.Problems, "\n"))
		}
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
