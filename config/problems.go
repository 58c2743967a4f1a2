package config

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Problem is one thing wrong with a configuration file.
type Problem struct {
	File string
	Line int // 0 when the problem has no place (a missing key)
	Key  string
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in one file; it is the error Load returns.
type Problems struct {
	List []Problem
}

func (ps *Problems) Error() string {
	lines := make([]string, len(ps.List))
	for i, p := range ps.List {
		lines[i] = p.String()
	}
	return fmt.Sprintf("config: %d problem(s):\n  %s", len(ps.List), strings.Join(lines, "\n  "))
}

// sort orders the problems by line and says each once: a node an alias
// repeats is decoded, and found wrong, once for each alias (seen from
// outside: 63 lines for 7 problems).
func (ps *Problems) sort() {
	sort.SliceStable(ps.List, func(i, j int) bool { return ps.List[i].Line < ps.List[j].Line })
	seen := make(map[Problem]bool, len(ps.List))
	ps.List = slices.DeleteFunc(ps.List, func(p Problem) bool {
		if seen[p] {
			return true
		}
		seen[p] = true
		return false
	})
}
