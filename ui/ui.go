// Package ui embeds the HTML templates and static assets of the portal.
package ui

import "embed"

// Templates holds the page templates; layout.html wraps every page.
//
//go:embed templates/*.html
var Templates embed.FS

// Static holds the CSS, JavaScript and images, served under content-hash
// URLs.
//
//go:embed static
var Static embed.FS
