package server

import "strings"

// publicReason turns the error stored for a failing source into what the
// public status pages show: an HTTP status or a feed problem as it is
// (they describe the outlet's answer), and for network failures a short
// reason without the dial details, which name internal addresses, ports,
// resolvers and URLs that may carry credentials. The log keeps the detail.
func publicReason(stored string) string {
	switch {
	case stored == "":
		return ""
	case strings.HasPrefix(stored, "HTTP "), strings.HasPrefix(stored, "feeds: "):
		return stored
	case strings.HasPrefix(stored, "storage: "), strings.HasPrefix(stored, "archive: "):
		if strings.Contains(stored, "no space left") || strings.Contains(stored, "file too large") || strings.Contains(stored, "quota") {
			return "storage error: disk full (see the log)"
		}
		if strings.Contains(stored, "database file is damaged") {
			return "storage error: database damaged (see the log)"
		}
		return "storage error (see the log)"
	case !strings.HasPrefix(stored, "fetch"):
		return "failed (see the log)"
	}
	for _, r := range networkReasons {
		for _, marker := range r.markers {
			if strings.Contains(stored, marker) {
				return r.reason
			}
		}
	}
	return "fetch failed"
}

// networkReasons are checked in order: the first whose marker appears in
// the error text gives the reason.
var networkReasons = []struct {
	markers []string
	reason  string
}{
	{[]string{"private network address"}, "refused: private network address"},
	{[]string{"body too large"}, "body too large"},
	{[]string{"stopped after"}, "too many redirects"},
	{[]string{"redirect to an address longer than"}, "redirect to an address over 4 KiB"},
	{[]string{"connection refused"}, "connection refused"},
	{[]string{"no such host"}, "host not found"},
	{[]string{"deadline exceeded", "timeout", "Timeout"}, "timed out"},
	{[]string{"tls:", "x509:"}, "TLS error"},
	{[]string{"connection reset"}, "connection reset"},
	{[]string{"no route to host", "network is unreachable"}, "network unreachable"},
	{[]string{"unexpected EOF", ": EOF"}, "connection closed early"},
}

// storeReason is why a replica cannot reach or read its shared store, as
// the status pages say it: the kind of failure, never the members' addresses.
func storeReason(stored string) string {
	switch {
	case stored == "":
		return ""
	case strings.Contains(stored, "no leader"):
		return "etcd has no leader: most of its members are down"
	case strings.Contains(stored, "lease expired"):
		return "its etcd session expired"
	}
	for _, r := range networkReasons {
		for _, marker := range r.markers {
			if strings.Contains(stored, marker) {
				return "etcd: " + r.reason
			}
		}
	}
	return "etcd not answering (see the log)"
}
