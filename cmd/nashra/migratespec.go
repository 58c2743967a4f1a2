package main

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/nashra-ma/nashra/storage"
)

// storeSpec is one end of `nashra migrate`: a bbolt file, or an etcd
// cluster and key prefix.
type storeSpec struct {
	engine string // "bbolt" or "etcd"
	path   string // bbolt: the file, absolute
	etcd   storage.EtcdConfig
}

// The environment variables migrate reads an etcd cluster's credentials
// from: never flags, which `ps` shows to every user of the machine.
const (
	envEtcdUsername = "NASHRA_ETCD_USERNAME"
	envEtcdPassword = "NASHRA_ETCD_PASSWORD"
	envEtcdCert     = "NASHRA_ETCD_CERT_FILE"
	envEtcdKey      = "NASHRA_ETCD_KEY_FILE"
	envEtcdCA       = "NASHRA_ETCD_TRUSTED_CA_FILE"
)

const specForms = "bbolt:PATH or etcd:http://HOST:PORT[,http://HOST2:PORT]/PREFIX/"

// parseSpec reads `bbolt:PATH` or `etcd:URL[,URL…]/PREFIX/` (the prefix is
// the last URL's path; /nashra/ when it has none), taking an etcd cluster's
// credentials and TLS files from env.
func parseSpec(s string, env func(string) string) (storeSpec, error) {
	engine, rest, ok := strings.Cut(s, ":")
	switch {
	case !ok || rest == "":
		return storeSpec{}, fmt.Errorf("%q: expected %s", s, specForms)
	case engine == "bbolt":
		abs, err := filepath.Abs(rest)
		if err != nil {
			return storeSpec{}, fmt.Errorf("%q: %w", s, err)
		}
		return storeSpec{engine: engine, path: abs}, nil
	case engine == "etcd":
		cfg, err := parseEtcd(rest, env)
		if err != nil { // the endpoint at fault is named, without userinfo
			return storeSpec{}, fmt.Errorf("etcd: %w", err)
		}
		return storeSpec{engine: engine, etcd: cfg}, nil
	}
	return storeSpec{}, fmt.Errorf("%q: unknown engine %q: expected %s", s, engine, specForms)
}

func parseEtcd(rest string, env func(string) string) (storage.EtcdConfig, error) {
	cfg := storage.EtcdConfig{
		Username: env(envEtcdUsername), Password: env(envEtcdPassword),
		CertFile: env(envEtcdCert), KeyFile: env(envEtcdKey), TrustedCAFile: env(envEtcdCA),
	}
	parts := strings.Split(rest, ",")
	scheme := ""
	for i, p := range parts {
		u, err := url.Parse(p)
		if err != nil {
			return cfg, fmt.Errorf("endpoint %d: not a URL", i+1)
		}
		p = u.Redacted()
		switch {
		case u.Scheme != "http" && u.Scheme != "https":
			return cfg, fmt.Errorf("endpoint %q: must be http:// or https://", p)
		case u.Host == "":
			return cfg, fmt.Errorf("endpoint %q: no host", p)
		case u.User != nil:
			return cfg, fmt.Errorf("endpoint %q: no credentials on the command line (every user's `ps` shows them): set %s and %s", p, envEtcdUsername, envEtcdPassword)
		case u.RawQuery != "" || u.Fragment != "":
			return cfg, fmt.Errorf("endpoint %q: no query or fragment", p)
		case scheme != "" && u.Scheme != scheme:
			return cfg, errors.New("endpoints mix http:// and https://")
		case i < len(parts)-1 && u.Path != "":
			return cfg, fmt.Errorf("endpoint %q: only the last endpoint carries the prefix", p)
		}
		scheme = u.Scheme
		cfg.Endpoints = append(cfg.Endpoints, u.Scheme+"://"+u.Host)
		if i == len(parts)-1 {
			cfg.Prefix = u.Path
		}
	}
	if cfg.Prefix == "" {
		cfg.Prefix = storage.DefaultEtcdPrefix
	}
	if !strings.HasSuffix(cfg.Prefix, "/") {
		// "/nashra" would also hold another deployment's "/nashra2/…".
		return cfg, fmt.Errorf("prefix %q: must end with /", cfg.Prefix)
	}
	if (cfg.Username == "") != (cfg.Password == "") {
		return cfg, fmt.Errorf("set both %s and %s, or neither", envEtcdUsername, envEtcdPassword)
	}
	tls := cfg.CertFile != "" || cfg.KeyFile != "" || cfg.TrustedCAFile != ""
	switch {
	case (cfg.CertFile == "") != (cfg.KeyFile == ""):
		return cfg, fmt.Errorf("set both %s and %s, or neither", envEtcdCert, envEtcdKey)
	case scheme == "https" && cfg.TrustedCAFile == "":
		return cfg, fmt.Errorf("https endpoints: set %s to the CA that signed the members' certificates", envEtcdCA)
	case scheme == "http" && tls:
		return cfg, fmt.Errorf("TLS files are set (%s…) but the endpoints are http://: use https://", envEtcdCA)
	}
	return cfg, nil
}

// String names the store as migrate prints it and records it in the
// destination's marker: without credentials.
func (s storeSpec) String() string {
	if s.engine == "bbolt" {
		return "bbolt:" + s.path
	}
	return "etcd:" + strings.Join(s.etcd.Endpoints, ",") + s.etcd.Prefix
}
