package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/config"
)

// The replica configuration README.md shows ("The same configuration on
// every replica"), put in config.yaml in place of database: as it says,
// passes nashra check's validation and names an etcd store.
func TestReadmeReplicaConfig(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "### The same configuration on every replica")
	if !ok {
		t.Fatal("README.md lacks the section")
	}
	_, block, ok := strings.Cut(after, "```yaml\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("no yaml block in the section")
	}
	shipped, err := os.ReadFile(filepath.Join("..", "..", "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, line := range strings.SplitAfter(string(shipped), "\n") {
		switch {
		case strings.HasPrefix(line, "database:"):
			lines = append(lines, block)
		case strings.HasPrefix(line, "base_url:"): // the block sets it
		default:
			lines = append(lines, line)
		}
	}
	cfg, err := config.Parse("config.yaml", []byte(strings.Join(lines, "")))
	if err != nil {
		t.Fatalf("the replica configuration does not load: %v", err)
	}
	if !cfg.Storage.Etcd() || len(cfg.Storage.Endpoints) != 3 || cfg.Storage.Prefix != "/nashra/" {
		t.Errorf("storage %+v, want etcd with three endpoints under /nashra/", cfg.Storage)
	}
}
