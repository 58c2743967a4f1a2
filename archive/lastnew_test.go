package archive

import (
	"context"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// TestLastNewBelongsToThePollThatStored attacks last_new being reported
// after polls that stored nothing (a re-poll of the same body).
func TestLastNewBelongsToThePollThatStored(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	items := []news.Item{item("k1", "https://x.ma/1", "one", t0), item("k2", "https://x.ma/2", "two", t0)}
	if _, err := s.SavePoll(ctx, "src", SourceState{LastAttempt: t0}, items); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(time.Hour)
	if _, err := s.SavePoll(ctx, "src", SourceState{LastAttempt: later}, items); err != nil {
		t.Fatal(err)
	}
	st, _, err := s.State("src")
	if err != nil {
		t.Fatal(err)
	}
	if st.LastNew != 2 || !st.LastNewAt.Equal(t0) || st.Items != 2 {
		t.Errorf("after a poll of nothing new: last_new %d at %v, items %d; want 2 at %v", st.LastNew, st.LastNewAt, st.Items, t0)
	}
}
