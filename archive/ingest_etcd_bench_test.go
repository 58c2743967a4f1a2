package archive

import (
	"context"
	"fmt"
	"testing"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// BenchmarkFirstIngestEtcd saves the 200 polls of firstIngestPolls one
// after the other into an empty etcd store (one member in this process, so
// its CPU is counted too: profile to tell the two apart).
func BenchmarkFirstIngestEtcd(b *testing.B) {
	polls := firstIngestPolls(200)
	c := etcdtest.Start(b, 1)
	n := 0
	for b.Loop() {
		b.StopTimer()
		n++
		eng, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: c.Endpoints, Prefix: fmt.Sprintf("/bench/%d/", n)})
		if err != nil {
			b.Fatal(err)
		}
		a, err := New(eng)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, items := range polls {
			if _, err := a.SavePoll(context.Background(), items[0].Source, SourceState{}, items); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(polls)), "µs/poll")
}
