package server

import (
	"strconv"

	"github.com/nashra-ma/nashra/archive"
)

// scanLimitHeader says a response was read by a walk that stopped at the
// output's max_scan: items older than those walked were not searched.
const scanLimitHeader = "Nashra-Scan-Limit"

// scan is what a ticker's read walked: Truncated when it stopped at the
// bound before the output's limit was filled or the store's end reached.
type scan struct {
	Scanned   int
	Truncated bool
	Damaged   []string // records left out: they do not decode
}

func scanOf(r archive.Reading) scan {
	return scan{Scanned: r.Scanned, Truncated: r.Truncated, Damaged: r.Damaged}
}

// header is the Nashra-Scan-Limit value (nil: the read was not cut short).
func (sc scan) header() []string {
	if !sc.Truncated {
		return nil
	}
	return []string{"reached; scanned=" + strconv.Itoa(sc.Scanned)}
}
