package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nashra-ma/nashra/server"
)

// newBrowser starts headless Chromium (Debian's chromium; .ci/run installs
// it) with a fresh profile and nothing reaching out to the network, and
// returns a tab's context. The test skips where no chromium is installed.
func newBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	var bin string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("chromium not installed (.ci/run installs it)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // root, as on CI
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start %s: %v", bin, err)
	}
	return ctx
}

// TestBrowserLiveLine: a reader has the ticker open; an outlet publishes;
// the next poll stores the item and the line appears in the open page
// without a reload, through the page's EventSource.
func TestBrowserLiveLine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	fs, feedSrv := newFeedServer(t, "hespress-ar.xml", "le360-fr.xml")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	dir := t.TempDir()
	p, cfg := testPipeline(t, dir, fmt.Sprintf(`database: %s
base_url: %s
sources:
  - {name: hespress-ar, title: هسبريس, url: %[3]s/hespress-ar.xml, language: ar}
  - {name: le360-fr, title: Le360, url: %[3]s/le360-fr.xml, language: fr}
outputs:
  - {name: all, title: نشرة}
  - {name: fr, title: Nashra FR, languages: [fr]}
`, filepath.Join(dir, "db"), base, feedSrv.URL))
	web := server.New(cfg, p.store, nil, nil).HTTPServer() // the service's server, its timeouts included
	go web.Serve(ln)
	t.Cleanup(func() { web.Close() })
	p.scheduler.RunOnce(t.Context())

	const fresh = "Dernière minute: le Parlement adopte la loi de finances rectificative"
	cases := []struct{ name, page string }{
		{"default output at /", "/"},
		{"named output at /feeds/fr", "/feeds/fr"},
		{"embeddable ticker under its CSP", "/feeds/fr/embed"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := newBrowser(t, 1280, 900)
			if err := chromedp.Do(ctx, chromedp.Navigate(base+tc.page)); err != nil {
				t.Fatal(err)
			}
			before, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.notReloaded = true; document.querySelectorAll("main li").length`))
			if err != nil || before == 0 {
				t.Fatalf("page has %d lines: %v", before, err)
			}
			title := fmt.Sprintf("%s (%d)", fresh, i)
			if strings.Contains(pageText(t, ctx), title) {
				t.Fatal("the new line is there before it was published")
			}
			body := readFixture(t, "le360-fr.xml")
			item := fmt.Sprintf(`<item><title><![CDATA[%s]]></title><link>https://fr.le360.ma/politique/lfr-%d/</link><guid isPermaLink="false">LFR%d</guid><pubDate>Tue, 14 Apr 2026 15:2%d:00 +0000</pubDate><description>Le texte passe en seconde lecture.</description></item>`, title, i, i, i)
			fs.set("/le360-fr.xml", []byte(strings.Replace(string(body), "<item>", item+"<item>", 1)))
			p.poller.Now = func() time.Time { return fetchTime.Add(time.Duration(i+1) * time.Minute) }
			p.scheduler.RunOnce(t.Context())

			got, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector("main").innerText.includes(%q)`, title),
				chromedp.WithPollingTimeout(10*time.Second)))
			if err != nil || !got {
				t.Fatalf("the new line did not appear in the open page within 10s: %v\n%s", err, pageText(t, ctx))
			}
			notReloaded, err1 := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded === true`))
			after, err2 := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main li").length`))
			firstLine, err3 := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main li a").textContent`))
			if err := errors.Join(err1, err2, err3); err != nil {
				t.Fatal(err)
			}
			if !notReloaded {
				t.Error("the page reloaded instead of inserting the line")
			}
			if after != before+1 {
				t.Errorf("%d lines before, %d after: want exactly one more", before, after)
			}
			if firstLine != title {
				t.Errorf("newest line at the top is %q, want the new one", firstLine)
			}
		})
	}
}

func pageText(t *testing.T, ctx context.Context) string {
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBrowserLayout looks at the pages as a phone and a desktop show them:
// on the mixed page every time sits in one column whatever the headline's
// direction, and no link to another output breaks inside its title.
// Screenshots go to $NASHRA_SCREENSHOTS when set, for a person to look at.
func TestBrowserLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	svc := startInterop(t)
	web := svc.base
	cases := []struct {
		name          string
		width, height int
		page          string
		mixed         bool // Arabic and French lines on one page
	}{
		{"mixed page on a 390px phone", 390, 844, "/", true},
		{"mixed page on a 1280px desktop", 1280, 900, "/", true},
		{"French page on a 390px phone", 390, 844, "/feeds/fr", false},
		{"Arabic page on a 390px phone", 390, 844, "/feeds/ar", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := newBrowser(t, tc.width, tc.height)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(tc.width), int64(tc.height)), chromedp.Navigate(web+tc.page)); err != nil {
				t.Fatal(err)
			}
			if dir := os.Getenv("NASHRA_SCREENSHOTS"); dir != "" {
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				name := strings.NewReplacer(" ", "-", "/", "").Replace(tc.name) + ".png"
				if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// Each time's left and right edges, and which scripts the lines are in.
			times, err := chromedp.Run(ctx, chromedp.Evaluate[[][2]float64](`[...document.querySelectorAll("main li time")].map(e => {const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.right)]})`))
			if err != nil {
				t.Fatal(err)
			}
			langs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll("main li")].map(e => e.lang))]`))
			if err != nil {
				t.Fatal(err)
			}
			if len(times) < 2 {
				t.Fatalf("%d lines", len(times))
			}
			if tc.mixed && len(langs) < 2 {
				t.Fatalf("the mixed page shows only %v lines", langs)
			}
			for i, x := range times {
				if x != times[0] {
					t.Errorf("line %d's time spans x %v, line 0's %v: times zig-zag (languages %v)", i, x, times[0], langs)
					break
				}
			}
			wrapped, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("nav a")].filter(a => a.getClientRects().length > 1).map(a => a.textContent)`))
			if err != nil {
				t.Fatal(err)
			}
			if len(wrapped) > 0 {
				t.Errorf("links broken inside their title at %dpx: %q", tc.width, wrapped)
			}
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if overflow {
				t.Errorf("the page scrolls sideways at %dpx", tc.width)
			}
		})
	}
}
