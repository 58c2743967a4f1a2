package config

import (
	"strings"
	"testing"
)

// TestAllowPrivateNetworks: the opt-in that lets outlets' redirects reach
// private networks is off unless written, and only a boolean turns it on.
func TestAllowPrivateNetworks(t *testing.T) {
	const src = "sources:\n  - name: a\n    url: http://a.example/feed\n"
	cases := []struct {
		name, yaml string
		want       bool
		problem    string
	}{
		{"off by default", src, false, ""},
		{"turned on", "allow_private_networks: true\n" + src, true, ""},
		{"turned off explicitly", "allow_private_networks: false\n" + src, false, ""},
		{"a word that is no boolean is refused", "allow_private_networks: maybe\n" + src, false, "c.yaml:1: allow_private_networks: expected true or false"},
		{"a number is refused", "allow_private_networks: 1\n" + src, false, "c.yaml:1: allow_private_networks: expected true or false"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(tc.yaml))
			if tc.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tc.problem) {
					t.Fatalf("err = %v, want %q", err, tc.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.AllowPrivateNetworks != tc.want {
				t.Errorf("AllowPrivateNetworks = %v, want %v", cfg.AllowPrivateNetworks, tc.want)
			}
		})
	}
}
