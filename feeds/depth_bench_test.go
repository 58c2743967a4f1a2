package feeds

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// benchFeed is a normal outlet's RSS: 50 items with HTML descriptions in
// CDATA, categories and dc:creator, about 60 KB.
func benchFeed() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>هسبريس</title><link>https://www.hespress.com/</link>`)
	for i := range 50 {
		fmt.Fprintf(&b, `<item><title>برّادة يراجع معايير اختيار مؤسسات الريادة %d</title><link>https://www.hespress.com/a-%d.html</link><guid isPermaLink="false">https://www.hespress.com/?p=%d</guid><pubDate>Tue, 14 Apr 2026 15:04:07 +0000</pubDate><dc:creator>هسبريس من الرباط</dc:creator><category>سياسة</category><category>مجتمع</category><media:content url="https://www.hespress.com/i%d.jpg" medium="image"/><description><![CDATA[<p>يراجع الوزير معايير اختيار المؤسسات، <a href="https://www.hespress.com/">هسبريس</a> <b>الرباط</b>.</p><p>%s</p>]]></description></item>`,
			i, i, i, i, strings.Repeat("نص الخبر وتفاصيله الكاملة. ", 30))
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// BenchmarkDepthScan and BenchmarkGofeedParse compare the guard with the
// parse it guards (BENCHMARKS.md).
func BenchmarkDepthScan(b *testing.B) {
	body := benchFeed()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := CheckDepth(body, MaxDepth); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGofeedParse(b *testing.B) {
	body := benchFeed()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}
