package config

import (
	"fmt"
	"maps"
	"math"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/robfig/cron/v3"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/language"

	"github.com/nashra-ma/nashra/news"
)

var nameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

func applyDefaults(c *Config) {
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if c.AdminListen == "" {
		c.AdminListen = DefaultAdminListen
	}
	storageDefaults(c)
	if c.BaseURL == "" {
		port := "8080"
		if _, p, err := net.SplitHostPort(c.Listen); err == nil && p != "" {
			port = p
		}
		c.BaseURL = "http://localhost:" + port
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Title == "" {
		c.Title = "نشرة — أخبار المغرب"
	}
	if c.Timezone == "" {
		c.Timezone = DefaultTimezone
	}
	if c.Schedule == "" {
		c.Schedule = DefaultSchedule
	}
	if c.Retention == 0 {
		c.Retention = DefaultRetention
	}
	if c.Workers == 0 {
		c.Workers = DefaultWorkers
	}
	if c.PerHost == 0 {
		c.PerHost = DefaultPerHost
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.WriteQueueItems == 0 {
		c.WriteQueueItems = DefaultWriteQueueItems
	}
	if c.MaxBodyMB == 0 {
		c.MaxBodyMB = DefaultMaxBodyMB
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.Live.MaxStreams == 0 {
		c.Live.MaxStreams = DefaultMaxStreams
	}
	if c.Embed.FrameAncestors == "" {
		c.Embed.FrameAncestors = "*"
	}
	if c.StaleAfter == 0 {
		c.StaleAfter = DefaultStaleAfter
	}
	if c.MaxItems == 0 {
		c.MaxItems = DefaultMaxItems
	}
	if c.Stories.Window == 0 {
		c.Stories.Window = DefaultStoryWindow
	}
	if c.Stories.Threshold == 0 {
		c.Stories.Threshold = DefaultStoryThreshold
	}
	// Titles are shown beside every headline: one that opens a right-to-left
	// override must not turn its neighbours around.
	c.Title = news.BalanceBidi(c.Title)
	for i := range c.Sources {
		s := &c.Sources[i]
		s.Title = news.BalanceBidi(s.Title)
		if s.Title == "" {
			s.Title = s.Name
		}
		if s.MaxItems == 0 {
			s.MaxItems = c.MaxItems
		}
		s.secretParams = c.SecretParams
	}
	if len(c.Outputs) == 0 {
		c.Outputs = []Output{{Name: "all"}}
	}
	for i := range c.Outputs {
		o := &c.Outputs[i]
		o.Title, o.Description = news.BalanceBidi(o.Title), news.BalanceBidi(o.Description)
		if o.Title == "" {
			o.Title = c.Title
		}
		if o.Limit == 0 {
			o.Limit = DefaultLimit
		}
		if o.MaxScan == 0 {
			o.MaxScan = max(DefaultMaxScan, o.Limit) // never below what the output shows
		}
		if o.Language == "" && len(o.Languages) == 1 {
			o.Language = o.Languages[0]
		}
	}
}

// checker collects problems while validating a decoded config.
type checker struct {
	file  string
	lines lineMap
	list  []Problem
	// oversized holds, by key, whole numbers too large for an int, as
	// written (the decoded field holds zero).
	oversized     map[string]string
	saidOversized map[string]bool // oversized keys intRange has reported
}

func (ck *checker) add(key, format string, args ...any) {
	ck.list = append(ck.list, Problem{File: ck.file, Line: ck.lines.line(key), Key: key, Msg: printable(fmt.Sprintf(format, args...))})
}

// printable is a message with its control characters shown as U+FFFD: a
// value quoted by a library (a cron spec) reaches the operator's terminal
// as it was written (an escape sequence, seen from outside).
func printable(msg string) string {
	if !strings.ContainsFunc(msg, unicode.IsControl) {
		return msg
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' {
			return '\uFFFD'
		}
		return r
	}, msg)
}

// noSourcesMsg is what a configuration without sources is told (LoadToAdd
// accepts one).
const noSourcesMsg = "at least one source is required"

func validate(c *Config, lines lineMap, oversized map[string]string) []Problem {
	ck := &checker{file: c.File, lines: lines, oversized: oversized}
	ck.httpURL("base_url", c.BaseURL)
	if u, err := url.Parse(c.BaseURL); err == nil {
		if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(c.BaseURL, "?") || strings.HasSuffix(c.BaseURL, "#") {
			ck.add("base_url", "must not carry a query or a fragment: every page and feed URL is made by appending a path to it")
		}
		if u.User != nil {
			ck.add("base_url", "must not carry a user name or password: it is published in every feed's self link and every page")
		}
	}
	ck.listen("listen", c.Listen)
	ck.shownText("title", c.Title, "")
	ck.storage(c)
	if !LoopbackAddress(c.AdminListen) {
		ck.add("admin_listen", "must be a loopback address (127.0.0.1:PORT or [::1]:PORT), got %q", c.AdminListen)
	} else if _, port, _ := net.SplitHostPort(c.AdminListen); !decimalPort(port) {
		ck.add("admin_listen", "port %q is not a port number (0 to 65535, digits only)", port)
	} else if sameSocket(c.Listen, c.AdminListen) {
		ck.add("admin_listen", "must not be listen's address: %q is already the public listener's", c.AdminListen)
	}
	if loc, err := time.LoadLocation(c.Timezone); err != nil {
		ck.add("timezone", "unknown time zone %q", c.Timezone)
	} else {
		c.Location = loc
	}
	ck.schedule("schedule", c.Schedule)
	if c.Retention < time.Hour {
		ck.add("retention", "must be at least 1h, got %s", c.Retention)
	}
	if c.Retention > MaxRetention {
		ck.add("retention", "must be at most 87600h (10 years), got %s", c.Retention)
	}
	ck.intRange("workers", c.Workers, 1, 64)
	ck.intRange("per_host", c.PerHost, 1, 64)
	ck.intRange("max_body_mb", c.MaxBodyMB, 1, 1024)
	ck.intRange("max_items", c.MaxItems, 1, 100000)
	ck.intRange("write_queue_items", c.WriteQueueItems, 1, 2000)
	if c.Timeout < time.Second {
		ck.add("timeout", "must be at least 1s, got %s", c.Timeout)
	}
	ck.intRange("live.max_streams", c.Live.MaxStreams, 1, 100000)
	if strings.ContainsAny(c.Embed.FrameAncestors, ";,\r\n") {
		ck.add("embed.frame_ancestors", "must be a CSP source list such as * or 'self' https://example.ma, without ; or ,")
	} else if fields := strings.Fields(c.Embed.FrameAncestors); len(fields) > 1 && slices.Contains(fields, "'none'") {
		// Seen from outside: accepted, a list browsers read one way or another.
		ck.add("embed.frame_ancestors", "'none' must stand alone (no site may frame the embed page), got %q", c.Embed.FrameAncestors)
	}
	if c.StaleAfter < time.Minute || c.StaleAfter > 7*24*time.Hour {
		ck.add("stale_after", "must be between 1m and 168h, got %s", c.StaleAfter)
	}
	if c.WebSub.Hub != "" {
		ck.httpURL("websub.hub", c.WebSub.Hub)
		if _, err := url.Parse(c.WebSub.Hub); err == nil && RedactURL(c.WebSub.Hub, c.SecretParams) != c.WebSub.Hub {
			ck.add("websub.hub", "carries a credential (a user name or password, a secret parameter, a fragment): the hub's URL is published to every reader in each feed's rel=\"hub\" link; name a hub that needs none (got %q)", RedactURL(c.WebSub.Hub, c.SecretParams))
		}
	}
	if c.Stories.Window < time.Hour || c.Stories.Window > 7*24*time.Hour {
		ck.add("stories.window", "must be between 1h and 168h, got %s", c.Stories.Window)
	}
	if c.Stories.Threshold < 0.1 || c.Stories.Threshold > 1 {
		ck.add("stories.threshold", "must be between 0.1 and 1, got %g", c.Stories.Threshold)
	}

	for i, p := range c.SecretParams {
		if strings.TrimSpace(p) == "" || strings.ContainsAny(p, "=&?# ") {
			ck.add(fmt.Sprintf("secret_params[%d]", i), "must be a query parameter name, got %q", p)
		}
	}
	if len(c.Sources) == 0 {
		ck.add("sources", noSourcesMsg)
	}
	seen := map[string]string{}
	for i := range c.Sources {
		ck.source(c, i, seen)
	}
	outSeen := map[string]string{}
	for i := range c.Outputs {
		ck.output(c, i, outSeen)
	}
	// A key with no range of its own (per_source_limit) holding a whole
	// number too large for an int: its field reads 0, which would pass.
	for _, key := range slices.Sorted(maps.Keys(ck.oversized)) {
		if written := ck.oversized[key]; !ck.saidOversized[key] && strings.HasPrefix(written, "-") {
			ck.add(key, "too small for a whole number (at least %d), got %s", math.MinInt, written)
		} else if !ck.saidOversized[key] {
			ck.add(key, "too large for a whole number (at most %d), got %s", math.MaxInt, written)
		}
	}
	return ck.list
}

// name checks a source or output name: present, well-formed, unique among
// its kind (seen maps a name to the key where it first stood).
func (ck *checker) name(key, kind, name string, seen map[string]string) {
	switch {
	case name == "":
		ck.add(key, "required")
	case !nameRe.MatchString(name):
		ck.add(key, "%q must be lower-case letters, digits and dashes", name)
	case seen[name] != "":
		ck.add(key, "duplicate %s name %q (first at line %d)", kind, name, ck.lines.line(seen[name]))
	default:
		seen[name] = key
	}
}

func (ck *checker) source(c *Config, i int, seen map[string]string) {
	s := &c.Sources[i]
	key := fmt.Sprintf("sources[%d]", i)
	ck.name(key+".name", "source", s.Name, seen)
	ck.shownText(key+".title", s.Title, "")
	if s.URL == "" {
		ck.add(key+".url", "required")
	} else {
		ck.httpURL(key+".url", s.URL)
	}
	ck.language(key+".language", s.Language)
	if ck.lines.has(key + ".max_items") { // else inherited from max_items, checked there
		ck.intRange(key+".max_items", s.MaxItems, 1, 100000)
	}
	if s.Schedule != "" {
		ck.schedule(key+".schedule", s.Schedule)
	}
	s.Location, s.Retention = c.Location, c.Retention
	if s.Timezone != "" {
		if loc, err := time.LoadLocation(s.Timezone); err != nil {
			ck.add(key+".timezone", "unknown time zone %q", s.Timezone)
		} else {
			s.Location = loc
		}
	}
	if s.Charset != "" {
		if enc, _ := charset.Lookup(s.Charset); enc == nil {
			ck.add(key+".charset", "unknown charset %q", s.Charset)
		}
	}
}

func (ck *checker) output(c *Config, i int, seen map[string]string) {
	o := &c.Outputs[i]
	key := fmt.Sprintf("outputs[%d]", i)
	ck.name(key+".name", "output", o.Name, seen)
	ck.shownText(key+".title", o.Title, "")
	ck.shownText(key+".description", o.Description, "\n\t")
	ck.intRange(key+".limit", o.Limit, 1, 1000)
	// A scan must reach the output's limit; a limit out of its own range
	// (said above) is no bound to give it.
	scanFrom := DefaultLimit
	if o.Limit >= 1 && o.Limit <= 1000 {
		scanFrom = max(o.Limit, DefaultLimit)
	}
	if ck.lines.has(key+".max_scan") || o.Limit <= MaxMaxScan { // else its default, from the bad limit
		ck.intRange(key+".max_scan", o.MaxScan, scanFrom, MaxMaxScan)
	}
	ck.language(key+".language", o.Language)
	for j, l := range o.Languages {
		ck.language(fmt.Sprintf("%s.languages[%d]", key, j), l)
	}
	for _, list := range []struct {
		key   string
		names []string
	}{{"sources", o.Sources}, {"exclude_sources", o.ExcludeSources}} {
		for j, name := range list.names {
			if c.SourceByName(name) == nil {
				ck.add(fmt.Sprintf("%s.%s[%d]", key, list.key, j), "no source named %q", name)
			}
		}
	}
	if o.MaxAge < 0 {
		ck.add(key+".max_age", "must not be negative, got %s", o.MaxAge)
	}
	if _, huge := ck.oversized[key+".per_source_limit"]; o.PerSourceLimit < 0 && !huge {
		ck.add(key+".per_source_limit", "must not be negative, got %d", o.PerSourceLimit)
	}
	for j, kw := range append(append([]string(nil), o.Include...), o.Exclude...) {
		if strings.TrimSpace(kw) == "" {
			field := "include"
			if j >= len(o.Include) {
				field, j = "exclude", j-len(o.Include)
			}
			ck.add(fmt.Sprintf("%s.%s[%d]", key, field, j), "empty keyword")
		}
	}
}

// shownText refuses a control character (but those in allowed) in text
// shown in pages, feeds and terminals: seen from outside, a feed's title
// with an escape sequence reached the config through nashra add and then
// every line of /ticker.txt.
func (ck *checker) shownText(key, text, allowed string) {
	for _, r := range text {
		if unicode.IsControl(r) && !strings.ContainsRune(allowed, r) {
			ck.add(key, "holds a control character (U+%04X): it is shown in pages, feeds and terminals; remove it", r)
			return
		}
	}
}

func (ck *checker) httpURL(key, raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		ck.add(key, "must be an absolute http(s) URL, got %q", RedactText(afterCredentials(raw), nil))
		return
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		shown := raw
		if strings.Contains(u.Opaque, "@") { // user:password@host without a scheme
			shown = afterCredentials(raw)
		}
		ck.add(key, "must be an absolute http(s) URL, got %q", RedactText(shown, nil))
		return
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n > 65535 {
			ck.add(key, "port %s is not a port number (0 to 65535)", p)
		}
	}
}

// afterCredentials is what a URL that does not read as one shows in a
// message: from its last '@' on, when it has one, since what comes before
// may be a password RedactText cannot take apart (one with a space in it,
// or without a scheme, seen from outside).
func afterCredentials(raw string) string {
	if i := strings.LastIndexByte(raw, '@'); i >= 0 {
		return "…" + raw[i:]
	}
	return raw
}

// listen checks an address as net.Listen will take it at start-up.
func (ck *checker) listen(key, addr string) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		if _, err := strconv.Atoi(addr); err == nil {
			ck.add(key, "must be HOST:PORT or :PORT (%q listens on every address), got %q", ":"+addr, addr)
		} else {
			ck.add(key, "must be HOST:PORT or :PORT, got %q", addr)
		}
		return
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		ck.add(key, "port %q is not a port number (0 to 65535)", port)
	}
}

func (ck *checker) schedule(key, spec string) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		ck.add(key, "bad cron spec %q: %v", spec, err)
		return
	}
	// "0 0 30 2 *" (30 February) parses but never fires: the source would be
	// polled once at start and never again. A schedule must fire within a year
	// of any moment; the next four leap-year cycles cover every calendar case.
	if from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); sched.Next(from).IsZero() || sched.Next(from).Sub(from) > 366*24*time.Hour {
		ck.add(key, "cron spec %q fires less than once a year (30 February never comes)", spec)
		return
	}
	// cron takes any @every: below a second it polls every second, and it
	// drops fractions of a second without a word.
	if rest, ok := strings.CutPrefix(spec, "@every "); ok {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		switch {
		case err != nil:
			ck.add(key, "bad interval %q: %v", rest, err)
		case d < time.Second:
			ck.add(key, "interval must be at least 1s, got %s", d)
		case d%time.Second != 0:
			ck.add(key, "interval must be whole seconds, got %s", d)
		}
	}
}

// KnownLanguage reports whether a source's language tag is one nashra
// accepts: an ISO 639 base language of two or three letters.
func KnownLanguage(tag string) bool {
	_, err := language.ParseBase(tag)
	return err == nil && len(tag) <= 3
}

func (ck *checker) language(key, tag string) {
	if tag == "" {
		return
	}
	if !KnownLanguage(tag) {
		ck.add(key, "unknown language %q (use an ISO 639-1 code: ar, fr, en…)", tag)
	}
}

func (ck *checker) intRange(key string, v, lo, hi int) {
	if written, ok := ck.oversized[key]; ok {
		ck.add(key, "must be between %d and %d, got %s", lo, hi, written)
		if ck.saidOversized == nil {
			ck.saidOversized = map[string]bool{}
		}
		ck.saidOversized[key] = true
		return
	}
	if v < lo || v > hi {
		ck.add(key, "must be between %d and %d, got %d", lo, hi, v)
	}
}

// sameSocket reports whether the admin address (a loopback IP and port)
// is one the public listener already binds: the same port on the same IP,
// on every interface (no host, 0.0.0.0, ::), or on a name ("localhost"),
// which may resolve to it. Port 0 is a port of the kernel's choosing.
func sameSocket(listen, admin string) bool {
	lh, lp, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	ah, ap, err := net.SplitHostPort(admin)
	if err != nil {
		return false
	}
	// Ports compared as numbers, as the kernel binds them: "018930" and a
	// service name ("http-alt") are the ports they name.
	ln, lerr := net.LookupPort("tcp", lp)
	an, aerr := net.LookupPort("tcp", ap)
	if lerr != nil || aerr != nil || ln != an || ln == 0 {
		return false
	}
	lip := net.ParseIP(lh)
	return lh == "" || lip == nil || lip.IsUnspecified() || lip.Equal(net.ParseIP(ah))
}

// decimalPort reports whether p is a port written in digits, 0 to 65535.
func decimalPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535 && strings.Trim(p, "0123456789") == ""
}

// LoopbackAddress reports whether addr is host:port with host a loopback IP
// address. Names are refused, localhost included: what a name resolves to
// can change, and the admin API must never be reachable from elsewhere.
func LoopbackAddress(addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
