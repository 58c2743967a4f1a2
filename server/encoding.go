package server

import (
	"net/http"
	"strconv"
	"strings"
)

func acceptsGzip(r *http.Request) bool {
	return gzipAccepted(r.Header.Values("Accept-Encoding"))
}

// gzipAccepted reads Accept-Encoding (RFC 9110 §12.5.3) and reports whether
// gzip may be sent: gzip (or x-gzip) listed with a weight above zero, or not
// listed and "*" listed with one. Weights are numbers, so q=0, q=0.0, q=0.000
// and Q=0 all mean "not acceptable"; a weight that is no number makes its
// entry unacceptable too, since the client said something we cannot read.
func gzipAccepted(headers []string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, h := range headers {
		for part := range strings.SplitSeq(h, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			q := weight(params)
			switch coding {
			case "gzip", "x-gzip":
				gzipQ = max(gzipQ, q)
			case "*":
				starQ = max(starQ, q)
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// weight is the q parameter of one Accept-Encoding entry: 1 when absent, 0
// when it is no qvalue.
func weight(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}
