package server

import (
	"bytes"
	"strings"
	"testing"
)

// An item whose link was dropped (javascript:, data:) has none: its
// headline is shown without a link, not as <a href="">, which leads back
// to the page itself (seen from outside).
func TestALineWithoutALinkLinksNowhere(t *testing.T) {
	for _, c := range []struct {
		name string
		ln   line
	}{
		{"no link", line{ID: "a", Title: "عنوان", Outlet: "o"}},
		{"a link", line{ID: "b", Title: "عنوان", Outlet: "o", Link: "https://x.ma/1"}},
	} {
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, "line", c.ln); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.Contains(out, `href=""`) {
			t.Errorf("%s: an empty link: %s", c.name, out)
		}
		if !strings.Contains(out, "عنوان") || (c.ln.Link != "") != strings.Contains(out, `href="`+c.ln.Link+`"`) {
			t.Errorf("%s: %s", c.name, out)
		}
	}
}
