package aggregator

import (
	"net/url"
	"slices"
	"strings"
)

// trackingParams are query parameters that name a campaign, not an article.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "yclid": true,
	"igshid": true, "_ga": true, "_gl": true, "_hsenc": true, "_hsmi": true,
	"ocid": true, "cmpid": true, "xtor": true, "at_medium": true, "at_campaign": true,
}

// MaxURLBytes is the longest link or image address an item keeps, before
// and after canonicalisation: longer than any article's address (an Arabic
// slug percent-encoded runs to a few hundred bytes; servers refuse request
// lines past 8 KiB), and short enough that one source cannot make every
// output megabytes long (seen from outside: links of 1 MiB each).
const MaxURLBytes = 4 << 10

// CanonicalURL makes raw absolute (resolved against base), lower-cases scheme
// and host, drops the default port, the fragment and tracking parameters, and
// normalises percent-encoding, so that two spellings of one article URL are
// one string. It returns "" for what is not an http(s) URL, and for an
// address longer than MaxURLBytes (a cut one would lead nowhere).
func CanonicalURL(raw string, base *url.URL) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > MaxURLBytes {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" || (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		u.Host = host
	} else {
		u.Host = host + ":" + port
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	// Re-encode the path the one canonical way (upper-case hex, unreserved
	// characters bare), unless it carries an encoded slash that decoding would change.
	if !strings.Contains(strings.ToLower(u.RawPath), "%2f") {
		u.RawPath = ""
	}
	u.RawQuery = canonicalQuery(u.RawQuery)
	u.ForceQuery = false
	if out := u.String(); len(out) <= MaxURLBytes {
		return out
	}
	return "" // percent-encoding made it longer than any address kept
}

// canonicalQuery drops tracking parameters and sorts the rest by key (a
// repeated key keeps its values' order), re-encoding each key and value the
// one canonical way. A key without "=" stays without it: "?item" and
// "?item=" may be two addresses to the server. A query that is not
// "&"-separated pairs is kept as it came.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type param struct{ key, value string }
	var params []param
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, hasValue := strings.Cut(part, "=")
		key, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || strings.Contains(part, ";") {
			return raw
		}
		lk := strings.ToLower(key)
		if strings.HasPrefix(lk, "utm_") || strings.HasPrefix(lk, "mc_") || trackingParams[lk] {
			continue
		}
		p := param{key: url.QueryEscape(key)}
		if hasValue {
			p.value = "=" + url.QueryEscape(value)
		}
		params = append(params, p)
	}
	slices.SortStableFunc(params, func(a, b param) int { return strings.Compare(a.key, b.key) })
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key + p.value)
	}
	return b.String()
}
