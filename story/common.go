package story

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
)

// commonTermsTSV lists, per language, the words found in headlines of several
// unrelated topics, with how many topics carry them (lang TAB word TAB topics).
// It is made by `go test ./story -run CommonTerms -update` from the labelled
// sets' tuning material only (README, "How duplicates are found").
//
//go:embed common_terms.tsv
var commonTermsTSV string

// commonTopics is the number of topics the table was counted over.
const commonTopics = 73

// commonTerms is a table of words common across topics: the term-frequency
// lookup a cold start weighs words with.
type commonTerms struct {
	topics int                       // topics the table was counted over
	byLang map[string]map[string]int // language → word → topics carrying it
}

// shippedCommon is the shipped table; read-only, parsed when first weighed with.
var shippedCommon = sync.OnceValue(func() *commonTerms {
	return &commonTerms{topics: commonTopics, byLang: parseCommonTerms(commonTermsTSV)}
})

func parseCommonTerms(s string) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, line := range strings.Split(s, "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 || strings.HasPrefix(line, "#") {
			continue
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		if out[f[0]] == nil {
			out[f[0]] = map[string]int{}
		}
		out[f[0]][f[1]] = n
	}
	return out
}

// topicsOf is how many topics of the table carry term (0 for a nil table: the shipped one).
func (c *commonTerms) topicsOf(lang, term string) int {
	if c == nil {
		c = shippedCommon()
	}
	return c.byLang[lang][term]
}

// df turns the topics that share a word into the number of items of a
// reference window that would carry it.
func (c *commonTerms) df(lang, term string) int {
	if c == nil {
		c = shippedCommon()
	}
	return c.byLang[lang][term] * referenceWindow / c.topics
}
