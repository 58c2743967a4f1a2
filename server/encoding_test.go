package server

import (
	"net/http/httptest"
	"testing"
)

// TestAcceptEncodingWeights: a client that refuses gzip with any spelling of
// a zero weight gets no gzip; every reader that asks for it does.
func TestAcceptEncodingWeights(t *testing.T) {
	cases := []struct {
		name, header string
		gzip         bool
	}{
		{"plain gzip", "gzip", true},
		{"gzip among others", "br, gzip, deflate", true},
		{"gzip with a weight", "gzip;q=0.5", true},
		{"gzip with the smallest weight", "gzip;q=0.001", true},
		{"spaces around the weight", "gzip ; q = 0.8", true},
		{"x-gzip alias", "x-gzip", true},
		{"upper-case coding", "GZIP", true},
		{"wildcard", "*", true},
		{"no header", "", false},
		{"identity only", "identity", false},
		{"refused with q=0", "gzip;q=0", false},
		{"refused with q=0.0: zero written with a decimal", "gzip;q=0.0", false},
		{"refused with q=0.000: zero with three decimals", "gzip;q=0.000", false},
		{"refused with Q=0: upper-case parameter name", "gzip;Q=0", false},
		{"refused after another coding: deflate, gzip;q=0.00", "deflate, gzip;q=0.00", false},
		{"refused with spaces: gzip; q=0.0", "gzip; q=0.0", false},
		{"refused explicitly though the wildcard allows", "*, gzip;q=0", false},
		{"wildcard refused", "*;q=0", false},
		{"wildcard refused, gzip allowed", "*;q=0, gzip", true},
		{"unreadable weight is not consent", "gzip;q=abc", false},
		{"weight above one is not a qvalue", "gzip;q=2", false},
		{"negative weight", "gzip;q=-1", false},
		{"gzip inside another coding's name", "gzipx, notgzip", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/feed.atom", nil)
			if tc.header != "" {
				r.Header.Set("Accept-Encoding", tc.header)
			}
			if got := acceptsGzip(r); got != tc.gzip {
				t.Errorf("Accept-Encoding %q: gzip = %v, want %v", tc.header, got, tc.gzip)
			}
		})
	}
}
