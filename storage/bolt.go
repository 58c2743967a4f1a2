package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketItems      = []byte("items")      // item key → JSON news.Item
	bucketByTime     = []byte("by_time")    // BE effective time + item key → nil
	bucketByURL      = []byte("by_url")     // canonical link → item key
	bucketStories    = []byte("stories")    // story fingerprints → story
	bucketSources    = []byte("sources")    // source name → JSON SourceState
	bucketTombstones = []byte("tombstones") // item key → BE first-seen
	bucketMeta       = []byte("meta")       // schema_version, item_count

	keySchema = []byte("schema_version")
	keyCount  = []byte("item_count")

	allBuckets = [][]byte{bucketItems, bucketByTime, bucketByURL, bucketStories, bucketSources, bucketTombstones, bucketMeta}
)

// ErrNewerSchema is returned by Open for a database written by a newer nashra.
var ErrNewerSchema = errors.New("storage: database schema is newer than this nashra")

// Bolt is the bbolt-backed Store. Writes go through bbolt's single writer
// lock, one short transaction per poll; reads never block them.
type Bolt struct {
	db      *bolt.DB
	gen     atomic.Uint64
	matcher atomic.Pointer[matcherBox] // story grouping; nil inside: none
}

// matcherBox lets an interface value live in an atomic.Pointer.
type matcherBox struct{ m StoryMatcher }

// SetStoryMatcher replaces the story matcher (nil: no grouping) for the
// polls that start after it returns; a reloaded configuration uses it.
func (s *Bolt) SetStoryMatcher(m StoryMatcher) { s.matcher.Store(&matcherBox{m}) }

func (s *Bolt) storyMatcher() StoryMatcher {
	if b := s.matcher.Load(); b != nil {
		return b.m
	}
	return nil
}

var _ Store = (*Bolt)(nil)

// Option changes how Open opens the database.
type Option func(*options)

type options struct {
	bolt    bolt.Options
	matcher StoryMatcher
}

// WithoutSync skips fsync on commit: much faster, but a power cut may lose
// the last transactions. For fuzzing and throw-away databases only.
func WithoutSync() Option { return func(o *options) { o.bolt.NoSync = true } }

// WithStories groups new items into stories with m.
func WithStories(m StoryMatcher) Option { return func(o *options) { o.matcher = m } }

// Open opens (creating if needed) the database at path.
func Open(path string, opts ...Option) (*Bolt, error) {
	o := options{bolt: bolt.Options{Timeout: 3 * time.Second}}
	for _, opt := range opts {
		opt(&o)
	}
	bo := &o.bolt
	db, err := openGuarded(path, *bo)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	// We hold the exclusive lock, and `nashra compact` holds it for as long as
	// its new file exists: a .compacting file now is a killed compact's leftover.
	os.Remove(path + compactingSuffix)
	err = (&Bolt{db: db}).update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySchema); v != nil {
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return fmt.Errorf("bad schema version %q", v)
			}
			if n > SchemaVersion {
				return fmt.Errorf("%w (%d > %d)", ErrNewerSchema, n, SchemaVersion)
			}
		}
		return meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	db.NoSync = bo.NoSync
	s := &Bolt{db: db}
	s.SetStoryMatcher(o.matcher)
	s.gen.Store(uint64(time.Now().UnixNano())) // distinct across restarts
	return s, nil
}

// ErrCorrupt is returned when bbolt finds the file damaged inside (a page
// that is not what its parent says): it panics, and storage turns the panic
// into this error so that one damaged page never takes the service down.
var ErrCorrupt = errors.New("database file is damaged: restore it from a backup, or move it aside to start an empty one")

// recoverCorrupt turns a bbolt panic (its assertions on damaged pages) into
// ErrCorrupt. bbolt rolls the transaction back before the panic leaves it.
func recoverCorrupt(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w (%v)", ErrCorrupt, r)
	}
}

func (s *Bolt) view(fn func(*bolt.Tx) error) (err error) {
	defer recoverCorrupt(&err)
	return s.db.View(fn)
}

func (s *Bolt) update(fn func(*bolt.Tx) error) (err error) {
	defer recoverCorrupt(&err)
	return s.db.Update(fn)
}

// Close closes the database file.
func (s *Bolt) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("storage: close: %w", err)
	}
	return nil
}

// Generation implements Store.
func (s *Bolt) Generation() uint64 { return s.gen.Load() }

// Size is the database file's size in bytes.
func (s *Bolt) Size() int64 {
	var n int64
	s.view(func(tx *bolt.Tx) error {
		n = tx.Size()
		return nil
	})
	return n
}

// Check runs bbolt's consistency check and returns every problem it finds.
func (s *Bolt) Check() error {
	return s.view(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
}

// timeKey is the by_time key: big-endian nanoseconds (bytes sort as time) then the item key.
func timeKey(t time.Time, key string) []byte {
	b := make([]byte, 8+len(key))
	ns := t.UnixNano()
	if ns < 0 {
		ns = 0
	}
	binary.BigEndian.PutUint64(b, uint64(ns))
	copy(b[8:], key)
	return b
}

func getJSON(b *bolt.Bucket, key []byte, v any) (bool, error) {
	raw := b.Get(key)
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("decode %q: %w", key, err)
	}
	return true, nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put(key, raw)
}

func readCount(meta *bolt.Bucket) int {
	v := meta.Get(keyCount)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

func writeCount(meta *bolt.Bucket, n int) error {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(max(n, 0)))
	return meta.Put(keyCount, b[:])
}
