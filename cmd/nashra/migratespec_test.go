package main

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/storage"
)

func TestParseSpec(t *testing.T) {
	abs, _ := filepath.Abs("nashra.db")
	creds := map[string]string{envEtcdUsername: "nashra", envEtcdPassword: "s3cret"}
	tls := map[string]string{envEtcdCA: "/etc/ca.pem", envEtcdCert: "/etc/c.pem", envEtcdKey: "/etc/k.pem"}
	tests := []struct {
		name string
		spec string
		env  map[string]string
		want storeSpec
		err  string // a part of the error; "" for none
	}{
		{"bbolt, relative path made absolute", "bbolt:nashra.db", nil, storeSpec{engine: "bbolt", path: abs}, ""},
		{"bbolt, absolute path", "bbolt:/var/lib/nashra/nashra.db", nil, storeSpec{engine: "bbolt", path: "/var/lib/nashra/nashra.db"}, ""},
		{"one endpoint and a prefix", "etcd:http://127.0.0.1:2379/news/", nil,
			storeSpec{engine: "etcd", etcd: storage.EtcdConfig{Endpoints: []string{"http://127.0.0.1:2379"}, Prefix: "/news/"}}, ""},
		{"no prefix: the default", "etcd:http://127.0.0.1:2379", nil,
			storeSpec{engine: "etcd", etcd: storage.EtcdConfig{Endpoints: []string{"http://127.0.0.1:2379"}, Prefix: "/nashra/"}}, ""},
		{"three endpoints, the last carries the prefix", "etcd:http://a:2379,http://b:2379,http://c:2379/nashra/", nil,
			storeSpec{engine: "etcd", etcd: storage.EtcdConfig{Endpoints: []string{"http://a:2379", "http://b:2379", "http://c:2379"}, Prefix: "/nashra/"}}, ""},
		{"credentials from the environment", "etcd:http://a:2379/nashra/", creds,
			storeSpec{engine: "etcd", etcd: storage.EtcdConfig{Endpoints: []string{"http://a:2379"}, Prefix: "/nashra/", Username: "nashra", Password: "s3cret"}}, ""},
		{"TLS files from the environment", "etcd:https://a:2379/nashra/", tls,
			storeSpec{engine: "etcd", etcd: storage.EtcdConfig{Endpoints: []string{"https://a:2379"}, Prefix: "/nashra/", TrustedCAFile: "/etc/ca.pem", CertFile: "/etc/c.pem", KeyFile: "/etc/k.pem"}}, ""},
		{"no engine", "nashra.db", nil, storeSpec{}, "expected bbolt:PATH"},
		{"empty path", "bbolt:", nil, storeSpec{}, "expected bbolt:PATH"},
		{"unknown engine", "redis://x", nil, storeSpec{}, `unknown engine "redis"`},
		{"credentials on the command line", "etcd:http://u:pw@a:2379/nashra/", nil, storeSpec{}, "no credentials on the command line"},
		{"password not echoed", "etcd:http://u:pw@a:2379/nashra/", nil, storeSpec{}, "u:xxxxx@a"},
		{"prefix without its closing slash", "etcd:http://a:2379/nashra", nil, storeSpec{}, "must end with /"},
		{"prefix on an earlier endpoint", "etcd:http://a:2379/nashra/,http://b:2379/nashra/", nil, storeSpec{}, "only the last endpoint"},
		{"not http", "etcd:grpc://a:2379/nashra/", nil, storeSpec{}, "must be http:// or https://"},
		{"no host", "etcd:http:///nashra/", nil, storeSpec{}, "no host"},
		{"mixed schemes", "etcd:http://a:2379,https://b:2379/nashra/", tls, storeSpec{}, "mix http:// and https://"},
		{"a query", "etcd:http://a:2379/nashra/?x=1", nil, storeSpec{}, "no query"},
		{"username without password", "etcd:http://a:2379/nashra/", map[string]string{envEtcdUsername: "n"}, storeSpec{}, "set both NASHRA_ETCD_USERNAME and NASHRA_ETCD_PASSWORD"},
		{"https without a CA", "etcd:https://a:2379/nashra/", nil, storeSpec{}, "NASHRA_ETCD_TRUSTED_CA_FILE"},
		{"TLS files over http", "etcd:http://a:2379/nashra/", tls, storeSpec{}, "use https://"},
		{"certificate without key", "etcd:https://a:2379/nashra/", map[string]string{envEtcdCA: "ca", envEtcdCert: "c"}, storeSpec{}, "NASHRA_ETCD_KEY_FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSpec(tt.spec, func(k string) string { return tt.env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("parseSpec(%q) = %v, want an error with %q", tt.spec, err, tt.err)
				}
				if strings.Contains(err.Error(), "pw@") {
					t.Errorf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseSpec(%q) = %+v, want %+v", tt.spec, got, tt.want)
			}
		})
	}
}

func TestSpecStringHasNoSecrets(t *testing.T) {
	s, err := parseSpec("etcd:http://a:2379,http://b:2379/nashra/", func(k string) string {
		return map[string]string{envEtcdUsername: "nashra", envEtcdPassword: "s3cret"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.String(), "etcd:http://a:2379,http://b:2379/nashra/"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestOverlap(t *testing.T) {
	spec := func(s string) storeSpec {
		t.Helper()
		p, err := parseSpec(s, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		a, b string
		want bool
	}{
		{"bbolt:x.db", "bbolt:./x.db", true},
		{"bbolt:x.db", "bbolt:y.db", false},
		{"etcd:http://a:1/nashra/", "etcd:http://a:1/nashra/", true},
		{"etcd:http://a:1/nashra/", "etcd:http://a:1,http://b:1/nashra/copy/", true},
		{"etcd:http://a:1/nashra/", "etcd:http://a:1/nashra2/", false},
		{"etcd:http://a:1/nashra/", "etcd:http://b:1/nashra/", false},
		{"bbolt:x.db", "etcd:http://a:1/nashra/", false},
	}
	for _, tt := range tests {
		if got := overlap(spec(tt.a), spec(tt.b)); got != tt.want {
			t.Errorf("overlap(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
