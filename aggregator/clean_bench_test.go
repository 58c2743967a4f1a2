package aggregator

import (
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/feeds"
)

// BenchmarkCleanSummary cleans one WordPress excerpt of about 1 KB: Arabic
// as it comes (tanwin on an alef, "أولاً", a paragraph break) and without
// harakat, and French. Text CleanText cannot call settled as it is goes
// the full path (NFC over every rune).
func BenchmarkCleanSummary(b *testing.B) {
	ar := strings.Repeat("الحكومة تعلن عن مشروع جديد في الدار البيضاء ", 12)
	fr := strings.Repeat("Le gouvernement annonce un nouveau projet à Casablanca ", 12)
	for _, c := range []struct{ name, html string }{
		{"ar/tanwin", "<p>" + ar + "</p>\n<p>ظهرت المقالة <a href=\"x\">عنوان</a> أولاً على هسبريس.</p>"},
		{"ar/plain", "<p>" + ar + "</p><p>ظهرت المقالة <a href=\"x\">عنوان</a> أولا على هسبريس.</p>"},
		{"fr", "<p>" + fr + "</p>\n<p>L’article <a href=\"x\">titre</a> est apparu en premier sur Le360.</p>"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				CleanSummary(c.html, feeds.TextHTML)
			}
		})
	}
}
