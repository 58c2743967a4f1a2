package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/story"
)

// ErrNewerSchema is returned by Open for a database written by a newer nashra.
var ErrNewerSchema = errors.New("archive: database schema is newer than this nashra")

// Archive is the Store over a storage engine. It is the one writer of its
// engine in this process: writes are serialised by its mutex, decided from
// what one snapshot says, and applied as one batch that expects the
// snapshot's sequence number, so that a writer elsewhere is detected
// (storage.ErrConflict) rather than interleaved. What it keeps in memory
// (the story window, the generation) follows writes made elsewhere: a
// snapshot whose sequence number is not the one the window was made at
// refills the window, and Changed moves the generation.
type Archive struct {
	*core
	eng   storage.Engine // what this archive reads and writes through
	owner bool           // Close closes eng

	queue *queue // polls waiting for mu, landed together by whoever takes it
}

// core is what an archive and those made from it by WritingThrough share.
type core struct {
	gen atomic.Uint64
	log *slog.Logger

	mu        sync.Mutex // one writer
	stories   atomic.Pointer[grouping]
	lastGroup int // polls the last batch of SavePoll held (under mu)
}

var _ Store = (*Archive)(nil)

// grouping is the story matcher and its window of recent reports in memory.
type grouping struct {
	m      *story.Matcher
	w      *story.Window
	newest time.Time // the newest report time the window has seen (the writer's)
	// seq is the store's sequence number (meta seq) the window reflects,
	// once filled: the one it was filled at, then each this process wrote.
	seq []byte

	// fill guards filled: the window is read from the store the first time
	// something needs it (a new item to match, a term count), so that a
	// process that stores nothing new (`nashra poll` re-polling unchanged
	// items) never decodes the window's reports. Changes made to the store
	// before then reach the window by that read; after it, under fill.
	fill   sync.Mutex
	filled bool
}

// ready fills the window from r, a snapshot no writer can have moved past
// (the caller holds the archive's write lock, or took fill before r).
func (g *grouping) ready(r storage.Reader) error {
	g.fill.Lock()
	defer g.fill.Unlock()
	return g.readyLocked(r)
}

func (g *grouping) readyLocked(r storage.Reader) error {
	if g.filled {
		return nil
	}
	if err := fillFrom(r, g); err != nil {
		return fmt.Errorf("story window: %w", err)
	}
	seq, err := r.Get(tMeta, keySeq)
	if err != nil {
		return fmt.Errorf("story window: %w", err)
	}
	g.filled, g.seq = true, seq
	return nil
}

// stale reports whether the window was filled at another state of the
// store than seq: another writer has written since.
func (g *grouping) stale(seq []byte) bool {
	g.fill.Lock()
	defer g.fill.Unlock()
	return g.filled && !bytes.Equal(g.seq, seq)
}

// landed records that this process moved the store to seq.
func (g *grouping) landed(seq []byte) {
	g.fill.Lock()
	defer g.fill.Unlock()
	if g.filled {
		g.seq = seq
	}
}

// current is the grouping for a snapshot at seq: the one in force, or, when
// another writer moved the store since its window was filled, an empty one
// in its place (filled from the snapshot when needed). A move seen here is
// a change readers see too: the generation moves.
func (a *Archive) current(seq []byte) *grouping {
	g := a.stories.Load()
	if g == nil || !g.stale(seq) {
		return g
	}
	fresh := &grouping{m: g.m, w: g.m.NewWindow()}
	if a.stories.CompareAndSwap(g, fresh) {
		a.gen.Add(1)
		a.log.Debug("the store was written elsewhere: story window refilled")
		return fresh
	}
	return a.stories.Load()
}

// update applies a landed change to the window, when it has been filled
// (otherwise the fill reads the change from the store).
func (g *grouping) update(fn func(*story.Window)) {
	g.fill.Lock()
	defer g.fill.Unlock()
	if g.filled {
		fn(g.w)
	}
}

// readyWindow is the grouping in force filled, for a reader (nil: stories
// are not grouped). A writer's change landing while it fills is in its
// snapshot, or is applied by update after the fill, or moves the sequence
// number past the window's, which the next write sees.
func (a *Archive) readyWindow(ctx context.Context) (*grouping, error) {
	var g *grouping
	err := a.eng.View(ctx, func(r storage.Reader) error {
		seq, err := r.Get(tMeta, keySeq)
		if err != nil {
			return err
		}
		if g = a.current(seq); g == nil {
			return nil
		}
		return g.ready(r)
	})
	return g, err
}

// Option changes how an Archive is opened.
type Option func(*options)

type options struct {
	bolt      []storage.Option
	matcher   *story.Matcher
	log       *slog.Logger
	mustExist bool
	keep      bool // read a schema 2 store without marking it (KeepSchema)
	queue     int  // items the writer's queue holds (0: DefaultQueueItems)
}

// WithoutSync skips fsync on commit (bbolt): for fuzzing, benchmarks and
// throw-away databases only.
func WithoutSync() Option { return func(o *options) { o.bolt = append(o.bolt, storage.WithoutSync()) } }

// WithStories groups new items into stories with m.
func WithStories(m *story.Matcher) Option { return func(o *options) { o.matcher = m } }

// WithLogger logs what opening does that takes time (a migration).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithQueueItems bounds the items of the polls waiting for the writer, and
// so of one commit (DefaultQueueItems when n ≤ 0); on an engine that counts
// the pages it writes (bbolt) a commit takes fewer when they say so, on
// another at most firstCommitItems.
func WithQueueItems(n int) Option { return func(o *options) { o.queue = n } }

// MustExist refuses an engine that holds no store (ErrNoStore) instead of
// making one: for a store to read from, such as a migration's source.
func MustExist() Option { return func(o *options) { o.mustExist = true } }

// KeepSchema reads a schema 2 store as it is, without marking it schema 3
// (which the tables of both are): for a command that only reads, such as
// `nashra verify`, so that checking a store does not keep the release
// before from opening it. The caller writes nothing through the archive.
func KeepSchema() Option { return func(o *options) { o.keep = true } }

// Open opens the bbolt database at path (creating it if needed), migrating
// an older schema in place.
func Open(path string, opts ...Option) (*Archive, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	eng, err := storage.OpenBolt(path, append([]storage.Option{storage.WithStaging(0, stagedTables...)}, o.bolt...)...)
	if err != nil {
		return nil, err
	}
	a, err := New(eng, opts...)
	if err != nil {
		eng.Close()
		return nil, fmt.Errorf("archive: open %s: %w", path, err)
	}
	return a, nil
}

// New is an Archive over eng, which it owns from now on (Close closes it).
// An empty engine is given the current schema; an older schema is migrated.
func New(eng storage.Engine, opts ...Option) (*Archive, error) {
	o := options{log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	if o.queue <= 0 {
		o.queue = DefaultQueueItems
	}
	a := &Archive{core: &core{log: o.log}, eng: eng, owner: true, queue: newQueue(o.queue)}
	if err := refuseIncomplete(context.Background(), eng); err != nil {
		return nil, err
	}
	if err := a.prepareSchema(context.Background(), o.mustExist, o.keep); err != nil {
		return nil, err
	}
	if err := a.SetStoryMatcher(o.matcher); err != nil {
		return nil, err
	}
	a.gen.Store(uint64(time.Now().UnixNano())) // distinct across restarts
	return a, nil
}

// Engine is the engine the archive is kept in.
func (a *Archive) Engine() storage.Engine { return a.eng }

// prepareSchema writes the schema version of an empty database, migrates an
// older one and refuses a newer one.
func (a *Archive) prepareSchema(ctx context.Context, mustExist, keep bool) error {
	v, err := a.schema(ctx)
	if err != nil {
		return err
	}
	switch {
	case v == SchemaVersion:
		return nil
	case v > SchemaVersion:
		return fmt.Errorf("%w (%d > %d)", ErrNewerSchema, v, SchemaVersion)
	case v == 2 && keep:
		return nil
	case v == 0 && mustExist:
		return ErrNoStore
	case v == 0:
		b := &storage.Batch{Expect: []storage.Cond{{Table: tMeta, Key: keySchema}}}
		b.Put(tMeta, keySchema, []byte(strconv.Itoa(SchemaVersion)))
		err := a.eng.Apply(ctx, b)
		if errors.Is(err, storage.ErrConflict) {
			// Another replica, starting on the same empty store, wrote it first.
			return a.prepareSchema(ctx, mustExist, keep)
		}
		return err
	}
	return a.migrate(ctx, v)
}

// schema is the database's schema version, 0 for an empty database.
func (a *Archive) schema(ctx context.Context) (int, error) {
	var v []byte
	err := a.eng.View(ctx, func(r storage.Reader) error {
		var err error
		v, err = r.Get(tMeta, keySchema)
		return err
	})
	if err != nil || v == nil {
		return 0, err
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return 0, fmt.Errorf("bad schema version %q", v)
	}
	return n, nil
}

// SetStoryMatcher replaces the story matcher (nil: no grouping) for the
// polls that start after it returns; a reloaded configuration uses it. Its
// window is filled with the reports stored inside it when first needed.
func (a *Archive) SetStoryMatcher(m *story.Matcher) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if m == nil {
		a.stories.Store(nil)
		return nil
	}
	a.stories.Store(&grouping{m: m, w: m.NewWindow()})
	return nil
}

// Close closes the engine (an archive made by WritingThrough closes nothing).
func (a *Archive) Close() error {
	if !a.owner {
		return nil
	}
	return a.eng.Close()
}

// WritingThrough is a over another engine onto the same data (a fenced
// etcd engine: the writes of a leader that lost its leadership fail): it
// shares a's writer lock, story window and generation, and owns nothing.
func (a *Archive) WritingThrough(eng storage.Engine) *Archive {
	return &Archive{core: a.core, eng: eng, queue: newQueue(a.queue.bound)}
}

// Generation implements Store.
func (a *Archive) Generation() uint64 { return a.gen.Load() }

// Changed tells the archive that the store was written elsewhere (another
// replica): readers' cached renders are out of date. The story window
// notices by itself, at the next write.
func (a *Archive) Changed() { a.gen.Add(1) }

// Count implements Store.
func (a *Archive) Count() (int, error) {
	var n int
	err := a.eng.View(context.Background(), func(r storage.Reader) error {
		v, err := r.Get(tMeta, keyCount)
		n = int(bytesUint64(v))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("archive: count: %w", err)
	}
	return n, nil
}

// Check runs the engine's own consistency check, when it has one (bbolt's).
func (a *Archive) Check() error {
	if c, ok := a.eng.(interface{ Check() error }); ok {
		return c.Check()
	}
	return nil
}

// Size is the engine's size in bytes, when it knows it (bbolt's file).
func (a *Archive) Size() int64 {
	if s, ok := a.eng.(interface{ Size() int64 }); ok {
		return s.Size()
	}
	return 0
}
