package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"
)

// The generated feeds: WordPress-shaped RSS 2.0, Arabic and French
// alternately, with headlines and summaries drawn from the words Moroccan
// news uses plus 5,000 rarer generated ones, so that they follow Zipf's law
// as real ones do. Copied from cmd/nashra/benchfeeds_test.go (a _test file)
// with varied ~300-character summaries and categories added.
var (
	commonAR = strings.Fields(`الحكومة البرلمان المغرب الرباط الدار البيضاء مراكش طنجة فاس أكادير وجدة مكناس وزارة الصحة التعليم
الفلاحة المالية الداخلية العدل الأمن المديرية المكتب الجماعة الجهة الإقليم المجلس اللجنة المنتخب الرجاء الوداد
البطولة المباراة المدرب الملعب النادي الكأس الدوري الأسعار التضخم البطالة النمو الاستثمار الصادرات الميناء المطار
القطار الطريق الأمطار الثلوج الحرارة الرياح السدود الماء الكهرباء الطاقة المحروقات يعلن يطلق يفتتح يستقبل يصادق
يرفض يطالب يحذر يكشف يوقع يدشن يترأس يناقش يقرر مشروع قانون مرسوم اتفاقية برنامج مخطط استراتيجية حملة مبادرة شراكة
تعاون دعم إصلاح تقرير دراسة المواطنين الشباب النساء الأطفال الطلبة الأساتذة الأطباء الفلاحين العمال التجار السياح`)
	commonFR = strings.Fields(`gouvernement parlement Maroc Rabat Casablanca Marrakech Tanger Fès Agadir Oujda ministère santé éducation
agriculture finances intérieur justice sécurité direction office commune région province conseil commission
sélection Raja Wydad championnat match entraîneur stade club coupe prix inflation chômage croissance investissement
exportations port aéroport train autoroute pluies neige chaleur vents barrages eau électricité énergie carburants
annonce lance inaugure reçoit adopte rejette réclame alerte dévoile signe préside examine décide projet loi décret
convention programme plan stratégie campagne initiative partenariat coopération soutien réforme rapport étude citoyens
jeunes femmes enfants étudiants enseignants médecins agriculteurs ouvriers commerçants touristes`)
	categoriesAR = strings.Fields("سياسة اقتصاد مجتمع رياضة جهات ثقافة دولي صحة تعليم فن")
	categoriesFR = strings.Fields("Politique Économie Société Sport Régions Culture Monde Santé Éducation Médias")
)

// vocabulary extends a language's common words with 5,000 rarer generated ones.
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

// corpus is the generator's fixed vocabulary.
type corpus struct {
	vocab      [2][]string // ar, fr
	categories [2][]string
}

func newCorpus() *corpus {
	return &corpus{
		vocab:      [2][]string{vocabulary(commonAR, true), vocabulary(commonFR, false)},
		categories: [2][]string{categoriesAR, categoriesFR},
	}
}

// feedSpec says which feed to write and how its items are dated.
type feedSpec struct {
	index, items int
	// newest is the first item's date; the others are spaced by step,
	// shifted by offset so that feeds interleave.
	newest       time.Time
	step, offset time.Duration
}

// summaryChars is the length a summary reaches before it ends its sentence.
const summaryChars = 300

// feed is one generated document, split around its channel date so that a
// poll can be served a new date (a new whole-body hash) cheaply.
type feed struct {
	head, tail []byte
}

// channelDate is the feed's channel-level <pubDate>/<lastBuildDate> as
// served for version v: a different date for every version.
func channelDate(base time.Time, v int) string {
	return base.Add(time.Duration(v) * time.Minute).Format(time.RFC1123Z)
}

// body is the document with the channel date of version v.
func (f feed) body(base time.Time, v int) []byte {
	d := channelDate(base, v)
	var b bytes.Buffer
	b.Grow(len(f.head) + len(f.tail) + 2*len(d) + 64)
	b.Write(f.head)
	fmt.Fprintf(&b, "<pubDate>%s</pubDate><lastBuildDate>%s</lastBuildDate>\n", d, d)
	b.Write(f.tail)
	return b.Bytes()
}

// generate writes feed spec.index: same words for the same index whatever
// the dates (fixed seeds).
func (c *corpus) generate(spec feedSpec) feed {
	i := spec.index
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	l, lang := i%2, "ar"
	if l == 1 {
		lang = "fr"
	}
	words, cats := c.vocab[l], c.categories[l]
	// Headlines as cmd/nashra's benchmark draws them; summaries with a
	// flatter head (v=10), so that five "parlement" do not fill one summary.
	headline, prose := rand.NewZipf(rng, 1.1, 2, uint64(len(words)-1)), rand.NewZipf(rng, 1.1, 10, uint64(len(words)-1))
	drawer := func(z *rand.Zipf) func(int) string {
		return func(n int) string {
			w := make([]string, n)
			for j := range w {
				w[j] = words[z.Uint64()]
			}
			return strings.Join(w, " ")
		}
	}
	draw, drawProse := drawer(headline), drawer(prose)
	var head bytes.Buffer
	fmt.Fprintf(&head, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel><title>source %d</title><atom:link href="https://source%d.example/feed/" rel="self" type="application/rss+xml"/>
<link>https://source%d.example</link><description>أخبار المغرب / actualité du Maroc</description><language>%s</language>
<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1</sy:updateFrequency><generator>https://wordpress.org/?v=6.5.2</generator>
`, i, i, i, lang)
	var tail bytes.Buffer
	for k := range spec.items {
		id := spec.items - k // newest first, highest id
		date := spec.newest.Add(-time.Duration(k)*spec.step - spec.offset)
		title := draw(8 + rng.IntN(5))
		fmt.Fprintf(&tail, `<item><title>%s</title><link>https://source%d.example/%s/%d.html?utm_source=rss&amp;utm_medium=rss</link>
<dc:creator><![CDATA[Rédaction %d]]></dc:creator><pubDate>%s</pubDate>
`, title, i, lang, id, rng.IntN(20), date.Format(time.RFC1123Z))
		for _, j := range rng.Perm(len(cats))[:1+rng.IntN(3)] {
			fmt.Fprintf(&tail, "<category><![CDATA[%s]]></category>", cats[j])
		}
		fmt.Fprintf(&tail, `
<guid isPermaLink="false">https://source%d.example/?p=%d</guid>
<description><![CDATA[<p>%s</p><p>The post <a href="https://source%d.example/%s/%d.html">%s</a> appeared first on source %d.</p>]]></description></item>
`, i, 100000+id*7, summary(drawProse), i, lang, id, title, i)
	}
	tail.WriteString("</channel></rss>\n")
	return feed{head: head.Bytes(), tail: tail.Bytes()}
}

// summary composes sentences of 5–12 drawn words until it reaches
// summaryChars characters: varied text, not a repeated paragraph that any
// compressor shrinks.
func summary(draw func(int) string) string {
	var b strings.Builder
	for utf8.RuneCountInString(b.String()) < summaryChars {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(draw(5 + len(b.String())%8))
		b.WriteByte('.')
	}
	return b.String()
}
