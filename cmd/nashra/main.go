// Command nashra polls Moroccan news feeds and republishes them as one ticker.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/nashra-ma/nashra/config"
)

const usage = `usage: nashra [flags] [command] [flags]

Flags may stand before or after the command.

commands:
  serve   poll on schedule and serve the ticker (default)
  poll    poll every source once, print a line per source, and exit
  check   validate the configuration and exit (1 if it has problems)
  verify  read the whole database and say what in it does not agree (1 if anything does):
                        through the running service when one answers on admin_listen
  reload  make the running service re-read its configuration (same as kill -HUP)
  compact rewrite the database without the space deleted items left (service stopped)
  migrate -from SPEC -to SPEC
                        copy a whole store into an empty one: bbolt:PATH, or
                        etcd:http://HOST:PORT[,http://HOST2:PORT]/PREFIX/ (credentials and TLS
                        files from NASHRA_ETCD_USERNAME, _PASSWORD, _CERT_FILE, _KEY_FILE,
                        _TRUSTED_CA_FILE); checked table by table, counts printed
  stories explain A B   why two headlines (or two stored item ids) are, or are not, one story
  stories split ID      take an item out of its story for good (an editor's undo)
  test SOURCE|URL       fetch, decode and normalise one source and print what would be
                        stored and every repair, without touching the database
  add URL [-name N] [-language L] [-print]
                        add a feed (or the feed a site's page advertises) to the config's
                        sources:, leaving the rest of the file as it is; -print only prints it
  opml export           print the configured sources as OPML 2.0
  opml import FILE      print a config "sources:" block for an OPML file from another reader
  help    print this text (also -h, --help)
  version print the version and VCS revision (also --version)

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

	// Flags of one command only (forCommand says which).
	addName, addLanguage string
	addPrint             bool
	merge                string
	migrateFrom          string
	migrateTo            string
	cpuProfile           string
}

// forCommand names the command each command-specific flag belongs to.
var forCommand = map[string]string{"name": "add", "language": "add", "print": "add", "merge": "opml", "from": "migrate", "to": "migrate", "cpuprofile": "poll"}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("nashra", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt options
	fs.StringVar(&opt.configPath, "config", envOr("NASHRA_CONFIG", "config.yaml"), "configuration file (env NASHRA_CONFIG)")
	fs.StringVar(&opt.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&opt.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.StringVar(&opt.addName, "name", "", "add: the new source's name (default: from its title or host)")
	fs.StringVar(&opt.addLanguage, "language", "", "add: the new source's language (default: the feed's)")
	fs.BoolVar(&opt.addPrint, "print", false, "add: print the config entry instead of appending it")
	fs.StringVar(&opt.merge, "merge", "", "opml import: append the sources to this config file instead of printing them")
	fs.StringVar(&opt.migrateFrom, "from", "", "migrate: the store to copy (bbolt:PATH or etcd:URL[,URL]/PREFIX/)")
	fs.StringVar(&opt.migrateTo, "to", "", "migrate: the empty store to copy into")
	fs.StringVar(&opt.cpuProfile, "cpuprofile", "", "poll: write a CPU profile of the poll to this file (go tool pprof reads it)")
	fs.Usage = func() {}
	// Flags may stand anywhere ("-config x check", "opml import FILE -config x"):
	// the words left between them are the command and its arguments.
	var words []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			printUsage(fs, opt, stdout)
			return 0
		}
		if err != nil {
			fmt.Fprintln(stderr, "nashra: run `nashra help` for the commands and flags")
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *showVersion {
		fmt.Fprintln(stdout, versionLine())
		return 0
	}
	cmd := "serve"
	if len(words) > 0 {
		cmd, words = words[0], words[1:]
	}
	misplaced := ""
	fs.Visit(func(f *flag.Flag) {
		if owner, ok := forCommand[f.Name]; ok && owner != cmd && misplaced == "" {
			misplaced = fmt.Sprintf("nashra: -%s belongs to `nashra %s`, not `nashra %s`", f.Name, owner, cmd)
		}
	})
	if misplaced != "" {
		fmt.Fprintln(stderr, misplaced)
		return 2
	}
	if !takesArguments[cmd] && len(words) > 0 {
		fmt.Fprintf(stderr, "nashra: %s: unexpected argument %q (run `nashra help`)\n", cmd, words[0])
		return 2
	}
	log, err := newLogger(stderr, opt)
	if err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 2
	}
	switch cmd {
	case "help":
		printUsage(fs, opt, stdout)
		return 0
	case "version":
		fmt.Fprintln(stdout, versionLine())
		return 0
	case "serve":
		return serve(opt, log, stderr)
	case "poll":
		return pollOnce(opt, stdout, stderr)
	case "check":
		return check(opt, stdout, stderr)
	case "verify":
		return verifyCommand(opt, stdout, stderr)
	case "compact":
		return compact(opt, stdout, stderr)
	case "migrate":
		return migrateCommand(opt, log, stdout, stderr)
	case "reload":
		return reload(opt, stdout, stderr)
	case "stories":
		return storiesCommand(opt, words, stdout, stderr)
	case "opml":
		return opmlCommand(opt, words, stdout, stderr)
	case "test":
		return testCommand(opt, words, stdout, stderr)
	case "add":
		return addCommand(opt, words, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "nashra: unknown command %q\n", cmd)
		printUsage(fs, opt, stderr)
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
	return cfg, reportConfig(err, stderr)
}

// reportConfig prints a configuration's problems, one a line, and reports
// whether there were none.
func reportConfig(err error, stderr io.Writer) bool {
	if err == nil {
		return true
	}
	var probs *config.Problems
	if errors.As(err, &probs) {
		for _, p := range probs.List {
			fmt.Fprintln(stderr, p)
		}
	} else {
		fmt.Fprintln(stderr, "nashra:", err)
	}
	return false
}

func check(opt options, stdout, stderr io.Writer) int {
	cfg, ok := loadConfig(opt.configPath, stderr)
	if !ok {
		return 1
	}
	if err := storageProblem(cfg); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cfg.File, err)
		return 1
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintln(stderr, w)
	}
	fmt.Fprintf(stdout, "%s: ok (%d sources, %d outputs)\n", cfg.File, len(cfg.Sources), len(cfg.Outputs))
	return 0
}
