package config

import (
	"errors"
	"testing"
)

// TestAppendSources attacks the textual append of `nashra add` and `opml
// import --merge`: any byte of the user's file other than the new entry
// changed, or an entry that lands outside the sources: list.
func TestAppendSources(t *testing.T) {
	entry := "- name: new\n  url: https://n.example/feed\n"
	cases := []struct {
		name, file, want string
		err              error
	}{
		{"indented list with comments and a key after it",
			"# my config\nsources:\n  # the Arabic ones\n  - {name: a, url: \"https://a.example/feed\"}   # keep\n\n  # retired:\n  # - {name: z, url: x}\n\noutputs:\n  - {name: all}\n",
			"# my config\nsources:\n  # the Arabic ones\n  - {name: a, url: \"https://a.example/feed\"}   # keep\n  - name: new\n    url: https://n.example/feed\n\n  # retired:\n  # - {name: z, url: x}\n\noutputs:\n  - {name: all}\n", nil},
		{"unindented list, last in the file, no final newline",
			"title: t\nsources:\n- name: a\n  url: https://a.example/feed",
			"title: t\nsources:\n- name: a\n  url: https://a.example/feed\n- name: new\n  url: https://n.example/feed\n", nil},
		{"four-space block entries keep their indent",
			"sources:\n    - name: a\n      url: https://a.example/feed\nworkers: 2\n",
			"sources:\n    - name: a\n      url: https://a.example/feed\n    - name: new\n      url: https://n.example/feed\nworkers: 2\n", nil},
		{"no sources key: the list is added at the end",
			"title: t # x\n",
			"title: t # x\nsources:\n  - name: new\n    url: https://n.example/feed\n", nil},
		{"a key whose name starts with sources is not the list",
			"sources_note: x\nsources:\n  - {name: a, url: u}\n",
			"sources_note: x\nsources:\n  - {name: a, url: u}\n  - name: new\n    url: https://n.example/feed\n", nil},
		{"CRLF lines are kept", "sources:\r\n  - {name: a, url: u}\r\nworkers: 1\r\n",
			"sources:\r\n  - {name: a, url: u}\r\n  - name: new\n    url: https://n.example/feed\nworkers: 1\r\n", nil},
		{"flow list is refused", "sources: [{name: a, url: u}]\n", "", ErrFlowSources},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := AppendSources([]byte(c.file), []byte(entry))
			if !errors.Is(err, c.err) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if string(got) != c.want {
				t.Errorf("got\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}
