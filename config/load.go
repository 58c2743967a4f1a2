package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads, decodes, defaults and validates the file at path. Every problem
// found is reported at once in a *Problems error.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("config: %s does not exist; name the configuration file with -config FILE or NASHRA_CONFIG=FILE", path)
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// LoadToAdd is Load for `nashra add`, which may give a configuration its
// first source: one with no sources yet is accepted, the rest checked as
// Load checks it.
func LoadToAdd(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Load(path) // its messages
	}
	return parse(path, data, true)
}

// Parse is Load for bytes already read; file names the source in messages.
func Parse(file string, data []byte) (*Config, error) { return parse(file, data, false) }

// parse is Parse, accepting a configuration with no sources when noSources.
func parse(file string, data []byte, noSources bool) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		p := syntaxProblem(file, err)
		if l := syntaxLine(data, p.Msg); l > 0 {
			p.Line = l
			p.Msg = syntaxHint(p.Msg, bytes.SplitAfter(data, []byte("\n"))[l-1])
		}
		return nil, &Problems{List: []Problem{p}}
	}
	if root.Kind == 0 {
		return nil, &Problems{List: []Problem{emptyProblem(file, data)}}
	}
	lines := lineIndex(&root)

	cfg := &Config{File: file}
	var probs Problems
	mistyped := map[string]bool{} // keys whose value could not be decoded
	// Whole numbers too large for an int: said by validation, with the key's range.
	oversized := oversizedInts(&root)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, &Problems{List: []Problem{syntaxProblem(file, err)}}
		}
		duplicate := false
		for _, msg := range te.Errors {
			p := typeProblem(file, msg, lines)
			if _, ok := oversized[p.Key]; ok {
				continue
			}
			probs.List = append(probs.List, p)
			mistyped[p.Key] = true
			duplicate = duplicate || duplicateKeyRe.MatchString(msg)
		}
		if duplicate {
			// yaml stops decoding the mapping at a repeated key: the file is
			// read again with the later occurrences set aside, so that the
			// rest is read whole and checked too (seen from outside: a
			// repeated key hid every other problem). A repeat inside a flow
			// mapping ({a: 1, a: 2}) cannot be set aside by lines: then it
			// is reported alone, as what validation would say of the
			// half-read rest is not true.
			// Every repeat is said, at whatever depth: yaml stops at the
			// outermost (seen from outside: a repeated top-level key hid
			// a repeat inside a source, and one in a one-line mapping).
			cleaned, repeats, ok := withoutRepeatedKeys(&root, data)
			probs.List = probs.List[:0]
			for _, p := range repeats {
				p.File = file
				probs.List = append(probs.List, p)
			}
			if !ok {
				probs.sort()
				return nil, &probs
			}
			clear(mistyped)
			cfg = &Config{File: file}
			again := yaml.NewDecoder(bytes.NewReader(cleaned))
			again.KnownFields(true)
			if err := again.Decode(cfg); err != nil {
				if !errors.As(err, &te) {
					return nil, &Problems{List: []Problem{syntaxProblem(file, err)}}
				}
				for _, msg := range te.Errors {
					p := typeProblem(file, msg, lines)
					if _, ok := oversized[p.Key]; !ok {
						probs.List = append(probs.List, p)
						mistyped[p.Key] = true
					}
				}
			}
		}
	}
	for _, p := range wholeNumbers(file, &root) {
		// yaml may have said it too, in its words (".inf"): this one stays.
		probs.List = slices.DeleteFunc(probs.List, func(q Problem) bool { return q.Key == p.Key && q.Line == p.Line })
		probs.List = append(probs.List, p)
		mistyped[p.Key] = true // its truncated value's range is not what is wrong
	}
	cfg.File = file
	zeros := explicitZeros(cfg, lines)
	applyDefaults(cfg)
	restoreZeros(cfg, zeros)
	// A value that could not be decoded reads as zero: what validation says
	// of that zero ("must be at least 1h, got 0s") is not what is wrong.
	for _, p := range validate(cfg, lines, oversized) {
		if !mistyped[p.Key] && !(noSources && p.Key == "sources" && p.Msg == noSourcesMsg) {
			probs.List = append(probs.List, p)
		}
	}
	if len(probs.List) > 0 {
		probs.sort()
		return nil, &probs
	}
	cfg.Warnings = duplicateURLs(cfg, lines)
	return cfg, nil
}

var (
	lineRe         = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownFieldRe = regexp.MustCompile(`^field (\S+) not found in type`)
	duplicateKeyRe = regexp.MustCompile(`mapping key ".*" already defined at line \d+`)
)

// syntaxProblem turns a yaml parse error ("yaml: line 4: …") into a Problem.
func syntaxProblem(file string, err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	p := Problem{File: file, Msg: msg}
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Msg = m[2]
	}
	return p
}

// typeProblem turns one of yaml's "line N: …" decode errors into a Problem,
// naming the full key path where the line index knows it.
func typeProblem(file, msg string, lines lineMap) Problem {
	p := Problem{File: file, Msg: msg}
	m := lineRe.FindStringSubmatch(msg)
	if m == nil {
		return p
	}
	p.Line, _ = strconv.Atoi(m[1])
	p.Msg = m[2]
	if f := unknownFieldRe.FindStringSubmatch(m[2]); f != nil {
		p.Key = lines.keyAt(p.Line, f[1])
		if p.Key == "" {
			p.Key = f[1]
		}
		p.Msg = "unknown key"
		return p
	}
	text, collection := typeWording(p.Msg)
	p.Msg = text
	p.Key = lines.keyAtLine(p.Line)
	if collection {
		// The line is that of the collection's first key or entry: the
		// mistake belongs to the key that holds it.
		p.Key = parent(p.Key)
		if strings.HasSuffix(p.Key, "]") {
			p.Key = parent(p.Key)
		}
	}
	return p
}

// withoutRepeatedKeys is data with the lines of every later occurrence of a
// key repeated in a block mapping blanked (the line count kept, so that
// lines still name what they named): the key's line and those of its value,
// which are more indented, or as indented and entries of a sequence; and
// for each, a problem at its line and key path in yaml's words ("mapping
// key "url" already defined at line 3"), at any depth. ok is false when a
// key is repeated in a flow mapping, whose lines hold more.
func withoutRepeatedKeys(root *yaml.Node, data []byte) ([]byte, []Problem, bool) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	ok := true
	var repeats []Problem
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.MappingNode:
			first := map[string]int{} // key → the line it is first at
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				kp := k.Value
				if path != "" {
					kp = path + "." + k.Value
				}
				walk(v, kp)
				at, seen := first[k.Value]
				if !seen {
					first[k.Value] = k.Line
					continue
				}
				// yaml's own words, at the key's own path (seen from outside:
				// a one-line list of sources named the first for every repeat)
				repeats = append(repeats, Problem{Line: k.Line, Key: kp, Msg: fmt.Sprintf("mapping key %q already defined at line %d", k.Value, at)})
				if n.Style&yaml.FlowStyle != 0 {
					ok = false // its line holds more than the repeat: it cannot be blanked
				} else {
					blankEntry(lines, k, v)
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", path, i))
			}
		default:
			for _, c := range n.Content {
				walk(c, path)
			}
		}
	}
	walk(root, "")
	return bytes.Join(lines, nil), repeats, ok
}

// blankEntry blanks key k's line and the lines of its value v.
func blankEntry(lines [][]byte, k, v *yaml.Node) {
	indent := k.Column - 1
	end := k.Line // the line after k's, 0-based
	for ; end < len(lines); end++ {
		text := bytes.TrimLeft(lines[end], " ")
		body := bytes.TrimSpace(text)
		if len(body) == 0 || body[0] == '#' {
			continue
		}
		in := len(lines[end]) - len(text)
		if in > indent || in == indent && v.Kind == yaml.SequenceNode && body[0] == '-' {
			continue
		}
		break
	}
	for i := k.Line - 1; i < end && i < len(lines); i++ {
		if bytes.HasSuffix(lines[i], []byte("\n")) {
			lines[i] = []byte("\n")
		} else {
			lines[i] = nil
		}
	}
}
