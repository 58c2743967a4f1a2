package server

import (
	"embed"
	"net/http"
	"time"
)

// The icons were drawn once (a red square with three ticker lines) and
// committed; readers show them next to the feed (RSS <image>, Atom
// <icon>/<logo>, JSON Feed icon/favicon) and browsers ask for /favicon.ico.
//
//go:embed icons
var iconFS embed.FS

// iconsDrawn is the icons' Last-Modified: when they were drawn.
var iconsDrawn = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

var icons = map[string]string{ // path → content type
	"/favicon.ico":  "image/x-icon",
	"/icon.svg":     "image/svg+xml",
	"/icon-64.png":  "image/png",
	"/icon-512.png": "image/png",
}

// iconCacheControl: the icons change with a release at most.
const iconCacheControl = "public, max-age=86400"

func serveIcon(path, contentType string) http.HandlerFunc {
	body, err := iconFS.ReadFile("icons" + path)
	if err != nil {
		panic("server: icon " + path + " not embedded: " + err.Error()) // a build mistake
	}
	return func(w http.ResponseWriter, r *http.Request) {
		serveBytes(w, r, contentType, iconCacheControl, body, iconsDrawn)
	}
}

// iconsAt are the public addresses of the icons the feeds name: a 512 px
// icon and a 64 px favicon (feeds.Ticker.Icon, Favicon).
func iconsAt(base string) (icon, favicon string) {
	return base + "/icon-512.png", base + "/icon-64.png"
}
