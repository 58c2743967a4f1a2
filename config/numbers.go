package config

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// wholeNumbers finds integer keys written as fractions: yaml.v3 truncates
// `workers: 4.5` to 4 without a word. It walks the document beside the Go
// type it decodes into, so every int key is covered, present and future.
func wholeNumbers(file string, root *yaml.Node) []Problem {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	var out []Problem
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
		case isInt(t) && n.Kind == yaml.ScalarNode && n.Tag == "!!float":
			out = append(out, Problem{File: file, Line: n.Line, Key: path, Msg: "must be a whole number, got " + n.Value})
		}
	}
	walk(root.Content[0], reflect.TypeOf(Config{}), "")
	return out
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
