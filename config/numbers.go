package config

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// wholeNumbers finds integer keys written as fractions: yaml.v3 truncates
// `workers: 4.5` to 4 without a word. A whole number too large for an int
// is not one of them: oversizedInts has it, and validation words it as it
// words any value out of its key's range.
func wholeNumbers(file string, root *yaml.Node) []Problem {
	var out []Problem
	intNodes(root, func(n *yaml.Node, path string) {
		if n.Tag != "!!float" || integerLiteral(n.Value) {
			return
		}
		// 1e3 and 64.0 are whole numbers, decoded as such (or, past an
		// int's range, in oversizedInts).
		if f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil && f == math.Trunc(f) {
			return
		}
		out = append(out, Problem{File: file, Line: n.Line, Key: path, Msg: "must be a whole number, got " + n.Value})
	})
	return out
}

// oversizedInts maps each integer key whose value is a whole number too
// large (or too small) for an int to that value as written: yaml.v3 fails
// to decode it ("cannot unmarshal !!float `9999999...`", truncated),
// where the file's author needs the key's range.
func oversizedInts(root *yaml.Node) map[string]string {
	out := map[string]string{}
	intNodes(root, func(n *yaml.Node, path string) {
		v := strings.ReplaceAll(n.Value, "_", "")
		if integerLiteral(n.Value) {
			if _, err := strconv.ParseInt(v, 10, strconv.IntSize); err != nil {
				out[path] = n.Value
			}
			return
		}
		// A whole number written as a float (1e30).
		if f, err := strconv.ParseFloat(v, 64); err == nil && f == math.Trunc(f) && (f >= math.MaxInt || f < math.MinInt) {
			out[path] = n.Value
		}
	})
	return out
}

// integerLiteral reports whether v is written as a whole number in decimal:
// digits, an optional sign, underscores between digits.
func integerLiteral(v string) bool {
	v = strings.TrimLeft(v, "+-")
	if v == "" || v[0] == '_' {
		return false
	}
	for _, r := range v {
		if (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// intNodes calls fn with each scalar of the document that decodes into an
// integer field, and its key path. It walks the document beside the Go
// type it decodes into, so every int key is covered, present and future.
func intNodes(root *yaml.Node, fn func(n *yaml.Node, path string)) {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return
	}
	var walk func(n *yaml.Node, t reflect.Type, path string)
	walk = func(n *yaml.Node, t reflect.Type, path string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				f, ok := fieldByTag(t, k.Value)
				if !ok {
					continue // an unknown key: reported by the decoder
				}
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				walk(v, f.Type, p)
			}
		case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
			for i, v := range n.Content {
				walk(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
			}
		case isInt(t) && n.Kind == yaml.ScalarNode && (n.Tag == "!!float" || n.Tag == "!!int"):
			fn(n, path)
		}
	}
	walk(root.Content[0], reflect.TypeOf(Config{}), "")
}

func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func isInt(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return t.String() != "time.Duration" // durations are strings ("30s"); yaml reports those itself
	}
	return false
}
