package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestYAMLMistakeMessages attacks the messages a newcomer meets: each must
// name the line where the mistake is, say how to fix it, and leak no Go type.
func TestYAMLMistakeMessages(t *testing.T) {
	const src = "sources:\n  - {name: a, url: \"http://x.ma/a\"}\n"
	cases := []struct {
		name, yaml string
		want       []string
		not        []string
	}{
		{"misplaced indent is reported on its own line",
			"sources:\n  - name: a\n    url: \"http://x.ma/a\"\n   language: ar\n",
			[]string{"c.yaml:4: "}, []string{"c.yaml:1:"}},
		{"tab is reported on its own line",
			"sources:\n  - name: a\n\turl: \"http://x.ma/a\"\n",
			[]string{"c.yaml:3: ", "tab"}, nil},
		{"unquoted colon says how to quote it",
			"title: News: Morocco\n" + src,
			[]string{"c.yaml:1: ", `title: "News: Morocco"`}, nil},
		{"unquoted colon deep in a source",
			"sources:\n  - name: a\n    url: \"http://x.ma/a\"\n    title: Hespress: live\n",
			[]string{"c.yaml:4: ", `title: "Hespress: live"`}, nil},
		{"a duration in days",
			"retention: 30d\n" + src,
			[]string{"c.yaml:1: retention: expected a duration such as 720h or 30m, got `30d`"},
			[]string{"time.Duration", "must be at least"}},
		{"a mapping where a list belongs",
			"sources:\n  name: a\n  url: \"http://x.ma/a\"\n",
			[]string{"c.yaml:2: sources: expected a list", "- "},
			[]string{"config.Source", "[]"}},
		{"a word where a number belongs",
			"workers: many\n" + src,
			[]string{"c.yaml:1: workers: expected a whole number, got `many`"},
			[]string{" int", "must be between"}},
		{"a word where true or false belongs",
			"allow_private_networks: maybe\n" + src,
			[]string{"expected true or false, got `maybe`"}, []string{"bool"}},
		{"a mapping where the etcd password belongs (text)",
			"storage:\n  engine: etcd\n  endpoints: [http://127.0.0.1:2379]\n  username: u\n  password: {x: 1}\n" + src,
			[]string{"c.yaml:5: storage.password: expected text (quote it if it looks like something else), got a mapping"},
			[]string{"got a mapping (key: value", "expected a mapping"}},
		// Seen from outside: a hub's credentials were published in every
		// feed's rel=hub link, and a source URL that does not parse was
		// quoted with its token in clear.
		{"a hub with a user and password",
			"websub:\n  hub: \"http://hubuser:HUBPASSWORD@hub.example/\"\n" + src,
			[]string{"c.yaml:2: websub.hub", "published"}, []string{"HUBPASSWORD", "hubuser"}},
		{"a hub with a token",
			"websub:\n  hub: \"https://hub.example/publish?token=HUBTOKEN\"\n" + src,
			[]string{"c.yaml:2: websub.hub", "published"}, []string{"HUBTOKEN"}},
		{"a source URL that does not parse",
			"sources:\n  - {name: a, url: \"http://u:SRCPW@exa mple.com/?token=TOKVAL&x=1\"}\n",
			[]string{"c.yaml:2: sources[0].url"}, []string{"TOKVAL", "SRCPW"}},
		// Seen from outside: accepted, and every self link became
		// "…?a=1&b=…/feed.rss".
		{"a base_url with a query",
			"base_url: \"http://h/x?a=1&b=<script>\"\n" + src,
			[]string{"c.yaml:1: base_url", "query"}, []string{"<script>"}},
		// Seen from outside at the second attack: a password with a space
		// or without a scheme echoed, credentials in base_url published in
		// every self link, a port past 65535 passed, an escape sequence in
		// a schedule echoed raw.
		{"a password with a space in a source URL",
			"sources:\n  - {name: a, url: \"http://user:visible secretpart@host/feed\"}\n",
			[]string{"c.yaml:2: sources[0].url"}, []string{"visible", "secretpart"}},
		{"a source URL with no scheme and a password",
			"sources:\n  - {name: a, url: \"myuser:MyPassw0rd@feeds.example.com/rss\"}\n",
			[]string{"c.yaml:2: sources[0].url"}, []string{"MyPassw0rd", "myuser"}},
		{"credentials in base_url",
			"base_url: \"http://user:s3cr3t@h.example/\"\n" + src,
			[]string{"c.yaml:1: base_url", "published"}, []string{"s3cr3t"}},
		{"a port past 65535",
			"sources:\n  - {name: a, url: \"http://host:99999999999/feed\"}\n",
			[]string{"c.yaml:2: sources[0].url", "port"}, nil},
		{"an escape sequence in a schedule",
			"schedule: \"*/5 * * * *\\e[2J\"\n" + src,
			[]string{"c.yaml:1: schedule"}, []string{"\x1b"}},
		// Seen from outside: a repeated key hid every other problem of the
		// file. The later occurrence is reported and set aside (the first
		// counts), and the rest of the file is read and checked.
		{"a scalar repeated, and a bad value elsewhere",
			"workers: 4\nworkers: 5\nretention: 1s\n" + src,
			[]string{`c.yaml:2: workers: mapping key "workers" already defined at line 1`, "c.yaml:3: retention"}, nil},
		{"a block repeated, and an unknown key after it",
			src + "sources:\n  - name: b\n    url: \"http://x.ma/b\"\n\ncolour: red\n",
			[]string{`c.yaml:3: sources: mapping key "sources" already defined at line 1`, "c.yaml:7: colour: unknown key"},
			[]string{"at least one source"}},
		{"a key repeated inside a source, and a bad URL in another",
			"sources:\n  - name: a\n    url: \"http://x.ma/a\"\n    url: \"http://x.ma/b\"\n  - {name: b, url: \"ftp://x.ma/b\"}\n",
			[]string{`c.yaml:4: sources[0].url: mapping key "url" already defined at line 3`, "c.yaml:5: sources[1].url: must be an absolute http(s) URL"}, nil},
		// Seen from outside: a repeated top-level key hid a repeat inside
		// a source (yaml stops at the outer one; the inner one was set
		// aside without a word).
		{"a key repeated inside a source, and a top-level key repeated after it",
			"sources:\n  - name: a\n    url: http://x.ma/a\n    url: http://x.ma/b\nlisten: \":18080\"\nlisten: \":18082\"\n",
			[]string{`c.yaml:4: sources[0].url: mapping key "url" already defined at line 3`, `c.yaml:6: listen: mapping key "listen" already defined at line 5`}, nil},
		// Seen from outside: with a top-level key repeated too, a repeat
		// inside a one-line {…} mapping, and one in a block under it,
		// went unreported.
		{"a key repeated in a one-line mapping, with repeats elsewhere",
			"database: a.db\ndatabase: b.db\nsources:\n  - {name: a, url: \"http://x.ma/a\", name: b}\n  - name: c\n    url: http://x.ma/c\n    url: http://x.ma/d\n",
			[]string{`c.yaml:2: database: mapping key "database" already defined at line 1`, `c.yaml:4: sources[0].name: mapping key "name" already defined at line 4`,
				`c.yaml:7: sources[1].url: mapping key "url" already defined at line 6`}, nil},
		{"a repeated key whose value is a list is named, not its first entry",
			src + "outputs:\n  - name: o\n    include: [a]\n    include: [b]\n",
			[]string{`c.yaml:6: outputs[0].include: mapping key "include" already defined at line 5`}, []string{"include[0]"}},
		// Seen from outside at the third look: every repeat named sources[0].
		{"repeats in a one-line list of sources",
			"sources: [{name: a, url: \"http://x.ma/a\"}, {name: b, url: \"http://x.ma/b\", url: \"http://x.ma/c\"}, {name: c, url: \"http://x.ma/d\", name: d}]\n",
			[]string{`c.yaml:1: sources[1].url: mapping key "url" already defined at line 1`, `c.yaml:1: sources[2].name: mapping key "name" already defined at line 1`},
			[]string{"sources[0]"}},
		{"empty file says so", "", []string{"c.yaml: the file is empty"}, []string{"EOF"}},
		{"comments only says so", "# nothing yet\n", []string{"c.yaml: the file holds no settings"}, []string{"EOF"}},
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
}

func TestMissingFileNamesTheFlagAndVariable(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "-config") || !strings.Contains(err.Error(), "NASHRA_CONFIG") {
		t.Fatalf("got %v", err)
	}
}

// Seen from outside: seven sources whose categories came from one anchor
// nine aliases deep printed each problem nine times (63 lines for 7). Each
// problem is said once.
func TestAliasedProblemsSaidOnce(t *testing.T) {
	var y strings.Builder
	y.WriteString("x0: &c0 [a]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&y, "x%d: &c%d [*c%d, *c%d]\n", i, i, i-1, i-1)
	}
	y.WriteString("sources:\n")
	for i := range 3 {
		fmt.Fprintf(&y, "  - {name: s%d, url: \"http://x.ma/%d\", categories: *c9}\n", i, i)
	}
	_, err := Parse("c.yaml", []byte(y.String()))
	if err == nil {
		t.Fatal("accepted")
	}
	lines := strings.Split(strings.TrimSpace(err.Error()), "\n")
	seen := map[string]bool{}
	for _, l := range lines {
		if seen[l] {
			t.Errorf("said twice: %s", l)
		}
		seen[l] = true
	}
	if len(lines) > 40 {
		t.Errorf("%d lines:\n%s", len(lines), err)
	}
}
