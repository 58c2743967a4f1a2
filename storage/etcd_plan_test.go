package storage

import (
	"fmt"
	"strings"
	"testing"
)

func TestEtcdPhases(t *testing.T) {
	put := func(k string) etcdOp { return etcdOp{key: []byte(k), value: []byte("v" + k)} }
	del := func(k string) etcdOp { return etcdOp{key: []byte(k), del: true} }
	delRange := func(k string) etcdOp { return etcdOp{key: []byte(k), del: true, end: keyEnd([]byte(k))} }
	show := func(ps []*phase) string {
		var out []string
		for _, p := range ps {
			var s []string
			for _, o := range p.ops() {
				switch {
				case !o.del:
					s = append(s, "put "+string(o.key))
				case o.end != nil:
					s = append(s, "del "+string(o.key)+"*")
				default:
					s = append(s, "del "+string(o.key))
				}
			}
			out = append(out, strings.Join(s, ","))
		}
		return strings.Join(out, " | ")
	}
	cases := []struct {
		name string
		ops  []etcdOp
		want string
	}{
		{"a key put twice: the last put, one phase", []etcdOp{put("a"), put("a")}, "put a"},
		{"put then delete: the delete", []etcdOp{put("a"), del("a")}, "del a"},
		{"delete then put: the put", []etcdOp{del("a"), put("a")}, "put a"},
		{"a range delete drops the puts before it", []etcdOp{put("p/1"), put("q"), delRange("p/")}, "del p/*,put q"},
		{"a put inside a deleted range needs a new phase", []etcdOp{delRange("p/"), put("p/1"), put("q")}, "del p/* | put p/1,put q"},
		{"a point delete inside a deleted range is dropped", []etcdOp{delRange("p/"), del("p/1")}, "del p/*"},
		{"no operations: one empty phase", nil, ""},
	}
	for _, c := range cases {
		if got := show(etcdPhases(c.ops)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestEtcdChunks(t *testing.T) {
	var ops []etcdOp
	for i := range 300 {
		ops = append(ops, etcdOp{key: fmt.Appendf(nil, "k%03d", i), value: make([]byte, 100)})
	}
	cases := []struct {
		name             string
		maxOps, maxBytes int
		want             []int // chunk lengths
		wantErr          bool
	}{
		{"bounded by operations", 126, 1 << 20, []int{126, 126, 48}, false},
		{"bounded by bytes (120 per entry)", 1000, 120 * 100, []int{100, 100, 100}, false},
		{"one entry too big for any transaction", 126, 100, nil, true},
	}
	for _, c := range cases {
		chunks, err := etcdChunks(etcdPhases(ops), c.maxOps, c.maxBytes)
		if (err != nil) != c.wantErr {
			t.Errorf("%s: error %v", c.name, err)
			continue
		}
		var got []int
		for _, ch := range chunks {
			got = append(got, len(ch))
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: chunks %v, want %v", c.name, got, c.want)
		}
	}
}
