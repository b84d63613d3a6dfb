package web_test

import (
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// TestConsoleSharedContent: the console's start is made once for people
// of the same roles, and only for them: whoever asks next, with other
// roles, gets the content their own roles allow, and the frame of every
// page is the asker's own.
func TestConsoleSharedContent(t *testing.T) {
	p := portaltest.NewPortal(t)
	admin2 := p.Officer(t, "Admin Kedua", "admin2@semarangkota.test", pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.74"})
	officer := p.Officer(t, "Petugas Dukcapil", "petugas@semarangkota.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	const profileForm = `action="/admin/daerah/33.74/profil"`
	const otherRegion = `href="/admin">`
	for _, step := range []struct {
		who                   string
		session               string
		profile, nationalLink bool
	}{
		{"region admin", p.RegionAdmin, true, false},
		{"officer", officer, false, false},
		{"second region admin", admin2, true, false},
		{"national admin", p.Admin, true, true},
		{"officer again", officer, false, false},
	} {
		res := p.GetAs(t, "/admin/daerah/33.74", step.session)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", step.who, res.StatusCode)
		}
		if got := strings.Contains(res.Body, profileForm); got != step.profile {
			t.Errorf("%s: profile form shown %v, want %v", step.who, got, step.profile)
		}
		main := res.Body[strings.Index(res.Body, "<main"):]
		if got := strings.Contains(main, otherRegion); got != step.nationalLink {
			t.Errorf("%s: link to other regions %v, want %v", step.who, got, step.nationalLink)
		}
		// The frame is the asker's: signed in, with the console link.
		if !strings.Contains(res.Body, `action="/keluar"`) {
			t.Errorf("%s: the page's frame is not a signed-in person's", step.who)
		}
	}
}
