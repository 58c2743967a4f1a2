package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Generated feeds for the benchmarks: WordPress-shaped RSS, Arabic and
// French alternately, with headlines drawn from the words Moroccan news uses.
var (
	benchAR = strings.Fields(`الحكومة البرلمان المغرب الرباط الدار البيضاء مراكش طنجة فاس أكادير وجدة مكناس وزارة الصحة التعليم
الفلاحة المالية الداخلية العدل الأمن المديرية المكتب الجماعة الجهة الإقليم المجلس اللجنة المنتخب الرجاء الوداد
البطولة المباراة المدرب الملعب النادي الكأس الدوري الأسعار التضخم البطالة النمو الاستثمار الصادرات الميناء المطار
القطار الطريق الأمطار الثلوج الحرارة الرياح السدود الماء الكهرباء الطاقة المحروقات يعلن يطلق يفتتح يستقبل يصادق
يرفض يطالب يحذر يكشف يوقع يدشن يترأس يناقش يقرر مشروع قانون مرسوم اتفاقية برنامج مخطط استراتيجية حملة مبادرة شراكة
تعاون دعم إصلاح تقرير دراسة المواطنين الشباب النساء الأطفال الطلبة الأساتذة الأطباء الفلاحين العمال التجار السياح`)
	benchFR = strings.Fields(`gouvernement parlement Maroc Rabat Casablanca Marrakech Tanger Fès Agadir Oujda ministère santé éducation
agriculture finances intérieur justice sécurité direction office commune région province conseil commission
sélection Raja Wydad championnat match entraîneur stade club coupe prix inflation chômage croissance investissement
exportations port aéroport train autoroute pluies neige chaleur vents barrages eau électricité énergie carburants
annonce lance inaugure reçoit adopte rejette réclame alerte dévoile signe préside examine décide projet loi décret
convention programme plan stratégie campagne initiative partenariat coopération soutien réforme rapport étude citoyens
jeunes femmes enfants étudiants enseignants médecins agriculteurs ouvriers commerçants touristes`)
)

// vocabulary extends a language's common words with 5,000 rarer generated
// ones: headlines then follow Zipf's law, as real ones do (a few words in
// every other headline, most words in few).
func vocabulary(common []string, arabic bool) []string {
	syl := strings.Fields("ma ra ka ta sa mo na di li ha qo fa jo zi cha ou bo ta yo kho")
	if arabic {
		syl = strings.Fields("ما ر كا تب سل مو نا دي لي حا قو فر جو زي شا عي بو طا يو خو")
	}
	rng := rand.New(rand.NewPCG(11, 13))
	out := append([]string(nil), common...)
	for range 5000 {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		out = append(out, b.String())
	}
	return out
}

var (
	vocabAR = vocabulary(benchAR, true)
	vocabFR = vocabulary(benchFR, false)
)

// benchFeed returns source i's feed: n items, the newest at top, ids from first.
func benchFeed(i, n, first int, at time.Time) []byte {
	rng := rand.New(rand.NewPCG(uint64(i), uint64(first)))
	words, lang := vocabAR, "ar"
	if i%2 == 1 {
		words, lang = vocabFR, "fr"
	}
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(words)-1))
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>source %d</title><link>https://source%d.example</link><description>bench</description><language>%s</language>
`, i, i, lang)
	for k := first + n - 1; k >= first; k-- {
		title := make([]string, 8+rng.IntN(5))
		for j := range title {
			title[j] = words[zipf.Uint64()]
		}
		summary := make([]string, 40)
		for j := range summary {
			summary[j] = words[zipf.Uint64()]
		}
		fmt.Fprintf(&b, `<item><title>%s %d</title><link>https://source%d.example/%s/%d.html?utm_source=rss</link>
<dc:creator><![CDATA[Rédaction]]></dc:creator><pubDate>%s</pubDate><category><![CDATA[actualité]]></category>
<guid isPermaLink="false">https://source%d.example/?p=%d</guid>
<description><![CDATA[<p>%s</p><p>The post appeared first on source %d.</p>]]></description></item>
`, strings.Join(title, " "), k, i, lang, k, at.Add(-time.Duration(first+n-k)*7*time.Minute).Format(time.RFC1123Z), i, k, strings.Join(summary, " "), i)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// benchFeeds serves n generated sources from memory.
type benchFeeds struct {
	mu    sync.RWMutex
	feeds map[string][]byte
}

func newBenchFeeds(tb testing.TB, sources, items int, at time.Time) (*benchFeeds, *httptest.Server) {
	bf := &benchFeeds{feeds: map[string][]byte{}}
	for i := range sources {
		bf.feeds[fmt.Sprintf("/s%d.xml", i)] = benchFeed(i, items, 1, at)
	}
	srv := httptest.NewServer(bf)
	tb.Cleanup(srv.Close)
	return bf, srv
}

func (bf *benchFeeds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	bf.mu.RLock()
	body, ok := bf.feeds[r.URL.Path]
	bf.mu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write(body)
}

func (bf *benchFeeds) all() [][]byte {
	bf.mu.RLock()
	defer bf.mu.RUnlock()
	out := make([][]byte, 0, len(bf.feeds))
	for _, b := range bf.feeds {
		out = append(out, b)
	}
	return out
}
