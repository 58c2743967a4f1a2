package config

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestParseStorage(t *testing.T) {
	const src = "sources:\n  - name: a\n    url: http://a.example/feed\n"
	tests := []struct {
		name string
		yaml string
		want StorageConfig
		db   string // cfg.Database
	}{
		{"nothing said: a bbolt file", src, StorageConfig{Engine: EngineBolt, Path: DefaultDatabase}, DefaultDatabase},
		{"the old database: key is the shorthand", "database: /var/lib/nashra/n.db\n" + src,
			StorageConfig{Engine: EngineBolt, Path: "/var/lib/nashra/n.db"}, "/var/lib/nashra/n.db"},
		{"storage.path", "storage: {engine: bbolt, path: x.db}\n" + src, StorageConfig{Engine: EngineBolt, Path: "x.db"}, "x.db"},
		{"engine left out is bbolt", "storage: {path: y.db}\n" + src, StorageConfig{Engine: EngineBolt, Path: "y.db"}, "y.db"},
		{"etcd with its defaults", "storage:\n  engine: etcd\n  endpoints: [http://10.0.0.1:2379, http://10.0.0.2:2379]\n" + src,
			StorageConfig{Engine: EngineEtcd, Endpoints: []string{"http://10.0.0.1:2379", "http://10.0.0.2:2379"},
				Prefix: DefaultEtcdPrefix, DialTimeout: DefaultEtcdDialTimeout, LeaseTTL: DefaultLeaseTTL}, ""},
		{"etcd with every key", "storage:\n  engine: etcd\n  endpoints: [https://e1:2379]\n  prefix: /news/ma/\n" +
			"  username: nashra\n  password: s3cret-pw\n  cert_file: c.pem\n  key_file: k.pem\n  trusted_ca_file: ca.pem\n" +
			"  dial_timeout: 2s\n  lease_ttl: 10s\n" + src,
			StorageConfig{Engine: EngineEtcd, Endpoints: []string{"https://e1:2379"}, Prefix: "/news/ma/", Username: "nashra",
				Password: "s3cret-pw", CertFile: "c.pem", KeyFile: "k.pem", TrustedCAFile: "ca.pem",
				DialTimeout: 2 * time.Second, LeaseTTL: 10 * time.Second}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%#v", cfg.Storage); got != fmt.Sprintf("%#v", tt.want) || cfg.Storage.Password != tt.want.Password {
				t.Errorf("storage = %s\nwant      %s", got, fmt.Sprintf("%#v", tt.want))
			}
			if cfg.Database != tt.db {
				t.Errorf("Database = %q, want %q", cfg.Database, tt.db)
			}
		})
	}
}

func TestParseStorageProblems(t *testing.T) {
	const src = "sources:\n  - name: a\n    url: http://a.example/feed\n"
	etcd := func(lines ...string) string {
		return "storage:\n  engine: etcd\n" + strings.Join(lines, "") + src
	}
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"database: and storage: both set", "database: a.db\nstorage:\n  path: b.db\n" + src,
			[]string{"c.yaml:1: database: set together with storage: (line 2)"}},
		{"unknown engine", "storage:\n  engine: postgres\n" + src, []string{`c.yaml:2: storage.engine: must be bbolt or etcd, got "postgres"`}},
		{"etcd keys under bbolt", "storage:\n  path: x.db\n  endpoints: [http://e:2379]\n" + src,
			[]string{"c.yaml:3: storage.endpoints: only for engine: etcd"}},
		{"a path under etcd", etcd("  endpoints: [http://e:2379]\n  path: x.db\n"), []string{"c.yaml:4: storage.path: only for engine: bbolt"}},
		{"no endpoints", etcd(), []string{"c.yaml:1: storage.endpoints: at least one etcd member's client URL is required"}},
		{"an endpoint without scheme", etcd("  endpoints: ['10.0.0.1:2379']\n"), []string{`c.yaml:3: storage.endpoints[0]: must be a member's client URL`}},
		{"an endpoint without port", etcd("  endpoints: [http://10.0.0.1]\n"), []string{`c.yaml:3: storage.endpoints[0]: must name the port`}},
		{"credentials in an endpoint are refused, and not echoed", etcd("  endpoints: ['http://root:hunter22@e:2379']\n"),
			[]string{"c.yaml:3: storage.endpoints[0]: must not carry credentials: use storage.username and storage.password"}},
		{"http with TLS files", etcd("  endpoints: [http://e:2379]\n  trusted_ca_file: ca.pem\n"),
			[]string{"c.yaml:3: storage.endpoints[0]: is http:// but TLS files are set: write https://"}},
		{"a prefix that is not a directory", etcd("  endpoints: [http://e:2379]\n  prefix: /nashra\n"),
			[]string{`c.yaml:4: storage.prefix: must end with /, got "/nashra"`}},
		{"a password without a user", etcd("  endpoints: [http://e:2379]\n  password: pw-123456\n"),
			[]string{"storage.username: username and password go together"}},
		{"a certificate without its key", etcd("  endpoints: [https://e:2379]\n  cert_file: c.pem\n"),
			[]string{"c.yaml:4: storage.cert_file: cert_file and key_file go together"}},
		{"a lease of a second", etcd("  endpoints: [http://e:2379]\n  lease_ttl: 1s\n"),
			[]string{"c.yaml:4: storage.lease_ttl: must be between 2s and 5m, got 1s"}},
		{"a lease of a fraction", etcd("  endpoints: [http://e:2379]\n  lease_ttl: 2500ms\n"),
			[]string{"c.yaml:4: storage.lease_ttl: must be whole seconds"}},
		{"a lease of 0 written out", etcd("  endpoints: [http://e:2379]\n  lease_ttl: 0s\n"),
			[]string{"c.yaml:4: storage.lease_ttl: must be between 2s and 5m, got 0s"}},
		{"a dial timeout of an hour", etcd("  endpoints: [http://e:2379]\n  dial_timeout: 1h\n"),
			[]string{"c.yaml:4: storage.dial_timeout: must be between 1s and 1m, got 1h0m0s"}},
		{"an unknown storage key", etcd("  endpoints: [http://e:2379]\n  pasword: x\n"), []string{"c.yaml:4: storage.pasword: unknown key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			for _, secret := range []string{"hunter22", "pw-123456"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error shows the secret %q:\n%s", secret, msg)
				}
			}
		})
	}
}

// The etcd password never leaves the configuration but through Reveal: not
// in a printed config, a log line or an encoded one.
func TestStoragePasswordNeverShown(t *testing.T) {
	const pw = "pw-0f-the-cluster"
	cfg, err := Parse("c.yaml", []byte("storage:\n  engine: etcd\n  endpoints: [http://e:2379]\n  username: u\n  password: "+pw+
		"\nsources:\n  - name: a\n    url: http://a.example/feed\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Storage.Password.Reveal() != pw {
		t.Fatalf("Reveal = %q", cfg.Storage.Password.Reveal())
	}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "storage", cfg.Storage, "password", cfg.Storage.Password)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("x", "storage", cfg.Storage, "password", cfg.Storage.Password)
	js, _ := json.Marshal(cfg.Storage)
	shown := map[string]string{
		"%v": fmt.Sprintf("%v", cfg.Storage), "%+v": fmt.Sprintf("%+v", cfg.Storage), "%#v": fmt.Sprintf("%#v", cfg.Storage),
		"%s of the password": fmt.Sprintf("%s", cfg.Storage.Password), "Where": cfg.Storage.Where(),
		"slog": logged.String(), "json": string(js),
	}
	for how, s := range shown {
		if strings.Contains(s, pw) {
			t.Errorf("%s shows the password: %s", how, s)
		}
	}
}
