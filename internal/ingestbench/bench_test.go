package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The test binary is also the baseline child, as the command is.
func TestMain(m *testing.M) {
	if dir := os.Getenv(parseEnv); dir != "" {
		if err := parseChild(dir, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// The tool's core in quick mode, end to end: builds nashra, generates and
// serves five feeds, runs every scenario (each checks the counts nashra
// prints) and the bytes-per-item measurement, and reports every row.
func TestQuickRun(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	opt := options{feeds: []int{5}, runs: 1, sizeItems: 500, root: root, workers: 2, perHost: 2}
	if err := run(t.Context(), opt, &out); err != nil {
		t.Fatal(err)
	}
	report := out.String()
	for _, want := range []string{scBaseline, scOn, scOff, scSteady, "| 500 | 10 feeds × 50 items"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if n := strings.Count(report, "| 5 × 50 = 250 |"); n != 4 {
		t.Errorf("%d rows at N=5, want 4:\n%s", n, report)
	}
}
