package main

import (
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/nashra-ma/nashra/config"
)

// takesArguments lists the commands that read words after their name; any
// other command given a stray word refuses it rather than guessing.
var takesArguments = map[string]bool{"stories": true, "opml": true, "add": true, "test": true}

// printUsage writes the commands, the flags, and where the page is served.
func printUsage(fs *flag.FlagSet, opt options, w io.Writer) {
	fmt.Fprint(w, usage)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, "\nThe ticker is served at %s/ (base_url in %s); the sources' state at %s/sources.\n",
		pageURL(opt.configPath), opt.configPath, pageURL(opt.configPath))
}

// pageURL is the configured base URL, or the default one when the file does not load.
func pageURL(path string) string {
	if cfg, err := config.Load(path); err == nil {
		return cfg.BaseURL
	}
	return "http://localhost:8080"
}

// versionLine names the module version, the VCS revision and the Go release
// the binary was built with, as the build recorded them.
func versionLine() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "nashra (no build information)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "nashra %s", bi.Main.Version)
	var rev, when, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		fmt.Fprintf(&b, " revision %s", rev)
		if modified == "true" {
			b.WriteString(" (modified)")
		}
		if when != "" {
			fmt.Fprintf(&b, " %s", when)
		}
	}
	fmt.Fprintf(&b, " %s", bi.GoVersion)
	return b.String()
}
