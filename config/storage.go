package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Storage engines.
const (
	EngineBolt = "bbolt"
	EngineEtcd = "etcd"
)

// Defaults of the storage: key.
const (
	DefaultEtcdPrefix      = "/nashra/"
	DefaultEtcdDialTimeout = 5 * time.Second
	// DefaultLeaseTTL is the election's session lease: how long a replica
	// that died goes on being the one that polls.
	DefaultLeaseTTL = 5 * time.Second
)

// StorageConfig says where nashra keeps its data: a bbolt file on this
// machine (the default), or an etcd cluster that several replicas share.
type StorageConfig struct {
	Engine string `yaml:"engine"`
	// Path is the bbolt file (engine bbolt).
	Path string `yaml:"path"`
	// The etcd cluster (engine etcd): its members' client URLs, the key
	// prefix this deployment's keys live under, and how to authenticate.
	Endpoints     []string      `yaml:"endpoints"`
	Prefix        string        `yaml:"prefix"`
	Username      string        `yaml:"username"`
	Password      Secret        `yaml:"password"`
	CertFile      string        `yaml:"cert_file"`
	KeyFile       string        `yaml:"key_file"`
	TrustedCAFile string        `yaml:"trusted_ca_file"`
	DialTimeout   time.Duration `yaml:"dial_timeout"`
	// LeaseTTL is the session lease of the election (whole seconds): a
	// replica that stops renewing it stops leading this long after.
	LeaseTTL time.Duration `yaml:"lease_ttl"`
}

// Etcd reports whether the data is kept in etcd.
func (s StorageConfig) Etcd() bool { return s.Engine == EngineEtcd }

// Where names the store for people and logs: the bbolt file, or the etcd
// prefix and endpoints (never a credential).
func (s StorageConfig) Where() string {
	if !s.Etcd() {
		return s.Path
	}
	eps := make([]string, len(s.Endpoints))
	for i, e := range s.Endpoints {
		eps[i] = RedactURL(e, nil)
	}
	return "etcd " + strings.Join(eps, ",") + " prefix " + s.Prefix
}

// Identity tells two stores apart: the bbolt file's absolute path, or the
// etcd prefix (with the endpoints sorted as written), so that an editor's
// command reaches the service that serves the store it names.
func (s StorageConfig) Identity() string {
	if s.Etcd() {
		return s.Where()
	}
	if abs, err := filepath.Abs(s.Path); err == nil {
		return abs
	}
	return s.Path
}

// Secret is a credential read from the configuration: it prints, logs and
// marshals as REDACTED; Reveal gives its value to the one place that needs it.
type Secret string

// Reveal is the secret's value.
func (s Secret) Reveal() string { return string(s) }

func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return Redacted
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// LogValue keeps slog from printing the value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText keeps encoders (JSON, YAML) from writing the value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText takes the value as written (MarshalText would otherwise make
// decoders expect the redacted form).
func (s *Secret) UnmarshalText(b []byte) error {
	*s = Secret(b)
	return nil
}

// storageDefaults resolves the old top-level database: key into storage:
// and fills in the engine's defaults. A file that sets both keys keeps
// both, for validation to refuse.
func storageDefaults(c *Config) {
	s := &c.Storage
	if s.Engine == "" {
		s.Engine = EngineBolt
	}
	if s.Engine == EngineBolt {
		if s.Path == "" {
			s.Path = c.Database
		}
		if s.Path == "" {
			s.Path = DefaultDatabase
		}
		c.Database = s.Path
		return
	}
	if s.Engine != EngineEtcd {
		return
	}
	if s.Prefix == "" {
		s.Prefix = DefaultEtcdPrefix
	}
	if s.DialTimeout == 0 {
		s.DialTimeout = DefaultEtcdDialTimeout
	}
	if s.LeaseTTL == 0 {
		s.LeaseTTL = DefaultLeaseTTL
	}
}

// storage checks the storage: key (and the old database: key beside it).
func (ck *checker) storage(c *Config) {
	s := &c.Storage
	_, dbSet := ck.lines.path["database"]
	_, storageSet := ck.lines.path["storage"]
	if dbSet && storageSet {
		ck.add("database", "set together with storage: (line %d); database: is the old shorthand for storage: {engine: bbolt, path: …}: keep one", ck.lines.line("storage"))
	}
	set := func(key string) bool { _, ok := ck.lines.path["storage."+key]; return ok }
	switch s.Engine {
	case EngineBolt:
		if s.Path == "" {
			ck.add("storage.path", "must name the database file")
		}
		for _, key := range []string{"endpoints", "prefix", "username", "password", "cert_file", "key_file", "trusted_ca_file", "dial_timeout", "lease_ttl"} {
			if set(key) {
				ck.add("storage."+key, "only for engine: etcd (the engine is bbolt)")
			}
		}
	case EngineEtcd:
		ck.etcd(s, set)
	default:
		ck.add("storage.engine", "must be bbolt or etcd, got %q", s.Engine)
	}
}

func (ck *checker) etcd(s *StorageConfig, set func(string) bool) {
	if set("path") {
		ck.add("storage.path", "only for engine: bbolt (the engine is etcd)")
	}
	tls := s.CertFile != "" || s.KeyFile != "" || s.TrustedCAFile != ""
	if len(s.Endpoints) == 0 {
		ck.add("storage.endpoints", "at least one etcd member's client URL is required (http://10.0.0.1:2379)")
	}
	for i, e := range s.Endpoints {
		ck.endpoint(fmt.Sprintf("storage.endpoints[%d]", i), e, tls)
	}
	switch {
	case !strings.HasSuffix(s.Prefix, "/"):
		// "/nashra" would also hold the keys of a deployment under "/nashra2/".
		ck.add("storage.prefix", "must end with /, got %q", s.Prefix)
	case strings.ContainsAny(s.Prefix, "\x00\r\n"):
		ck.add("storage.prefix", "must not hold control characters")
	}
	if (s.Username == "") != (s.Password == "") {
		ck.add("storage.username", "username and password go together: set both or neither")
	}
	if (s.CertFile == "") != (s.KeyFile == "") {
		ck.add("storage.cert_file", "cert_file and key_file go together: set both or neither")
	}
	if s.DialTimeout < time.Second || s.DialTimeout > time.Minute {
		ck.add("storage.dial_timeout", "must be between 1s and 1m, got %s", s.DialTimeout)
	}
	switch {
	case s.LeaseTTL < 2*time.Second || s.LeaseTTL > 5*time.Minute:
		ck.add("storage.lease_ttl", "must be between 2s and 5m, got %s", s.LeaseTTL)
	case s.LeaseTTL%time.Second != 0:
		ck.add("storage.lease_ttl", "must be whole seconds (an etcd lease's unit), got %s", s.LeaseTTL)
	}
}

// endpoint checks an etcd member's client URL (http(s)://host:port).
func (ck *checker) endpoint(key, raw string, tls bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		ck.add(key, "must be a member's client URL such as http://10.0.0.1:2379, got %q", RedactText(raw, nil))
		return
	}
	if u.User != nil {
		ck.add(key, "must not carry credentials: use storage.username and storage.password")
		return
	}
	if _, port, err := net.SplitHostPort(u.Host); err != nil || port == "" {
		ck.add(key, "must name the port (etcd's client port is usually 2379), got %q", raw)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		ck.add(key, "must be scheme://host:port only, got %q", RedactText(raw, nil))
	}
	if tls && u.Scheme == "http" {
		ck.add(key, "is http:// but TLS files are set: write https://")
	}
}
