package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/server"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/story"
)

const storiesUsage = `usage:
  nashra stories explain "headline A" "headline B"   why two headlines are (not) one story
  nashra stories explain ITEM-ID ITEM-ID             the same for two stored items
  nashra stories split ITEM-ID                       take an item out of its story, for good
Item ids are on /stories (or a feed's id: tag:…:item/ID).`

// storiesCommand runs `nashra stories explain|split`.
func storiesCommand(opt options, words []string, stdout, stderr io.Writer) int {
	switch {
	case len(words) == 3 && words[0] == "explain":
		return explainCommand(opt, words[1], words[2], stdout, stderr)
	case len(words) == 2 && words[0] == "split":
		return splitCommand(opt, words[1], stdout, stderr)
	}
	fmt.Fprintln(stderr, storiesUsage)
	return 2
}

var hexKey = regexp.MustCompile(`^[0-9a-f]{24}$`)

// itemID reads an item id as /stories shows it, or as a feed's id
// (tag:host,2026:item/ID); ok is false for anything else (a headline).
func itemID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, ":item/"); strings.HasPrefix(s, "tag:") && i > 0 {
		s = s[i+len(":item/"):]
	}
	s = strings.TrimPrefix(s, "item/")
	return s, hexKey.MatchString(s)
}

func explainCommand(opt options, a, b string, stdout, stderr io.Writer) int {
	cfg, ok := loadConfig(opt.configPath, stderr)
	if !ok {
		return 1
	}
	keyA, okA := itemID(a)
	keyB, okB := itemID(b)
	if !okA || !okB {
		la, lb := news.DetectLanguage(a), news.DetectLanguage(b)
		lang := cmp.Or(la, lb, "fr")
		ex := server.ExplainText(newMatcher(cfg), a, b, lang)
		if la == "" && lb == "" {
			ex.Language = "not recognised in either headline (weighed as French)" // seen from outside: said "fr"
		}
		switch {
		case (la == "ar") != (lb == "ar"):
			ex.Never = "two scripts (Arabic and Latin): two languages are never one story"
		case la != "" && lb != "" && la != lb:
			ex.Never = "two languages (" + la + ", " + lb + "): never one story"
		}
		printExplanation(stdout, a, b, ex)
		return 0
	}
	var ex server.Explanation
	err := withEditor(cfg, stdout,
		func(c *adminClient) error {
			return c.do(http.MethodGet, "/explain?"+url.Values{"a": {keyA}, "b": {keyB}}.Encode(), &ex)
		},
		func(db *archive.Archive) (err error) {
			ex, err = server.ExplainStored(db, newMatcher(cfg), keyA, keyB)
			return err
		})
	if err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 1
	}
	printExplanation(stdout, a, b, ex)
	return 0
}

func splitCommand(opt options, arg string, stdout, stderr io.Writer) int {
	cfg, ok := loadConfig(opt.configPath, stderr)
	if !ok {
		return 1
	}
	key, ok := itemID(arg)
	if !ok {
		fmt.Fprintf(stderr, "nashra: %q is not an item id (24 hex digits, as /stories shows them)\n", arg)
		return 2
	}
	var res archive.SplitResult
	err := withEditor(cfg, stdout,
		func(c *adminClient) error {
			return c.do(http.MethodPost, "/split?"+url.Values{"item": {key}}.Encode(), &res)
		},
		func(db *archive.Archive) (err error) {
			res, err = db.Split(key)
			return err
		})
	if err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 1
	}
	switch {
	case res.Already:
		fmt.Fprintf(stdout, "%s was already split out: nothing changed\n", res.Item)
	case res.Story == "":
		fmt.Fprintf(stdout, "%s was in no story; it will never join one\n", res.Item)
	case res.Rest == "":
		fmt.Fprintf(stdout, "%s taken out of story %s; %s is its own line again; neither will join it again\n",
			res.Item, res.Story, strings.Join(res.Members, ", "))
	default:
		fmt.Fprintf(stdout, "%s taken out of story %s, which goes on as %s with %s; %s will never join a story again\n",
			res.Item, res.Story, res.Rest, strings.Join(res.Members, ", "), res.Item)
	}
	return 0
}

// withEditor runs viaAdmin against the service answering on admin_listen,
// or, when nothing answers there, direct on the database opened here. It
// says which on stdout.
func withEditor(cfg *config.Config, stdout io.Writer, viaAdmin func(*adminClient) error, direct func(*archive.Archive) error, opts ...archive.Option) error {
	db := cfg.Storage.Identity()
	c := &adminClient{base: "http://" + cfg.AdminListen, http: &http.Client{Timeout: 10 * time.Second}}
	var st server.AdminStatus
	err := c.do(http.MethodGet, "/status", &st)
	switch {
	case err == nil && st.Database != db:
		return fmt.Errorf("the nashra answering on admin_listen %s serves %s, not %s: in this config, admin_listen must be the admin address of the service that holds %s", cfg.AdminListen, st.Database, db, db)
	case err == nil:
		fmt.Fprintf(stdout, "(through the running service on %s)\n", cfg.AdminListen)
		return viaAdmin(c)
	case !errors.Is(err, errNoAdmin):
		return err
	}
	if !cfg.Storage.Etcd() {
		if _, err := os.Stat(cfg.Database); err != nil {
			return fmt.Errorf("no service answers on admin_listen %s, and no database to open: %w", cfg.AdminListen, err)
		}
	}
	// On etcd an editor's change is one more guarded transaction beside the
	// replicas', which follow it.
	store, _, err := openStore(cfg, nil, append([]archive.Option{archive.WithStories(newMatcher(cfg))}, opts...)...) // the window gives explain its word counts
	if errors.Is(err, storage.ErrInUse) {
		return fmt.Errorf("database in use: %s is held by another process, but nothing answers on admin_listen %s (a nashra poll, compact or migrate: try again when it ends; or a service with another admin_listen, or still starting)", cfg.Database, cfg.AdminListen)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(stdout, "(no service answers on %s: opened %s directly)\n", cfg.AdminListen, cfg.Storage.Where())
	return direct(store)
}

// errNoAdmin: nothing listens on admin_listen.
var errNoAdmin = errors.New("no admin service")

type adminClient struct {
	base string
	http *http.Client
}

func (c *adminClient) do(method, path string, v any) error {
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set(server.AdminHeader, "1")
	resp, err := c.http.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return errNoAdmin
		}
		return fmt.Errorf("admin %s: %w", c.base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("admin %s%s: %w", c.base, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return errors.New(e.Error)
		}
		return fmt.Errorf("admin %s%s: %s", c.base, path, resp.Status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("admin %s%s: not nashra's admin API: %w", c.base, path, err)
	}
	return nil
}

// printExplanation writes a decision so that an operator sees in one look
// why two headlines are, or are not, one story.
func printExplanation(w io.Writer, a, b string, ex server.Explanation) {
	d := ex.Decision
	head := func(label, arg string, it *server.ExplainedItem) {
		if it == nil {
			fmt.Fprintf(w, "%s  %s\n", label, arg)
			return
		}
		fmt.Fprintf(w, "%s  %s  [%s, %s, %s]\n", label, it.Title, it.Key, it.Source, it.Time.Format("2006-01-02 15:04 MST"))
		if it.Story != "" {
			fmt.Fprintf(w, "   in story %s\n", it.Story)
		}
		if it.Split {
			fmt.Fprintln(w, "   split out by an editor")
		}
	}
	head("A", a, ex.A)
	head("B", b, ex.B)
	fmt.Fprintf(w, "language %s; words weighed by %s\n\n", cmp.Or(ex.Language, "unknown (the items carry none)"), ex.Weights)
	verdict := "NOT ONE STORY"
	if d.Same && ex.Never == "" {
		verdict = "ONE STORY"
	}
	fmt.Fprintf(w, "%s: %s\n", verdict, d.Reason)
	if ex.Never != "" {
		fmt.Fprintf(w, "and whatever the words: %s\n", ex.Never)
	}
	if ruled := d.Score == 0 && d.Similarity-d.Penalty != 0; ruled {
		// A rule decided (a conflict, numbers, nothing specific shared): the
		// score is what the words alone would have given.
		fmt.Fprintf(w, "score 0 by rule (threshold %.2f); the words alone: similarity %.3f − penalty %.3f = %.3f\n", d.Threshold, d.Similarity, d.Penalty, d.Similarity-d.Penalty)
	} else {
		fmt.Fprintf(w, "score %.3f (threshold %.2f) = similarity %.3f − penalty %.3f\n", d.Score, d.Threshold, d.Similarity, d.Penalty)
	}
	fmt.Fprintf(w, "similarity = (word overlap %.3f + trigram Jaccard %.3f) / 2; shared weight %.1f\n", d.Overlap, d.Trigram, d.Evidence)
	if d.Drift > 0 {
		fmt.Fprintf(w, "threshold %.2f = %.2f + %.2f: the reports are %.0f%% of the window apart (the farther apart, the more alike they must be)\n", d.Threshold, d.Threshold-d.Drift, d.Drift, 100*d.Apart)
	}
	terms := func(label string, ts []story.Term) {
		parts := make([]string, len(ts))
		for i, t := range ts {
			parts[i] = fmt.Sprintf("%s %.1f", t.Word, t.Weight)
		}
		if len(parts) == 0 {
			parts = []string{"—"}
		}
		fmt.Fprintf(w, "%-10s %s\n", label, strings.Join(parts, " · "))
	}
	terms("shared", d.Shared)
	terms("only in A", d.OnlyA)
	terms("only in B", d.OnlyB)
	if d.Conflict != "" {
		fmt.Fprintf(w, "conflict   %s\n", d.Conflict)
	}
	if c := ex.Story; c != nil {
		if c.Core != "" {
			fmt.Fprintf(w, "story      %s (%d other reports): the later report strays from it — it lacks %q, which most of them carry, and names %q, which none does: it would not join\n", c.ID, c.Reports, c.Core, c.Other)
		} else {
			fmt.Fprintf(w, "story      %s (%d other reports): the later report does not stray from it\n", c.ID, c.Reports)
		}
	}
	if d.RareA != "" {
		fmt.Fprintf(w, "penalty    %.3f: the rarest word each has and the other lacks, %s / %s (numbers aside)\n", d.Penalty, d.RareA, d.RareB)
	}
	if len(d.NumbersA) > 0 {
		fmt.Fprintf(w, "numbers    %s against %s, counting one thing (a unit or a score's other number in common)\n", strings.Join(d.NumbersA, ", "), strings.Join(d.NumbersB, ", "))
	}
}
