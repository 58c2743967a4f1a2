package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/nashra-ma/nashra/archive"
)

// verifyTimeout bounds a verify through the running service: it reads every
// record and entry (a million items take a minute or two on a slow disk).
const verifyTimeout = 30 * time.Minute

// verifyCommand reads the whole database and says what in it does not
// agree; exit 1 when something does. Through the running service when one
// answers on admin_listen (it holds the database), else opened here.
func verifyCommand(opt options, stdout, stderr io.Writer) int {
	cfg, ok := loadConfig(opt.configPath, stderr)
	if !ok {
		return 1
	}
	var rep archive.VerifyReport
	err := withEditor(cfg, stdout,
		func(c *adminClient) error {
			long := *c
			long.http = &http.Client{Timeout: verifyTimeout}
			return long.do(http.MethodGet, "/verify", &rep)
		},
		func(db *archive.Archive) (err error) {
			rep, err = db.Verify(context.Background())
			return err
		},
		archive.KeepSchema()) // a check leaves a schema 2 store as it found it
	if err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d records, item count %d;", rep.Records, rep.Counted)
	tables := make([]string, 0, len(rep.Entries))
	for t := range rep.Entries {
		tables = append(tables, t)
	}
	slices.Sort(tables)
	for _, t := range tables {
		fmt.Fprintf(stdout, " %s %d", t, rep.Entries[t])
	}
	if rep.Partial {
		fmt.Fprint(stdout, " (read before the walk met a damaged page)")
	}
	fmt.Fprintln(stdout)
	if rep.OK() {
		fmt.Fprintf(stdout, "%s: ok\n", cfg.Storage.Where())
		return 0
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "  "+p)
	}
	if more := rep.Found - len(rep.Problems); more > 0 {
		fmt.Fprintf(stdout, "  … and %d more\n", more)
	}
	noun := "problems"
	if rep.Found == 1 {
		noun = "problem"
	}
	fmt.Fprintf(stdout, "%s: %d %s (restore it from a backup, or move it aside to start an empty one)\n", cfg.Storage.Where(), rep.Found, noun)
	return 1
}
