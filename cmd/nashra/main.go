// Command nashra polls Moroccan news feeds and republishes them as one ticker.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/nashra-ma/nashra/config"
)

const usage = `usage: nashra [command] [flags]

commands:
  serve   poll on schedule and serve the ticker (default)
  poll    poll every source once, print a line per source, and exit
  check   validate the configuration and exit (1 if it has problems)
  reload  make the running service re-read its configuration (same as kill -HUP)
  compact rewrite the database without the space deleted items left (service stopped)
  stories explain A B   why two headlines (or two stored item ids) are, or are not, one story
  stories split ID      take an item out of its story for good (an editor's undo)
  opml export           print the configured sources as OPML 2.0
  opml import FILE      print a config "sources:" block for an OPML file from another reader

flags:
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the flags every command takes.
type options struct {
	configPath string
	logFormat  string
	logLevel   string
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("nashra", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	var opt options
	fs.StringVar(&opt.configPath, "config", envOr("NASHRA_CONFIG", "config.yaml"), "configuration file (env NASHRA_CONFIG)")
	fs.StringVar(&opt.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&opt.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	// Flags may stand before or after the command's words ("opml import FILE -config x").
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
	log, err := newLogger(stderr, opt)
	if err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 2
	}
	switch cmd {
	case "serve":
		return serve(opt, log, stderr)
	case "poll":
		return pollOnce(opt, stdout, stderr)
	case "check":
		return check(opt, stdout, stderr)
	case "compact":
		return compact(opt, stdout, stderr)
	case "reload":
		return reload(opt, stdout, stderr)
	case "stories":
		return storiesCommand(opt, words, stdout, stderr)
	case "opml":
		return opmlCommand(opt, words, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "nashra: unknown command %q\n", cmd)
		fs.Usage()
		return 2
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newLogger(w io.Writer, opt options) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(opt.logLevel)); err != nil {
		return nil, fmt.Errorf("bad -log-level %q", opt.logLevel)
	}
	ho := &slog.HandlerOptions{Level: level}
	switch opt.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, ho)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, ho)), nil
	default:
		return nil, fmt.Errorf("bad -log-format %q (text or json)", opt.logFormat)
	}
}

// loadConfig loads the file and prints every problem it has, one per line.
func loadConfig(path string, stderr io.Writer) (*config.Config, bool) {
	cfg, err := config.Load(path)
	if err == nil {
		return cfg, true
	}
	var probs *config.Problems
	if errors.As(err, &probs) {
		for _, p := range probs.List {
			fmt.Fprintln(stderr, p)
		}
	} else {
		fmt.Fprintln(stderr, "nashra:", err)
	}
	return nil, false
}

func check(opt options, stdout, stderr io.Writer) int {
	cfg, ok := loadConfig(opt.configPath, stderr)
	if !ok {
		return 1
	}
	fmt.Fprintf(stdout, "%s: ok (%d sources, %d outputs)\n", cfg.File, len(cfg.Sources), len(cfg.Outputs))
	return 0
}
