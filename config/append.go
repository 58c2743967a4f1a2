package config

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrFlowSources is AppendSources meeting `sources: [...]`: a flow sequence
// cannot take block entries after it.
var ErrFlowSources = errors.New("sources: is written inline ([...]): add the entries by hand, or use -print")

// FlowSourcesError is ErrFlowSources at its line of the file.
type FlowSourcesError struct{ Line int }

func (e *FlowSourcesError) Error() string {
	return fmt.Sprintf("config: line %d: %v", e.Line, ErrFlowSources)
}

func (e *FlowSourcesError) Unwrap() error { return ErrFlowSources }

var (
	sourcesKey   = regexp.MustCompile(`^sources:[ \t]*(#.*)?$`)
	sourcesValue = regexp.MustCompile(`^sources:[ \t]*[^ \t#]`)
	listItem     = regexp.MustCompile(`^([ \t]*)- `)
)

// AppendSources adds entries (a YAML block sequence written at column 0,
// "- name: x\n  url: ...\n") to the end of file's top-level sources: list,
// indented as the list's items are, and leaves every other byte of file as it
// was: comments, blank lines, key order and quoting. With no sources: key
// the list is added at the end.
func AppendSources(file, entries []byte) ([]byte, error) {
	lines := bytes.SplitAfter(file, []byte("\n"))
	start := -1
	for i, l := range lines {
		text := strings.TrimRight(string(l), "\r\n")
		if sourcesValue.MatchString(text) {
			return nil, &FlowSourcesError{Line: i + 1}
		}
		if sourcesKey.MatchString(text) {
			start = i
			break
		}
	}
	var out bytes.Buffer
	if start < 0 {
		out.Write(file)
		if len(file) > 0 && !bytes.HasSuffix(file, []byte("\n")) {
			out.WriteByte('\n')
		}
		out.WriteString("sources:\n")
		out.Write(indentLines(entries, "  "))
		return out.Bytes(), nil
	}
	// The block runs to the first line at column 0 that is neither blank, a
	// comment, nor an item of an unindented list; the entries go after its
	// last line of content, before trailing comments and blank lines.
	last, indent := start, ""
	found := false
	for j := start + 1; j < len(lines); j++ {
		text := strings.TrimRight(string(lines[j]), "\r\n")
		trimmed := strings.TrimLeft(text, " \t")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if text == trimmed && !strings.HasPrefix(text, "- ") && text != "-" {
			break // the next top-level key
		}
		if m := listItem.FindStringSubmatch(text); m != nil && !found {
			indent, found = m[1], true
		}
		last = j
	}
	if !found {
		indent = "  "
	}
	for _, l := range lines[:last+1] {
		out.Write(l)
	}
	if !bytes.HasSuffix(lines[last], []byte("\n")) {
		out.WriteByte('\n')
	}
	out.Write(indentLines(entries, indent))
	for _, l := range lines[last+1:] {
		out.Write(l)
	}
	return out.Bytes(), nil
}

func indentLines(b []byte, indent string) []byte {
	var out bytes.Buffer
	for _, l := range bytes.SplitAfter(b, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		out.WriteString(indent)
		out.Write(l)
	}
	if out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
		out.WriteByte('\n')
	}
	return out.Bytes()
}
