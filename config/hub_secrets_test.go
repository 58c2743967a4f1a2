package config

import (
	"strings"
	"testing"
)

// Seen from outside: a websub.hub carrying a user, a password and a token
// passed check, and every feed response then published them (the rel=hub
// Link header, the RSS body, the JSON Feed's hubs) while the log showed
// them too. The hub's URL is for every reader: check refuses a credential
// in it. And a source URL that does not parse (a space in its host) was
// quoted in check's message with its token in clear.
func TestConfigKeepsCredentialsOutOfPublishedAndQuotedURLs(t *testing.T) {
	const src = "sources:\n  - {name: a, url: \"http://x.ma/a\"}\n"
	cases := []struct {
		name, yaml string
		want       []string // in the message
		not        []string // nowhere in it
	}{
		{"a hub with a user and password",
			"websub:\n  hub: \"http://hubuser:HUBPASSWORD@hub.example/\"\n" + src,
			[]string{"c.yaml:2: websub.hub", "published"}, []string{"HUBPASSWORD", "hubuser"}},
		{"a hub with a token",
			"websub:\n  hub: \"https://hub.example/publish?token=HUBTOKEN\"\n" + src,
			[]string{"c.yaml:2: websub.hub", "published"}, []string{"HUBTOKEN"}},
		{"a source URL that does not parse",
			"sources:\n  - {name: a, url: \"http://u:SRCPW@exa mple.com/?token=TOKVAL&x=1\"}\n",
			[]string{"c.yaml:2: sources[0].url"}, []string{"TOKVAL", "SRCPW"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(c.yaml))
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			for _, n := range c.not {
				if strings.Contains(msg, n) {
					t.Errorf("message holds %q:\n%s", n, msg)
				}
			}
		})
	}
	if _, err := Parse("c.yaml", []byte("websub:\n  hub: \"https://pubsubhubbub.appspot.com/\"\n"+src)); err != nil {
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
