package story

import (
	_ "embed"
	"strconv"
	"strings"
)

// commonTerms lists, per language, the words found in headlines of several
// unrelated topics, with how many topics carry them (lang TAB word TAB topics).
// It is made by `go test ./story -run CommonTerms -update` from the labelled
// sets' tuning material only (README, "How duplicates are found").
//
//go:embed common_terms.tsv
var commonTermsTSV string

// commonTopics is the number of topics the table was counted over.
const commonTopics = 73

// commonTable is the parsed table (language → word → topics); it is
// read-only after init.
var commonTable = parseCommonTerms(commonTermsTSV)

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

// commonTermDF turns the topics that share a word into the number of items of
// a reference window that would carry it.
func commonTermDF(lang, term string) int {
	return commonTable[lang][term] * referenceWindow / commonTopics
}
