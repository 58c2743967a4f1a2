package story

import (
	_ "embed"
	"strings"
	"sync"
)

// synonymsTSV folds words outlets use interchangeably in one story (يتغلب,
// يهزم, يفوز) and numbers written in words (خمس, cinq) to one form, so that
// two reports of one story share them (lang TAB canonical TAB form | form …).
//
//go:embed synonyms.tsv
var synonymsTSV string

// synonymOf maps a stemmed word to its canonical form; read-only, parsed
// the first time a headline is split.
var synonymOf = sync.OnceValue(func() map[string]string { return parseSynonyms(synonymsTSV) })

func parseSynonyms(tsv string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(tsv, "\n") {
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(f) != 3 {
			continue
		}
		canonical := strings.TrimSpace(f[1])
		for _, form := range strings.Split(f[2], "|") {
			for _, w := range strings.Fields(Normalize(form, nil)) {
				if w = stem(w); w != "" && w != canonical {
					out[w] = canonical
				}
			}
		}
	}
	return out
}

// canonical is w's synonym class, trying it without a one-letter proclitic too.
func canonical(w string) string {
	syn := synonymOf()
	if c, ok := syn[w]; ok {
		return c
	}
	if bare := dropProclitic(w); bare != w {
		if c, ok := syn[stem(bare)]; ok {
			return c
		}
	}
	return w
}
