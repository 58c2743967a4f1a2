package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// rawCounts is how many keys the table holds in its own bucket and how many
// records the staging log holds, read from the file with bbolt alone.
func rawCounts(t *testing.T, s *Bolt, table string) (own, records int) {
	t.Helper()
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket([]byte(table)); b != nil {
			own = b.Stats().KeyN
		}
		if root := tx.Bucket([]byte(stagedBucket)); root != nil {
			return root.ForEachBucket(func(name []byte) error {
				records += root.Bucket(name).Stats().KeyN
				return nil
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return own, records
}

func openStaged(t *testing.T, path string, mergeAt int, tables ...string) *Bolt {
	t.Helper()
	s, err := OpenBolt(path, WithoutSync(), WithStaging(mergeAt, tables...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustApply(t *testing.T, s *Bolt, b *Batch) {
	t.Helper()
	if err := s.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

func getString(t *testing.T, s *Bolt, table, key string) string {
	t.Helper()
	var v []byte
	err := s.View(context.Background(), func(r Reader) error {
		var err error
		v, err = r.Get(table, []byte(key))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if v == nil {
		return "<absent>"
	}
	return string(v)
}

// Puts to a staged table go to the staging table, not the table's own
// B+tree, until mergeAt are staged; the batch that reaches it moves them
// all, and a table nobody stages is written as before.
func TestStagedUntilMerged(t *testing.T) {
	s := openStaged(t, filepath.Join(t.TempDir(), "db"), 10, "idx")
	for i := range 9 {
		var b Batch
		b.Put("idx", []byte(fmt.Sprintf("k%02d", i)), []byte("v"))
		b.Put("plain", []byte(fmt.Sprintf("k%02d", i)), []byte("v"))
		mustApply(t, s, &b)
	}
	if own, records := rawCounts(t, s, "idx"); own != 0 || records != 9 || s.cur.n != 9 {
		t.Fatalf("after 9 batches of a put: %d in the table, %d log records, %d staged; want 0, 9 and 9", own, records, s.cur.n)
	}
	if own, _ := rawCounts(t, s, "plain"); own != 9 {
		t.Fatalf("a table not staged holds %d keys, want 9", own)
	}
	if got := getString(t, s, "idx", "k03"); got != "v" {
		t.Fatalf("staged k03 = %s", got)
	}
	var b Batch
	b.Put("idx", []byte("k09"), []byte("v"))
	mustApply(t, s, &b)
	if own, records := rawCounts(t, s, "idx"); own != 10 || records != 0 || s.cur.n != 0 {
		t.Fatalf("after the 10th put: %d in the table, %d log records, %d staged; want 10, 0 and 0", own, records, s.cur.n)
	}
	if got := getString(t, s, "idx", "k09"); got != "v" {
		t.Fatalf("merged k09 = %s", got)
	}
}

// A file with staged entries reads the same opened without staging (as
// `nashra migrate` opens a source, or an engine configured otherwise), and
// writes to such a table stay staged with them, so a read never finds an
// older value in the table under a newer staged one.
func TestStagedReadWithoutStaging(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	s, err := OpenBolt(path, WithoutSync(), WithStaging(1000, "idx"))
	if err != nil {
		t.Fatal(err)
	}
	var b Batch
	b.Put("idx", []byte("a"), []byte("1"))
	b.Put("idx", []byte("b"), []byte("2"))
	mustApply(t, s, &b)
	s.Close()

	plain, err := OpenBolt(path, WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if got := getString(t, plain, "idx", "a"); got != "1" {
		t.Fatalf("a = %s, want 1", got)
	}
	b = Batch{}
	b.Put("idx", []byte("a"), []byte("3"))
	b.Delete("idx", []byte("b"))
	b.Put("idx", []byte("c"), []byte("4"))
	mustApply(t, plain, &b)
	var got []string
	plain.View(context.Background(), func(r Reader) error {
		kvs, err := r.Scan("idx", Range{})
		for _, kv := range kvs {
			got = append(got, string(kv.Key)+"="+string(kv.Value))
		}
		return err
	})
	if want := []string{"a=3", "c=4"}; !slices.Equal(got, want) {
		t.Fatalf("scan = %v, want %v", got, want)
	}
}

// TestStagedMatchesModel applies random batches of puts, deletes and prefix
// deletes to an engine that stages and merges at random sizes, reopening
// it now and then, and holds every Get and Scan (both ways, bounded,
// limited) to a map holding what the batches wrote.
func TestStagedMatchesModel(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			path := filepath.Join(t.TempDir(), "db")
			mergeAt := []int{1, 3, 17, 60, 1 << 20, 40}[seed]
			s, err := OpenBolt(path, WithoutSync(), WithStaging(mergeAt, "x", "y"))
			if err != nil {
				t.Fatal(err)
			}
			defer func() { s.Close() }()
			model := map[string]map[string]string{"x": {}, "y": {}, "z": {}}
			key := func() string { return fmt.Sprintf("%c%d", 'a'+rng.IntN(3), rng.IntN(12)) }
			for round := range 150 {
				var b Batch
				for range 1 + rng.IntN(8) {
					table := []string{"x", "y", "z"}[rng.IntN(3)]
					k := key()
					switch n := rng.IntN(10); {
					case n < 6:
						v := fmt.Sprintf("v%d", rng.IntN(1000))
						b.Put(table, []byte(k), []byte(v))
						model[table][k] = v
					case n < 8:
						b.Delete(table, []byte(k))
						delete(model[table], k)
					case n < 9:
						p := k[:1+rng.IntN(2)]
						b.DeletePrefix(table, []byte(p))
						for mk := range model[table] {
							if strings.HasPrefix(mk, p) {
								delete(model[table], mk)
							}
						}
					default:
						b.DeletePrefix(table, nil)
						clear(model[table])
					}
				}
				mustApply(t, s, &b)
				if round%40 == 39 {
					s.Close()
					if s, err = OpenBolt(path, WithoutSync(), WithStaging(mergeAt, "x", "y")); err != nil {
						t.Fatal(err)
					}
				}
				checkModel(t, s, model, rng)
			}
		})
	}
}

func checkModel(t *testing.T, s *Bolt, model map[string]map[string]string, rng *rand.Rand) {
	t.Helper()
	err := s.View(context.Background(), func(r Reader) error {
		for table, m := range model {
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range []string{"a1", "b5", "c11", "a10"} {
				v, err := r.Get(table, []byte(k))
				if err != nil {
					return err
				}
				want, ok := m[k]
				if (v != nil) != ok || string(v) != want {
					t.Fatalf("%s/%s = %q, want %q (present %v)", table, k, v, want, ok)
				}
			}
			rg := Range{Limit: rng.IntN(6)}
			if rng.IntN(2) == 0 {
				rg.Prefix = []byte{byte('a' + rng.IntN(3))}
			}
			if rng.IntN(2) == 0 {
				rg.From = []byte(fmt.Sprint(rng.IntN(12)))
			}
			if rng.IntN(2) == 0 {
				rg.To = []byte(fmt.Sprint(rng.IntN(12)))
			}
			rg.Reverse = rng.IntN(2) == 0
			lo, hi := rg.bounds()
			var want []string
			for _, k := range keys {
				if bytes.Compare([]byte(k), lo) >= 0 && (hi == nil || bytes.Compare([]byte(k), hi) < 0) {
					want = append(want, k+"="+m[k])
				}
			}
			if rg.Reverse {
				slices.Reverse(want)
			}
			if n := rg.limit(); len(want) > n {
				want = want[:n]
			}
			kvs, err := r.Scan(table, rg)
			if err != nil {
				return err
			}
			var got []string
			for _, kv := range kvs {
				got = append(got, string(kv.Key)+"="+string(kv.Value))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("scan %s %+v = %v, want %v", table, rg, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Snapshots taken while batches stage and merge: each sees one commit's
// tables and staged entries together, never a commit's tables with another
// commit's staged entries (run with -race).
func TestStagedSnapshots(t *testing.T) {
	s := openStaged(t, filepath.Join(t.TempDir(), "db"), 25, "idx")
	const batches = 300
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	stop := make(chan struct{})
	for range 3 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := s.View(context.Background(), func(r Reader) error {
					n, err := r.Get("meta", []byte("n"))
					if err != nil || n == nil {
						return err
					}
					kvs, err := r.Scan("idx", Range{})
					if err != nil {
						return err
					}
					if fmt.Sprint(len(kvs)) != string(n) {
						return fmt.Errorf("snapshot: %d index entries, meta says %s", len(kvs), n)
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for i := range batches {
		var b Batch
		b.Put("idx", []byte(fmt.Sprintf("%05d", i)), nil)
		b.Put("meta", []byte("n"), []byte(fmt.Sprint(i+1)))
		mustApply(t, s, &b)
	}
	close(stop)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
}

// Compact merges the staged entries into their tables: the compacted file
// reads the same, with nothing staged.
func TestStagedCompact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	s, err := OpenBolt(path, WithStaging(1000, "idx"))
	if err != nil {
		t.Fatal(err)
	}
	var b Batch
	for i := range 50 {
		b.Put("idx", []byte(fmt.Sprintf("%03d", i)), []byte("v"))
	}
	mustApply(t, s, &b)
	s.Close()
	if _, _, err := Compact(path); err != nil {
		t.Fatal(err)
	}
	s = openStaged(t, path, 1000, "idx")
	if own, records := rawCounts(t, s, "idx"); own != 50 || records != 0 || s.cur.n != 0 {
		t.Fatalf("compacted: %d in the table, %d log records, %d staged; want 50, 0 and 0", own, records, s.cur.n)
	}
	if got := getString(t, s, "idx", "049"); got != "v" {
		t.Fatalf("049 = %s", got)
	}
}

// Overwriting one staged key adds no entry but grows the log: the log's
// size makes a merge too, so it never grows without bound.
func TestStagedLogBounded(t *testing.T) {
	s := openStaged(t, filepath.Join(t.TempDir(), "db"), 10, "idx")
	merged := false
	for i := range 200 {
		var b Batch
		b.Put("idx", []byte("same"), bytes.Repeat([]byte{'v'}, 100))
		mustApply(t, s, &b)
		if own, _ := rawCounts(t, s, "idx"); own == 1 {
			merged = true
		}
		if s.cur.bytes > 10*logBytesPerEntry+200 {
			t.Fatalf("batch %d: the log holds %d bytes", i, s.cur.bytes)
		}
	}
	if !merged {
		t.Fatal("never merged")
	}
}

// A merge moves one table's entries, the table holding the most: the
// memory a merge takes is one table's pages, not every staged table's.
func TestStagedMergesOneTable(t *testing.T) {
	s := openStaged(t, filepath.Join(t.TempDir(), "db"), 10, "big", "small")
	for i := range 3 {
		var b Batch
		b.Put("big", []byte(fmt.Sprintf("b%d", 2*i)), nil)
		b.Put("big", []byte(fmt.Sprintf("b%d", 2*i+1)), nil)
		b.Put("small", []byte(fmt.Sprintf("s%d", i)), nil)
		mustApply(t, s, &b)
	}
	if own, _ := rawCounts(t, s, "big"); own != 0 {
		t.Fatalf("merged before the merge size: %d", own)
	}
	var b Batch
	b.Put("big", []byte("b6"), nil)
	mustApply(t, s, &b) // 7 + 3 staged: the merge size
	bigOwn, _ := rawCounts(t, s, "big")
	smallOwn, _ := rawCounts(t, s, "small")
	if bigOwn != 7 || smallOwn != 0 || s.cur.n != 3 {
		t.Fatalf("after the merge: big holds %d, small %d, %d staged; want 7, 0 and 3", bigOwn, smallOwn, s.cur.n)
	}
	if got := getString(t, s, "small", "s2"); got != "" {
		t.Fatalf("small/s2 = %q", got)
	}
}

// A damaged log record — a byte changed, or cut short at an op's end, which
// parses — is damage the open reports (ErrCorrupt, naming the table), never
// a log read as shorter, which would hide the entries it held.
func TestStagedDamagedRecord(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"a byte changed", func(v []byte) []byte { v = bytes.Clone(v); v[len(v)-1] ^= 0x55; return v }},
		{"cut after its first op", func(v []byte) []byte { return v[:4+1+1+2] }}, // kind, key length, key "k0"
		{"shorter than its checksum", func(v []byte) []byte { return v[:2] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "db")
			s, err := OpenBolt(path, WithoutSync(), WithStaging(1000, "idx"))
			if err != nil {
				t.Fatal(err)
			}
			var b Batch
			b.Put("idx", []byte("k0"), nil)
			b.Put("idx", []byte("k1"), nil)
			mustApply(t, s, &b)
			err = s.db.Update(func(tx *bolt.Tx) error {
				log := tx.Bucket([]byte(stagedBucket)).Bucket([]byte("idx"))
				k, v := log.Cursor().First()
				return log.Put(bytes.Clone(k), tc.damage(v))
			})
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			_, err = OpenBolt(path, WithoutSync())
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), `"idx"`) {
				t.Fatalf("open = %v, want ErrCorrupt naming the table", err)
			}
		})
	}
}

// compactInto copies across several commits of the new file when a table
// holds more than a commit's bytes: every entry, staged or not, once.
func TestCompactIntoCommitsInParts(t *testing.T) {
	dir := t.TempDir()
	s := openStaged(t, filepath.Join(dir, "src"), 1000, "idx")
	for i := range 40 {
		var b Batch
		b.Put("idx", []byte(fmt.Sprintf("%03d", i)), []byte("staged"))
		b.Put("plain", []byte(fmt.Sprintf("%03d", i)), []byte("own"))
		mustApply(t, s, &b)
	}
	dst, err := bolt.Open(filepath.Join(dir, "dst"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if err := compactInto(dst, s.db, 50); err != nil {
		t.Fatal(err)
	}
	err = dst.View(func(tx *bolt.Tx) error {
		for _, table := range []string{"idx", "plain"} {
			if n := tx.Bucket([]byte(table)).Stats().KeyN; n != 40 {
				t.Errorf("%s: %d keys, want 40", table, n)
			}
		}
		if tx.Bucket([]byte(stagedBucket)) != nil {
			t.Error("the staging log was copied")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOpSize holds opSize, what a log record is made with room for, to
// what appendOp appends.
func TestOpSize(t *testing.T) {
	long := bytes.Repeat([]byte("k"), 300)
	for _, op := range []stageOp{
		{kind: opPut, key: []byte("a"), value: nil},
		{kind: opPut, key: long, value: bytes.Repeat([]byte("v"), 20000)},
		{kind: opDelete, key: long},
		{kind: opPrefix, key: nil},
		{kind: opPrefix, key: []byte("by_time\x00")},
	} {
		if got, want := opSize(op), len(appendOp(nil, op)); got != want {
			t.Errorf("op kind %d, key %d bytes, value %d: opSize %d, appendOp appends %d", op.kind, len(op.key), len(op.value), got, want)
		}
	}
}
