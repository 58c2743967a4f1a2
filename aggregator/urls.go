package aggregator

import (
	"net/url"
	"strings"
)

// trackingParams are query parameters that name a campaign, not an article.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "yclid": true,
	"igshid": true, "_ga": true, "_gl": true, "_hsenc": true, "_hsmi": true,
	"ocid": true, "cmpid": true, "xtor": true, "at_medium": true, "at_campaign": true,
}

// CanonicalURL makes raw absolute (resolved against base), lower-cases scheme
// and host, drops the default port, the fragment and tracking parameters, and
// normalises percent-encoding, so that two spellings of one article URL are
// one string. It returns "" for what is not an http(s) URL.
func CanonicalURL(raw string, base *url.URL) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
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
	return u.String()
}

func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return raw
	}
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || strings.HasPrefix(lk, "mc_") || trackingParams[lk] {
			delete(q, k)
		}
	}
	return q.Encode() // sorted by key: one order for one set of parameters
}
