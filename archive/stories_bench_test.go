package archive

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// benchWords is the vocabulary of generated headlines: common enough that
// every word has a long posting list, as in a real Arabic news stream.
var benchWords = strings.Fields(`الحكومة البرلمان المغرب الرباط الدار البيضاء مراكش طنجة فاس أكادير وزارة الصحة التعليم
الفلاحة المالية الداخلية العدل الأمن الوطني المديرية العامة المكتب الوطني الجماعة الجهة الإقليم المجلس اللجنة الملك
المنتخب الرجاء الوداد البطولة المباراة الهدف المدرب اللاعب الملعب الجمهور النادي الكأس الدوري الموسم
الأسعار التضخم البطالة النمو الاستثمار الصادرات الواردات الميناء المطار القطار الطريق السيارة الحافلة الشاحنة
الأمطار الثلوج الحرارة الرياح العاصفة الفيضانات الجفاف السدود الماء الكهرباء الطاقة الغاز البنزين المحروقات
يعلن يطلق يفتتح يستقبل يصادق يرفض يطالب يحذر يكشف يوقع يدشن يترأس يناقش يقرر يرفع يخفض يتراجع يرتفع
جديد جديدة كبير قوية مرتقبة عاجل رسمي وطني دولي إفريقي عربي أوروبي سنوي شهري يومي الأول الثاني الثالث
مشروع قانون مرسوم اتفاقية برنامج مخطط استراتيجية حملة مبادرة شراكة تعاون دعم إصلاح تقرير دراسة بحث
المواطنين الشباب النساء الأطفال الطلبة الأساتذة الأطباء الفلاحين العمال التجار المستثمرين السياح`)

// storyFill stores n generated Arabic items, 100 an hour (2,400 a day: 40
// outlets × 60 items), from 20 outlets, 1,000 per transaction.
func storyFill(b *testing.B, s *Archive, n int) time.Time {
	b.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var at time.Time
	for lo := 0; lo < n; lo += 1000 {
		batch := make([]news.Item, 0, 1000)
		for i := lo; i < min(lo+1000, n); i++ {
			at = start.Add(time.Duration(i) * 36 * time.Second)
			words := make([]string, 9)
			for j := range words {
				words[j] = benchWords[rng.IntN(len(benchWords))]
			}
			batch = append(batch, news.Item{Key: fmt.Sprintf("%024x", i), Source: fmt.Sprintf("outlet-%d", i%20),
				Link: fmt.Sprintf("https://outlet-%d.example/%d", i%20, i), Language: "ar",
				Title: strings.Join(words, " ") + fmt.Sprintf(" %d", i), Time: at, FirstSeen: at, Changed: at})
		}
		if _, err := s.SavePoll(context.Background(), "fill", SourceState{}, batch); err != nil {
			b.Fatal(err)
		}
	}
	return at
}

// BenchmarkStoreNewItem stores one new item into stores of 10,000, 100,000
// and 1,000,000 items (the last takes minutes to fill), one transaction
// each, fsync off to measure the work, not the disk, with story clustering
// on and, as the baseline, off.
func BenchmarkStoreNewItem(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		for _, clustering := range []bool{false, true} {
			b.Run(fmt.Sprintf("stored=%d/stories=%v", n, clustering), func(b *testing.B) {
				opts := []Option{WithoutSync()}
				if clustering {
					opts = append(opts, WithStories(story.NewMatcher(0, 0, nil)))
				}
				s, err := Open(filepath.Join(b.TempDir(), "bench.db"), opts...)
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				end := storyFill(b, s, n)
				rng := rand.New(rand.NewPCG(9, 9))
				i := 0
				b.ResetTimer()
				for b.Loop() {
					words := make([]string, 9)
					for j := range words {
						words[j] = benchWords[rng.IntN(len(benchWords))]
					}
					at := end.Add(time.Duration(i) * time.Second)
					it := news.Item{Key: fmt.Sprintf("new%021x", i), Source: "bench", Link: fmt.Sprintf("https://bench.example/%d", i),
						Language: "ar", Title: strings.Join(words, " "), Time: at, FirstSeen: at, Changed: at}
					if _, err := s.SavePoll(context.Background(), "bench", SourceState{}, []news.Item{it}); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}
