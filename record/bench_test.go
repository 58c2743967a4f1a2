package record

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// withDerived returns items as storage writes them today: Norm and Terms
// filled in by the story matcher, which the JSON record carries.
func withDerived(items []news.Item) []news.Item {
	m := story.NewMatcher(0, 0, nil)
	out := slices.Clone(items)
	for i := range out {
		m.Prepare(&out[i])
	}
	return out
}

func TestEncodeAllocatesNothingWhenDstHasRoom(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops entries under the race detector")
	}
	items := sampleItems(t, 50)
	dst := make([]byte, 0, 64<<10)
	for i := range items {
		it := &items[i]
		Encode(dst, it) // warm the pool
		if n := testing.AllocsPerRun(20, func() { dst = Encode(dst[:0], it) }); n != 0 {
			t.Fatalf("item %d: %.1f allocations per Encode", i, n)
		}
	}
}

// TestSampleRoundTrip round-trips the realistic sample the benchmarks use.
func TestSampleRoundTrip(t *testing.T) {
	for _, it := range withDerived(sampleItems(t, 500)) {
		roundTrip(t, &it)
	}
}

// TestSizes logs the median and mean bytes per record of the realistic
// sample, per language, for each format (go test -run Sizes -v ./record).
func TestSizes(t *testing.T) {
	items := withDerived(sampleItems(t, 2000))
	formats := []struct {
		name string
		enc  func(*news.Item) int
	}{
		{"json as stored today (norm, terms)", func(it *news.Item) int { b, _ := json.Marshal(it); return len(b) }},
		{"json without norm, terms", func(it *news.Item) int {
			c := *it
			c.Norm, c.Terms = "", nil
			b, _ := json.Marshal(&c)
			return len(b)
		}},
		{"record, summary as text", func(it *news.Item) int { return len(encode(nil, it, false)) }},
		{"record (summary deflated when worth it)", func(it *news.Item) int { return len(Encode(nil, it)) }},
		{"summary alone, as text", func(it *news.Item) int { return len(it.Summary) }},
	}
	for _, lang := range []string{"", "ar", "fr"} {
		for _, f := range formats {
			var sizes []int
			total := 0
			for i := range items {
				if lang != "" && items[i].Language != lang {
					continue
				}
				n := f.enc(&items[i])
				sizes = append(sizes, n)
				total += n
			}
			slices.Sort(sizes)
			l := lang
			if l == "" {
				l = "all"
			}
			t.Logf("%-3s %-42s median %5d  mean %5d  (n=%d)", l, f.name, sizes[len(sizes)/2], total/len(sizes), len(sizes))
		}
	}
	deflated := 0
	for i := range items {
		if b := Encode(nil, &items[i]); len(b) < len(encode(nil, &items[i], false)) {
			deflated++
		}
	}
	t.Logf("summaries stored deflated: %d of %d", deflated, len(items))
}

// The benchmarks run JSON (today's record, with norm and terms) and this
// record on the same realistic items, in one run.
func BenchmarkEncode(b *testing.B) {
	items := withDerived(sampleItems(b, 500))
	run := func(name string, enc func([]byte, *news.Item) []byte) {
		b.Run(name, func(b *testing.B) {
			dst := make([]byte, 0, 64<<10)
			total := 0
			b.ReportAllocs()
			for i := range b.N {
				dst = enc(dst[:0], &items[i%len(items)])
				total += len(dst)
			}
			b.ReportMetric(float64(total)/float64(b.N), "bytes/record")
		})
	}
	run("json", func(dst []byte, it *news.Item) []byte { out, _ := json.Marshal(it); return out })
	run("record", Encode)
	run("record-no-deflate", func(dst []byte, it *news.Item) []byte { return encode(dst, it, false) })
}

func BenchmarkDecode(b *testing.B) {
	items := withDerived(sampleItems(b, 500))
	run := func(name string, enc func(*news.Item) []byte, dec func([]byte) error) {
		recs := make([][]byte, len(items))
		for i := range items {
			recs[i] = enc(&items[i])
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := range b.N {
				if err := dec(recs[i%len(recs)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	jsonDec := func(raw []byte) error { var it news.Item; return json.Unmarshal(raw, &it) }
	recDec := func(raw []byte) error { _, err := Decode(raw); return err }
	run("json", func(it *news.Item) []byte { b, _ := json.Marshal(it); return b }, jsonDec)
	run("record", func(it *news.Item) []byte { return Encode(nil, it) }, recDec)
	run("record-no-deflate", func(it *news.Item) []byte { return encode(nil, it, false) }, recDec)
}

// BenchmarkDecode100 is what the serving path pays per render of a
// 100-item output: decoding 100 consecutive records.
func BenchmarkDecode100(b *testing.B) {
	items := withDerived(sampleItems(b, 500))
	run := func(name string, enc func(*news.Item) []byte, dec func([]byte) error) {
		recs := make([][]byte, len(items))
		for i := range items {
			recs[i] = enc(&items[i])
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := range b.N {
				start := (i * 100) % (len(recs) - 100)
				for _, r := range recs[start : start+100] {
					if err := dec(r); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
	jsonDec := func(raw []byte) error { var it news.Item; return json.Unmarshal(raw, &it) }
	recDec := func(raw []byte) error { _, err := Decode(raw); return err }
	run("json", func(it *news.Item) []byte { b, _ := json.Marshal(it); return b }, jsonDec)
	run("record", func(it *news.Item) []byte { return Encode(nil, it) }, recDec)
	run("record-no-deflate", func(it *news.Item) []byte { return encode(nil, it, false) }, recDec)
}
