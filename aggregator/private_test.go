package aggregator

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestIsPrivateAddress(t *testing.T) {
	cases := []struct {
		addr    string
		private bool
	}{
		{"127.0.0.1", true},
		{"127.8.9.10", true},
		{"::1", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"192.168.1.1", true},
		{"169.254.169.254", true}, // cloud metadata
		{"fe80::1", true},
		{"fd12:3456::1", true},
		{"::ffff:127.0.0.1", true}, // IPv4-mapped loopback
		{"::ffff:10.0.0.1", true},
		{"0.0.0.0", true},
		{"::", true},
		{"100.64.0.1", true}, // carrier-grade NAT
		{"224.0.0.1", true},  // multicast
		{"8.8.8.8", false},
		{"41.214.0.1", false},
		{"172.32.0.1", false},
		{"2001:4860:4860::8888", false},
	}
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			if got := isPrivate(netip.MustParseAddr(tc.addr)); got != tc.private {
				t.Errorf("isPrivate(%s) = %v, want %v", tc.addr, got, tc.private)
			}
		})
	}
}

// TestFetchRefusesRedirectsToPrivateNetworks: an outlet (here on loopback,
// as the operator configured it) redirects its feed to an internal service.
// The redirect must not reach it, whether the target is written as an IP or
// as a name that resolves to one, unless the operator allowed private
// networks; the configured host itself stays reachable.
func TestFetchRefusesRedirectsToPrivateNetworks(t *testing.T) {
	var internalHits atomic.Int32
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		internalHits.Add(1)
		w.Write([]byte("<rss>internal secrets</rss>"))
	}))
	defer internal.Close()
	iu, _ := url.Parse(internal.URL)
	port := iu.Port()

	outlet := http.NewServeMux()
	redirect := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
	}
	outlet.HandleFunc("/to-ip", redirect("http://127.0.0.1:"+port+"/admin"))
	outlet.HandleFunc("/to-name", redirect("http://localhost:"+port+"/admin")) // resolves to loopback: only the dialled address tells
	outlet.HandleFunc("/to-ipv6", redirect("http://[::1]:"+port+"/admin"))
	outlet.HandleFunc("/to-metadata", redirect("http://169.254.169.254/latest/meta-data/"))
	outlet.HandleFunc("/permanent-to-ip", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:"+port+"/admin", http.StatusMovedPermanently)
	})
	outlet.HandleFunc("/to-self", redirect("/feed"))
	outlet.HandleFunc("/feed", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<rss/>")) })
	srv := httptest.NewServer(outlet)
	defer srv.Close()

	cases := []struct {
		name     string
		path     string
		allow    bool
		refused  bool
		internal bool // the internal service was reached
	}{
		{"configured private URL is fetched", "/feed", false, false, false},
		{"redirect within the configured host", "/to-self", false, false, false},
		{"redirect to a loopback IP of another port", "/to-ip", false, true, false},
		{"redirect to a hostname resolving to loopback", "/to-name", false, true, false},
		{"redirect to IPv6 loopback", "/to-ipv6", false, true, false},
		{"redirect to the cloud metadata address", "/to-metadata", false, true, false},
		{"permanent redirect to a loopback IP", "/permanent-to-ip", false, true, false},
		{"allow_private_networks: true follows it", "/to-ip", true, false, true},
		{"allow_private_networks: true, by name", "/to-name", true, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			internalHits.Store(0)
			f := NewFetcher(2*time.Second, 1<<20, 2, "t").PrivateNetworks(tc.allow, []string{srv.URL + "/feed"})
			resp, err := f.Fetch(t.Context(), FetchRequest{URL: srv.URL + tc.path})
			if refused := errors.Is(err, ErrPrivateAddress); refused != tc.refused {
				t.Fatalf("err = %v, want refused=%v", err, tc.refused)
			}
			if !tc.refused && tc.path != "/to-metadata" && err != nil {
				t.Fatalf("err = %v", err)
			}
			if tc.refused && resp != nil && resp.MovedTo != "" {
				t.Errorf("a refused redirect was recorded as a move to %s", resp.MovedTo)
			}
			if got := internalHits.Load() > 0; got != tc.internal {
				t.Errorf("internal service reached = %v, want %v", got, tc.internal)
			}
			if err != nil && !strings.Contains(err.Error(), "private") {
				t.Errorf("error does not say why: %v", err)
			}
		})
	}
}

func TestNamesPrivateAddress(t *testing.T) {
	for _, c := range []struct {
		url     string
		private bool
	}{
		{"http://169.254.169.254/latest/meta-data/", true},
		{"http://127.0.0.1:9999/x", true},
		{"http://LOCALHOST:8081/", true},
		{"http://api.localhost/", true},
		{"http://[::ffff:10.0.0.1]/feed", true},
		{"http://[::1]/", true},
		{"http://100.64.1.1/", true},
		{"https://fr.hespress.com/feed", false},
		{"http://8.8.8.8/", false},
		{"http://intranet.corp/feed", false}, // a name: not known without resolving it
		// Seen from outside: forms Go does not read as addresses but a
		// system resolver may (127.1 is 127.0.0.1 to glibc).
		{"http://127.1/", true},
		{"http://2130706433/", true},
		{"http://0x7f.1/", true},
		{"http://0177.0.0.1/", true},
		{"http://0/", true},
		{"http://1e100.net/", false},
		{"http://1.de/", false},
		{"http://24.ae/feed", false},
		{"::not a url", false},
	} {
		if got := NamesPrivateAddress(c.url); got != c.private {
			t.Errorf("NamesPrivateAddress(%q) = %v, want %v", c.url, got, c.private)
		}
	}
}
