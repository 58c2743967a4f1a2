package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// emptyModified is the Last-Modified of an output with no items yet: the
// epoch, as its Atom <updated> says, so that its first item is "after" it.
var emptyModified = time.Unix(0, 0).UTC()

// etagOf is the weak ETag of a body: a hash, so that equal bytes give equal
// ETags whatever rendered them and whenever.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `W/"` + hex.EncodeToString(sum[:12]) + `"`
}

// serveBytes answers with body and the validators every response carries
// (ETag, Last-Modified, Cache-Control), or 304 when the client has it.
func serveBytes(w http.ResponseWriter, r *http.Request, contentType, cacheControl string, body []byte, lastModified time.Time) {
	rd := &rendered{etag: etagOf(body), lastModified: lastModified}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("ETag", rd.etag)
	h.Set("Cache-Control", cacheControl)
	if !lastModified.IsZero() {
		h.Set("Last-Modified", lastModified.UTC().Format(http.TimeFormat))
	}
	if notModified(r, rd) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}
