package aggregator

import (
	"strings"
	"unicode/utf8"
)

// maxOutletWords bounds what StripProxySuffix takes for an outlet's name:
// a longer tail after " - " is part of the headline.
const maxOutletWords = 5

// StripProxySuffix removes the " - Outlet" an aggregator proxy (Google
// News) appends to every headline: the outlet is named in the item's source
// and byline, and the suffix kept the copy from matching the outlet's story.
func StripProxySuffix(title string) string {
	for _, dash := range []string{" - ", " – ", " — "} {
		i := strings.LastIndex(title, dash)
		if i <= 0 {
			continue
		}
		head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(dash):])
		if head == "" || tail == "" || len(strings.Fields(tail)) > maxOutletWords || utf8.RuneCountInString(tail) > 40 {
			continue
		}
		return head
	}
	return title
}
