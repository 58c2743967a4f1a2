package archive

import (
	"slices"
	"testing"
	"time"
)

// A record that does not decode (a damaged page or record) is left out of
// a read and named, not made the read's error: seen from outside, one such
// record failed every render of every output while /readyz said ready.
func TestReadLeavesOutADamagedRecord(t *testing.T) {
	s, _ := openTemp(t)
	at := time.Date(2026, 4, 14, 10, 0, 0, 0, time.UTC)
	save(t, s, item("k1", "https://x.ma/1", "واحد", at), item("k2", "https://x.ma/2", "اثنان", at.Add(time.Minute)),
		item("k3", "https://x.ma/3", "ثلاثة", at.Add(2*time.Minute)))
	rawPut(t, s, tRecords, []byte("k2"), []byte{0x02, 0xff, 0xff})
	r, err := s.Read(Query{Limit: 10})
	if err != nil {
		t.Fatalf("read with one damaged record: %v", err)
	}
	var keys []string
	for _, it := range r.Items {
		keys = append(keys, it.Key)
	}
	if !slices.Equal(keys, []string{"k3", "k1"}) || !slices.Equal(r.Damaged, []string{"k2"}) {
		t.Errorf("items %v, damaged %v; want [k3 k1] and [k2]", keys, r.Damaged)
	}
}
