// Package config loads, defaults and validates nashra's YAML configuration.
package config

import (
	"net/url"
	"strings"
	"time"
	// The binary must know Africa/Casablanca on any machine, tzdata installed or not.
	_ "time/tzdata"
)

// Defaults applied to keys the file leaves out.
const (
	DefaultListen = ":8080"
	// DefaultAdminListen is the editor's admin address: loopback only.
	DefaultAdminListen = "127.0.0.1:8081"
	DefaultDatabase    = "nashra.db"
	DefaultTimezone    = "Africa/Casablanca"
	DefaultSchedule    = "*/10 * * * *"
	DefaultRetention   = 30 * 24 * time.Hour
	// MaxRetention keeps retention × TombstoneFactor far from overflowing a time.Duration.
	MaxRetention     = 10 * 365 * 24 * time.Hour
	DefaultWorkers   = 4
	DefaultPerHost   = 2
	DefaultTimeout   = 30 * time.Second
	DefaultMaxBodyMB = 16
	DefaultLimit     = 100
	// DefaultMaxItems is how many of a document's newest entries are read: a
	// 200,000-item feed took minutes and 250 MB of database to store whole.
	DefaultMaxItems = 1000
	// DefaultWriteQueueItems bounds the items of the polls waiting for the
	// writer, and so of one commit (archive.DefaultQueueItems): a commit on
	// bbolt takes fewer when its dirty pages would pass the writer's page
	// budget (BENCHMARKS § 18), one on etcd at most 200.
	DefaultWriteQueueItems = 2000
	// DefaultStoryWindow and DefaultStoryThreshold were chosen on the tuning
	// half of story/testdata/independent and the first labelled set (README,
	// "How duplicates are found"); the threshold is story.DefaultThreshold.
	DefaultStoryWindow    = 36 * time.Hour
	DefaultStoryThreshold = 0.25
	DefaultUserAgent      = "nashra/0.1 (+https://github.com/nashra-ma/nashra; Moroccan news aggregator)"
	// DefaultStaleAfter is how long nashra may go without a poll or a read
	// of its database before /readyz takes it out of a load balancer.
	DefaultStaleAfter = 10 * time.Minute
	// DefaultMaxStreams is how many live event streams may be open at once.
	DefaultMaxStreams = 1000
	// DefaultMaxScan is how many items an output's read walks at most when
	// its filter has no index (keywords, exclude_sources); it is
	// archive.DefaultMaxScan (a server test holds them equal).
	DefaultMaxScan = 2000
	// MaxMaxScan is the largest max_scan: about two seconds of reading.
	MaxMaxScan = 1_000_000
)

// Config is the whole configuration file.
type Config struct {
	// File is the path the configuration was read from.
	File string `yaml:"-"`
	// Warnings are what check reports without refusing the file (two
	// sources with one URL).
	Warnings []Problem `yaml:"-"`

	Listen string `yaml:"listen"`
	// AdminListen is where the admin API listens (nashra stories explain
	// and split reach a running service there): a loopback address only.
	AdminListen string `yaml:"admin_listen"`
	// Database is the bbolt file (storage.path, of which the old top-level
	// database: key is the shorthand); "" when the engine is etcd.
	Database string `yaml:"database"`
	// Storage is where the data is kept: a bbolt file or an etcd cluster.
	Storage   StorageConfig `yaml:"storage"`
	BaseURL   string        `yaml:"base_url"`
	Title     string        `yaml:"title"`
	Timezone  string        `yaml:"timezone"`
	Schedule  string        `yaml:"schedule"`
	Retention time.Duration `yaml:"retention"`
	Workers   int           `yaml:"workers"`
	PerHost   int           `yaml:"per_host"`
	Timeout   time.Duration `yaml:"timeout"`
	MaxBodyMB int           `yaml:"max_body_mb"`
	UserAgent string        `yaml:"user_agent"`
	MaxItems  int           `yaml:"max_items"`
	// WriteQueueItems bounds the items waiting for the store's writer, and so
	// of one commit (archive.WithQueueItems), which on bbolt the pages
	// commits write bound too.
	WriteQueueItems int          `yaml:"write_queue_items"`
	Stories         StoryConfig  `yaml:"stories"`
	WebSub          WebSubConfig `yaml:"websub"`
	// Live bounds the pages' live event streams.
	Live LiveConfig `yaml:"live"`
	// Embed sets who may frame the embeddable tickers (/feeds/{name}/embed).
	Embed EmbedConfig `yaml:"embed"`
	// StaleAfter: /readyz answers 503 once nashra has neither polled a
	// source nor read its database for this long.
	StaleAfter time.Duration `yaml:"stale_after"`

	// AllowPrivateNetworks lets fetches reach loopback, private and
	// link-local addresses that no configured source URL names (off: an
	// outlet's redirect cannot point nashra at an internal service).
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`

	// SecretParams names query parameters whose values are never shown or
	// logged, beyond the usual ones (key, token, secret, password…).
	SecretParams []string `yaml:"secret_params"`

	Sources []Source `yaml:"sources"`
	Outputs []Output `yaml:"outputs"`

	// Location is Timezone loaded: the zone every ticker time is shown in.
	Location *time.Location `yaml:"-"`
}

// Source is one feed to poll.
type Source struct {
	Name       string   `yaml:"name"`
	Title      string   `yaml:"title"`
	URL        string   `yaml:"url"`
	Language   string   `yaml:"language"`
	Categories []string `yaml:"categories"`
	// Schedule overrides the global cron schedule for this source.
	Schedule string `yaml:"schedule"`
	// Timezone is the zone of dates the feed writes without one.
	Timezone string `yaml:"timezone"`
	// Charset is used when neither the document nor the HTTP header names one.
	Charset   string `yaml:"charset"`
	UserAgent string `yaml:"user_agent"`
	// MaxItems keeps this many of a document's newest entries (0: the global max_items).
	MaxItems int `yaml:"max_items"`
	// Proxy marks an aggregator that repeats other outlets' reports (Google
	// News): it is never shown as a story's first report over an outlet's
	// own, and its titles lose their " - Outlet" suffix. Unset: true for
	// news.google.com, false otherwise (see IsProxy).
	Proxy *bool `yaml:"proxy"`
	// Disabled keeps the source configured (its items stay and keep their
	// outlet's title) but never polled.
	Disabled bool `yaml:"disabled"`

	// Location is Timezone loaded (the global zone when unset).
	Location *time.Location `yaml:"-"`
	// Retention is the configuration's retention: an entry older than it
	// is not stored (it would be pruned at the next pass).
	Retention time.Duration `yaml:"-"`
	// secretParams is the config's SecretParams, for PublicURL and Redact.
	secretParams []string
}

// Output is one published view of the store.
type Output struct {
	Name        string   `yaml:"name"`
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Language    string   `yaml:"language"`
	Limit       int      `yaml:"limit"`
	Languages   []string `yaml:"languages"`
	Sources     []string `yaml:"sources"`
	// Stories merges wire copies into one line (default on).
	Stories *bool `yaml:"stories"`
	// MaxAge drops items older than this (0: no limit).
	MaxAge time.Duration `yaml:"max_age"`
	// Categories keeps items in any of these categories (folded as Include is).
	Categories []string `yaml:"categories"`
	// ExcludeSources drops items from these sources.
	ExcludeSources []string `yaml:"exclude_sources"`
	// Include keeps only items whose title or summary contains one of these
	// keywords; Exclude drops items that contain one. Matching ignores case,
	// accents and Arabic diacritics and letter forms, as story matching does.
	Include []string `yaml:"include"`
	Exclude []string `yaml:"exclude"`
	// PerSourceLimit caps the items one source may have in the output (0: no cap).
	PerSourceLimit int `yaml:"per_source_limit"`
	// MaxScan bounds the items one read of this output walks when its
	// filter has no index (include, exclude, exclude_sources): older
	// matching items are then not shown, and the response says so.
	MaxScan int `yaml:"max_scan"`
}

// MergeStories reports whether the output shows each story once.
func (o *Output) MergeStories() bool { return o.Stories == nil || *o.Stories }

// WebSubConfig names the WebSub hub nashra advertises and notifies.
type WebSubConfig struct {
	Hub string `yaml:"hub"`
}

// LiveConfig bounds the Server-Sent Events streams (/events, /feeds/{name}/events).
type LiveConfig struct {
	// MaxStreams is how many streams may be open at once; past it a new
	// stream is answered 503 with Retry-After and the page stays as loaded.
	MaxStreams int `yaml:"max_streams"`
}

// EmbedConfig is the embeddable ticker's framing policy.
type EmbedConfig struct {
	// FrameAncestors is the CSP frame-ancestors source list of the embed
	// pages ("*": any site may frame them; "'none'": none).
	FrameAncestors string `yaml:"frame_ancestors"`
}

// StoryConfig tunes how reports of one story are found (see package story).
type StoryConfig struct {
	// Window is how far apart two reports of one story may be.
	Window time.Duration `yaml:"window"`
	// Threshold is the similarity (0–1) at or above which two headlines are one story.
	Threshold float64 `yaml:"threshold"`
	// Enabled groups new reports into stories (default on). Off, ingest
	// skips story matching: every report stands alone (the benchmark's
	// "stories off" and a service that only needs the raw ticker).
	Enabled *bool `yaml:"enabled"`
}

// On reports whether new items are grouped into stories.
func (s StoryConfig) On() bool { return s.Enabled == nil || *s.Enabled }

// SourceByName returns the named source, or nil.
func (c *Config) SourceByName(name string) *Source {
	for i := range c.Sources {
		if c.Sources[i].Name == name {
			return &c.Sources[i]
		}
	}
	return nil
}

// IsProxy reports whether the source is an aggregator proxy: as marked, or
// by default when it is read from news.google.com.
func (s *Source) IsProxy() bool {
	if s.Proxy != nil {
		return *s.Proxy
	}
	u, err := url.Parse(s.URL)
	return err == nil && strings.EqualFold(u.Hostname(), "news.google.com")
}

// HomeURL is the outlet's site: the root of its feed's host.
func (s *Source) HomeURL() string {
	u, err := url.Parse(s.URL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/"
}

// MaxBody is the response body cap in bytes.
func (c *Config) MaxBody() int64 { return int64(c.MaxBodyMB) << 20 }
