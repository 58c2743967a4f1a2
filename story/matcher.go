package story

import (
	"time"

	"github.com/nashra-ma/nashra/news"
)

// Defaults chosen on the labelled set in testdata (README, "How duplicates are found").
const (
	DefaultWindow    = 36 * time.Hour
	DefaultThreshold = 0.25
	// minShared is the fewest content words two headlines must share: two
	// ("أمن البيضاء يوقف نصابا" and "توقيف شخص بالدار البيضاء…" share the
	// city and the arrest), the other checks (something specific, enough
	// weight, the score) asking the rest.
	minShared = 2
)

// knownPublishers are suffixes aggregators append (" - Hespress"); the
// configured outlets' titles are added to them.
var knownPublishers = []string{
	"Hespress", "Hespress FR", "Hespress English", "Le360", "Médias24", "Medias24", "TelQuel", "Yabiladi",
	"Morocco World News", "MAP", "MAP Express", "MAPNews", "SNRTnews", "SNRT News", "Le Matin", "L'Economiste",
	"H24info", "Le Desk", "Barlamane", "Goud", "Alyaoum24", "Hibapress", "Akhbarona", "Challenge", "Le Site Info",
	"North Africa Post", "Maroc Diplomatique", "AllAfrica", "هسبريس", "كود", "اليوم 24", "أخبارنا", "برلمان.كوم",
	"Hespress Français", "Hespress Francais", "Al3omk", "العمق المغربي", "العمق", "Febrayer", "فبراير", "Chouf TV", "شوف تيفي",
	"Le360.ma", "Lematin.ma", "LesEco.ma", "Les Inspirations ÉCO", "Bladi", "Hibapress", "هبة بريس", "الأيام 24", "Al Ayam 24",
}

// Matcher decides which items report the same story.
type Matcher struct {
	window     time.Duration
	params     Params
	publishers []string
	cache      *headlineCache // prepared candidates, shared by copies
	common     *commonTerms   // nil: the shipped table (tests weigh with others)
}

// candidateCache is how many prepared headlines a Matcher keeps: more than
// the items of a busy 36-hour window that share words with new reports.
const candidateCache = 8192

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
	p := DefaultParams
	p.Threshold = threshold
	return &Matcher{window: window, params: p, publishers: pubs, cache: newHeadlineCache(candidateCache)}
}

// WithParams returns a copy of m that decides with p (tuning and tests).
func (m *Matcher) WithParams(p Params) *Matcher {
	c := *m
	c.params = p
	return &c
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

// Score is how alike two headlines are (the decision's score, window statistics aside).
func (m *Matcher) Score(a, b string) float64 {
	return Decide(Prepare(a, m.publishers), Prepare(b, m.publishers), WindowWeights{}, m.params).Score
}

// Same reports whether a and b are one story: same language, close in time,
// headlines alike enough, with no window statistics (the shipped table of
// common words alone weighs the words). Different languages are never merged.
func (m *Matcher) Same(a, b *news.Item) bool {
	return m.SameAs(a, nil)(b)
}

// SameAs returns Same(it, ·) with it's side computed once, for comparing one
// new item with many candidates; docFreq (nil: none) counts the items of the
// window that carry a term.
func (m *Matcher) SameAs(it *news.Item, docFreq func(string) int) func(*news.Item) bool {
	h := m.headline(it)
	w := WindowWeights{Lang: it.Language, DocFreq: docFreq, common: m.common}
	return func(cand *news.Item) bool {
		if cand.Language != it.Language {
			return false
		}
		d := cand.Time.Sub(it.Time)
		if d < -m.window || d > m.window {
			return false
		}
		return DecideApart(h, m.candidate(cand), w, m.params, apartIn(d, m.window)).Same
	}
}

// Contradicts reports whether a (a new report) and b (a stored one) name
// different things of one kind or different numbers (Contradict).
func (m *Matcher) Contradicts(a, b *news.Item) bool {
	return Contradict(m.headline(a), m.candidate(b))
}

// Explain is the decision on two headlines of one language, with its parts,
// as if published at the same time.
func (m *Matcher) Explain(a, b string, lang string, docFreq func(string) int) Decision {
	return Decide(Prepare(a, m.publishers), Prepare(b, m.publishers), WindowWeights{Lang: lang, DocFreq: docFreq, common: m.common}, m.params)
}

// ExplainItems is the decision on two items of one language, with its
// parts: Explain, the threshold raised for the time between them.
func (m *Matcher) ExplainItems(a, b *news.Item, docFreq func(string) int) Decision {
	return DecideApart(Prepare(a.Title, m.publishers), Prepare(b.Title, m.publishers),
		WindowWeights{Lang: a.Language, DocFreq: docFreq, common: m.common}, m.params, apartIn(b.Time.Sub(a.Time), m.window))
}

// ExplainStray is Stray for a headline against the headlines of a story, the
// words weighed by the window's document frequencies (docFreq, nil: none).
func (m *Matcher) ExplainStray(title string, story []string, lang string, docFreq func(string) int) (core, other string) {
	hs := make([]*Headline, 0, min(len(story), strayMembers))
	for _, s := range story[:min(len(story), strayMembers)] {
		hs = append(hs, Prepare(s, m.publishers))
	}
	return Stray(Prepare(title, m.publishers), hs, WindowWeights{Lang: lang, DocFreq: docFreq, common: m.common}, m.params)
}

// headline prepares an item's title for a decision.
func (m *Matcher) headline(it *news.Item) *Headline {
	return prepareNormalized(it.Title, m.norm(it), nil, nil, m.publishers)
}

// candidate is headline for a stored item, from the cache when it was
// prepared before.
func (m *Matcher) candidate(it *news.Item) *Headline {
	if it.Key == "" {
		return m.headline(it)
	}
	return m.cache.get(it.Key+"\x00"+it.Title, func() *Headline { return m.headline(it) })
}

func (m *Matcher) norm(it *news.Item) string {
	if it.Norm != "" {
		return it.Norm
	}
	return Normalize(it.Title, m.publishers)
}
