package aggregator

import (
	"context"
	"errors"
)

// A scheduler bounds the polls fetching and parsing at once (workers). A
// poll takes its worker only once it holds its host's per_host slot: one
// waiting for a busy host would otherwise sit on a worker that another
// host's source could use (seen from outside: four workers all waiting for
// one slow host's single slot, every other source held back).

// worker is how one poll takes its worker; the zero value (a poll run
// outside a scheduler) takes none.
type worker struct {
	// take waits for a worker; errNoWorker when the scheduler stops or
	// ctx ends first.
	take func(ctx context.Context) error
	// blocked is called when the poll must wait for its host's slot.
	blocked func()
}

// errNoWorker: the poll never began, its scheduler stopping or its
// context ending while it waited for a worker.
var errNoWorker = errors.New("aggregator: no worker")

type workerKey struct{}

func withWorker(ctx context.Context, w worker) context.Context {
	return context.WithValue(ctx, workerKey{}, w)
}

func workerOf(ctx context.Context) worker {
	w, _ := ctx.Value(workerKey{}).(worker)
	if w.take == nil {
		w.take = func(context.Context) error { return nil }
	}
	return w
}
