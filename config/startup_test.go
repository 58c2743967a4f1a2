package config

import (
	"strings"
	"testing"
)

// TestRefusedAtStartup attacks values that pass a lax check and are then
// refused (or silently replaced) when the service starts.
func TestRefusedAtStartup(t *testing.T) {
	const src = "sources:\n  - {name: a, url: \"http://127.0.0.1:1/a\"}\n"
	cases := []struct {
		name, yaml, want string // want "" = no problem
	}{
		{"listen without a host colon", "listen: \"28499\"\n", `:1: listen: must be HOST:PORT or :PORT (":28499" listens on every address)`},
		{"listen port out of range", "listen: \":99999\"\n", ":1: listen: port"},
		{"listen port a word", "listen: \"localhost:http-ish\"\n", ":1: listen: port"},
		{"listen :8080 is fine", "listen: \":8080\"\n", ""},
		{"listen host:port is fine", "listen: \"127.0.0.1:8080\"\n", ""},
		{"workers 0 is not silently 4", "workers: 0\n", ":1: workers: must be between 1 and 64, got 0"},
		{"per_host 0", "per_host: 0\n", ":1: per_host: must be between 1 and 64, got 0"},
		{"write_queue_items 0", "write_queue_items: 0\n", ":1: write_queue_items: must be between 1 and 2000, got 0"},
		{"max_body_mb 0", "max_body_mb: 0\n", ":1: max_body_mb: must be between 1 and 1024, got 0"},
		{"timeout 0", "timeout: 0s\n", ":1: timeout: must be at least 1s"},
		{"retention 0", "retention: 0s\n", ":1: retention: must be at least 1h"},
		{"output limit 0", "outputs:\n  - {name: all, limit: 0}\n", ":2: outputs[0].limit: must be between 1 and 1000, got 0"},
		{"source max_items 0", "sources:\n  - {name: a, url: \"http://127.0.0.1:1/a\", max_items: 0}\n", ":2: sources[0].max_items: must be between 1 and 100000, got 0"},
		{"absent workers takes the default", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := c.yaml
			if !strings.Contains(body, "sources:") {
				body += src
			}
			_, err := Parse("c.yaml", []byte(body))
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a problem containing %q", err, c.want)
			}
		})
	}
}
