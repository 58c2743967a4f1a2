package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/server"
	"github.com/nashra-ma/nashra/story"
)

// TestExplanationSaysTheTimeApart: two reports far apart in time are held
// to a higher threshold, and the explanation says by how much and why.
func TestExplanationSaysTheTimeApart(t *testing.T) {
	m := story.NewMatcher(0, 0, nil)
	at := time.Date(2026, 4, 14, 6, 0, 0, 0, time.UTC)
	a := &news.Item{Title: "Rabat: le ticket de bus passe de 5 à 6 DH", Language: "fr", Time: at}
	b := &news.Item{Title: "Transport urbain à Rabat : le ticket de bus augmente d'un dirham", Language: "fr", Time: at.Add(25 * time.Hour)}
	var out bytes.Buffer
	printExplanation(&out, a.Title, b.Title, server.Explanation{Language: "fr", Weights: server.WeightsTable, Decision: m.ExplainItems(a, b, nil)})
	for _, want := range []string{"NOT ONE STORY", "threshold 0.79 = 0.25 + 0.54: the reports are 69% of the window apart"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explanation lacks %q:\n%s", want, out.String())
		}
	}
}
