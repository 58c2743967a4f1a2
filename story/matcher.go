package story

import (
	"time"

	"github.com/nashra-ma/nashra/news"
)

// Defaults chosen on the labelled set in testdata (README, "How duplicates are found").
const (
	DefaultWindow    = 36 * time.Hour
	DefaultThreshold = 0.58
	// minShared is the fewest content words two headlines must share.
	minShared = 3
)

// knownPublishers are suffixes aggregators append (" - Hespress"); the
// configured outlets' titles are added to them.
var knownPublishers = []string{
	"Hespress", "Hespress FR", "Hespress English", "Le360", "Médias24", "Medias24", "TelQuel", "Yabiladi",
	"Morocco World News", "MAP", "MAP Express", "MAPNews", "SNRTnews", "SNRT News", "Le Matin", "L'Economiste",
	"H24info", "Le Desk", "Barlamane", "Goud", "Alyaoum24", "Hibapress", "Akhbarona", "Challenge", "Le Site Info",
	"North Africa Post", "Maroc Diplomatique", "AllAfrica", "هسبريس", "كود", "اليوم 24", "أخبارنا", "برلمان.كوم",
}

// Matcher decides which items report the same story.
type Matcher struct {
	window     time.Duration
	threshold  float64
	publishers []string
}

// NewMatcher returns a Matcher; zero window or threshold take the defaults.
// outlets are the configured outlets' titles, stripped as publisher suffixes.
func NewMatcher(window time.Duration, threshold float64, outlets []string) *Matcher {
	if window <= 0 {
		window = DefaultWindow
	}
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	pubs := append(append([]string(nil), knownPublishers...), outlets...)
	return &Matcher{window: window, threshold: threshold, publishers: pubs}
}

// Window is how far apart in time two reports of one story may be.
func (m *Matcher) Window() time.Duration { return m.window }

// Prepare fills in it.Norm and it.Terms from its title.
func (m *Matcher) Prepare(it *news.Item) {
	it.Norm = Normalize(it.Title, m.publishers)
	it.Terms = Tokens(it.Norm)
}

// MinShared is the fewest index terms two reports of one story share.
func (m *Matcher) MinShared() int { return minShared }

// Score is how alike two headlines are, in [0, 1]; 0 when their numbers conflict.
func (m *Matcher) Score(a, b string) float64 {
	return newProfile(Normalize(a, m.publishers)).score(newProfile(Normalize(b, m.publishers)))
}

// Same reports whether a and b are one story: same language, close in time,
// headlines alike enough. Different languages are never merged.
func (m *Matcher) Same(a, b *news.Item) bool {
	return m.SameAs(a)(b)
}

// SameAs returns Same(it, ·) with it's side computed once, for comparing one
// new item with many candidates.
func (m *Matcher) SameAs(it *news.Item) func(*news.Item) bool {
	p := newProfile(m.norm(it))
	return func(cand *news.Item) bool {
		if cand.Language != it.Language {
			return false
		}
		d := cand.Time.Sub(it.Time)
		if d < -m.window || d > m.window {
			return false
		}
		return p.score(newProfile(m.norm(cand))) >= m.threshold
	}
}

func (m *Matcher) norm(it *news.Item) string {
	if it.Norm != "" {
		return it.Norm
	}
	return Normalize(it.Title, m.publishers)
}
