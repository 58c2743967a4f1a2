package dedup

import (
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// OwnSite reports whether link is on the site of home (a source's home
// page): both hosts in one registrable domain, as the public suffix list
// draws it (www.hespress.com and fr.hespress.com are one site; two outlets
// under one public suffix such as blogspot.com are not). A link or home
// that names no host owns nothing.
func OwnSite(link, home string) bool {
	a, b := siteOf(link), siteOf(home)
	return a != "" && a == b
}

// siteOf is the registrable domain of a URL's host ("" when it has none).
func siteOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return ""
	}
	site, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host // an IP address, localhost, a bare suffix: the host itself
	}
	return site
}
