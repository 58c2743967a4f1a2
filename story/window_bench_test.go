package story

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

// benchVocabulary are the words generated headlines are drawn from, as
// storage's BenchmarkStoreNewItem draws them: few enough that every word has
// a long posting list, as in a real news stream.
var benchVocabulary = map[string][]string{
	"ar": strings.Fields(`الحكومة البرلمان المغرب الرباط الدار البيضاء مراكش طنجة فاس أكادير وزارة الصحة التعليم
الفلاحة المالية الداخلية العدل الأمن الوطني المديرية العامة المكتب الوطني الجماعة الجهة الإقليم المجلس اللجنة الملك
المنتخب الرجاء الوداد البطولة المباراة الهدف المدرب اللاعب الملعب الجمهور النادي الكأس الدوري الموسم
الأسعار التضخم البطالة النمو الاستثمار الصادرات الواردات الميناء المطار القطار الطريق السيارة الحافلة الشاحنة
الأمطار الثلوج الحرارة الرياح العاصفة الفيضانات الجفاف السدود الماء الكهرباء الطاقة الغاز البنزين المحروقات
يعلن يطلق يفتتح يستقبل يصادق يرفض يطالب يحذر يكشف يوقع يدشن يترأس يناقش يقرر يرفع يخفض يتراجع يرتفع
جديد جديدة كبير قوية مرتقبة عاجل رسمي وطني دولي إفريقي عربي أوروبي سنوي شهري يومي الأول الثاني الثالث
مشروع قانون مرسوم اتفاقية برنامج مخطط استراتيجية حملة مبادرة شراكة تعاون دعم إصلاح تقرير دراسة بحث
المواطنين الشباب النساء الأطفال الطلبة الأساتذة الأطباء الفلاحين العمال التجار المستثمرين السياح`),
	"fr": strings.Fields(`gouvernement parlement Maroc Rabat Casablanca Marrakech Tanger Fès Agadir ministère santé
éducation agriculture finances intérieur justice sûreté nationale direction générale office commune région province
conseil commission roi sélection Raja Wydad championnat match but entraîneur joueur stade public club coupe ligue
saison prix inflation chômage croissance investissement exportations importations port aéroport train route autoroute
bus camion pluies neige chaleur vents tempête inondations sécheresse barrages eau électricité énergie gaz essence
carburants annonce lance inaugure reçoit adopte rejette réclame alerte révèle signe préside examine décide relève
baisse recule hausse nouveau nouvelle grand forte attendue urgent officiel national international africain arabe
européen annuel mensuel premier deuxième troisième projet loi décret convention programme plan stratégie campagne
initiative partenariat coopération soutien réforme rapport étude citoyens jeunes femmes enfants étudiants
enseignants médecins agriculteurs ouvriers commerçants investisseurs touristes`),
}

// benchTitle is a generated headline of nine words drawn at random.
func benchTitle(rng *rand.Rand, lang string) string {
	vocab := benchVocabulary[lang]
	words := make([]string, 9)
	for j := range words {
		words[j] = vocab[rng.IntN(len(vocab))]
	}
	return strings.Join(words, " ")
}

// fillWindow adds n generated reports of one language, spread evenly over
// the window ending at end, from 20 outlets, and returns the bytes of heap
// the window holds per report.
func fillWindow(b *testing.B, w *Window, lang string, n int, end time.Time) float64 {
	b.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	step := DefaultWindow / time.Duration(n)
	start := end.Add(-DefaultWindow)
	reports := make([]Report, n)
	for i := range reports {
		reports[i] = Report{Key: fmt.Sprintf("%024x", i), Source: fmt.Sprintf("outlet-%d", i%20), Language: lang,
			Title: benchTitle(rng, lang) + fmt.Sprintf(" %d", i), Time: start.Add(time.Duration(i) * step)}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, r := range reports {
		w.Add(r)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(reports) // the reports' strings are the caller's, not the window's cost
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
}

// BenchmarkWindowMatch decides the story of one new report against a window
// of 2,000, 5,000 and 20,000 reports of its language (Arabic and French):
// ns per Match, and the bytes of memory the window holds per report.
func BenchmarkWindowMatch(b *testing.B) {
	for _, n := range []int{2_000, 5_000, 20_000} {
		for _, lang := range []string{"ar", "fr"} {
			b.Run(fmt.Sprintf("reports=%d/lang=%s", n, lang), func(b *testing.B) {
				w := NewMatcher(0, 0, nil).NewWindow()
				end := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
				perReport := fillWindow(b, w, lang, n, end)
				rng := rand.New(rand.NewPCG(9, 9))
				i := 0
				b.ReportAllocs()
				for b.Loop() {
					w.Match(Report{Key: fmt.Sprintf("new%021x", i), Source: "bench", Language: lang,
						Title: benchTitle(rng, lang), Time: end.Add(-time.Duration(i%3600) * time.Second)})
					i++
				}
				b.ReportMetric(perReport, "B/report")
			})
		}
	}
}

// BenchmarkWindowIngest is the writer's cost per new report: Match, Add with
// its story, and Evict of what falls out of the window, at a steady window
// of 2,000, 5,000 and 20,000 reports (the storage path's equivalent is
// BenchmarkStoreNewItem's stories=true minus stories=false).
func BenchmarkWindowIngest(b *testing.B) {
	for _, n := range []int{2_000, 5_000, 20_000} {
		for _, lang := range []string{"ar", "fr"} {
			b.Run(fmt.Sprintf("reports=%d/lang=%s", n, lang), func(b *testing.B) {
				w := NewMatcher(0, 0, nil).NewWindow()
				end := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
				fillWindow(b, w, lang, n, end)
				step := DefaultWindow / time.Duration(n)
				rng := rand.New(rand.NewPCG(9, 9))
				i := 0
				b.ReportAllocs()
				for b.Loop() {
					r := Report{Key: fmt.Sprintf("new%021x", i), Source: fmt.Sprintf("outlet-%d", i%20), Language: lang,
						Title: benchTitle(rng, lang), Time: end.Add(time.Duration(i+1) * step)}
					addMatched(w, r)
					w.Evict(r.Time.Add(-DefaultWindow))
					i++
				}
				if got := w.Len(); got < n-1 || got > n+1 {
					b.Errorf("window holds %d reports, want a steady %d", got, n)
				}
			})
		}
	}
}

// addMatched adds r to w in the story Match finds for it, as the archive
// does: a match in no story yet makes one named after it.
func addMatched(w *Window, r Report) {
	if j, ok := w.Match(r); ok {
		r.Story = j.Story
		if j.Story == "" {
			w.SetStory(j.Match, j.Match)
			r.Story = j.Match
		}
	}
	w.Add(r)
}

// zipfVocabulary is lang's benchmark words followed by 5,000 rarer
// generated ones, drawn by Zipf's law as internal/ingestbench draws its
// headlines: a few words in many headlines, most in few.
func zipfVocabulary(lang string) []string {
	syl := strings.Fields("ma ra ka ta sa mo na di li ha qo fa jo zi cha ou bo ta yo kho")
	if lang == "ar" {
		syl = strings.Fields("ما ر كا تب سل مو نا دي لي حا قو فر جو زي شا عي بو طا يو خو")
	}
	rng := rand.New(rand.NewPCG(11, 13))
	out := append([]string(nil), benchVocabulary[lang]...)
	for range 5000 {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		out = append(out, b.String())
	}
	return out
}

// BenchmarkWindowFirstIngest is a first poll of N sources × 50 reports into
// an empty window, as `nashra poll` brings them: each source's document
// newest first over six hours, the sources interleaved in time, so that
// nearly every report lands in the middle of what the window holds; the
// headlines are internal/ingestbench's (Zipf over 5,000 words). Per
// iteration: the whole ingest (Match, Add with its story; Evict after each
// source, as the archive does once a poll lands).
func BenchmarkWindowFirstIngest(b *testing.B) {
	for _, sources := range []int{200, 1000} {
		b.Run(fmt.Sprintf("sources=%d", sources), func(b *testing.B) {
			reports, end := firstIngestReports(sources)
			b.ReportAllocs()
			for b.Loop() {
				w := NewMatcher(0, 0, nil).NewWindow()
				for i, r := range reports {
					addMatched(w, r)
					if i%50 == 49 {
						w.Evict(end.Add(-2 * DefaultWindow))
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reports)), "ns/report")
		})
	}
}

// firstIngestReports are the reports of a first poll of sources × 50, in
// the order `nashra poll` brings them (BenchmarkWindowFirstIngest), and the
// time of the newest.
func firstIngestReports(sources int) ([]Report, time.Time) {
	end := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(5, 5))
	vocab := map[string][]string{"ar": zipfVocabulary("ar"), "fr": zipfVocabulary("fr")}
	var reports []Report
	for s := range sources {
		lang := []string{"ar", "fr"}[s%2]
		zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab[lang])-1))
		for k := range 50 {
			words := make([]string, 8+rng.IntN(5))
			for j := range words {
				words[j] = vocab[lang][zipf.Uint64()]
			}
			reports = append(reports, Report{Key: fmt.Sprintf("%08x%016x", s, k), Source: fmt.Sprintf("s%d", s), Language: lang,
				Title: strings.Join(words, " "), Time: end.Add(-time.Duration(k)*7*time.Minute - time.Duration(s%60)*time.Second)})
		}
	}
	return reports, end
}

// BenchmarkWindowIngestLabelled ingests the tuning half (real-looking
// headlines that share words as stories
// do) through a fresh window, Match then Add for each report: the cost per
// new item of the decisions themselves, which generated headlines, their
// words all too common to make candidates, never reach.
func BenchmarkWindowIngestLabelled(b *testing.B) {
	var rows []evalRow
	for _, r := range readIndependentHalf(b, "tune.tsv") {
		rows = append(rows, evalRow{group: r.group, story: r.story, lang: r.language, outlet: r.outlet, title: r.headline, minutes: r.minutes})
	}
	m := NewMatcher(0, 0, nil)
	b.ResetTimer()
	for range b.N {
		windowIngest(rows, m)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/item")
}
