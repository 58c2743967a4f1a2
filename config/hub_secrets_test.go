package config

import (
	"strings"
	"testing"
)

// A hub that needs no credential passes check (TestYAMLMistakeMessages has
// the ones refused).
func TestPlainHubAccepted(t *testing.T) {
	if _, err := Parse("c.yaml", []byte("websub:\n  hub: \"https://pubsubhubbub.appspot.com/\"\nsources:\n  - {name: a, url: \"http://x.ma/a\"}\n")); err != nil {
		t.Errorf("a plain hub refused: %v", err)
	}
}

// RedactText also redacts a secret parameter of a URL it cannot parse.
func TestRedactTextUnparsableURL(t *testing.T) {
	for _, in := range []string{
		`got "http://exa mple.com/?token=TOKVAL&x=1"`,
		`Get "http://h/a b?api_key=TOKVAL": bad`,
		`parse "http://[::1/?sig=TOKVAL": missing ']' in host`,
	} {
		if out := RedactText(in, nil); strings.Contains(out, "TOKVAL") {
			t.Errorf("RedactText(%q) = %q", in, out)
		}
	}
	if out := RedactText("a=b&c=d, token count 3", nil); out != "a=b&c=d, token count 3" {
		t.Errorf("text that names no URL changed: %q", out)
	}
}
