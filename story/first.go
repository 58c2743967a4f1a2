package story

// Candidate is what choosing a story's first report needs to know of one of
// its reports.
type Candidate struct {
	// Eligible: the report can be shown here (the output keeps it, it is
	// inside the read).
	Eligible bool
	// Proxy: it comes from an aggregator repeating an outlet (Google News).
	Proxy bool
}

// FirstReport picks the report a story is shown at among its reports,
// earliest first: the earliest eligible report from an outlet, else the
// earliest eligible proxy report, so that a proxy never wins over the outlet
// it copies. -1 when none is eligible.
func FirstReport(reports []Candidate) int {
	proxy := -1
	for i, r := range reports {
		switch {
		case !r.Eligible:
		case !r.Proxy:
			return i
		case proxy < 0:
			proxy = i
		}
	}
	return proxy
}
