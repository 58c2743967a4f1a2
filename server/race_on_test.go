//go:build race

package server

// raceEnabled: timings under the race detector are not the service's.
const raceEnabled = true
