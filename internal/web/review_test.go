package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// TestReviewWorkflow: an officer drafts and submits, the supervisor is
// told, sees the changes, sends it back with a note, and publishes the
// corrected draft, which the public then sees.
func TestReviewWorkflow(t *testing.T) {
	p := portaltest.NewPortal(t)
	officer := p.Officer(t, "Budi Petugas", "budi@semarangkota.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	head := p.Officer(t, "Sri Kepala", "sri@semarangkota.test", pendopo.Role{Kind: pendopo.RoleSupervisor, Region: "33.74", Agency: "disdukcapil"})
	id := serviceID(t, p, "33.74", "penerbitan-ktp-el")
	svcPath := fmt.Sprintf("/admin/layanan/%d", id)

	// The officer's editor offers submitting, not publishing.
	ed := p.GetAs(t, svcPath, officer)
	if ed.StatusCode != 200 || !strings.Contains(ed.Body, `value="ajukan"`) || strings.Contains(ed.Body, `value="terbit"`) {
		t.Fatalf("officer's editor: %d", ed.StatusCode)
	}
	f := serviceForm()
	f.Set("slug", "penerbitan-ktp-el")
	f.Set("requirements", "Fotokopi Kartu Keluarga\nSurat pengantar RT")
	f.Set("aksi", "terbit")
	if res := p.PostForm(t, svcPath, f, officer); res.StatusCode != http.StatusForbidden {
		t.Errorf("officer publishes: %d", res.StatusCode)
	}
	f.Set("aksi", "ajukan")
	f.Set("note", "Syarat disesuaikan Perwal baru")
	if res := p.PostForm(t, svcPath, f, officer); res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "pesan=diajukan") {
		t.Fatalf("save and submit: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	m, ok := p.Mail.Last("sri@semarangkota.test")
	if !ok || !strings.Contains(m.Body, "Budi Petugas") || !strings.Contains(m.Body, svcPath+"/beda") {
		t.Errorf("supervisor not told: %+v", m)
	}
	if _, ok := p.Mail.Last("budi@semarangkota.test"); ok {
		t.Error("the officer was told of their own submission")
	}
	// It waits on the region's console and shows its changes.
	if res := p.GetAs(t, "/admin/daerah/33.74", head); !strings.Contains(res.Body, "Menunggu persetujuan") || !strings.Contains(res.Body, svcPath+"/beda?ke=") {
		t.Error("pending submission not on the console")
	}
	diff := p.GetAs(t, svcPath+"/beda", head)
	if diff.StatusCode != 200 || !strings.Contains(diff.Body, "Surat pengantar RT") || !strings.Contains(diff.Body, "<del>") ||
		!strings.Contains(diff.Body, "Diajukan untuk ditinjau oleh Budi Petugas") || !strings.Contains(diff.Body, "/kembalikan") {
		t.Fatalf("diff page: %d", diff.StatusCode)
	}
	checkHTML(t, svcPath+"/beda", diff)
	if res := p.GetAs(t, svcPath+"/beda", officer); res.StatusCode != 200 || strings.Contains(res.Body, "/kembalikan") || strings.Contains(res.Body, "/terbitkan") {
		t.Errorf("officer's diff page offers reviewing: %d", res.StatusCode)
	}
	if res := p.GetAs(t, svcPath+"/beda?ke=99", head); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown version: %d", res.StatusCode)
	}
	latest := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(diff.Body)[1]

	// Sending back needs a note; the officer then sees it.
	if res := p.PostForm(t, svcPath+"/kembalikan", url.Values{"version": {latest}}, head); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-note"`) {
		t.Errorf("return without a note: %d", res.StatusCode)
	}
	if res := p.PostForm(t, svcPath+"/kembalikan", url.Values{"version": {latest}, "note": {"Lampirkan nomor Perwal"}}, officer); res.StatusCode != http.StatusForbidden {
		t.Errorf("officer returns: %d", res.StatusCode)
	}
	if res := p.PostForm(t, svcPath+"/kembalikan", url.Values{"version": {latest}, "note": {"Lampirkan nomor Perwal"}}, head); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", res.StatusCode)
	}
	if res := p.GetAs(t, svcPath, officer); !strings.Contains(res.Body, "Lampirkan nomor Perwal") || !strings.Contains(res.Body, "/ajukan") {
		t.Error("the officer does not see why it came back")
	}
	// Submitted again and published, it is public with its history.
	if res := p.PostForm(t, svcPath+"/ajukan", url.Values{"version": {latest}, "note": {"Perwal 12/2026"}}, officer); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit: %d", res.StatusCode)
	}
	if res := p.PostForm(t, svcPath+"/ajukan", url.Values{"version": {latest}}, officer); res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusConflict {
		t.Errorf("submitting twice: %d", res.StatusCode)
	}
	if res := p.PostForm(t, svcPath+"/terbitkan", url.Values{"version": {latest}}, head); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	pub := p.Get(t, fmt.Sprintf("/layanan/%d", id))
	if !strings.Contains(pub.Body, "Surat pengantar RT") {
		t.Error("published change not on the public page")
	}
	if hist := p.Get(t, fmt.Sprintf("/layanan/%d/riwayat", id)); !strings.Contains(hist.Body, "Syarat disesuaikan Perwal baru") {
		t.Error("history lacks the new version")
	}
	if res := p.GetAs(t, "/admin/daerah/33.74", head); strings.Contains(res.Body, "Menunggu persetujuan") {
		t.Error("published version still pending")
	}
	// Another agency's supervisor has no say.
	other := p.Officer(t, "Kepala Dinkes", "dinkes@semarangkota.test", pendopo.Role{Kind: pendopo.RoleSupervisor, Region: "33.74", Agency: "dinkes"})
	if res := p.PostForm(t, svcPath+"/terbitkan", url.Values{"version": {"1"}}, other); res.StatusCode != http.StatusForbidden {
		t.Errorf("other agency publishes: %d", res.StatusCode)
	}
}
