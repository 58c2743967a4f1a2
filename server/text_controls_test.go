package server

import (
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/news"
)

// /ticker.txt is read in terminals: a control character in an outlet's
// title (stored from a config an earlier release accepted; seen from
// outside as an escape sequence on every line of that source) or anywhere
// else in a line is written as a space.
func TestTickerTextWritesNoControlCharacters(t *testing.T) {
	loc, _ := time.LoadLocation("Africa/Casablanca")
	tk := &feeds.Ticker{
		Language: "fr",
		Location: loc,
		Items: []news.Item{
			{Key: "a", Source: "ansi", Title: "titre\x07 propre", Language: "fr", Time: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC), AlsoIn: []string{"other"}},
		},
		Outlets: map[string]feeds.Outlet{"ansi": {Title: "ansi\x1b[2J\u009b31m"}, "other": {Title: "autre\x1b]0;x\x07"}},
	}
	out := string(renderText(tk))
	if strings.ContainsFunc(out, func(r rune) bool { return r != '\n' && (r < 0x20 || r >= 0x7f && r < 0xa0) }) {
		t.Errorf("control characters in /ticker.txt: %q", out)
	}
	if !strings.Contains(out, "ansi [2J 31m") {
		t.Errorf("the outlet's title lost more than its control characters: %q", out)
	}
}
