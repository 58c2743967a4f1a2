package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/storage"
)

// migrateCommand copies every table of one store into another, empty one
// (`nashra migrate -from SPEC -to SPEC`), and prints what it copied.
func migrateCommand(opt options, log *slog.Logger, stdout, stderr io.Writer) int {
	if err := migrate(opt, log, stdout); err != nil {
		fmt.Fprintln(stderr, "nashra: migrate:", err)
		return 1
	}
	return 0
}

func migrate(opt options, log *slog.Logger, stdout io.Writer) error {
	if opt.migrateFrom == "" || opt.migrateTo == "" {
		return fmt.Errorf("give both -from and -to (%s)", specForms)
	}
	from, err := parseSpec(opt.migrateFrom, os.Getenv)
	if err != nil {
		return fmt.Errorf("-from %w", err)
	}
	to, err := parseSpec(opt.migrateTo, os.Getenv)
	if err != nil {
		return fmt.Errorf("-to %w", err)
	}
	if overlap(from, to) {
		return fmt.Errorf("-from %s and -to %s are the same store, or one holds the other", from, to)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	src, err := openSource(from, log)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openDestination(to)
	if err != nil {
		return err
	}
	defer func() {
		if dst != nil {
			dst.Close()
		}
	}()
	fmt.Fprintf(stdout, "migrating %s → %s\n", from, to)
	start := time.Now()
	rep, err := src.CopyTo(ctx, dst, archive.CopyOptions{From: from.String(), Log: log})
	if rep.Restarted != nil {
		fmt.Fprintf(stdout, "the destination held the partial copy of a migrate from the same store (begun %s) that stopped: copied again over it\n",
			rep.Restarted.Started.Format(time.RFC3339))
	}
	if err != nil {
		if errors.Is(err, archive.ErrNotEmpty) {
			return fmt.Errorf("%s: %w", to, err)
		}
		return err
	}
	printCopy(stdout, rep)

	// The last check: the copy opens as a store and counts the same items.
	copied, err := archive.New(dst, archive.MustExist())
	if err != nil {
		return fmt.Errorf("the copy does not open as a store: %w", err)
	}
	dst = nil // the archive closes it
	defer copied.Close()
	n, err := copied.Count()
	if err != nil {
		return err
	}
	if n != rep.Items {
		return fmt.Errorf("the copy counts %d items, the source %d", n, rep.Items)
	}
	fmt.Fprintf(stdout, "%d items: the copy opens and counts %d, as the source does; every table equal byte for byte (%s)\n",
		rep.Items, n, time.Since(start).Round(time.Millisecond))
	return nil
}

// openSource opens the store to copy from as an archive, which migrates an
// older bbolt file to the current schema first, and refuses a store that
// is not there rather than making an empty one.
func openSource(s storeSpec, log *slog.Logger) (*archive.Archive, error) {
	opts := []archive.Option{archive.MustExist(), archive.KeepSchema(), archive.WithLogger(log)}
	if s.engine == "bbolt" {
		if _, err := os.Stat(s.path); err != nil {
			return nil, fmt.Errorf("-from %s: %w", s, err)
		}
		a, err := archive.Open(s.path, opts...)
		if err != nil {
			return nil, fmt.Errorf("-from %s: %w", s, inUse(err))
		}
		return a, nil
	}
	eng, err := storage.OpenEtcd(s.etcd)
	if err != nil {
		return nil, fmt.Errorf("-from %w", err)
	}
	a, err := archive.New(eng, opts...)
	if err != nil {
		eng.Close()
		return nil, fmt.Errorf("-from %s: %w", s, err)
	}
	return a, nil
}

// openDestination opens the engine to copy into (a new bbolt file is made).
func openDestination(s storeSpec) (storage.Engine, error) {
	if s.engine == "bbolt" {
		eng, err := storage.OpenBolt(s.path)
		if err != nil {
			return nil, fmt.Errorf("-to %w", inUse(err))
		}
		return eng, nil
	}
	eng, err := storage.OpenEtcd(s.etcd)
	if err != nil {
		return nil, fmt.Errorf("-to %w", err)
	}
	return eng, nil
}

// inUse says what to do when a running nashra holds a bbolt file.
func inUse(err error) error {
	if errors.Is(err, storage.ErrInUse) {
		return fmt.Errorf("%w: stop it before migrating, so that the copy is the whole store", err)
	}
	return err
}

// overlap tells whether two specs name one store, or one inside the other
// (an etcd prefix inside the other's, on a shared endpoint).
func overlap(a, b storeSpec) bool {
	if a.engine != b.engine {
		return false
	}
	if a.engine == "bbolt" {
		if a.path == b.path {
			return true
		}
		fa, errA := os.Stat(a.path)
		fb, errB := os.Stat(b.path)
		return errA == nil && errB == nil && os.SameFile(fa, fb)
	}
	shared := slices.ContainsFunc(a.etcd.Endpoints, func(e string) bool { return slices.Contains(b.etcd.Endpoints, e) })
	return shared && (strings.HasPrefix(a.etcd.Prefix, b.etcd.Prefix) || strings.HasPrefix(b.etcd.Prefix, a.etcd.Prefix))
}

func printCopy(w io.Writer, rep archive.CopyReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tSOURCE\tDESTINATION")
	for _, t := range rep.Tables {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", t.Table, t.Source, t.Destination)
	}
	tw.Flush()
}
