package feeds

import (
	"bytes"
	"testing"

	"github.com/mmcdole/gofeed"
)

// imageCases are RSS documents whose lead images gofeed finds in different
// places: every other source of an image, and HTML that holds one, holds
// none, or only looks as if it might.
var imageCases = map[string]string{
	"plain WordPress excerpt": `<rss><channel><title>t</title><item><title>a</title>
<description><![CDATA[<p>texte</p><p>The post <a href="https://x.ma/1">a</a> appeared first on X.</p>]]></description></item></channel></rss>`,
	"image in content before description": `<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><title>a</title>
<description><![CDATA[<img src="https://x.ma/d.jpg">]]></description>
<content:encoded><![CDATA[<p><IMG SRC="https://x.ma/c.jpg" alt=""></p>]]></content:encoded></item></channel></rss>`,
	"image in description only": `<rss><channel><item><title>a</title>
<description>&lt;img src="https://x.ma/d.jpg"&gt; texte</description></item></channel></rss>`,
	"image tag renamed img": `<rss><channel><item><title>a</title>
<description><![CDATA[<p>x</p><image src="https://x.ma/i.png">]]></description></item></channel></rss>`,
	"svg image stays image": `<rss><channel><item><title>a</title>
<description><![CDATA[<svg><image src="https://x.ma/s.png"/></svg>]]></description></item></channel></rss>`,
	"img without src then with": `<rss><channel><item><title>a</title>
<description><![CDATA[<img alt="x"><img data-src="y"><img src="https://x.ma/2.jpg">]]></description></item></channel></rss>`,
	"foster-parented img comes first": `<rss><channel><item><title>a</title>
<description><![CDATA[<table><tr><td><img src="https://x.ma/a.jpg"></td></tr><img src="https://x.ma/b.jpg"></table>]]></description></item></channel></rss>`,
	"escaped markup is text": `<rss><channel><item><title>a</title>
<description><![CDATA[&lt;img src="https://x.ma/no.jpg"&gt; <immeuble>]]></description></item></channel></rss>`,
	"enclosure wins": `<rss><channel><item><title>a</title><enclosure url="https://x.ma/e.jpg" type="image/jpeg" length="1"/>
<description><![CDATA[<img src="https://x.ma/d.jpg">]]></description></item></channel></rss>`,
	"media content wins": `<rss xmlns:media="http://search.yahoo.com/mrss/"><channel><item><title>a</title>
<media:content url="https://x.ma/m.jpg" medium="image"/><description><![CDATA[<img src="https://x.ma/d.jpg">]]></description></item></channel></rss>`,
	"channel description image": `<rss><channel><title>t</title><description><![CDATA[<img src="https://x.ma/logo.png">]]></description>
<item><title>a</title><description>b</description></item></channel></rss>`,
	"channel image element": `<rss><channel><title>t</title><image><url>https://x.ma/i.png</url><title>t</title><link>https://x.ma</link></image>
<description><![CDATA[<img src="https://x.ma/logo.png">]]></description><item><title>a</title></item></channel></rss>`,
}

// TestRSSImagesAsGofeedFindsThem: the translator finds every image gofeed's
// own finds, feed and items, in the same place.
func TestRSSImagesAsGofeedFindsThem(t *testing.T) {
	found := 0
	for name, doc := range imageCases {
		t.Run(name, func(t *testing.T) { found += sameImages(t, []byte(doc)) })
	}
	if found < 8 { // the cases must hold images for the comparison to mean anything
		t.Errorf("gofeed found %d images in the cases, want at least 8", found)
	}
}

// FuzzRSSImages checks the translator against gofeed's own on any document.
func FuzzRSSImages(f *testing.F) {
	for _, doc := range imageCases {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if CheckDepth(doc, MaxDepth) != nil {
			return // Decode never hands gofeed such a document
		}
		sameImages(t, doc)
	})
}

// sameImages fails when gofeed's translator and ours disagree on doc's
// images, and returns how many images gofeed found.
func sameImages(t *testing.T, doc []byte) int {
	t.Helper()
	theirs, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
	if err != nil || theirs.FeedType != "rss" {
		return 0
	}
	p := gofeed.NewParser()
	p.RSSTranslator = newRSSTranslator()
	ours, err := p.Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("gofeed parsed %q, the translator failed: %v", doc, err)
	}
	found := 0
	if theirs.Image != nil {
		found++
	}
	if a, b := imageURL(theirs.Image), imageURL(ours.Image); a != b {
		t.Errorf("feed image %q, gofeed's %q, in %q", b, a, doc)
	}
	if len(ours.Items) != len(theirs.Items) {
		t.Fatalf("%d items, gofeed %d, in %q", len(ours.Items), len(theirs.Items), doc)
	}
	for i := range ours.Items {
		if a, b := imageURL(theirs.Items[i].Image), imageURL(ours.Items[i].Image); a != b {
			t.Errorf("item %d image %q, gofeed's %q, in %q", i, b, a, doc)
		}
		if theirs.Items[i].Image != nil {
			found++
		}
	}
	return found
}

// imageURL is an image's URL, "<none>" for no image (an image may have "").
func imageURL(img *gofeed.Image) string {
	if img == nil {
		return "<none>"
	}
	return img.URL
}

func TestMayHoldImage(t *testing.T) {
	for s, want := range map[string]bool{
		"":                   false,
		"<":                  false,
		"<i":                 false,
		"<im":                true,
		"a <p>b</p> <IMG":    true,
		"<iMage src=x>":      true,
		"&lt;img src=x&gt;":  false,
		"< img":              false,
		"<i><mg":             false,
		"texte <i>img</i> <": false,
	} {
		if got := mayHoldImage(s); got != want {
			t.Errorf("mayHoldImage(%q) = %v, want %v", s, got, want)
		}
	}
}
