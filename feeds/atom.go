package feeds

import (
	"encoding/xml"
	"time"

	gfeeds "github.com/gorilla/feeds"
)

// Atom 1.0, wrapped around gorilla's structs: gorilla has room for one feed
// link only (no self), uses the link as the feed id, never writes
// <published>, xml:lang or a proper <source> (TRAPS.md).
type atomRoot struct {
	XMLName   xml.Name     `xml:"feed"`
	Xmlns     string       `xml:"xmlns,attr"`
	Lang      string       `xml:"xml:lang,attr,omitempty"`
	Title     string       `xml:"title"`
	Subtitle  string       `xml:"subtitle,omitempty"`
	ID        string       `xml:"id"`
	Updated   string       `xml:"updated"`
	Links     []atomLink   `xml:"link"`
	Author    atomPerson   `xml:"author"`
	Generator string       `xml:"generator"`
	Icon      string       `xml:"icon,omitempty"`
	Logo      string       `xml:"logo,omitempty"`
	Entries   []*atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	Lang       string            `xml:"xml:lang,attr,omitempty"`
	Title      atomText          `xml:"title"`
	ID         string            `xml:"id"`
	Updated    string            `xml:"updated"`
	Published  string            `xml:"published"`
	Links      []gfeeds.AtomLink `xml:"link"`
	Author     atomPerson        `xml:"author"`
	Categories []atomCategory    `xml:"category"`
	Summary    *atomText         `xml:"summary,omitempty"`
	Content    *atomText         `xml:"content,omitempty"`
	Source     *atomSource       `xml:"source,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// atomSource names the outlet an entry comes from. It has no <updated>: the
// time nashra last polled the outlet is not something readers see, and
// writing it changed every output's bytes and ETag after each poll.
type atomSource struct {
	ID    string     `xml:"id"`
	Title string     `xml:"title"`
	Links []atomLink `xml:"link"`
}

// EncodeAtom writes t as Atom 1.0.
func EncodeAtom(t *Ticker) ([]byte, error) {
	g := (&gfeeds.Atom{Feed: t.gorillaFeed()}).AtomFeed()
	root := atomRoot{
		Xmlns:    g.Xmlns,
		Lang:     t.Language,
		Title:    g.Title,
		Subtitle: g.Subtitle,
		ID:       FeedID(Authority(t.HomeURL), t.Name),
		Updated:  atomTime(t.Updated, t.loc()),
		Links: []atomLink{
			{Href: t.HomeURL, Rel: "alternate", Type: "text/html"},
			{Href: t.SelfAtom, Rel: "self", Type: "application/atom+xml"},
		},
		Author:    atomPerson{Name: t.Title, URI: t.HomeURL},
		Generator: "nashra",
		Icon:      t.Favicon,
		Logo:      t.Icon,
	}
	if t.Hub != "" {
		root.Links = append(root.Links, atomLink{Href: t.Hub, Rel: "hub"})
	}
	for i, ge := range g.Entries {
		it := &t.Items[i]
		o := t.outlet(it.Source)
		e := &atomEntry{
			Lang:      it.Language,
			Title:     atomText{Type: "text", Text: ge.Title},
			ID:        ge.Id,
			Updated:   atomTime(modified(it), t.loc()),
			Published: atomTime(it.Time, t.loc()),
			Author:    atomPerson{Name: byline(it.Author, o.Title)},
		}
		if it.Link != "" {
			e.Links = []gfeeds.AtomLink{{Href: it.Link, Rel: "alternate", Type: "text/html"}}
		} else {
			// RFC 4287 4.1.2: an entry without an alternate link must have content.
			e.Content = &atomText{Type: "text", Text: entryText(it)}
		}
		if typ := imageType(it.Image); typ != "" {
			e.Links = append(e.Links, gfeeds.AtomLink{Href: it.Image, Rel: "enclosure", Type: typ})
		}
		for _, r := range it.Related {
			if r.Link != "" {
				e.Links = append(e.Links, gfeeds.AtomLink{Href: r.Link, Rel: "related", Type: "text/html"})
			}
		}
		for _, c := range it.Categories {
			e.Categories = append(e.Categories, atomCategory{Term: c})
		}
		if e.Content == nil { // the related links say what the RSS summary spells out
			e.Summary = &atomText{Type: "text", Text: entryText(it)}
		}
		if o.FeedURL != "" {
			src := &atomSource{ID: o.FeedURL, Title: o.Title, Links: []atomLink{{Href: o.FeedURL, Rel: "self"}}}
			if o.HomeURL != "" {
				src.Links = append(src.Links, atomLink{Href: o.HomeURL, Rel: "alternate", Type: "text/html"})
			}
			e.Source = src
		}
		root.Entries = append(root.Entries, e)
	}
	return marshalXML(root)
}

// atomTime formats an RFC 3339 date; Atom requires one, so a zero time (an
// empty ticker) is written as the Unix epoch rather than left empty.
func atomTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.In(loc).Format(time.RFC3339)
}
