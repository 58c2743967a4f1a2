package record

import (
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// FuzzDecode feeds Decode any bytes: it never panics, and whatever it
// accepts re-encodes to a record that decodes to the same item.
func FuzzDecode(f *testing.F) {
	for _, it := range sampleItems(f, 20) {
		f.Add(Encode(nil, &it))
		f.Add(encode(nil, &it, false))
	}
	it := item()
	it.Identity, it.Updated, it.Changed, it.Time, it.TimeFrom, it.Split = "hash:00ff", upd, upd, upd.Add(time.Hour), "x", true
	f.Add(Encode(nil, &it))
	f.Add([]byte{Version})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		it, err := Decode(b)
		if err != nil {
			return
		}
		again, err := Decode(Encode(nil, &it))
		if err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if d := diffItems(&it, &again); d != "" {
			t.Fatalf("re-encoded record decodes differently: %s", d)
		}
	})
}

// FuzzRoundTrip builds items from fuzz inputs, with fields that often
// coincide (so that every rebuild path is taken) and times anywhere in
// time.Time's range.
func FuzzRoundTrip(f *testing.F) {
	f.Add("0a1b2c", "src", "https://x.ma/?p=1", "https://x.ma/a", "عنوان", arSum, uint8(0), int64(1776178000), int64(-180), int64(5), uint32(123456789), uint16(0))
	f.Add("KEY", "", "", "", "", "", uint8(3), int64(0), int64(0), int64(0), uint32(0), uint16(0xffff))
	f.Add("ab", "s", "g", "g", "t", frSum, uint8(4), int64(-62135596800), int64(1<<62), int64(-1<<62), uint32(999999999), uint16(0x5a5a))
	f.Fuzz(func(t *testing.T, key, source, guid, link, title, summary string, idKind uint8, fsSec, pubDelta, updDelta int64, nsec uint32, sel uint16) {
		at := func(sec int64, on bool) time.Time {
			if !on {
				return time.Time{}
			}
			return time.Unix(sec, int64(nsec%1e9))
		}
		bit := func(i uint) bool { return sel&(1<<i) != 0 }
		it := news.Item{
			Key: key, Source: source, GUID: guid, Link: link, Title: title, Summary: summary,
			Author: title, Language: key, Image: link, Anchor: source, Story: guid,
			Split: bit(0),
		}
		if bit(1) {
			it.Categories = strings.Split(summary, " ")
			it.AlsoIn = strings.Split(title, " ")
		}
		it.FirstSeen = at(fsSec, !bit(2))
		it.Published = at(fsSec+pubDelta, !bit(3))
		it.Updated = at(fsSec+updDelta, bit(4))
		switch sel >> 5 & 3 {
		case 0:
			it.Time = it.Published
		case 1:
			it.Time = it.Updated
		case 2:
			it.Time = it.FirstSeen
		case 3:
			it.Time = at(fsSec^pubDelta, bit(7))
		}
		it.TimeFrom = []string{news.TimeFromPublished, news.TimeFromUpdated, news.TimeFromFirstSeen, title}[sel>>8&3]
		it.Changed = it.FirstSeen
		if bit(10) {
			it.Changed = at(fsSec-updDelta, bit(11))
		}
		if bit(12) {
			it.GUID = it.Link
		}
		switch idKind % 6 {
		case 0:
			it.Identity = "guid:" + it.GUID
		case 1:
			it.Identity = "link:" + it.Link
		case 2:
			it.Identity = "guid:" + it.GUID + "#" + it.Link
		case 3:
			it.Identity = "hash:" + key
		case 4:
			it.Identity = title
		}
		it.Norm, it.Terms = title, []string{title}
		roundTrip(t, &it)
	})
}
