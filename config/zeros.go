package config

import (
	"fmt"
	"time"
)

// zeroable lists the settings whose zero value stands for "use the default".
// Written out as 0 in the file it is a mistake (workers: 0 would otherwise
// run with 4 without a word), so it must reach validation as the 0 it is.
func zeroable(c *Config) map[string]any {
	m := map[string]any{
		"workers": &c.Workers, "per_host": &c.PerHost, "max_body_mb": &c.MaxBodyMB,
		"max_items": &c.MaxItems, "write_queue_items": &c.WriteQueueItems, "retention": &c.Retention, "timeout": &c.Timeout,
		"stale_after": &c.StaleAfter, "stories.window": &c.Stories.Window,
		"stories.threshold": &c.Stories.Threshold, "live.max_streams": &c.Live.MaxStreams,
		"storage.dial_timeout": &c.Storage.DialTimeout, "storage.lease_ttl": &c.Storage.LeaseTTL,
	}
	for i := range c.Sources {
		m[fmt.Sprintf("sources[%d].max_items", i)] = &c.Sources[i].MaxItems
	}
	for i := range c.Outputs {
		m[fmt.Sprintf("outputs[%d].limit", i)] = &c.Outputs[i].Limit
		m[fmt.Sprintf("outputs[%d].max_scan", i)] = &c.Outputs[i].MaxScan
	}
	return m
}

// explicitZeros returns the zeroable keys the file sets to 0.
func explicitZeros(c *Config, lines lineMap) []string {
	var keys []string
	for key, p := range zeroable(c) {
		if _, inFile := lines.path[key]; inFile && isZero(p) {
			keys = append(keys, key)
		}
	}
	return keys
}

// restoreZeros undoes what applyDefaults did to the keys written as 0.
func restoreZeros(c *Config, keys []string) {
	m := zeroable(c)
	for _, key := range keys {
		switch p := m[key].(type) {
		case *int:
			*p = 0
		case *time.Duration:
			*p = 0
		case *float64:
			*p = 0
		}
	}
}

func isZero(p any) bool {
	switch p := p.(type) {
	case *int:
		return *p == 0
	case *time.Duration:
		return *p == 0
	case *float64:
		return *p == 0
	}
	return false
}
