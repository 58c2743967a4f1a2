package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `nashra check` on an etcd store: the keys are validated with their lines,
// the TLS files are read, and the password appears in no output.
func TestCheckEtcdStorage(t *testing.T) {
	const pw = "s3cret-of-the-cluster"
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.pem")
	os.WriteFile(garbage, []byte("not a certificate"), 0o600)
	etcd := func(extra string) string {
		return "storage:\n  engine: etcd\n  endpoints: [https://10.0.0.1:2379]\n  username: nashra\n  password: " + pw + "\n" + extra +
			"sources:\n  - {name: a, url: \"http://127.0.0.1:1/a\"}\n"
	}
	cases := []struct {
		name, yaml string
		code       int
		want       string
	}{
		{"a valid etcd store passes", etcd(""), 0, "ok (1 sources"},
		{"a missing CA file", etcd("  trusted_ca_file: " + filepath.Join(dir, "none.pem") + "\n"), 1, "storage.trusted_ca_file: open"},
		{"a certificate that is none", etcd("  cert_file: " + garbage + "\n  key_file: " + garbage + "\n"), 1, "storage.cert_file, key_file:"},
		{"a bad key, with the others", etcd("  lease_ttl: 1s\n"), 1, "storage.lease_ttl: must be between 2s and 5m"},
		{"database: beside storage:", "database: x.db\n" + etcd(""), 1, "database: set together with storage:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			os.WriteFile(path, []byte(c.yaml), 0o600)
			var out, errb bytes.Buffer
			code := run([]string{"check", "-config", path}, &out, &errb)
			all := out.String() + errb.String()
			if code != c.code || !strings.Contains(all, c.want) {
				t.Errorf("exit %d, output %q; want exit %d and %q", code, all, c.code, c.want)
			}
			if strings.Contains(all, pw) {
				t.Errorf("check shows the password: %s", all)
			}
		})
	}
}
