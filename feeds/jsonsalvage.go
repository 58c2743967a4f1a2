package feeds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mmcdole/gofeed"
)

// ErrUnreadable is a document the parser could not read without failing
// inside (a panic in gofeed, made an error).
var ErrUnreadable = errors.New("unreadable document")

// salvageJSONItems is a JSON Feed without the items gofeed cannot read (a
// title that is an array, an item that is a number): gofeed reads the
// document in one go, so one mangled item failed the whole poll. Each item
// is tried alone inside the document's own fields; the document comes back
// with the items that read, and how many did not. ok is false when the
// document is not a JSON object with an items array, or its own fields do
// not read (then the error stands).
func salvageJSONItems(body []byte) (fixed []byte, rejected int, ok bool) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, 0, false
	}
	var items []json.RawMessage
	if err := json.Unmarshal(top["items"], &items); err != nil {
		return nil, 0, false
	}
	// with is the document with items in place of its own.
	with := func(items []json.RawMessage) []byte {
		top["items"], _ = json.Marshal(items)
		doc, _ := json.Marshal(top) // raw messages json itself read: they marshal
		return doc
	}
	reads := func(doc []byte) bool {
		_, err := safeParse(gofeed.NewParser(), doc)
		return err == nil
	}
	if !reads(with(nil)) {
		return nil, 0, false // the document's own fields are mangled
	}
	// Each item is tried in a document of the version alone, not of the
	// document's own fields, which gofeed reads apart from its items: the
	// whole document again for each item cost items × its size (seen from
	// outside: 45 s for 1,000 bad items beside a 4 MB field).
	alone := map[string]json.RawMessage{"version": top["version"]}
	if alone["version"] == nil {
		alone["version"] = json.RawMessage(`"https://jsonfeed.org/version/1.1"`)
	}
	var good []json.RawMessage
	for _, it := range items {
		alone["items"], _ = json.Marshal([]json.RawMessage{it})
		doc, _ := json.Marshal(alone)
		if !reads(doc) {
			rejected++
			continue
		}
		good = append(good, it)
	}
	return with(good), rejected, true // Decode parses it: not here too
}

// safeParse is parser.Parse with a panic inside gofeed made an error: a
// JSON Feed with a null where gofeed expects an object ("items":[null],
// "authors":[null]) dereferences nil in it, and a feed must never take the
// process down.
func safeParse(parser *gofeed.Parser, body []byte) (f *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%w: the parser failed on it (%v)", ErrUnreadable, r)
		}
	}()
	return parser.Parse(bytes.NewReader(body))
}
