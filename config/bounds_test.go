package config

import (
	"errors"
	"strings"
	"testing"
)

// Each case attacks one bound; want is the one problem it must give, as
// nashra check prints it (file:line: key: message).
func TestConfigBounds(t *testing.T) {
	const src = "sources:\n  - {name: a, url: \"http://x.ma/a\"}\n"
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"sub-second @every would silently poll every second", "schedule: \"@every 1ms\"\n" + src,
			`b.yaml:1: schedule: interval must be at least 1s, got 1ms`},
		{"a schedule that never fires (30 February)", "schedule: \"0 0 30 2 *\"\n" + src,
			`b.yaml:1: schedule: cron spec "0 0 30 2 *" fires less than once a year (30 February never comes)`},
		{"negative @every", "schedule: \"@every -5m\"\n" + src,
			`b.yaml:1: schedule: interval must be at least 1s, got -5m0s`},
		{"fractional seconds are truncated by cron", "schedule: \"@every 1500ms\"\n" + src,
			`b.yaml:1: schedule: interval must be whole seconds, got 1.5s`},
		{"per-source schedule is bounded too", "sources:\n  - {name: a, url: \"http://x.ma/a\", schedule: \"@every 0s\"}\n",
			`b.yaml:2: sources[0].schedule: interval must be at least 1s, got 0s`},
		{"retention near the largest duration overflows tombstone arithmetic", "retention: 2562047h\n" + src,
			`b.yaml:1: retention: must be at most 87600h (10 years), got 2562047h0m0s`},
		{"fractional workers silently truncated", "workers: 4.5\n" + src,
			`b.yaml:1: workers: must be a whole number, got 4.5`},
		{"fractional output limit", src + "outputs:\n  - {name: all, limit: 10.7}\n",
			`b.yaml:4: outputs[0].limit: must be a whole number, got 10.7`},
		{"duplicate key is reported alone, not as a missing source", src + "sources:\n  - {name: b, url: \"http://x.ma/b\"}\n",
			`b.yaml:3: sources: mapping key "sources" already defined at line 1`},
		{"duplicate scalar key", "workers: 4\nworkers: 5\n" + src,
			`b.yaml:2: workers: mapping key "workers" already defined at line 1`},
		{"stale_after below a minute", "stale_after: 10s\n" + src,
			`b.yaml:1: stale_after: must be between 1m and 168h, got 10s`},
		{"negative live.max_streams would refuse every stream", "live:\n  max_streams: -1\n" + src,
			`b.yaml:2: live.max_streams: must be between 1 and 100000, got -1`},
		{"max_scan below the output's limit could never fill it", src + "outputs:\n  - {name: all, limit: 200, max_scan: 150}\n",
			`b.yaml:4: outputs[0].max_scan: must be between 200 and 1000000, got 150`},
		{"max_scan written as 0 is not the default", src + "outputs:\n  - {name: all, max_scan: 0}\n",
			`b.yaml:4: outputs[0].max_scan: must be between 100 and 1000000, got 0`},
		{"max_scan past a million walks seconds per request", src + "outputs:\n  - {name: all, max_scan: 5000000}\n",
			`b.yaml:4: outputs[0].max_scan: must be between 100 and 1000000, got 5000000`},
		// Seen from outside: a whole number too large for an int got two
		// messages in two wordings, one of them truncated.
		{"a whole number past an int's range: one message, the key's range", "workers: 99999999999999999999\n" + src,
			`b.yaml:1: workers: must be between 1 and 64, got 99999999999999999999`},
		{"one past the largest int", "write_queue_items: 9223372036854775808\n" + src,
			`b.yaml:1: write_queue_items: must be between 1 and 2000, got 9223372036854775808`},
		{"one below the smallest int", "per_host: -9223372036854775809\n" + src,
			`b.yaml:1: per_host: must be between 1 and 64, got -9223372036854775809`},
		{"past an int's range in a list", src + "outputs:\n  - {name: all, limit: 18446744073709551616}\n",
			`b.yaml:4: outputs[0].limit: must be between 1 and 1000, got 18446744073709551616`},
		{"a source's own max_items past an int's range", "sources:\n  - {name: a, url: \"http://x.ma/a\", max_items: 99999999999999999999}\n",
			`b.yaml:2: sources[0].max_items: must be between 1 and 100000, got 99999999999999999999`},
		{"max_items out of range is said once, not again for each source inheriting it", "max_items: 4294967296\n" + src,
			`b.yaml:1: max_items: must be between 1 and 100000, got 4294967296`},
		// Seen from outside, round two: a whole number written as a float is
		// that number; a fraction is said once; every int key is covered.
		{"a whole number in exponent form is that number, checked once", "workers: 1e3\n" + src,
			`b.yaml:1: workers: must be between 1 and 64, got 1000`},
		{"a whole number in exponent form past an int's range", "workers: 1e30\n" + src,
			`b.yaml:1: workers: must be between 1 and 64, got 1e30`},
		{"a fraction is said once, not again as out of range", src + "outputs:\n  - {name: all, max_scan: 64.5}\n",
			`b.yaml:4: outputs[0].max_scan: must be a whole number, got 64.5`},
		{"per_source_limit past an int's range", src + "outputs:\n  - {name: all, per_source_limit: 9223372036854775808}\n",
			`b.yaml:4: outputs[0].per_source_limit: too large for a whole number (at most 9223372036854775807), got 9223372036854775808`},
		{"max_scan's range does not come from a limit out of its own", src + "outputs:\n  - {name: all, limit: 5000, max_scan: 100}\n",
			`b.yaml:4: outputs[0].limit: must be between 1 and 1000, got 5000`},
		{"live.max_streams written as 0 is not the default", "live:\n  max_streams: 0\n" + src,
			`b.yaml:2: live.max_streams: must be between 1 and 100000, got 0`},
		{".inf is said once", "workers: .inf\n" + src, `b.yaml:1: workers: must be a whole number, got .inf`},
		{"a limit past max_scan's range does not blame the max_scan it was not given", src + "outputs:\n  - {name: all, limit: 2000000}\n",
			`b.yaml:4: outputs[0].limit: must be between 1 and 1000, got 2000000`},
		{"per_source_limit below an int's range", src + "outputs:\n  - {name: all, per_source_limit: -9223372036854775809}\n",
			`b.yaml:4: outputs[0].per_source_limit: too small for a whole number (at least -9223372036854775808), got -9223372036854775809`},
		{"frame_ancestors cannot smuggle another CSP directive", "embed:\n  frame_ancestors: \"*; script-src *\"\n" + src,
			`b.yaml:2: embed.frame_ancestors: must be a CSP source list such as * or 'self' https://example.ma, without ; or ,`},
		{"frame_ancestors 'none' with a site (seen from outside: accepted)", "embed:\n  frame_ancestors: \"'none' https://x.example\"\n" + src,
			`b.yaml:2: embed.frame_ancestors: 'none' must stand alone (no site may frame the embed page), got "'none' https://x.example"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("b.yaml", []byte(tc.yaml))
			var probs *Problems
			if !errors.As(err, &probs) {
				t.Fatalf("Parse = %v, want problems", err)
			}
			var got []string
			for _, p := range probs.List {
				got = append(got, p.String())
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("problems:\n  %s\nwant exactly:\n  %s", strings.Join(got, "\n  "), tc.want)
			}
		})
	}
	for _, ok := range []string{"schedule: \"@every 1s\"\n", "schedule: \"@every 5m\"\n", "retention: 87600h\n", "workers: 8\n", "stale_after: 30m\n",
		"live:\n  max_streams: 5\n", "outputs:\n  - {name: all, include: [zelij], max_scan: 100000}\n", "embed:\n  frame_ancestors: \"'self' https://www.example.ma\"\n"} {
		if _, err := Parse("ok.yaml", []byte(ok+src)); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
}
