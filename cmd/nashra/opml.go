package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/nashra-ma/nashra/opml"
)

// opmlCommand runs `nashra opml export` and `nashra opml import FILE`.
func opmlCommand(opt options, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: nashra opml export | nashra opml import FILE")
		return 2
	}
	switch args[0] {
	case "export":
		cfg, ok := loadConfig(opt.configPath, stderr)
		if !ok {
			return 1
		}
		out, err := opml.FromConfig(cfg, time.Now()).Marshal()
		if err != nil {
			fmt.Fprintln(stderr, "nashra:", err)
			return 1
		}
		stdout.Write(out)
		return 0
	case "import":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "usage: nashra opml import FILE")
			return 2
		}
		f, err := os.Open(args[1])
		if err != nil {
			fmt.Fprintln(stderr, "nashra:", err)
			return 1
		}
		defer f.Close()
		doc, err := opml.Parse(f)
		if err != nil {
			fmt.Fprintf(stderr, "nashra: %s: %v\n", args[1], err)
			return 1
		}
		feeds := doc.Feeds()
		if len(feeds) == 0 {
			fmt.Fprintf(stderr, "nashra: %s: no feeds found\n", args[1])
			return 1
		}
		out, err := opml.YAML(opml.Sources(feeds))
		if err != nil {
			fmt.Fprintln(stderr, "nashra:", err)
			return 1
		}
		fmt.Fprintf(stdout, "# %d sources from %s; check languages before use\n", len(feeds), args[1])
		stdout.Write(out)
		return 0
	default:
		fmt.Fprintf(stderr, "nashra: unknown opml command %q\n", args[0])
		return 2
	}
}
