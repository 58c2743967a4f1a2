package config

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// lineMap records where each key path ("sources[2].url") stands in the file,
// so that validation of decoded values can still point at a line.
type lineMap struct {
	path map[string]int   // key path → line of the key
	at   map[int][]string // line → key paths on it
}

func lineIndex(root *yaml.Node) lineMap {
	lm := lineMap{path: map[string]int{}, at: map[int][]string{}}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		lm.walk(root.Content[0], "")
	}
	return lm
}

func (lm lineMap) add(path string, line int) {
	lm.path[path] = line
	lm.at[line] = append(lm.at[line], path)
}

func (lm lineMap) walk(n *yaml.Node, prefix string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if prefix != "" {
				p = prefix + "." + k.Value
			}
			lm.add(p, k.Line)
			lm.walk(v, p)
		}
	case yaml.SequenceNode:
		for i, v := range n.Content {
			p := fmt.Sprintf("%s[%d]", prefix, i)
			lm.add(p, v.Line)
			lm.walk(v, p)
		}
	}
}

// line returns the line of path, or of its nearest ancestor that is in the file.
func (lm lineMap) line(path string) int {
	for p := path; p != ""; p = parent(p) {
		if l, ok := lm.path[p]; ok {
			return l
		}
	}
	return 0
}

// has reports whether the file writes the key at path itself (line falls
// back to a parent's line; a value inherited from a default is not written).
func (lm lineMap) has(path string) bool {
	_, ok := lm.path[path]
	return ok
}

// keyAt finds the path of key name on line.
func (lm lineMap) keyAt(line int, name string) string {
	for _, p := range lm.at[line] {
		if p == name || len(p) > len(name) && p[len(p)-len(name)-1:] == "."+name {
			return p
		}
	}
	return ""
}

// keyAtLine returns the deepest key path that stands on line.
func (lm lineMap) keyAtLine(line int) string {
	best := ""
	for _, p := range lm.at[line] {
		if len(p) > len(best) {
			best = p
		}
	}
	return best
}

func parent(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		switch p[i] {
		case '.':
			return p[:i]
		case '[':
			return p[:i]
		}
	}
	return ""
}
