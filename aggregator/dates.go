package aggregator

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FutureSkew is how far ahead of the fetch a date may lie before it is
// distrusted: a feed's clock a little fast is normal, a story dated tomorrow is not.
const FutureSkew = 10 * time.Minute

var (
	// zoneAbbrevs are the abbreviations a Moroccan or French feed may use.
	// Go's parser takes any abbreviation it does not know as UTC; gofeed
	// (since 1.4) applies these itself, an older one did not (resolved).
	zoneAbbrevs = map[string]int{
		"gmt": 0, "utc": 0, "ut": 0, "z": 0, "wet": 0, "west": 3600,
		"cet": 3600, "cest": 7200, "bst": 3600, "eet": 7200, "eest": 10800,
		"est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
		"mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
	}
)

// EntryTime reads a feed date. parsed is gofeed's reading of raw, or nil.
// Dates that carry no zone are wall-clock times in loc (the source's zone),
// not UTC as gofeed assumes; dates gofeed cannot read (French or Arabic month
// names, Unix timestamps) are parsed here. ok is false when raw says nothing usable.
func EntryTime(raw string, parsed *time.Time, loc *time.Location) (t time.Time, ok bool) {
	raw = strings.TrimSpace(raw)
	if parsed != nil && !parsed.IsZero() && mayHoldNumDate(raw) && numDateRe.MatchString(raw) {
		// "07/12/2026": gofeed tries month-first layouts (07/12 is July),
		// and a two-digit year as a day (07/12/26 was 2007); Morocco and
		// France write day, month, year (seen from outside).
		if t, ok := parseLocalised(raw, loc); ok {
			return t, true
		}
	}
	if parsed != nil && !parsed.IsZero() {
		if offsetAtEnd(raw) {
			return parsed.UTC(), true
		}
		if off, ok := hourOffsetAtEnd(raw); ok {
			return resolved(raw, *parsed, off), true
		}
		if abbr, ok := abbrevAtEnd(raw); ok {
			if off, known := zoneAbbrevs[strings.ToLower(abbr)]; known {
				return resolved(raw, *parsed, off), true
			}
			return wallClock(*parsed, loc).UTC(), true
		}
		if off, _, ok := gmtOffset(strings.ToLower(raw)); ok {
			// "… 10:30:00 GMT+1", "… GMT+0100 (CET)": gofeed reads the
			// one and not the other (seen from outside: both read as
			// local time); resolved tells which by the clock.
			return resolved(raw, *parsed, off), true
		}
		if raw == "" || offsetInside(raw) {
			// "… 10:30:00 +0100 (CET)": gofeed read the offset the end
			// does not show.
			return parsed.UTC(), true
		}
		return wallClock(*parsed, loc).UTC(), true
	}
	if raw == "" {
		return time.Time{}, false
	}
	return parseLocalised(raw, loc)
}

// resolved is the instant a date names whose zone is off seconds east of
// UTC (an abbreviation nashra knows, or a bare "+01"), given gofeed's
// reading of it. gofeed applies some such zones and reads others as UTC
// (an abbreviation it does not know; "+01" after some layouts, not
// others; every abbreviation before gofeed 1.4), and a zone applied twice
// is off by its offset (seen from outside: CET dates an hour early). Its
// reading's clock says which: the date's own clock unchanged means the
// zone was read as UTC. Without a clock to compare, gofeed is trusted.
func resolved(raw string, parsed time.Time, off int) time.Time {
	p := parsed.UTC()
	if off == 0 {
		return p // GMT, UTC, WET: nothing to tell apart, and no clock to read
	}
	h, m, ok := clockOf(raw)
	if !ok || p.Hour() != h || p.Minute() != m {
		return p
	}
	return p.Add(-time.Duration(off) * time.Second)
}

// mayHoldNumDate is a test numDateRe passes on every string it matches, at
// the cost of one pass over the bytes: one or two digits after a start or
// a character that is no ASCII word character, a separator, one or two
// digits, a separator and two digits. EntryTime asks it of every date
// before the regular expression (seen in its benchmark: 14 ns became
// 830 ns for an RFC 1123 date with the expression alone).
func mayHoldNumDate(s string) bool {
	digits := func(i int) int { // digits from i on, at most 3 read
		n := 0
		for i+n < len(s) && n < 3 && '0' <= s[i+n] && s[i+n] <= '9' {
			n++
		}
		return n
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; c != '/' && c != '.' && c != '-' {
			continue
		}
		start := i - 1
		for start > 0 && i-start < 3 && '0' <= s[start-1] && s[start-1] <= '9' {
			start--
		}
		if n := i - start; n < 1 || n > 2 || s[start] < '0' || s[start] > '9' || start > 0 && isWordByte(s[start-1]) {
			continue
		}
		n := digits(i + 1)
		if n < 1 || n > 2 {
			continue
		}
		j := i + 1 + n
		if j < len(s) && (s[j] == '/' || s[j] == '.' || s[j] == '-') && digits(j+1) >= 2 {
			return true
		}
	}
	return false
}

// isWordByte is what \w matches in Go's regular expressions.
func isWordByte(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '_'
}

// gmtOffset reads "GMT+1", "UTC+01:00", "gmt-0500" in s (lower-cased):
// the offset in seconds east of UTC and where it stands.
func gmtOffset(s string) (off int, at []int, ok bool) {
	m := gmtOffsetRe.FindStringSubmatchIndex(s)
	if m == nil {
		return 0, nil, false
	}
	h, _ := strconv.Atoi(s[m[4]:m[5]])
	mi := 0
	if m[6] >= 0 {
		mi, _ = strconv.Atoi(s[m[6]:m[7]])
	}
	off, ok = offsetOf(s[m[2]:m[3]], h, mi)
	return off, m[:2], ok
}

// offsetOf is an offset written with sign, hours and minutes, in seconds
// east of UTC; false past what any zone is (14 hours, 59 minutes).
func offsetOf(sign string, h, mi int) (int, bool) {
	if h > 14 || mi > 59 {
		return 0, false
	}
	off := h*3600 + mi*60
	if sign == "-" {
		off = -off
	}
	return off, true
}

// offsetInside reports whether a date writes a numeric offset before its
// end: "+01:00 (CET)".
func offsetInside(raw string) bool {
	for _, m := range offsetAny.FindAllStringSubmatch(strings.ToLower(raw), -1) {
		if m[1] != "" {
			return true
		}
	}
	return false
}

// clockOf is the hour (0–23) and minute a date writes, as clockIn reads
// them ("3:04 PM" is 15:04; "Sam" is a Saturday, no AM).
func clockOf(raw string) (hour, minute int, ok bool) {
	hour, minute, _, _, ok = clockIn(strings.ToLower(raw))
	return hour, minute, ok
}

// meridiem reads a 12-hour clock's AM or PM at the start of rest (what
// follows a clock, lower-cased): "pm", "p.m.", Arabic "م", "مساءً" (evening),
// "ظهرا" (afternoon), "am", "a.m.", "ص", "صباحا" (morning), as a word of
// its own. It returns rest without it.
func meridiem(rest string) (after string, pm, twelve bool) {
	t := strings.TrimLeft(rest, " ")
	for _, m := range []struct {
		word string
		pm   bool
	}{{"p.m.", true}, {"a.m.", false}, {"pm", true}, {"am", false},
		{"مساءً", true}, {"مساءا", true}, {"مساء", true}, {"ظهراً", true}, {"ظهرا", true}, {"بعد الظهر", true}, {"ليلاً", true}, {"ليلا", true}, {"م", true},
		{"صباحاً", false}, {"صباحا", false}, {"صباح", false}, {"ص", false}} {
		if !strings.HasPrefix(t, m.word) {
			continue
		}
		tail := t[len(m.word):]
		if r, _ := utf8.DecodeRuneInString(tail); tail != "" && unicode.IsLetter(r) {
			continue // a word that begins so (ampm, مساء is written out)
		}
		return tail, m.pm, true
	}
	return rest, false, false
}

// wallClock returns the instant at which t's wall clock reads the same in loc.
func wallClock(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}

// EffectiveTime chooses an item's place in the ticker: its published date,
// else its updated date, else when nashra first saw it. A date further in the
// future than FutureSkew is not believed (it would pin the item on top), nor
// one before pastFloor (year 0 or 1800, seen from outside: a feed's
// placeholder, not a news item's date).
func EffectiveTime(published, updated, firstSeen time.Time) (time.Time, string) {
	if Believable(published, firstSeen) {
		return published.UTC(), "published"
	}
	if Believable(updated, firstSeen) {
		return updated.UTC(), "updated"
	}
	return firstSeen.UTC(), "first-seen"
}

// Believable reports whether a feed's date t, read at firstSeen, is
// believed: set, at most FutureSkew ahead, not before pastFloor.
func Believable(t, firstSeen time.Time) bool {
	return !t.IsZero() && !t.After(firstSeen.Add(FutureSkew)) && !t.Before(pastFloor)
}

// pastFloor is the earliest date believed of an item: nothing nashra
// reads was published on the web before it.
var pastFloor = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

var (
	monthNames = map[string]time.Month{
		// French, full and abbreviated
		"janvier": 1, "janv": 1, "jan": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "fev": 2,
		"mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7,
		"août": 8, "aout": 8, "aoû": 8, "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10,
		"novembre": 11, "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
		// Moroccan Arabic (Maghreb names)
		"يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "ماي": 5, "يونيو": 6,
		"يوليوز": 7, "غشت": 8, "شتنبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نونبر": 11, "دجنبر": 12,
		// Mashriqi Arabic
		"مايو": 5, "يوليو": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "نوفمبر": 11, "ديسمبر": 12,
		// English, for completeness when Go's layouts fail on odd punctuation
		"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
		"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	}
	clockRe        = regexp.MustCompile(`(\d{1,2})\s*(?:[:h]\s*(\d{2})(?::(\d{2}))?|h\b)`)
	offsetAny      = regexp.MustCompile(`(?i)(?:\s|\d)([+-])(\d{2}):?(\d{2})\b|\b(gmt|utc)\b`)
	gmtOffsetRe    = regexp.MustCompile(`\b(?:gmt|utc)\s*([+-])(\d{1,2})(?::?(\d{2}))?\b`)
	yearRe         = regexp.MustCompile(`\b((?:19|20)\d{2})\b`)
	dayRe          = regexp.MustCompile(`\b(\d{1,2})(?:er)?\b`)
	dayBeforeRe    = regexp.MustCompile(`\b(\d{1,2})(?:er)?[\s,.]*$`)
	dayAfterRe     = regexp.MustCompile(`^[\s,.]*(\d{1,2})(?:er)?\b`)
	twoDigitYearRe = regexp.MustCompile(`^\s*(\d{2})[\s()]*$`)
	numDateRe      = regexp.MustCompile(`\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)?\d{2})\b`)
	rangeEndRe     = regexp.MustCompile(`^\s*(?:-|–|à|au)\s*\d{1,2}\s*[:h]\s*\d{2}`)
	gmtWordRe      = regexp.MustCompile(`بتوقيت\s+(?:غرينتش|غرينيتش|جرينتش|غرينيش)|توقيت\s+غرينتش`)
	isoDateRe      = regexp.MustCompile(`\b((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?:t|\b)`)
	unixRe         = regexp.MustCompile(`^\d{9,13}$`)
	wordRe         = regexp.MustCompile(`[\p{L}]+`)
	digitFold      = strings.NewReplacer(
		"٠", "0", "١", "1", "٢", "2", "٣", "3", "٤", "4", "٥", "5", "٦", "6", "٧", "7", "٨", "8", "٩", "9",
		"۰", "0", "۱", "1", "۲", "2", "۳", "3", "۴", "4", "۵", "5", "۶", "6", "۷", "7", "۸", "8", "۹", "9",
	)
)

// parseLocalised reads dates Go's layouts do not: "Lun, 15 Avr 2024 10:30:00 +0100",
// "الثلاثاء 14 أبريل 2026 - 16:04", "14 ماي 2026", "14/04/2026 16h04", "2026/12/07 10:30",
// "Publié le 1er décembre 2026 à 10h", "7 décembre 2026 10:30 GMT+1", Unix seconds or
// milliseconds. A numeric date is taken out first, so that its digits are
// no clock and no offset; then the clock, with its AM or PM; then the zone;
// then a date written with a month's name, its day and year beside it.
func parseLocalised(raw string, loc *time.Location) (time.Time, bool) {
	if len(raw) > 200 {
		return time.Time{}, false // not a date
	}
	s := digitFold.Replace(strings.ToLower(strings.TrimSpace(raw)))
	if unixRe.MatchString(s) {
		n, _ := strconv.ParseInt(s, 10, 64)
		if len(s) >= 12 {
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	var year, day int
	var month time.Month
	if m := isoDateRe.FindStringSubmatchIndex(s); m != nil {
		year, _ = strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		day, _ = strconv.Atoi(s[m[6]:m[7]])
		month = time.Month(mo)
		s = s[:m[0]] + " " + s[m[1]:]
	} else if m := numDateRe.FindStringSubmatchIndex(s); m != nil {
		day, _ = strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		year, _ = strconv.Atoi(s[m[6]:m[7]])
		if m[7]-m[6] == 2 {
			year += 2000 // "07/12/26"
		}
		month = time.Month(mo)
		s = s[:m[0]] + " " + s[m[1]:]
	}
	hh, mm, ss, s, _ := clockIn(s)
	zone, s := zoneIn(s, raw, loc)
	if month == 0 {
		year, month, day = namedDate(s)
	}
	if year == 0 || month < 1 || month > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, false
	}
	t := time.Date(year, month, day, hh, mm, ss, 0, zone)
	if t.Day() != day { // 31 April and the like
		return time.Time{}, false
	}
	return t.UTC(), true
}

// clockIn reads the clock of s (lower-cased): "16:04", "16:04:05", "16h04",
// "10h", with an AM or PM after it; it returns s without them, and whether
// s has a clock.
func clockIn(s string) (hh, mm, ss int, rest string, ok bool) {
	m := clockRe.FindStringSubmatchIndex(s)
	if m == nil {
		return 0, 0, 0, s, false
	}
	hh, _ = strconv.Atoi(s[m[2]:m[3]])
	if m[4] >= 0 {
		mm, _ = strconv.Atoi(s[m[4]:m[5]])
	}
	if m[6] >= 0 {
		ss, _ = strconv.Atoi(s[m[6]:m[7]])
	}
	after, pm, twelve := meridiem(s[m[1]:])
	if r := rangeEndRe.FindStringIndex(after); r != nil {
		after = after[r[1]:] // "10:30-12:00": the end of a range, not an offset (seen from outside)
	}
	switch {
	case twelve && pm && hh < 12:
		hh += 12
	case twelve && !pm && hh == 12:
		hh = 0
	}
	return hh, mm, ss, s[:m[0]] + " " + after, true
}

// zoneIn reads the zone of s (lower-cased; raw as written): "GMT+1",
// "UTC+01:00", a bare hour at the end ("-05"), "+0100", "GMT", or an
// abbreviation written in capitals as the last word ("EST"; "est" is
// French). loc when it names none. It returns s without the zone.
func zoneIn(s, raw string, loc *time.Location) (*time.Location, string) {
	if m := gmtWordRe.FindStringIndex(s); m != nil {
		return time.UTC, s[:m[0]] + " " + s[m[1]:] // "بتوقيت غرينتش": GMT
	}
	if off, at, ok := gmtOffset(s); ok {
		return time.FixedZone("", off), s[:at[0]] + " " + s[at[1]:]
	}
	if off, ok := hourOffsetAtEnd(s); ok {
		t := strings.TrimRight(s, regexpSpace)
		return time.FixedZone("", off), t[:len(t)-3]
	}
	for _, m := range slices.Backward(offsetAny.FindAllStringSubmatchIndex(s, -1)) {
		if m[2] < 0 { // gmt, utc
			return time.UTC, s[:m[0]] + " " + s[m[1]:]
		}
		h, _ := strconv.Atoi(s[m[4]:m[5]])
		mi, _ := strconv.Atoi(s[m[6]:m[7]])
		if off, ok := offsetOf(s[m[2]:m[3]], h, mi); ok {
			return time.FixedZone("", off), s[:m[0]] + " " + s[m[1]:]
		}
		// not an offset: an earlier match may be one
	}
	if words := wordRe.FindAllString(raw, -1); len(words) > 0 {
		last := words[len(words)-1]
		if off, ok := zoneAbbrevs[strings.ToLower(last)]; ok && last == strings.ToUpper(last) {
			return time.FixedZone("", off), s
		}
	}
	return loc, s
}

// namedDate reads a date written with a month's name (s lower-cased, the
// clock and zone out of it): its day is the number just before the month
// ("7 دجنبر", "1er décembre") or just after it ("Dec 7"), its year the
// four digits after it, else anywhere, else two digits after its day
// ("07 Déc 26"). A Hijri date beside it ("5 رجب 1448 الموافق 7 دجنبر
// 2026") is not taken for it. "Mar" is mars, or mardi: March when no other
// word is a month.
func namedDate(s string) (year int, month time.Month, day int) {
	start, end := -1, -1
	march := []int(nil)
	for _, w := range wordRe.FindAllStringIndex(s, -1) {
		word := s[w[0]:w[1]]
		if mo, ok := monthNames[word]; ok {
			month, start, end = mo, w[0], w[1]
			break
		}
		if word == "mar" && march == nil {
			march = w
		}
	}
	if month == 0 && march != nil {
		month, start, end = time.March, march[0], march[1]
	}
	if month == 0 {
		return 0, 0, 0
	}
	before, after := s[:start], strings.TrimPrefix(s[end:], ".")
	dayAfter := false
	if m := dayBeforeRe.FindStringSubmatch(before); m != nil {
		day, _ = strconv.Atoi(m[1])
	} else if m := dayAfterRe.FindStringSubmatchIndex(after); m != nil {
		day, _ = strconv.Atoi(after[m[2]:m[3]])
		after, dayAfter = after[m[1]:], true
	}
	switch {
	case yearRe.MatchString(after):
		year, _ = strconv.Atoi(yearRe.FindStringSubmatch(after)[1])
	case yearRe.MatchString(before):
		year, _ = strconv.Atoi(yearRe.FindStringSubmatch(before)[1])
	case !dayAfter:
		// "07 Déc 26": two digits right after the month, and nothing
		// after them; any other number is no year (seen from outside:
		// "7 décembre, 10 heures" was read as 2010).
		if m := twoDigitYearRe.FindStringSubmatch(after); m != nil {
			yy, _ := strconv.Atoi(m[1])
			year = 2000 + yy
		}
	}
	if day == 0 { // the day elsewhere: the first number that is not the year
		rest := strings.Replace(s, strconv.Itoa(year), " ", 1)
		if m := dayRe.FindStringSubmatch(rest); m != nil {
			day, _ = strconv.Atoi(m[1])
		}
	}
	return year, month, day
}
