package aggregator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
)

// Scheduler polls every source on its cron schedule through a bounded pool of
// workers; a source is never polled twice at once.
type Scheduler struct {
	poller *Poller
	log    *slog.Logger
	cron   *cron.Cron
	loc    *time.Location // the zone schedules are read in (config timezone)
	jobs   []job
	sem    chan struct{}

	inflight *Inflight // shared with the scheduler that replaces this one
	wg       sync.WaitGroup

	ctx      context.Context
	cancel   context.CancelCauseFunc
	stop     chan struct{} // closed by Retire or Stop: start no more polls
	stopOnce sync.Once
	life     sync.Mutex // a start and a halt happen one after the other
	ready    atomic.Bool
}

// cancelSettle bounds how long Stop waits for polls to return once they are
// cancelled: a poll busy decoding a huge document is not waited for.
const cancelSettle = time.Second

type job struct {
	src   *config.Source
	sched cron.Schedule
}

// NewScheduler prepares the schedules of cfg's sources. cfg has been validated,
// so a bad spec here is a bug, but it is reported rather than assumed away.
func NewScheduler(cfg *config.Config, poller *Poller, log *slog.Logger) (*Scheduler, error) {
	return newScheduler(cfg, poller, log, NewInflight())
}

// Successor prepares the scheduler that replaces s after a reload: it shares
// s's set of sources being polled, so that none is polled by both at once.
// s is left untouched; Retire it once the successor is in place.
func (s *Scheduler) Successor(cfg *config.Config, poller *Poller) (*Scheduler, error) {
	return newScheduler(cfg, poller, s.log, s.inflight)
}

func newScheduler(cfg *config.Config, poller *Poller, log *slog.Logger, inflight *Inflight) (*Scheduler, error) {
	s := &Scheduler{
		poller:   poller,
		log:      log,
		cron:     cron.New(cron.WithLocation(cfg.Location)),
		loc:      cfg.Location,
		sem:      make(chan struct{}, max(cfg.Workers, 1)),
		inflight: inflight,
		stop:     make(chan struct{}),
	}
	for i := range cfg.Sources {
		src := &cfg.Sources[i]
		if src.Disabled {
			continue // configured but never polled
		}
		spec := src.Schedule
		if spec == "" {
			spec = cfg.Schedule
		}
		sched, err := cron.ParseStandard(spec)
		if err != nil {
			return nil, fmt.Errorf("aggregator: schedule of %s: %w", src.Name, err)
		}
		s.jobs = append(s.jobs, job{src: src, sched: sched})
	}
	s.ctx, s.cancel = context.WithCancelCause(context.Background())
	return s, nil
}

// Start polls every source at once, then on schedule, until Stop.
func (s *Scheduler) Start() { s.start(s.jobs) }

// StartAfterReload is Start for a reloaded configuration: only the sources
// nashra has never polled at their URL are polled at once; the others keep
// to their schedule.
func (s *Scheduler) StartAfterReload() {
	var fresh []job
	for _, j := range s.jobs {
		st, found, err := s.poller.Store.State(j.src.Name)
		if err != nil || !found || st.ConfiguredURL != j.src.URL {
			fresh = append(fresh, j)
		}
	}
	s.start(fresh)
}

// Resume is Start for a replica that takes polling over from another (a
// new leader, or a replica starting on a store others polled): only the
// sources due by their stored state are polled at once; the others keep
// their schedule and the backoff, Retry-After and next check the previous
// poller stored, so that no source is fetched twice for one tick and none
// is hammered after a failover.
func (s *Scheduler) Resume() {
	now := s.poller.now()
	var due []job
	for _, j := range s.jobs {
		st, found, err := s.poller.Store.State(j.src.Name)
		if err != nil {
			if s.log != nil {
				s.log.Warn("resume: source state unreadable; the source waits for its schedule", "source", j.src.Name, "err", err)
			}
			continue
		}
		if DueOnResume(st, found, j.src.URL, now) {
			due = append(due, j)
		}
	}
	s.start(due)
}

// DueOnResume decides whether a poller taking over polls a source at once:
// when nothing was stored of it at its configured URL, or its next check
// (schedule, backoff, caching hints) has come. Retry-After and a 410 are
// the poll's own to honour.
func DueOnResume(st archive.SourceState, found bool, url string, now time.Time) bool {
	if !found || st.ConfiguredURL != url {
		return true
	}
	return !waiting(st.NextCheck.Add(-time.Second), now) // as a scheduled tick judges it
}

func (s *Scheduler) start(first []job) {
	s.life.Lock()
	defer s.life.Unlock()
	select {
	case <-s.stop: // retired or stopped before it started (a reload during a takeover)
		return
	default:
	}
	for _, j := range s.jobs {
		s.cron.Schedule(j.sched, cron.FuncJob(func() { s.trigger(j) }))
	}
	s.cron.Start()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.runAll(s.ctx, first)
		s.ready.Store(true)
	}()
}

// Ready reports whether the first round of polls has finished.
func (s *Scheduler) Ready() bool { return s.ready.Load() }

// RunOnce polls every source once, at most Workers at a time, taking them in
// config order (so with one worker, the first source listed brings a shared
// article first), and returns the results in config order.
func (s *Scheduler) RunOnce(ctx context.Context) []Result { return s.runAll(ctx, s.jobs) }

// runAll polls each job once, in order: a job starts once the one before it
// holds a worker, waits for its host's per_host slot (workers.go), or gave
// up, so that workers are taken in config order but a busy host holds back
// no other.
// A poll frees its worker once its items wait for the store's writer, and
// then waits for them in its own goroutine: the next sources are fetched
// and parsed meanwhile, and the store's queue bounds what waits.
func (s *Scheduler) runAll(ctx context.Context, jobs []job) []Result {
	results := make([]Result, len(jobs))
	var wg sync.WaitGroup
dispatch:
	for i := range jobs {
		started := make(chan struct{})
		wg.Go(func() {
			holding := sync.OnceFunc(func() { close(started) })
			defer holding()
			results[i] = s.run(ctx, jobs[i], false, holding)
		})
		select {
		case <-started:
		case <-s.stop: // retired or stopped: the rest is left to the successor
			break dispatch
		}
	}
	wg.Wait()
	s.logSkipped(jobs, results)
	return results
}

// SkipStopped is why a poll did not happen: its scheduler stopped (a
// shutdown, or a reload retiring it) before the poll began its fetch.
const SkipStopped = "scheduler stopped"

// maxNamed is how many sources a line names before it counts the rest.
const maxNamed = 10

// logSkipped says in one line which polls of a round did not happen
// because the scheduler stopped: those that waited for their host or a
// worker, and those never started. Seen from outside: a shutdown during a
// round of 1,000 sources logged a line for each of 895 of them.
func (s *Scheduler) logSkipped(jobs []job, results []Result) {
	var names []string
	for i, r := range results {
		if r.Source == "" || (r.Status == StatusSkipped && r.Skip == SkipStopped) {
			names = append(names, jobs[i].src.Name)
		}
	}
	if len(names) == 0 || s.log == nil {
		return
	}
	listed := strings.Join(names[:min(len(names), maxNamed)], ", ")
	if len(names) > maxNamed {
		listed += fmt.Sprintf(" and %d more", len(names)-maxNamed)
	}
	s.log.Info("polls skipped", "why", SkipStopped, "count", len(names), "sources", listed)
}

// trigger starts a scheduled poll unless that source is still being polled.
func (s *Scheduler) trigger(j job) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.run(s.ctx, j, true, nil)
	}()
}

// run polls j's source once it holds a worker (holding, when set, is called
// then). A scheduled tick gives way to a poll of the source already under
// way (it is one); a round's poll waits for it, so that a source added or
// changed by a reload is polled at once. The worker is freed when the poll
// ends or, earlier, when its items have joined the store's writer queue
// (archive.WhenQueued): what is left is the store's work, not a worker's.
func (s *Scheduler) run(ctx context.Context, j job, onSchedule bool, holding func()) Result {
	name := j.src.Name
	if onSchedule {
		if !s.inflight.TryClaim(name) {
			return Result{Source: name, Status: StatusSkipped, Skip: "already being polled"}
		}
	} else if !s.inflight.Claim(ctx, s.stop, name) {
		return Result{Source: name, Status: StatusSkipped, Skip: SkipStopped}
	}
	defer s.inflight.Release(name)

	if holding == nil {
		holding = func() {}
	}
	var held atomic.Bool
	free := sync.OnceFunc(func() {
		if held.Load() {
			<-s.sem
		}
	})
	defer free()
	w := worker{blocked: holding, take: func(ctx context.Context) error {
		// Stopped (shut down, or retired by a reload) while it waited for
		// its host: it begins no fetch, even with a worker free.
		select {
		case <-s.stop:
			return errNoWorker
		default:
		}
		select {
		case s.sem <- struct{}{}:
			held.Store(true)
			holding()
			return nil
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", errNoWorker, ctx.Err())
		case <-s.stop:
			return errNoWorker
		}
	}}
	return s.poller.Poll(archive.WhenQueued(withWorker(ctx, w), free), j.src, s.next(j), onSchedule)
}

// next is j's next tick after now, read in the configured zone as the cron
// reads it: "0 0 * * *" is midnight in Casablanca, not on the host's clock
// (cron.Schedule.Next reads a time in its own zone).
func (s *Scheduler) next(j job) time.Time {
	now := time.Now()
	if s.loc != nil {
		now = now.In(s.loc)
	}
	return j.sched.Next(now)
}

// halt stops the schedule and the starting of polls.
func (s *Scheduler) halt() {
	s.life.Lock()
	defer s.life.Unlock()
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.cron.Stop().Done()
}

// Retire stops s after a reload put its successor in place: no tick fires
// and no poll starts any more, but polls under way run to their end and are
// recorded like any other (a reload cancels nothing). It does not wait.
func (s *Scheduler) Retire() {
	s.halt()
	go func() {
		s.wg.Wait()
		s.cancel(nil)
	}()
}

// Idle reports whether no poll of s is under way.
func (s *Scheduler) Idle() bool { return s.ctx.Err() != nil }

// ErrHandedOver is why the polls of a scheduler stopped by HandOver were
// cancelled: another replica polls now, and a cancelled poll says nothing
// about its source, so it records nothing.
var ErrHandedOver = errors.New("aggregator: polling handed over to another replica")

// HandOver stops s at once for a replica that no longer leads: no tick
// fires, no poll starts, polls under way are cancelled and record nothing
// (the next poller resumes from what was stored). It waits at most
// cancelSettle for them.
func (s *Scheduler) HandOver() bool {
	s.halt()
	s.cancel(ErrHandedOver)
	select {
	case <-s.polled():
		return true
	case <-time.After(cancelSettle):
		return false
	}
}

// polled is closed once no poll of s is under way (after a halt).
func (s *Scheduler) polled() <-chan struct{} {
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	return done
}

// Stop stops the schedule, gives polls under way grace to finish, then
// cancels them and waits at most cancelSettle for them to return: Stop
// returns within grace + cancelSettle whatever a poll is doing. It returns
// false when a poll was still running.
func (s *Scheduler) Stop(grace time.Duration) bool { return s.StopSettling(grace, cancelSettle) }

// StopSettling is Stop waiting at most settle, not cancelSettle, for
// cancelled polls: a caller with its own deadline after them (a shutdown
// that must exit within a promised time) keeps the rest for itself.
func (s *Scheduler) StopSettling(grace, settle time.Duration) bool {
	s.halt()
	done := s.polled()
	select {
	case <-done:
		s.cancel(nil)
		return true
	case <-time.After(grace):
		if s.log != nil {
			s.log.Warn("cancelling polls still running at shutdown", "grace", grace, "sources", strings.Join(s.inflight.Names(), ","))
		}
	}
	s.cancel(nil)
	select {
	case <-done:
		return true
	case <-time.After(settle):
		if s.log != nil {
			// Each poll lands whole or not at all: one that had not landed
			// is polled again at the next start.
			s.log.Warn("polls did not return after cancelling; not waiting for them",
				"waited", settle, "sources", strings.Join(s.inflight.Names(), ","))
		}
		return false
	}
}
