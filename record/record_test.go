package record

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// diffItems says how got (decoded) differs from want in what a record
// stores: every field but Norm, Terms and Related (which must come back
// empty), times by instant and in UTC, nil and empty lists alike.
func diffItems(want, got *news.Item) string {
	var d []string
	str := func(name, w, g string) {
		if w != g {
			d = append(d, name+": want "+quote(w)+" got "+quote(g))
		}
	}
	str("Key", want.Key, got.Key)
	str("Source", want.Source, got.Source)
	str("Identity", want.Identity, got.Identity)
	str("GUID", want.GUID, got.GUID)
	str("Link", want.Link, got.Link)
	str("Anchor", want.Anchor, got.Anchor)
	str("Title", want.Title, got.Title)
	str("Summary", want.Summary, got.Summary)
	str("Author", want.Author, got.Author)
	str("Language", want.Language, got.Language)
	str("Image", want.Image, got.Image)
	str("TimeFrom", want.TimeFrom, got.TimeFrom)
	str("Story", want.Story, got.Story)
	if !slices.Equal(want.AlsoIn, got.AlsoIn) {
		d = append(d, "AlsoIn differs")
	}
	if !slices.Equal(want.Categories, got.Categories) {
		d = append(d, "Categories differ")
	}
	if want.Split != got.Split {
		d = append(d, "Split differs")
	}
	tm := func(name string, w, g time.Time) {
		if !w.Equal(g) {
			d = append(d, name+": want "+w.String()+" got "+g.String())
		}
		if g.Location() != time.UTC {
			d = append(d, name+": not UTC: "+g.Location().String())
		}
	}
	tm("Published", want.Published, got.Published)
	tm("Updated", want.Updated, got.Updated)
	tm("FirstSeen", want.FirstSeen, got.FirstSeen)
	tm("Time", want.Time, got.Time)
	tm("Changed", want.Changed, got.Changed)
	if got.Norm != "" || got.Terms != nil || got.Related != nil {
		d = append(d, "derived fields came back")
	}
	return strings.Join(d, "; ")
}

func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return "«" + s + "»"
}

// roundTrip encodes it both ways (summary compressed when worth it, never
// compressed), decodes each and fails on any difference.
func roundTrip(t *testing.T, it *news.Item) []byte {
	t.Helper()
	var rec []byte
	for _, deflate := range []bool{true, false} {
		b := encode(nil, it, deflate)
		if !deflate && len(b) > PlainSize(it) {
			t.Fatalf("plain record of %d bytes, PlainSize says at most %d", len(b), PlainSize(it))
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("decode (deflate %v): %v", deflate, err)
		}
		if d := diffItems(it, &got); d != "" {
			t.Fatalf("round trip (deflate %v): %s", deflate, d)
		}
		if deflate {
			rec = b
		}
	}
	return rec
}

var (
	fs    = time.Date(2026, 4, 14, 15, 7, 31, 123456789, time.UTC)
	pub   = time.Date(2026, 4, 14, 15, 4, 7, 0, time.UTC)
	upd   = time.Date(2026, 4, 14, 17, 0, 0, 0, time.UTC)
	arSum = "يراجع الوزير معايير اختيار المؤسسات التعليمية الرائدة في أفق الدخول المدرسي المقبل، بعد تقارير رصدت اختلالات في التنزيل؛ وتشمل المراجعة معايير الانتقاء والتأطير والتتبع، كما تهم توسيع التجربة لتشمل مؤسسات جديدة في العالم القروي."
	frSum = "Le conseil de gouvernement a adopté jeudi un projet de décret relatif à l’organisation du baccalauréat ; le texte fixe le calendrier des épreuves « nationales » et régionales, ainsi que les modalités de rattrapage…"
)

// item is a typical first store: GUID identity, time from the feed's date,
// changed when first seen.
func item() news.Item {
	return news.Item{
		Key: "0a1b2c3d4e5f60718293a4b5", Source: "hespress-ar",
		Identity: "guid:https://www.hespress.com/?p=1201850", GUID: "https://www.hespress.com/?p=1201850",
		Link:  "https://www.hespress.com/%D8%A8%D8%B1%D9%91%D8%A7%D8%AF%D8%A9-1201850.html",
		Title: "برّادة يراجع معايير اختيار مؤسسات الريادة الـ2500", Summary: arSum,
		Author: "هسبريس من الرباط", Categories: []string{"سياسة"}, Language: "ar",
		Image:     "https://www.hespress.com/wp-content/uploads/2026/04/x.jpg",
		Published: pub, FirstSeen: fs, Time: pub, TimeFrom: news.TimeFromPublished, Changed: fs,
	}
}

func TestRoundTrip(t *testing.T) {
	huge := strings.Repeat("نص طويل جدا ", 200_000) // 4.6 MB
	cases := []struct {
		name string
		edit func(*news.Item)
	}{
		{"arabic first store", func(*news.Item) {}},
		{"french with typography", func(it *news.Item) {
			it.Source, it.Language, it.Title, it.Summary = "le360-fr", "fr", "L’ONCF lance « Al Boraq » : l'été…", frSum
			it.Categories = []string{"Economie", "Société"}
		}},
		{"every field empty and every time zero", func(it *news.Item) { *it = news.Item{} }},
		{"empty strings with times set", func(it *news.Item) {
			*it = news.Item{Published: pub, FirstSeen: fs, Time: pub, Changed: fs}
		}},
		{"zero first seen, other times relative to the epoch", func(it *news.Item) {
			it.FirstSeen = time.Time{}
			it.Changed = upd
		}},
		{"times before 1970", func(it *news.Item) {
			it.Published = time.Date(1912, 3, 30, 12, 0, 0, 1, time.UTC)
			it.FirstSeen = time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC)
			it.Time, it.Changed = it.Published, time.Date(1956, 3, 2, 0, 0, 0, 0, time.UTC)
		}},
		{"far-future times beyond UnixNano's range", func(it *news.Item) {
			it.Published = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
			it.Updated = time.Date(2263, 1, 1, 0, 0, 0, 0, time.UTC)
			it.FirstSeen = time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC)
			it.Time = it.Updated
			it.Changed = time.Unix(math.MaxInt64/2, 5).UTC()
		}},
		{"extreme instants wrap and come back", func(it *news.Item) {
			it.FirstSeen = time.Unix(math.MinInt64+5, 0)
			it.Published = time.Unix(math.MaxInt64-5, 999999999)
			it.Time = time.Unix(0, 0)
		}},
		{"times given in another zone come back in UTC", func(it *news.Item) {
			casa := time.FixedZone("+01", 3600)
			it.Published, it.FirstSeen = pub.In(casa), fs.In(casa)
			it.Time, it.Changed = pub.In(casa), fs.In(casa)
		}},
		{"time from updated", func(it *news.Item) {
			it.Updated, it.Time, it.TimeFrom = upd, upd, news.TimeFromUpdated
		}},
		{"time from first seen, no date", func(it *news.Item) {
			it.Published, it.Time, it.TimeFrom = time.Time{}, fs, news.TimeFromFirstSeen
		}},
		{"TimeFrom says published but Time differs", func(it *news.Item) { it.Time = pub.Add(time.Nanosecond) }},
		{"TimeFrom says updated but Time equals published", func(it *news.Item) {
			it.Updated, it.TimeFrom = upd, news.TimeFromUpdated
		}},
		{"TimeFrom says first-seen but Time is zero", func(it *news.Item) {
			it.Time, it.TimeFrom = time.Time{}, news.TimeFromFirstSeen
		}},
		{"Time equals first seen under TimeFrom published", func(it *news.Item) { it.Time = fs }},
		{"unknown TimeFrom stored as given", func(it *news.Item) { it.TimeFrom = "guessed" }},
		{"empty TimeFrom", func(it *news.Item) { it.TimeFrom = "" }},
		{"changed after an edit", func(it *news.Item) { it.Changed, it.Updated = upd.Add(time.Millisecond), upd }},
		{"changed zero, first seen set", func(it *news.Item) { it.Changed = time.Time{} }},
		{"identity link", func(it *news.Item) {
			it.GUID, it.Identity = "", "link:"+it.Link
		}},
		{"identity guid repeated in the document, told apart by link", func(it *news.Item) {
			it.Identity = "guid:" + it.GUID + "#" + it.Link
		}},
		{"identity hash", func(it *news.Item) {
			it.GUID, it.Link, it.Identity = "", "", "hash:00ff10a0b1c2d3e4f5a6b7c8"
		}},
		{"identity hash in upper case stored as given", func(it *news.Item) { it.Identity = "hash:00FF10A0" }},
		{"identity hash of odd length stored as given", func(it *news.Item) { it.Identity = "hash:abc" }},
		{"identity that is none of the kinds", func(it *news.Item) { it.Identity = "guid:something-else" }},
		{"identity guid with an empty GUID", func(it *news.Item) { it.GUID, it.Identity = "", "guid:" }},
		{"identity empty", func(it *news.Item) { it.Identity = "" }},
		{"GUID is the link", func(it *news.Item) { it.GUID, it.Identity = it.Link, "guid:"+it.Link }},
		{"GUID is the link, identity by link", func(it *news.Item) { it.GUID, it.Identity = it.Link, "link:"+it.Link }},
		{"key not hex stored as given", func(it *news.Item) { it.Key = "Key-with/odd chars" }},
		{"key upper-case hex stored as given", func(it *news.Item) { it.Key = "0A1B2C3D" }},
		{"key odd-length hex stored as given", func(it *news.Item) { it.Key = "0a1" }},
		{"also in, story and split", func(it *news.Item) {
			it.AlsoIn = []string{"le360-fr", "", "goud-ar"}
			it.Story, it.Split, it.Anchor = "5f3c9a", true, "c2"
		}},
		{"invalid UTF-8 and NULs kept byte for byte", func(it *news.Item) {
			it.Title, it.Summary = "\xff\xfe\x00عنوان\xd8", strings.Repeat("\x00\xd8\xa7\xff", 60)
			it.Categories = []string{"", "\x00"}
		}},
		{"short summary not compressed", func(it *news.Item) { it.Summary = "تحليل" }},
		{"summary that does not compress", func(it *news.Item) {
			var b strings.Builder
			for i := range 300 {
				b.WriteByte(byte(i*7919>>3) ^ byte(i*31))
			}
			it.Summary = b.String()
		}},
		{"huge fields", func(it *news.Item) {
			it.Summary, it.Title = huge, huge[:70000]
			it.Categories = make([]string, 3000)
			for i := range it.Categories {
				it.Categories[i] = "تصنيف"
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := item()
			c.edit(&it)
			roundTrip(t, &it)
		})
	}
}

// TestNotStored checks what the layout promises to leave out: the derived
// fields, and whatever another field or flag rebuilds.
func TestNotStored(t *testing.T) {
	base := item()
	plain := Encode(nil, &base)

	derived := base
	derived.Norm = "برادة يراجع معايير اختيار مؤسسات الرياده 2500"
	derived.Terms = []string{"برادة", "يراجع", "معايير", "اختيار", "مؤسسات"}
	derived.Related = []news.Report{{Source: "le360-fr", Title: "x", Time: pub}}
	if b := Encode(nil, &derived); !bytes.Equal(b, plain) {
		t.Errorf("Norm, Terms or Related changed the record (%d bytes, %d without)", len(b), len(plain))
	}

	for _, s := range []string{base.Identity, "guid:", base.Key, base.TimeFrom} {
		if bytes.Contains(plain, []byte(s)) {
			t.Errorf("record holds %q, which it can rebuild", s)
		}
	}
	if n := bytes.Count(plain, []byte(base.GUID)); n != 1 {
		t.Errorf("GUID stored %d times, want once", n)
	}
	guidIsLink := base
	guidIsLink.GUID, guidIsLink.Identity = base.Link, "guid:"+base.Link
	if n := bytes.Count(Encode(nil, &guidIsLink), []byte(base.Link)); n != 1 {
		t.Errorf("a GUID equal to the link: link stored %d times, want once", n)
	}

	// Time equal to Published and Changed equal to FirstSeen cost no bytes:
	// moving either off by a nanosecond costs a stored time.
	for name, edit := range map[string]func(*news.Item){
		"time":    func(it *news.Item) { it.Time = it.Time.Add(time.Nanosecond) },
		"changed": func(it *news.Item) { it.Changed = it.Changed.Add(time.Nanosecond) },
	} {
		it := base
		edit(&it)
		if b := Encode(nil, &it); len(b) <= len(plain) {
			t.Errorf("%s stored even when it equals another time: %d bytes either way", name, len(b))
		}
	}
}

func TestSummaryCompressedWhenWorthIt(t *testing.T) {
	for _, c := range []struct {
		name, summary string
		deflated      bool
	}{
		{"arabic summary", arSum, true},
		{"french summary", frSum, true},
		{"short summary", "تحليل", false},
		{"incompressible summary", string(incompressible(400)), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			it := item()
			it.Summary = c.summary
			b := Encode(nil, &it)
			if got := bytes.Contains(b, []byte(c.summary)); got == c.deflated {
				t.Errorf("summary stored as text: %v, want %v", got, !c.deflated)
			}
			if c.deflated && len(b) >= len(encode(nil, &it, false)) {
				t.Errorf("compressed record %d bytes, not smaller than %d", len(b), len(encode(nil, &it, false)))
			}
			roundTrip(t, &it)
		})
	}
}

func incompressible(n int) []byte {
	b := make([]byte, n)
	x := uint64(88172645463325252)
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = byte(x)
	}
	return b
}

func TestVersionChecked(t *testing.T) {
	it := item()
	good := Encode(nil, &it)
	if good[0] != Version {
		t.Fatalf("first byte %d, want the version %d", good[0], Version)
	}
	for _, v := range []byte{0, 2, '{', 255} {
		b := bytes.Clone(good)
		b[0] = v
		if _, err := Decode(b); !errors.Is(err, ErrVersion) {
			t.Errorf("version %d: err %v, want ErrVersion", v, err)
		}
	}
	// A JSON record of the current release is an unknown version, not garbage decoded.
	if _, err := Decode([]byte(`{"key":"k"}`)); !errors.Is(err, ErrVersion) {
		t.Errorf("JSON record: err %v, want ErrVersion", err)
	}
}

// TestTruncatedAtEveryOffset cuts valid records at every byte: each prefix
// is an error, never a panic nor a shorter item.
func TestTruncatedAtEveryOffset(t *testing.T) {
	recs := map[string]news.Item{"typical": item()}
	full := item()
	full.Updated, full.Changed, full.Time, full.TimeFrom = upd, upd.Add(time.Second), upd.Add(time.Minute), "other"
	full.Identity, full.AlsoIn, full.Story, full.Split, full.Anchor = "hash:abcdef", []string{"a", "b"}, "s", true, "c2"
	recs["every field stored"] = full
	short := item()
	short.Summary = ""
	recs["empty summary last"] = short
	for name, it := range recs {
		b := Encode(nil, &it)
		for i := range len(b) {
			if _, err := Decode(b[:i]); err == nil {
				t.Errorf("%s: cut at %d of %d bytes decoded without error", name, i, len(b))
			} else if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s: cut at %d: %v, neither truncated nor corrupt", name, i, err)
			}
		}
	}
}

func TestGarbageRefused(t *testing.T) {
	it := item()
	good := Encode(nil, &it)
	noDeflate := encode(nil, &it, false)
	hdr := func(flags uint64, rest ...byte) []byte {
		b := []byte{Version}
		b = binary.AppendUvarint(b, flags)
		return append(b, rest...)
	}
	type garbage struct {
		name string
		b    []byte
		want error
		says string // what the error must name
	}
	cases := []garbage{
		{"empty", nil, ErrTruncated, "version"},
		{"version only", []byte{Version}, ErrTruncated, "flags"},
		{"trailing byte", append(bytes.Clone(good), 0), ErrCorrupt, "after the record"},
		{"trailing byte after a plain summary", append(bytes.Clone(noDeflate), 'x'), ErrCorrupt, "after the record"},
		{"unknown flag bit", hdr(1 << 17), ErrCorrupt, "unknown bits"},
		{"identity kind 7", hdr(7 << idShift), ErrCorrupt, "identity kind"},
		{"time both stored and rebuilt", hdr(flagTime | timeIsPublished<<timeShift), ErrCorrupt, "time both"},
		{"changed both stored and rebuilt", hdr(flagChanged | flagChangedIsFirstSeen), ErrCorrupt, "changed both"},
		{"flags varint overflows", []byte{Version, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1}, ErrCorrupt, "flags: varint"},
		{"nanoseconds out of range", hdr(flagFirstSeen, 0, 0x80, 0x94, 0xeb, 0xdc, 0x03), ErrCorrupt, "first_seen"}, // 1e9
		{"string longer than the record", hdr(0, 50, 'a'), ErrTruncated, "key"},
		{"a billion categories", hdr(0, append(make([]byte, 9), 0x80, 0x94, 0xeb, 0xdc, 0x03)...), ErrTruncated, "categories"},
		{"compressed summary claiming a gigabyte", hdr(flagSummaryDeflated, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x04, 1, 0), ErrCorrupt, "claimed"},
		{"compressed summary that is not deflate", hdr(flagSummaryDeflated, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 0xff, 0xff, 0xff), ErrCorrupt, "inflate"},
	}
	// The summary's stated length one more or one less than its stream holds.
	for name, delta := range map[string]int{"compressed summary shorter than stated": 1, "compressed summary longer than stated": -1} {
		b, ok := restateSummaryLength(good, len(it.Summary), len(it.Summary)+delta)
		if !ok {
			t.Fatalf("%s: cannot find the summary's length", name)
		}
		cases = append(cases, garbage{name, b, ErrCorrupt, "summary"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.b)
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "record: ") || !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q does not name %q", err, c.says)
			}
		})
	}
}

// restateSummaryLength rewrites the stated text length of a record's
// compressed summary (the last field: text length, stream length, stream)
// from was to n.
func restateSummaryLength(rec []byte, was, n int) ([]byte, bool) {
	for start := len(rec) - 1; start > 0; start-- {
		stated, k := binary.Uvarint(rec[start:])
		if k <= 0 || stated != uint64(was) {
			continue
		}
		streamLen, k2 := binary.Uvarint(rec[start+k:])
		if k2 > 0 && start+k+k2+int(streamLen) == len(rec) {
			out := binary.AppendUvarint(bytes.Clone(rec[:start]), uint64(n))
			return append(out, rec[start+k:]...), true
		}
	}
	return nil, false
}
