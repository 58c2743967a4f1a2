package aggregator

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/news"
)

// summaryRunes caps the plain-text excerpt kept for each item.
const summaryRunes = 400

// CleanText turns a feed title (or author, category) into one line of plain
// text, reading s as typ says: HTML has its tags stripped and its entities
// decoded once; plain text is taken as it is. Never more decoding than that:
// "History of the &lt;blink&gt; tag" in HTML is the text "History of the
// <blink> tag", not markup to strip. Then Unicode NFC, bidi controls
// balanced, runs of white space folded to one space.
func CleanText(s string, typ feeds.TextType) string { return cleanTextUpTo(s, typ, 0) }

// cleanTextUpTo is CleanText keeping at most limit bytes of the text (0: all
// of it), its white space folded first: the bound is on the text, not on the
// markup around it, so that a long attribute or an inline image before a
// headline does not cut the headline off (seen from outside: a title behind
// a 2,100-byte link went untitled, a summary after a 40 KB image was lost).
// The cut comes before bidi controls are balanced, so none is left open.
func cleanTextUpTo(s string, typ feeds.TextType, limit int) string {
	if s == "" {
		return ""
	}
	if typ == feeds.TextHTML || (typ == feeds.TextGuess && looksLikeHTML(s)) {
		s = htmlToText(s)
	}
	if limit > 0 && len(s) > limit {
		s = truncateBytes(collapseSpace(s), limit)
	}
	if settled(s) {
		return s
	}
	// Most text that is not settled only has white space to fold (a line
	// break, two spaces around a stripped tag): folded first, it is, and
	// NFC would leave it as it is — folding removes no rune that NFC would
	// compose with another or turn into one that stays (FuzzCleanText holds
	// the shortcut to the full path). Arabic costs NFC's table look-ups on
	// every rune: ten times what folding does.
	if folded := collapseSpace(s); settled(folded) {
		return folded
	}
	return news.BalanceBidi(collapseSpace(norm.NFC.String(s)))
}

// htmlToText strips every tag (and the content of script, style and the
// like) and decodes entities once, as bluemonday's strict policy followed
// by one unescape does (stripTags): what a source sends never reaches a
// reader's browser as markup.
func htmlToText(s string) string {
	if !strings.ContainsAny(s, "<>&") { // most text carries no markup: skip the tokenizer
		return s
	}
	return stripTags(s)
}

// htmlLike finds what only HTML has: a character reference, an end tag, or
// the start tag of a common element. An RSS title says nothing of its type;
// one with none of these is plain text ("Inflation < 2% while growth > 3%",
// "History of the <blink> tag").
var htmlLike = regexp.MustCompile(`(?i)&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);|</[a-z][a-z0-9]*\s*>|` +
	`<(a|abbr|b|big|br|cite|code|del|div|em|embed|font|form|h[1-6]|hr|i|iframe|img|input|ins|link|mark|meta|object|p|q|s|script|small|span|strike|strong|style|sub|sup|svg|time|u)[\s/>]`)

func looksLikeHTML(s string) bool { return strings.ContainsAny(s, "<&") && htmlLike.MatchString(s) }

// collapseSpace folds runs of white space to one space; a lone no-break space
// (French typography: « mot ») is kept as it is. Controls, zero-width
// spaces, byte order marks and what XML cannot carry count as white space.
// ASCII goes byte by byte and other runes are copied as they are written
// (FuzzCollapseSpace holds it to the rune-by-rune version).
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if c <= ' ' || c == 0x7f { // ASCII white space and controls
				space = true
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteByte(c)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		raw := s[i : i+n]
		i += n
		// From U+0100 to U+167F (Latin Extended, Greek, Cyrillic, Hebrew,
		// Arabic…) no rune is white space, a control or barred from XML.
		if r < 0x100 || r >= 0x1680 {
			if r == '\u00a0' || r == '\u202f' {
				if !space {
					b.WriteString(raw)
				}
				continue
			}
			if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' || !xmlChar(r) {
				space = true
				continue
			}
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(r) // an invalid byte is written as U+FFFD
			continue
		}
		b.WriteString(raw)
	}
	return b.String()
}

// xmlChar reports whether XML 1.0 allows r: text nashra stores must be text
// every output can carry unchanged.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// Excerpt returns at most n runes of s, cut at a word boundary with an ellipsis.
func Excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)[:n]
	cut := len(runes)
	for i := len(runes) - 1; i > n*3/4; i-- {
		if runes[i] == ' ' {
			cut = i
			break
		}
	}
	// The cut may fall inside an embedding: close it again.
	return news.BalanceBidi(strings.TrimRight(string(runes[:cut]), " ,;:.-") + "…")
}

// wordpressFooters are the "appeared first on" lines WordPress appends to
// every excerpt, in the three languages of Moroccan outlets: the footer runs
// from the opening words to the end when the closing words follow them.
// probe is a part of the opening words that begins with a byte rare in
// running text, so that the search for it, which every summary pays, skips
// ahead a byte scan at a time: a search for words that begin with a space,
// or with the lead byte (0xD8) most Arabic letters share, stops at every
// word (about 40 times slower on a 1 KB excerpt). The bytes of ظهرت after
// its first begin with 0xB8, which only ظ and rare characters carry.
var wordpressFooters = []struct{ open, close, probe string }{
	{"The post ", " appeared first on ", "The post "},
	{"ظهرت المقالة ", " أولاً على ", "ظهرت"[1:]},
	{"ظهرت المقالة ", " أولا على ", "ظهرت"[1:]},
	{"L’article ", " est apparu en premier sur ", "L’article "},
	{"L'article ", " est apparu en premier sur ", "L'article "},
}

// Caps. The text kept of a title, a summary and an author; and the input
// read of a title or summary, markup included: longer is not one, and
// cutting there bounds the sanitiser's work whatever a source sends, with
// room for markup before the text (an inline image, a long link).
const (
	maxTitleBytes    = 2 << 10
	maxSummaryBytes  = 32 << 10
	maxAuthorBytes   = 512
	maxTitleMarkup   = 64 << 10
	maxSummaryMarkup = 1 << 20
)

// CleanSummary is CleanText for descriptions, without WordPress's footer and
// its "[…]" read-more marker.
func CleanSummary(s string, typ feeds.TextType) string {
	s = cleanTextUpTo(truncateBytes(s, maxSummaryMarkup), typ, maxSummaryBytes)
	return cutReadMore(cutFooters(s))
}

// cutFooters cuts WordPress's footer off a cleaned excerpt.
func cutFooters(s string) string {
	for _, f := range wordpressFooters {
		if !strings.Contains(s, f.probe) {
			continue // no opening words
		}
		i := strings.LastIndex(s, f.open)
		if i >= 0 && strings.Contains(s[i:], f.close) && utf8.RuneCountInString(s[i:]) < 600 {
			s = s[:i]
		}
	}
	return s
}

// cutReadMore turns the "[…]" read-more marker into an ellipsis and trims.
func cutReadMore(s string) string {
	if strings.IndexByte(s, '[') >= 0 {
		s = strings.ReplaceAll(s, "[…]", "…")
		s = strings.ReplaceAll(s, "[...]", "…")
	}
	return strings.TrimSpace(s)
}

// truncateBytes cuts s to at most n bytes at a rune boundary.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
