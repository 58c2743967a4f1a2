package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads, decodes, defaults and validates the file at path. Every problem
// found is reported at once in a *Problems error.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse is Load for bytes already read; file names the source in messages.
func Parse(file string, data []byte) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &Problems{List: []Problem{syntaxProblem(file, err)}}
	}
	lines := lineIndex(&root)

	cfg := &Config{File: file}
	var probs Problems
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, &Problems{List: []Problem{syntaxProblem(file, err)}}
		}
		duplicate := false
		for _, msg := range te.Errors {
			probs.List = append(probs.List, typeProblem(file, msg, lines))
			duplicate = duplicate || duplicateKeyRe.MatchString(msg)
		}
		if duplicate {
			// yaml stops decoding the mapping at a repeated key: what
			// validation would say of the half-read rest is not true.
			probs.sort()
			return nil, &probs
		}
	}
	probs.List = append(probs.List, wholeNumbers(file, &root)...)
	cfg.File = file
	zeros := explicitZeros(cfg, lines)
	applyDefaults(cfg)
	restoreZeros(cfg, zeros)
	probs.List = append(probs.List, validate(cfg, lines)...)
	if len(probs.List) > 0 {
		probs.sort()
		return nil, &probs
	}
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
	p.Key = lines.keyAtLine(p.Line)
	p.Msg = strings.Replace(p.Msg, "cannot unmarshal !!", "wrong type: ", 1)
	return p
}
