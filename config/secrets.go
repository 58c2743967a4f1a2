package config

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// Redacted replaces the value of a secret query parameter wherever a URL is
// shown or logged.
const Redacted = "REDACTED"

// secretParam reports whether a query parameter's name says its value is a
// credential: one of the usual names (key, apikey, api_key, token,
// access_token, auth, secret, password, sig, signature, sid, jwt, bearer,
// code, hash, hmac, ticket, key_id…), a name ending in key, token, secret,
// password, signature, credential, hmac or a session id (client_secret, x-api-key, accessToken, sessionToken,
// X-Amz-Credential, jsessionid, PHPSESSID), or one of extra (secret_params in
// the config). Case and the separators "-", "_" and "." do not count, so
// accessToken, access_token and Access-Token are one name. Redacting a
// harmless parameter costs a reader nothing; publishing a key costs its owner.
func secretParam(name string, extra []string) bool {
	// A PHP array name (token[], secret[x]) is its name before the bracket.
	if i := strings.IndexByte(name, '['); i > 0 {
		name = name[:i]
	}
	n := compactName(name)
	switch n {
	case "key", "apikey", "token", "auth", "authorization", "secret", "password", "passwd", "pass", "pwd",
		"sig", "signature", "session", "sessionid", "sid", "credential", "credentials", "jwt", "bearer",
		"code", "hash", "hmac", "ticket", "keyid", "otp": // an OAuth code, a signature, a ticket (seen from outside: shown)
		return true
	}
	if strings.HasPrefix(n, "apikey") || strings.HasPrefix(n, "accesstoken") {
		return true // a versioned name: apikey_v2 (seen from outside: shown)
	}
	for _, suffix := range []string{"token", "secret", "password", "passwd", "signature", "credential", "credentials", "sessionid", "sessid", "hmac"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	// "key" ends too many ordinary words (monkey): only as a word of its own
	// (api_key, x-api-key, appKey, secretKey).
	if t := strings.TrimSpace(name); strings.HasSuffix(t, "Key") || strings.HasSuffix(t, "KEY") ||
		strings.HasSuffix(n, "key") && strings.ContainsAny(t[max(0, len(t)-4):max(0, len(t)-3)], "-_.") {
		return true
	}
	for _, e := range extra {
		if n == compactName(e) {
			return true
		}
	}
	return false
}

// compactName is a parameter name lower-cased without separators.
func compactName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-', r == '_', r == '.', r == ' ', unicode.IsControl(r): // token%00 is token
			return -1
		}
		return unicode.ToLower(r)
	}, strings.TrimSpace(name))
}

// RedactURL returns raw without its userinfo and with the values of secret
// query parameters replaced by REDACTED; anything else is left exactly as
// written. A URL that does not parse is not shown at all.
func RedactURL(raw string, extra []string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "[unparsable URL]"
	}
	changed := false
	if u.User != nil {
		u.User, changed = nil, true
	}
	if u.Fragment != "" {
		// Never sent to the server, so never needed by a reader; and a
		// fragment can carry a token (#access_token=… in OAuth flows).
		u.Fragment, u.RawFragment, changed = "", "", true
	}
	if p := u.EscapedPath(); strings.Contains(p, ";") {
		// Path parameters (/feed;jsessionid=…) are redacted as a query's are.
		segs := strings.Split(p, "/")
		for i, seg := range segs {
			parts := strings.Split(seg, ";")
			for j := 1; j < len(parts); j++ {
				parts[j] = redactParam(parts[j], extra, &changed)
			}
			segs[i] = strings.Join(parts, ";")
		}
		if q := strings.Join(segs, "/"); q != p {
			if path, err := url.PathUnescape(q); err == nil {
				u.Path, u.RawPath = path, q
			}
		}
	}
	if u.RawQuery != "" {
		var q strings.Builder
		rest := u.RawQuery
		for rest != "" {
			i := strings.IndexAny(rest, "&;")
			part, sep := rest, ""
			if i >= 0 {
				part, sep, rest = rest[:i], rest[i:i+1], rest[i+1:]
			} else {
				rest = ""
			}
			q.WriteString(redactParam(part, extra, &changed))
			q.WriteString(sep)
		}
		u.RawQuery = q.String()
	}
	if !changed {
		return raw
	}
	return u.String()
}

// redactParam redacts one name=value pair: the value of a secret name, and
// inside the value of any other a URL it carries (a proxy's ?url=…).
func redactParam(p string, extra []string, changed *bool) string {
	name, value, hasValue := strings.Cut(p, "=")
	if !hasValue {
		return p
	}
	decName := name
	if dec, err := url.QueryUnescape(name); err == nil {
		decName = dec
	}
	if secretParam(decName, extra) {
		*changed = true
		return name + "=" + Redacted
	}
	if dec, err := url.QueryUnescape(value); err == nil && strings.Contains(dec, "//") {
		if inner := RedactURL(dec, extra); inner != dec {
			*changed = true
			return name + "=" + url.QueryEscape(inner)
		}
	}
	return p
}

// urlInText finds URLs in messages ("Get \"http://user:***@host/…\": …").
var urlInText = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s"'<>` + "`" + `]+`)

// schemeRelative finds "//user:pass@host/…" URLs written without a scheme.
var schemeRelative = regexp.MustCompile(`(?:^|[\s"'(=])//[^\s"'<>/@` + "`" + `]+@[^\s"'<>` + "`" + `]*`)

// paramInText finds name=value pairs after a '?', '&' or ';' in text: the
// query of a URL that does not parse, which RedactURL cannot take apart
// (seen from outside: a space in a source's host left its token in check's
// message).
var paramInText = regexp.MustCompile(`([?&;])([^=&;?\s"'#<>` + "`" + `]+)=([^&;\s"'#<>` + "`" + `]*)`)

// RedactText redacts every URL in s (an error message, a log value) as
// RedactURL does, and the secret parameters of URLs it cannot parse.
func RedactText(s string, extra []string) string {
	if strings.Contains(s, "//") {
		s = urlInText.ReplaceAllStringFunc(s, func(u string) string { return RedactURL(u, extra) })
		s = schemeRelative.ReplaceAllStringFunc(s, func(m string) string {
			i := strings.Index(m, "//")
			return m[:i] + strings.TrimPrefix(RedactURL("x:"+m[i:], extra), "x:")
		})
	}
	if !strings.ContainsAny(s, "?&;") {
		return s
	}
	return paramInText.ReplaceAllStringFunc(s, func(m string) string {
		sub := paramInText.FindStringSubmatch(m)
		name := sub[2]
		if dec, err := url.QueryUnescape(name); err == nil {
			name = dec
		}
		if !secretParam(name, extra) || sub[3] == Redacted {
			return m
		}
		return sub[1] + sub[2] + "=" + Redacted
	})
}

// PublicURL is u as nashra may show it: no userinfo, no secret parameter values.
func (c *Config) PublicURL(u string) string { return RedactURL(u, c.SecretParams) }

// AdHocSource is a source for a URL given on the command line (nashra test,
// nashra add), named name, read in the config's zone and redacted with its
// secret_params as a configured source is.
func (c *Config) AdHocSource(name, url string) *Source {
	return &Source{Name: name, URL: url, Location: c.Location, Retention: c.Retention, secretParams: c.SecretParams}
}

// PublicURL is the source's feed URL as nashra may show it (feeds, /sources,
// OPML, logs); the fetcher alone uses URL.
func (s *Source) PublicURL() string { return RedactURL(s.URL, s.secretParams) }

// Redact makes a message about the source safe to show: every URL in it
// redacted, and the source's own credentials removed wherever they stand.
func (s *Source) Redact(msg string) string {
	msg = RedactText(msg, s.secretParams)
	for _, secret := range s.secrets() {
		msg = strings.ReplaceAll(msg, secret, Redacted)
	}
	return msg
}

// secrets are the credentials in the source's URL, as written and decoded:
// the user name, the password, the values of secret parameters. Values
// shorter than four characters are left: replacing them would garble
// messages without hiding anything worth hiding.
func (s *Source) secrets() []string {
	u, err := url.Parse(s.URL)
	if err != nil {
		return nil
	}
	var out []string
	add := func(v string) {
		if len(v) >= 4 {
			out = append(out, v)
			if esc := url.QueryEscape(v); esc != v {
				out = append(out, esc)
			}
		}
	}
	if u.User != nil {
		add(u.User.Username())
		if p, ok := u.User.Password(); ok {
			add(p)
		}
	}
	for name, values := range u.Query() {
		if secretParam(name, s.secretParams) {
			for _, v := range values {
				add(v)
			}
		}
	}
	return out
}
