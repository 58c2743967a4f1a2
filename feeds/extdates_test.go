package feeds

import (
	"testing"
	"time"
)

// TestDecodeReadsExtensionDates: dates gofeed leaves in Extensions
// (dcterms:issued/created/modified) used to be ignored, so an item from 2002
// was stamped with first-seen time and topped the ticker.
func TestDecodeReadsExtensionDates(t *testing.T) {
	const ns = `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:atom="http://www.w3.org/2005/Atom"`
	rss := func(x string) string {
		return `<rss version="2.0" ` + ns + `><channel><title>t</title><item><title>a</title><link>https://x.ma/1</link>` + x + `</item></channel></rss>`
	}
	atom := func(x string) string {
		return `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dcterms="http://purl.org/dc/terms/"><title>t</title><id>f</id><entry><id>1</id><title>a</title><link href="https://x.ma/1"/>` + x + `</entry></feed>`
	}
	d := time.Date(2002, 5, 6, 10, 20, 0, 0, time.UTC)
	tests := []struct {
		name               string
		doc                string
		published, updated time.Time
	}{
		{"rss with dcterms:modified only", rss(`<dcterms:modified>2002-05-06T10:20:00Z</dcterms:modified>`), time.Time{}, d},
		{"rss with dcterms:issued only", rss(`<dcterms:issued>2002-05-06T10:20:00Z</dcterms:issued>`), d, time.Time{}},
		{"rss with dcterms:created only, offset", rss(`<dcterms:created>2002-05-06T11:20:00+01:00</dcterms:created>`), d, time.Time{}},
		{"rss with a date-only dcterms:issued", rss(`<dcterms:issued>2002-05-06</dcterms:issued>`), time.Date(2002, 5, 6, 0, 0, 0, 0, time.UTC), time.Time{}},
		{"rss with atom:updated only", rss(`<atom:updated>2002-05-06T10:20:00Z</atom:updated>`), time.Time{}, d},
		{"rss with atom:published only", rss(`<atom:published>2002-05-06T10:20:00Z</atom:published>`), d, time.Time{}},
		{"rss with dc:date only", rss(`<dc:date>2002-05-06T10:20:00Z</dc:date>`), d, d},
		{"pubDate wins over dcterms:issued", rss(`<pubDate>Tue, 14 Apr 2026 15:04:07 +0000</pubDate><dcterms:issued>2002-05-06T10:20:00Z</dcterms:issued>`), time.Date(2026, 4, 14, 15, 4, 7, 0, time.UTC), time.Time{}},
		{"atom with dcterms:created only", atom(`<dcterms:created>2002-05-06T10:20:00Z</dcterms:created>`), d, time.Time{}},
		{"atom with updated and dcterms:issued", atom(`<updated>2002-05-07T00:00:00Z</updated><dcterms:issued>2002-05-06T10:20:00Z</dcterms:issued>`), d, time.Date(2002, 5, 7, 0, 0, 0, 0, time.UTC)},
		{"an unreadable extension date is no date", rss(`<dcterms:modified>soon</dcterms:modified>`), time.Time{}, time.Time{}},
	}
	at := func(p *time.Time) time.Time {
		if p == nil {
			return time.Time{}
		}
		return p.UTC()
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode([]byte(tt.doc), "", "")
			if err != nil {
				t.Fatal(err)
			}
			e := doc.Entries[0]
			if !at(e.PublishedParsed).Equal(tt.published) || !at(e.UpdatedParsed).Equal(tt.updated) {
				t.Errorf("published %v updated %v, want %v and %v", at(e.PublishedParsed), at(e.UpdatedParsed), tt.published, tt.updated)
			}
		})
	}
}
