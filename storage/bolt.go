package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Bolt is the embedded engine: one bbolt file, a bucket per table. A batch
// is one bbolt write transaction; bbolt's single writer lock serialises
// batches, and its read transactions are the snapshots.
type Bolt struct {
	db   *bolt.DB
	path string

	stages  map[string]bool // the tables whose puts are staged (stage.go)
	mergeAt int             // staged entries that make a batch merge them

	wmu sync.Mutex // one Apply at a time, from its base set to its publication
	// mu guards cur and pending, and a snapshot's begin: a snapshot takes
	// the set of its transaction, which is cur, or pending when the batch
	// that made pending has committed but not yet published it.
	mu           sync.Mutex
	cur, pending *stageSet
}

var _ Engine = (*Bolt)(nil)

// Option changes how OpenBolt opens the file.
type Option func(*boltConfig)

type boltConfig struct {
	bolt.Options
	stages  []string
	mergeAt int
}

// WithoutSync skips fsync on commit: much faster, but a power cut may lose
// the last transactions. For fuzzing, benchmarks and throw-away databases.
func WithoutSync() Option { return func(o *boltConfig) { o.NoSync = true } }

// WithTimeout is how long OpenBolt waits for another process to let go of
// the file (default 3 s) before it fails with ErrInUse.
func WithTimeout(d time.Duration) Option { return func(o *boltConfig) { o.Timeout = d } }

// WithStaging stages the puts to tables (stage.go) and merges them into
// their tables once mergeAt are staged (0: DefaultMergeAt). Without it
// nothing new is staged, but what a file holds staged is read and merged
// all the same.
func WithStaging(mergeAt int, tables ...string) Option {
	return func(o *boltConfig) {
		o.stages = append(o.stages, tables...)
		o.mergeAt = mergeAt
	}
}

// initialMmap is the address space the file is mapped with at open: bbolt
// maps the file again, under the write lock and after copying every node
// of the write out of the old map, each time the file outgrows the map
// (doubling from 32 KiB to 1 GiB), which a first ingest otherwise does a
// dozen times. Address space, not memory: pages are read only when
// touched, and the file does not grow to it.
const initialMmap = 1 << 30

// OpenBolt opens (creating if needed) the bbolt file at path.
func OpenBolt(path string, opts ...Option) (*Bolt, error) {
	o := boltConfig{Options: bolt.Options{Timeout: 3 * time.Second, InitialMmapSize: initialMmap}, mergeAt: DefaultMergeAt}
	for _, opt := range opts {
		opt(&o)
	}
	noSync := o.NoSync
	db, err := openGuarded(path, o.Options)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	// We hold the exclusive lock, and `nashra compact` holds it for as long as
	// its new file exists: a .compacting file now is a killed compact's leftover.
	os.Remove(path + compactingSuffix)
	db.NoSync = noSync
	s := &Bolt{db: db, path: path, stages: map[string]bool{}, mergeAt: o.mergeAt}
	if s.mergeAt <= 0 {
		s.mergeAt = DefaultMergeAt
	}
	for _, t := range o.stages {
		s.stages[t] = true
	}
	if err := s.loadStage(); err != nil {
		db.Close()
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	return s, nil
}

// loadStage reads the staged entries the file holds.
func (s *Bolt) loadStage() (err error) {
	defer recoverCorrupt(&err)
	defer faultsAsPanics()()
	return s.db.View(func(tx *bolt.Tx) error {
		s.cur, err = loadStage(tx)
		return err
	})
}

// ErrEmpty is returned by OpenBolt for a file that exists and holds no
// byte: bbolt would make it a new, empty database, and a copy that failed
// or a disk that filled up would go unnoticed until the feeds came back
// empty. A file that does not exist is made a database.
var ErrEmpty = errors.New("database file is empty (0 bytes): no database in it (a copy that failed, or a disk that filled up?); remove it to start a new database")

// Path is the file the engine holds.
func (s *Bolt) Path() string { return s.path }

// ErrCorrupt is returned when bbolt finds the file damaged inside (a page
// that is not what its parent says): it panics, and the engine turns the
// panic into this error so that one damaged page never takes the service down.
var ErrCorrupt = errors.New("database file is damaged: restore it from a backup, or move it aside to start an empty one")

// faultsAsPanics makes a fault of the calling goroutine on the file's map a
// panic, until the function it returns is called. A page pointer damaged to
// point past the file's end reads address space mapped ahead (initialMmap)
// but backed by nothing: the kernel raises SIGBUS, which kills the process
// unless the goroutine asked for a panic, which recoverCorrupt then turns
// into ErrCorrupt. Every function that reads the map defers both:
//
//	defer recoverCorrupt(&err)
//	defer faultsAsPanics()()
func faultsAsPanics() (restore func()) {
	old := debug.SetPanicOnFault(true)
	return func() { debug.SetPanicOnFault(old) }
}

// recoverCorrupt turns a bbolt panic (its assertions on damaged pages, or a
// fault faultsAsPanics made one) into ErrCorrupt. bbolt rolls the
// transaction back before the panic leaves it.
func recoverCorrupt(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w (%v)", ErrCorrupt, r)
	}
}

// View implements Engine.
func (s *Bolt) View(ctx context.Context, fn func(Reader) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer recoverCorrupt(&err)
	defer faultsAsPanics()()
	tx, st, err := s.begin()
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(boltReader{tx: tx, st: st})
}

// begin starts a snapshot: a read transaction and the staged entries of
// the commit it reads.
func (s *Bolt) begin() (*bolt.Tx, *stageSet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.Begin(false)
	if err != nil {
		return nil, nil, err
	}
	switch id := uint64(tx.ID()); {
	case s.cur.txid == id:
		return tx, s.cur, nil
	case s.pending != nil && s.pending.txid == id:
		return tx, s.pending, nil
	default:
		tx.Rollback()
		return nil, nil, fmt.Errorf("storage: snapshot of transaction %d: its staged entries are not known (have %d)", id, s.cur.txid)
	}
}

// base is the staged entries the next batch starts from.
func (s *Bolt) base() *stageSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// setPending makes next the set of a commit about to happen.
func (s *Bolt) setPending(next *stageSet) {
	s.mu.Lock()
	s.pending = next
	s.mu.Unlock()
}

// publish makes next the current set once its batch has committed (ok).
func (s *Bolt) publish(next *stageSet, ok bool) {
	s.mu.Lock()
	if ok && next != nil {
		s.cur = next
	}
	s.pending = nil
	s.mu.Unlock()
}

// staging reports whether a batch stages table's puts: a table WithStaging
// named, or one the file holds staged entries of.
func (s *Bolt) staging(table string, base *stageSet) bool {
	return s.stages[table] || len(base.tables[table]) > 0
}

// tableBucket is table's bucket in tx, made when absent.
func tableBucket(tx *bolt.Tx, table string) (*bolt.Bucket, error) {
	bk, err := tx.CreateBucketIfNotExists([]byte(table))
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", table, err)
	}
	if strings.HasPrefix(table, "by_") {
		// Index keys begin with a time and mostly arrive in order:
		// full pages, not half-empty ones.
		bk.FillPercent = 0.9
	}
	return bk, nil
}

// Apply implements Engine.
func (s *Bolt) Apply(ctx context.Context, b *Batch) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var next *stageSet
	defer func() { s.publish(next, err == nil) }()
	defer recoverCorrupt(&err)
	defer faultsAsPanics()()
	err = s.db.Update(func(tx *bolt.Tx) error {
		base := s.base()
		r := boltReader{tx: tx, st: base}
		for _, c := range b.Expect {
			got, err := r.Get(c.Table, c.Key)
			if err != nil {
				return err
			}
			if (got == nil) != (c.Value == nil) || !bytes.Equal(got, c.Value) {
				return ErrConflict
			}
		}
		stage := newStageBatch(base)
		for _, op := range b.Ops {
			if !op.Delete {
				stage.room[op.Table]++ // room a staged table's puts are made with
			}
		}
		buckets := map[string]*bolt.Bucket{}
		for i, op := range inKeyOrder(b.Ops) {
			if i%512 == 511 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			staged := s.staging(op.Table, base)
			if staged && !op.Delete {
				stage.put(op.Table, op.Key, op.Value)
				continue
			}
			bk, ok := buckets[op.Table]
			if !ok {
				var err error
				if bk, err = tableBucket(tx, op.Table); err != nil {
					return err
				}
				buckets[op.Table] = bk
			}
			switch {
			case op.Prefix && len(op.Key) == 0:
				err = dropBucket(tx, op.Table)
				delete(buckets, op.Table)
			case op.Prefix:
				err = deletePrefix(bk, op.Key)
			case op.Delete:
				err = bk.Delete(op.Key)
			default:
				err = bk.Put(op.Key, op.Value)
			}
			if err != nil {
				return fmt.Errorf("table %s: %w", op.Table, err)
			}
			switch {
			case staged && op.Prefix:
				stage.deletePrefix(op.Table, op.Key)
			case staged:
				stage.delete(op.Table, op.Key)
			}
		}
		n, err := stage.write(tx)
		if err == nil && n.full(s.mergeAt) {
			n, err = mergeFullest(tx, n)
		}
		if err != nil {
			return fmt.Errorf("staged entries: %w", err)
		}
		// The last moment to give up: after this bbolt commits.
		if err := ctx.Err(); err != nil {
			return err
		}
		n.txid = uint64(tx.ID())
		next = n
		s.setPending(n)
		return nil
	})
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	return err
}

// Close implements Engine.
func (s *Bolt) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("storage: close %s: %w", s.path, err)
	}
	return nil
}

// Size is the database file's size in bytes.
func (s *Bolt) Size() int64 {
	var n int64
	s.View(context.Background(), func(r Reader) error {
		n = r.(boltReader).tx.Size()
		return nil
	})
	return n
}

// PagesWritten is how many pages the engine's write transactions have
// written since it was opened (bbolt's count, the meta page aside): what
// writes cost the disk, whatever their number of keys.
func (s *Bolt) PagesWritten() int64 {
	st := s.db.Stats()
	return st.TxStats.GetWrite()
}

// Check runs bbolt's consistency check and returns every problem it finds,
// joined (errors.Join: each one apart through Unwrap() []error), and
// checks both meta pages, of which bbolt silently uses the one left when
// the other is damaged (its commit lost). It holds the write lock: bbolt's
// check reads the live freelist, which a commit meanwhile would change
// under it (a service polling during a check made it report healthy pages
// as freed). It writes nothing.
func (s *Bolt) Check() (err error) {
	defer recoverCorrupt(&err)
	defer faultsAsPanics()()
	f, err := os.Open(s.path)
	if err != nil {
		return fmt.Errorf("storage: check %s: %w", s.path, err)
	}
	defer f.Close()
	var found error
	err = s.db.Update(func(tx *bolt.Tx) error {
		var errs []error
		for i, err := range metaProblems(f, tx.DB().Info().PageSize) {
			if err != nil {
				errs = append(errs, fmt.Errorf("meta page %d: %w", i, err))
			}
		}
		// bbolt checks in a goroutine of its own, where a fault cannot be
		// made a panic: the tree is walked with pread first (pagewalk.go),
		// and bbolt's check runs only on a tree whose every page, key and
		// value lies inside the file.
		problems, err := pageProblems(f)
		if err != nil {
			return err
		}
		for _, p := range problems {
			errs = append(errs, fmt.Errorf("%w: %s", ErrDamagedTree, p))
		}
		if len(problems) == 0 {
			for err := range tx.Check() {
				errs = append(errs, err)
			}
		}
		found = errors.Join(errs...)
		return errRollback
	})
	if errors.Is(err, errRollback) {
		return found
	}
	return err
}

// ErrDamagedTree marks Check's findings that the file's page tree itself is
// broken (a page or value outside the file): nothing should walk it.
var ErrDamagedTree = errors.New("the page tree is damaged")

// errRollback ends Check's transaction without a commit.
var errRollback = errors.New("storage: check: roll back")

// metaProblems reads the file's two meta pages as bbolt wrote them and says
// which is not a valid meta page (parseMeta: magic, version, checksum).
func metaProblems(f *os.File, size int) [2]error {
	var out [2]error
	for i := range out {
		page := make([]byte, size)
		if _, err := f.ReadAt(page, int64(i*size)); err != nil {
			out[i] = err
		} else if _, ok := parseMeta(page[pageHeaderSize:]); !ok {
			out[i] = errors.New("damaged (bad magic, version or checksum): bbolt uses the other one, and the commit this one held, if the newer, is lost")
		}
	}
	return out
}

// boltReader reads a transaction's tables merged with the staged entries
// of its commit (st; nil: none).
type boltReader struct {
	tx *bolt.Tx
	st *stageSet
}

func (r boltReader) Get(table string, key []byte) ([]byte, error) {
	if v, ok := r.st.get(table, key); ok {
		return append([]byte{}, v...), nil
	}
	b := r.tx.Bucket([]byte(table))
	if b == nil {
		return nil, nil
	}
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	return append([]byte{}, v...), nil
}

func (r boltReader) GetMany(table string, keys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(keys))
	for i, k := range keys {
		v, err := r.Get(table, k)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (r boltReader) Scan(table string, rg Range) ([]KV, error) {
	lo, hi := rg.bounds()
	n := rg.limit()
	var out []KV
	r.walk(table, lo, hi, rg.Reverse, func(k, v []byte) bool {
		out = append(out, KV{Key: append([]byte(nil), k...), Value: append([]byte{}, v...)})
		return len(out) < n
	})
	return out, nil
}

// walk calls fn on the entries of table in [lo, hi) (hi nil: no bound), in
// key order or, reverse, greatest first, until fn returns false: the
// table's own entries and its staged ones side by side, a staged entry
// standing for the table's under the same key. k and v are the
// transaction's, valid until it ends.
func (r boltReader) walk(table string, lo, hi []byte, reverse bool, fn func(k, v []byte) bool) {
	sp := r.st.span(table, lo, hi)
	var k, v []byte
	var c *bolt.Cursor
	if b := r.tx.Bucket([]byte(table)); b != nil {
		c = b.Cursor()
	}
	if !reverse {
		if c != nil {
			if k, v = c.Seek(lo); k != nil && hi != nil && bytes.Compare(k, hi) >= 0 {
				k = nil
			}
		}
		for k != nil || len(sp) > 0 {
			var more bool
			if k == nil || len(sp) > 0 && bytes.Compare(sp[0].key, k) <= 0 {
				if k != nil && bytes.Equal(sp[0].key, k) {
					k, v = c.Next()
				}
				more = fn(sp[0].key, sp[0].value)
				sp = sp[1:]
			} else {
				more = fn(k, v)
				k, v = c.Next()
			}
			if !more {
				return
			}
			if k != nil && hi != nil && bytes.Compare(k, hi) >= 0 {
				k = nil
			}
		}
		return
	}
	if c != nil {
		if hi == nil {
			k, v = c.Last()
		} else if k, v = c.Seek(hi); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev() // Seek found the first key >= hi: step below it
		}
		if k != nil && bytes.Compare(k, lo) < 0 {
			k = nil
		}
	}
	for k != nil || len(sp) > 0 {
		var more bool
		last := len(sp) - 1
		if k == nil || last >= 0 && bytes.Compare(sp[last].key, k) >= 0 {
			if k != nil && bytes.Equal(sp[last].key, k) {
				k, v = c.Prev()
			}
			more = fn(sp[last].key, sp[last].value)
			sp = sp[:last]
		} else {
			more = fn(k, v)
			k, v = c.Prev()
		}
		if !more {
			return
		}
		if k != nil && bytes.Compare(k, lo) < 0 {
			k = nil
		}
	}
}

// dropBucket deletes a whole table at once (bbolt frees its pages without
// visiting every key).
func dropBucket(tx *bolt.Tx, table string) error {
	err := tx.DeleteBucket([]byte(table))
	if errors.Is(err, berrors.ErrBucketNotFound) {
		return nil
	}
	return err
}

func deletePrefix(b *bolt.Bucket, prefix []byte) error {
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}
