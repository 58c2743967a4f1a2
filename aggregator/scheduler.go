package aggregator

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/nashra-ma/nashra/config"
)

// Scheduler polls every source on its cron schedule through a bounded pool of
// workers; a source is never polled twice at once.
type Scheduler struct {
	poller *Poller
	log    *slog.Logger
	cron   *cron.Cron
	jobs   []job
	sem    chan struct{}

	mu       sync.Mutex
	inflight map[string]bool
	wg       sync.WaitGroup

	ctx    context.Context
	cancel context.CancelFunc
	ready  atomic.Bool
}

type job struct {
	src   *config.Source
	sched cron.Schedule
}

// NewScheduler prepares the schedules of cfg's sources. cfg has been validated,
// so a bad spec here is a bug, but it is reported rather than assumed away.
func NewScheduler(cfg *config.Config, poller *Poller, log *slog.Logger) (*Scheduler, error) {
	s := &Scheduler{
		poller:   poller,
		log:      log,
		cron:     cron.New(cron.WithLocation(cfg.Location)),
		sem:      make(chan struct{}, max(cfg.Workers, 1)),
		inflight: map[string]bool{},
	}
	for i := range cfg.Sources {
		src := &cfg.Sources[i]
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
	s.ctx, s.cancel = context.WithCancel(context.Background())
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

func (s *Scheduler) start(first []job) {
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

func (s *Scheduler) runAll(ctx context.Context, jobs []job) []Result {
	results := make([]Result, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(cap(s.sem), len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = s.run(ctx, jobs[i], false)
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// trigger starts a scheduled poll unless that source is still being polled.
func (s *Scheduler) trigger(j job) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.run(s.ctx, j, true)
	}()
}

func (s *Scheduler) run(ctx context.Context, j job, onSchedule bool) Result {
	s.mu.Lock()
	if s.inflight[j.src.Name] {
		s.mu.Unlock()
		return Result{Source: j.src.Name, Status: StatusFailed, Err: fmt.Errorf("already being polled")}
	}
	s.inflight[j.src.Name] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.inflight, j.src.Name)
		s.mu.Unlock()
	}()

	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return Result{Source: j.src.Name, Status: StatusFailed, Err: ctx.Err()}
	}
	defer func() { <-s.sem }()
	return s.poller.Poll(ctx, j.src, j.sched.Next(time.Now()), onSchedule)
}

// Stop stops the schedule, gives polls under way grace to finish, then
// cancels them and waits for them to return.
func (s *Scheduler) Stop(grace time.Duration) {
	<-s.cron.Stop().Done()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(grace):
		if s.log != nil {
			s.log.Warn("cancelling polls still running at shutdown", "grace", grace)
		}
	}
	s.cancel()
	<-done
}
