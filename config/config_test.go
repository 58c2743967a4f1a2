package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

const goodYAML = `listen: ":9090"
schedule: "@every 5m"
sources:
  - name: hespress-ar
    title: هسبريس
    url: https://www.hespress.com/feed
    language: ar
  - name: le360-fr
    url: https://fr.le360.ma/arc/outboundfeeds/rss/?outputType=xml
    language: fr
    schedule: "*/15 * * * *"
    timezone: Europe/Paris
    charset: windows-1256
outputs:
  - name: all
    limit: 50
  - name: fr
    languages: [fr]
`

func TestParseGoodConfigAppliesDefaults(t *testing.T) {
	cfg, err := Parse("good.yaml", []byte(goodYAML))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if cfg.BaseURL != "http://localhost:9090" {
		t.Errorf("BaseURL = %q, want derived from listen", cfg.BaseURL)
	}
	if cfg.Database != DefaultDatabase || cfg.Workers != DefaultWorkers || cfg.Retention != DefaultRetention || cfg.WriteQueueItems != DefaultWriteQueueItems {
		t.Errorf("defaults not applied: %+v", cfg)
	}
	if cfg.Location.String() != "Africa/Casablanca" {
		t.Errorf("Location = %v", cfg.Location)
	}
	if got := cfg.Sources[1].Title; got != "le360-fr" {
		t.Errorf("title default = %q, want the name", got)
	}
	if got := cfg.Sources[0].Location.String(); got != "Africa/Casablanca" {
		t.Errorf("source zone default = %q", got)
	}
	if got := cfg.Sources[1].Location.String(); got != "Europe/Paris" {
		t.Errorf("source zone override = %q", got)
	}
	if cfg.Outputs[0].Limit != 50 || cfg.Outputs[1].Limit != DefaultLimit || cfg.Outputs[1].Language != "fr" {
		t.Errorf("outputs = %+v", cfg.Outputs)
	}
}

func TestParseMaxItems(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []int // per source
	}{
		{"default", "sources:\n  - {name: a, url: http://a.example/f}\n", []int{DefaultMaxItems}},
		{"global", "max_items: 200\nsources:\n  - {name: a, url: http://a.example/f}\n  - {name: b, url: http://b.example/f, max_items: 20}\n", []int{200, 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range tt.want {
				if got := cfg.Sources[i].MaxItems; got != w {
					t.Errorf("sources[%d].max_items = %d, want %d", i, got, w)
				}
			}
		})
	}
}

func TestParseNoOutputsGivesDefaultOutput(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("sources:\n  - name: a\n    url: http://a.example/feed\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Outputs) != 1 || cfg.Outputs[0].Name != "all" {
		t.Fatalf("outputs = %+v", cfg.Outputs)
	}
}

func TestParseBrokenConfigs(t *testing.T) {
	const src = "sources:\n  - name: a\n    url: http://a.example/feed\n"
	tests := []struct {
		name string
		yaml string
		want []string // each must appear, in order, in the error
	}{
		{"unknown top-level key", "listne: :80\n" + src, []string{"c.yaml:1: listne: unknown key"}},
		{"unknown source key", "sources:\n  - name: a\n    url: http://a.example/feed\n    shedule: '* * * * *'\n",
			[]string{"c.yaml:4: sources[0].shedule: unknown key"}},
		{"no sources", "listen: :80\n", []string{"sources: at least one source is required"}},
		{"bad name", "sources:\n  - name: Hespress AR\n    url: http://a.example/feed\n",
			[]string{`c.yaml:2: sources[0].name: "Hespress AR" must be lower-case letters, digits and dashes`}},
		{"duplicate name", src + "  - name: a\n    url: http://b.example/feed\n",
			[]string{`c.yaml:4: sources[1].name: duplicate source name "a" (first at line 2)`}},
		{"missing url", "sources:\n  - name: a\n", []string{"c.yaml:2: sources[0].url: required"}},
		{"relative url", "sources:\n  - name: a\n    url: /feed\n",
			[]string{`c.yaml:3: sources[0].url: must be an absolute http(s) URL, got "/feed"`}},
		{"ftp url", "sources:\n  - name: a\n    url: ftp://a.example/feed\n",
			[]string{`c.yaml:3: sources[0].url: must be an absolute http(s) URL`}},
		{"bad cron", "schedule: '*/10 * * *'\n" + src, []string{`c.yaml:1: schedule: bad cron spec "*/10 * * *"`}},
		{"bad source cron", src + "    schedule: '@fortnightly'\n", []string{`c.yaml:4: sources[0].schedule: bad cron spec "@fortnightly"`}},
		{"bad zone", "timezone: Africa/Casablance\n" + src, []string{`c.yaml:1: timezone: unknown time zone "Africa/Casablance"`}},
		{"bad source zone", src + "    timezone: Mars/Olympus\n", []string{`c.yaml:4: sources[0].timezone: unknown time zone "Mars/Olympus"`}},
		{"bad language", src + "    language: arabic\n", []string{`c.yaml:4: sources[0].language: unknown language "arabic"`}},
		{"bad charset", src + "    charset: klingon-8\n", []string{`c.yaml:4: sources[0].charset: unknown charset "klingon-8"`}},
		{"wrong type", "workers: many\n" + src, []string{"c.yaml:1: workers: expected a whole number, got `many`"}},
		{"bad duration", "retention: forever\n" + src, []string{"c.yaml:1: retention:"}},
		{"short retention", "retention: 5m\n" + src, []string{"c.yaml:1: retention: must be at least 1h, got 5m0s"}},
		{"secret_params entry is no parameter name", "secret_params: [sessid, 'a=b']\n" + src,
			[]string{`c.yaml:1: secret_params[1]: must be a query parameter name, got "a=b"`}},
		{"a bad source url never echoes its password", "sources:\n  - name: a\n    url: ftp://u:pw1234@a.example/feed?token=T0KEN\n",
			[]string{`c.yaml:3: sources[0].url: must be an absolute http(s) URL, got "ftp://a.example/feed?token=REDACTED"`}},
		{"bad base url", "base_url: localhost\n" + src, []string{`c.yaml:1: base_url: must be an absolute http(s) URL, got "localhost"`}},
		{"output unknown source", src + "outputs:\n  - name: x\n    sources: [a, b]\n",
			[]string{`c.yaml:6: outputs[0].sources[1]: no source named "b"`}},
		{"output bad limit", src + "outputs:\n  - name: x\n    limit: 5000\n",
			[]string{"c.yaml:6: outputs[0].limit: must be between 1 and 1000, got 5000"}},
		{"output duplicate", src + "outputs:\n  - name: x\n  - name: x\n", []string{`c.yaml:6: outputs[1].name: duplicate output name "x"`}},
		{"admin on every interface", "admin_listen: \":8081\"\n" + src,
			[]string{`c.yaml:1: admin_listen: must be a loopback address (127.0.0.1:PORT or [::1]:PORT), got ":8081"`}},
		{"admin on a public address", "admin_listen: 192.0.2.7:8081\n" + src,
			[]string{`c.yaml:1: admin_listen: must be a loopback address`}},
		{"admin on a host name that could resolve anywhere", "admin_listen: admin.example:8081\n" + src,
			[]string{`c.yaml:1: admin_listen: must be a loopback address`}},
		{"admin on the unspecified IPv6 address", "admin_listen: \"[::]:8081\"\n" + src,
			[]string{`c.yaml:1: admin_listen: must be a loopback address`}},
		{"admin on a name, even localhost: names resolve, addresses do not", "admin_listen: localhost:8081\n" + src,
			[]string{`c.yaml:1: admin_listen: must be a loopback address`}},
		{"admin without a port", "admin_listen: 127.0.0.1\n" + src,
			[]string{`c.yaml:1: admin_listen: must be a loopback address`}},
		{"admin on the public address itself", "listen: 127.0.0.1:18081\nadmin_listen: 127.0.0.1:18081\n" + src,
			[]string{`c.yaml:2: admin_listen: must not be listen's address: "127.0.0.1:18081" is already the public listener's`}},
		{"admin on a port the public listener takes on every interface", "listen: \":18081\"\nadmin_listen: 127.0.0.1:18081\n" + src,
			[]string{`c.yaml:2: admin_listen: must not be listen's address: "127.0.0.1:18081" is already the public listener's`}},
		{"admin on the public port written with a leading zero", "listen: \":18930\"\nadmin_listen: 127.0.0.1:018930\n" + src,
			[]string{`c.yaml:2: admin_listen: must not be listen's address`}},
		{"the public port written with a leading zero", "listen: 127.0.0.1:018932\nadmin_listen: 127.0.0.1:18932\n" + src,
			[]string{`c.yaml:2: admin_listen: must not be listen's address`}},
		{"admin's port with a trailing space", "admin_listen: \"127.0.0.1:18933 \"\n" + src,
			[]string{`c.yaml:1: admin_listen: port "18933 " is not a port number`}},
		{"admin's port as a service name", "admin_listen: 127.0.0.1:http-alt\n" + src,
			[]string{`c.yaml:1: admin_listen: port "http-alt" is not a port number`}},
		{"admin on a port the public listener takes on every IPv6 interface", "listen: \"[::]:18081\"\nadmin_listen: \"[::1]:18081\"\n" + src,
			[]string{`c.yaml:2: admin_listen: must not be listen's address`}},
		{"negative max_items", "max_items: -1\n" + src, []string{"c.yaml:1: max_items: must be between 1 and 100000, got -1"}},
		{"write_queue_items too large", "write_queue_items: 2001\n" + src, []string{"c.yaml:1: write_queue_items: must be between 1 and 2000, got 2001"}},
		{"source max_items too large", src + "    max_items: 200000\n", []string{"c.yaml:4: sources[0].max_items: must be between 1 and 100000, got 200000"}},
		{"syntax error", "sources: [\n", []string{"c.yaml:"}},
		{"every problem at once", "listne: 1\nschedule: nope\nsources:\n  - name: A\n    url: nope\n",
			[]string{"c.yaml:1: listne: unknown key", "c.yaml:2: schedule: bad cron spec", "c.yaml:4: sources[0].name:", "c.yaml:5: sources[0].url:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", cfg)
			}
			var probs *Problems
			if !errors.As(err, &probs) {
				t.Fatalf("error is %T, want *Problems: %v", err, err)
			}
			msg := err.Error()
			pos := 0
			for _, w := range tt.want {
				i := strings.Index(msg[pos:], w)
				if i < 0 {
					t.Fatalf("error lacks %q (in order):\n%s", w, msg)
				}
				pos += i + len(w)
			}
		})
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nashra.yaml")
	if err := os.WriteFile(path, []byte("sources:\n  - name: a\n    url: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path+":3: sources[0].url") {
		t.Fatalf("Load error = %v, want it to name %s:3", err, path)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Fatal("Load of a missing file succeeded")
	}
}

func TestShippedConfigIsValid(t *testing.T) {
	cfg, err := Load("../config.yaml")
	if err != nil {
		t.Fatalf("shipped config.yaml: %v", err)
	}
	langs := map[string]bool{}
	for _, s := range cfg.Sources {
		langs[s.Language] = true
	}
	if len(cfg.Sources) < 10 || len(langs) < 3 {
		t.Fatalf("shipped config has %d sources in %d languages, want ≥10 in ≥3", len(cfg.Sources), len(langs))
	}
	if cfg.Retention < 24*time.Hour {
		t.Errorf("retention %s is too short for a news ticker", cfg.Retention)
	}
}

func TestAdminListen(t *testing.T) {
	const src = "sources:\n  - name: a\n    url: http://a.example/feed\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"default: loopback only", src, "127.0.0.1:8081"},
		{"another loopback port", "admin_listen: 127.0.0.1:9191\n" + src, "127.0.0.1:9191"},
		{"IPv6 loopback", "admin_listen: \"[::1]:8081\"\n" + src, "[::1]:8081"},
		{"anywhere in 127/8", "admin_listen: 127.0.0.2:8081\n" + src, "127.0.0.2:8081"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.AdminListen != tc.want {
				t.Errorf("AdminListen = %q, want %q", cfg.AdminListen, tc.want)
			}
		})
	}
}

// TestTitlesBidiBalanced: an operator's title (or one opml import copied
// from another reader) that opens a right-to-left override is closed inside
// itself, as headlines from feeds are (outside attack).
func TestTitlesBidiBalanced(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("title: \"Nashra \u202e\"\nsources:\n  - {name: a, title: \"Outlet \u202e reversed\", url: \"https://a.example/feed\"}\noutputs:\n  - {name: all, title: \"All \u202b\", description: \"d \u2067\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{cfg.Title, cfg.Sources[0].Title, cfg.Outputs[0].Title, cfg.Outputs[0].Description} {
		if news.BalanceBidi(s) != s || !strings.ContainsAny(s, "\u202c\u2069") {
			t.Errorf("%q: bidi controls left open", s)
		}
	}
}

// stories.enabled turns story grouping off; left out it is on, so existing
// configs keep grouping.
func TestStoriesEnabled(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       bool
	}{
		{"left out: grouping stays on", "", true},
		{"enabled true", "stories: {enabled: true}\n", true},
		{"enabled false turns grouping off", "stories: {enabled: false}\n", false},
		{"enabled false beside the other story keys", "stories:\n  enabled: false\n  window: 12h\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("s.yaml", []byte(tc.yaml+"sources:\n  - {name: a, url: https://a.ma/feed}\n"))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := cfg.Stories.On(); got != tc.want {
				t.Errorf("Stories.On() = %v, want %v", got, tc.want)
			}
		})
	}
}
