package config

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// syntaxLine finds the line a YAML syntax mistake is on. The parser names
// the line where the enclosing block began (a misplaced indent on line 4 is
// "line 1", a tab on line 3 is "line 2"), so the file is re-parsed line by
// line: the first prefix that fails with the same message ends on the mistake.
func syntaxLine(data []byte, msg string) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	for n := 1; n <= len(lines); n++ {
		var v yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:n], nil), &v)
		if err == nil {
			continue
		}
		p := syntaxProblem("", err)
		if p.Msg == msg {
			return n
		}
	}
	return 0
}

// syntaxHint adds to a syntax message how to fix the line it stands on.
func syntaxHint(msg string, line []byte) string {
	if strings.Contains(msg, "mapping values are not allowed") {
		s := strings.TrimRight(string(line), "\r\n")
		indent := len(s) - len(strings.TrimLeft(s, " -"))
		if key, val, ok := strings.Cut(s[indent:], ": "); ok {
			q := strings.ReplaceAll(strings.TrimSpace(val), `"`, `\"`)
			return fmt.Sprintf(`a value holding ": " must be quoted: write %s: "%s"`, key, q)
		}
		return msg + ` (quote a value that holds ": ")`
	}
	if strings.HasPrefix(msg, "did not find expected") {
		return msg + ": this line's indentation does not match the lines above it"
	}
	if strings.Contains(msg, "tab character") {
		return "a tab in the indentation: YAML indents with spaces only"
	}
	return msg
}

// emptyProblem says a file holds nothing to decode ("EOF" from yaml).
func emptyProblem(file string, data []byte) Problem {
	if len(bytes.TrimSpace(data)) == 0 {
		return Problem{File: file, Msg: "the file is empty (copy config.yaml from the repository to start)"}
	}
	return Problem{File: file, Msg: "the file holds no settings, only comments (at least sources: is needed)"}
}

var typeErrRe = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")

// typeWording rewrites yaml's "cannot unmarshal !!str `30d` into
// time.Duration" as what the file should hold, without Go's type names.
// isCollection reports the mistake is a whole mapping or list in the wrong
// place, whose line is that of its first key, not of its own.
func typeWording(msg string) (text string, isCollection bool) {
	m := typeErrRe.FindStringSubmatch(msg)
	if m == nil {
		return msg, false
	}
	kind, value, goType := m[1], m[2], m[3]
	var want string
	switch {
	case goType == "time.Duration":
		want = "a duration such as 720h or 30m"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint"):
		want = "a whole number"
	case strings.HasPrefix(goType, "float"):
		want = "a number"
	case goType == "bool":
		want = "true or false"
	case goType == "string" || goType == "config.Secret":
		want = "text (quote it if it looks like something else)"
	case strings.HasPrefix(goType, "[]"):
		want = `a list (one "- " line per entry)`
	default:
		want = "a mapping (key: value lines)"
	}
	got := "`" + value + "`"
	switch kind {
	case "map":
		got = "a mapping"
	case "seq":
		got = "a list"
	}
	return fmt.Sprintf("expected %s, got %s", want, got), kind == "map" || kind == "seq"
}
