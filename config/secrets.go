package config

import (
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces the value of a secret query parameter wherever a URL is
// shown or logged.
const Redacted = "REDACTED"

// secretParam reports whether a query parameter's name says its value is a
// credential: one of the usual names (key, apikey, api_key, token,
// access_token, auth, secret, password, sig, signature…), a name ending in
// one of them after "_" (client_secret, x_api_key, private_token), or one of
// extra (secret_params in the config). Case and "-" versus "_" do not count.
func secretParam(name string, extra []string) bool {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "-", "_")
	switch n {
	case "key", "apikey", "api_key", "token", "access_token", "refresh_token", "id_token", "auth", "auth_token",
		"authorization", "secret", "client_secret", "password", "passwd", "pass", "pwd", "sig", "signature",
		"session", "sessionid", "session_id", "credential", "credentials", "private_token":
		return true
	}
	for _, suffix := range []string{"_key", "_token", "_secret", "_password", "_sig", "_signature"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	for _, e := range extra {
		if n == strings.ReplaceAll(strings.ToLower(strings.TrimSpace(e)), "-", "_") {
			return true
		}
	}
	return false
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
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			name, _, hasValue := strings.Cut(p, "=")
			if dec, err := url.QueryUnescape(name); err == nil {
				name = dec
			}
			if hasValue && secretParam(name, extra) {
				parts[i] = p[:strings.IndexByte(p, '=')+1] + Redacted
				changed = true
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	if !changed {
		return raw
	}
	return u.String()
}

// urlInText finds URLs in messages ("Get \"http://user:***@host/…\": …").
var urlInText = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]*://[^\s"'<>` + "`" + `]+`)

// RedactText redacts every URL in s (an error message, a log value) as
// RedactURL does.
func RedactText(s string, extra []string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlInText.ReplaceAllStringFunc(s, func(u string) string { return RedactURL(u, extra) })
}

// PublicURL is u as nashra may show it: no userinfo, no secret parameter values.
func (c *Config) PublicURL(u string) string { return RedactURL(u, c.SecretParams) }

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
