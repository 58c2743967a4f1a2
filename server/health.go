package server

import (
	"fmt"
	"time"
)

// Readiness is what /readyz decides on. Ready means this process can answer
// feed requests with a render; a database that cannot write does not take
// that away (it shows on /sources and in nashra_store_errors_total).
type Readiness struct {
	Now     time.Time
	Started time.Time // when this server was made
	// FirstRound: the first poll round since the start has finished.
	FirstRound bool
	Items      int   // items stored, as last read
	ReadErr    error // reading the database failed just now
	// LastRead is the last successful read of the database; LastPoll the
	// last poll a source answered (whether or not it could be stored).
	LastRead, LastPoll time.Time
	StaleAfter         time.Duration
}

// Decide returns whether the process is ready and, when not, why. It is not
// ready when it has nothing to serve (the database never read, or empty
// before the first poll round ends) or when its data is stale: for longer
// than StaleAfter it has neither polled a source nor read its database.
func (r Readiness) Decide() (bool, string) {
	switch {
	case r.ReadErr != nil && r.LastRead.IsZero():
		return false, "database: " + r.ReadErr.Error()
	case r.Items == 0 && !r.FirstRound:
		return false, "first poll round not finished"
	}
	fresh := r.Started
	for _, t := range []time.Time{r.LastRead, r.LastPoll} {
		if t.After(fresh) {
			fresh = t
		}
	}
	if age := r.Now.Sub(fresh); r.StaleAfter > 0 && age > r.StaleAfter {
		why := fmt.Sprintf("stale: no source polled and the database not read for %s (stale_after %s)", age.Round(time.Second), r.StaleAfter)
		if r.ReadErr != nil {
			why += "; database: " + r.ReadErr.Error()
		}
		return false, why
	}
	return true, ""
}
