package archive

import (
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/record"
)

// encodeItem is a stored item's record (package record): never its
// normalised headline, terms or related reports, which are recomputed or
// read elsewhere.
func encodeItem(it *news.Item) []byte {
	return record.EncodePlain(make([]byte, 0, record.PlainSize(it)), it)
}

func decodeItem(b []byte) (news.Item, error) { return record.Decode(b) }
