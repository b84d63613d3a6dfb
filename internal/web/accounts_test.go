package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
)

var sixDigits = regexp.MustCompile(`\b(\d{6})\b`)

// mailedCode is the last one-time code sent to an address.
func mailedCode(t *testing.T, p *portaltest.Portal, to string) string {
	t.Helper()
	p.App.Outbox().WaitDetached() // codes are sent after the answer
	m, ok := p.Mail.Last(to)
	if !ok {
		t.Fatalf("nothing was sent to %s", to)
	}
	c := sixDigits.FindString(m.Body)
	if c == "" {
		t.Fatalf("no code in %q", m.Body)
	}
	return c
}

// cookie returns the session secret a response set.
func cookie(t *testing.T, res portaltest.Response) string {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == portaltest.SessionCookie && c.MaxAge >= 0 {
			return c.Value
		}
	}
	t.Fatalf("no session cookie: %d %s", res.StatusCode, res.Header.Get("Location"))
	return ""
}

// TestCitizenAccountPages walks a citizen through the account pages:
// register, confirm, sign in, keep the NIK, export and delete.
func TestCitizenAccountPages(t *testing.T) {
	p := portaltest.NewPortal(t)
	const who = "sari@contoh.test"
	pass := "lumpia enak sekali"

	// Registering needs consent; what was typed stays, the password does not.
	res := p.PostForm(t, "/daftar", url.Values{"name": {"Sari Wulandari"}, "login": {who}, "password": {pass}}, "")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Centang persetujuan") ||
		!strings.Contains(res.Body, `value="Sari Wulandari"`) || strings.Contains(res.Body, pass) {
		t.Fatalf("without consent: %d", res.StatusCode)
	}
	res = p.PostForm(t, "/daftar", url.Values{"name": {"Sari"}, "login": {who}, "password": {"12345678"}, "setuju": {"1"}}, "")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "terlalu umum") || !strings.Contains(res.Body, `aria-invalid="true"`) {
		t.Fatalf("weak password: %d", res.StatusCode)
	}
	res = p.PostForm(t, "/daftar", url.Values{"name": {"Sari Wulandari"}, "login": {who}, "password": {pass}, "setuju": {"1"}}, "")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/konfirmasi?") {
		t.Fatalf("register: %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	// Before confirming, signing in points to the confirmation page.
	res = p.PostForm(t, "/masuk", url.Values{"login": {who}, "password": {pass}}, "")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, `href="/konfirmasi?login=sari%40contoh.test"`) {
		t.Errorf("unconfirmed sign-in: %d", res.StatusCode)
	}
	res = p.PostForm(t, "/konfirmasi", url.Values{"login": {who}, "code": {"000000"}}, "")
	if res.StatusCode == http.StatusSeeOther || !strings.Contains(res.Body, `role="alert"`) {
		t.Errorf("wrong code accepted: %d", res.StatusCode)
	}
	res = p.PostForm(t, "/konfirmasi", url.Values{"login": {who}, "code": {mailedCode(t, p, who)}}, "")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/masuk?terkonfirmasi=1") {
		t.Fatalf("confirm: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := p.Get(t, res.Header.Get("Location")); !strings.Contains(res.Body, "sudah terkonfirmasi") || !strings.Contains(res.Body, `value="sari@contoh.test"`) {
		t.Error("the sign-in page does not say the account is confirmed")
	}
	sess := cookie(t, p.PostForm(t, "/masuk", url.Values{"login": {who}, "password": {pass}}, ""))

	// The account page and the header know who is signed in.
	acc := p.GetAs(t, "/akun", sess)
	if acc.StatusCode != 200 || !strings.Contains(acc.Body, "sari@contoh.test") || !strings.Contains(acc.Body, "perangkat ini") ||
		!strings.Contains(acc.Body, `action="/keluar"`) || strings.Contains(acc.Body, `href="/admin"`) {
		t.Fatalf("account page: %d", acc.StatusCode)
	}
	if acc.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("account page may be cached: %q", acc.Header.Get("Cache-Control"))
	}
	if res := p.GetAs(t, "/daerah/33.74", sess); res.Header.Get("Cache-Control") != "private, no-cache" {
		t.Errorf("a signed-in public page may be kept by shared caches: %q", res.Header.Get("Cache-Control"))
	}
	checkHTML(t, "/akun", acc)

	// The NIK is checked, kept encrypted, and shown only masked.
	res = p.PostForm(t, "/akun/nik", url.Values{"nik": {"1234"}}, sess)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-nik"`) {
		t.Errorf("bad NIK: %d", res.StatusCode)
	}
	const nik = "3374015708900003"
	if res := p.PostForm(t, "/akun/nik", url.Values{"nik": {nik}}, sess); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("NIK: %d %s", res.StatusCode, res.Body)
	}
	acc = p.GetAs(t, "/akun", sess)
	if strings.Contains(acc.Body, nik) || !strings.Contains(acc.Body, pendopo.MaskNIK(nik)) {
		t.Error("account page does not mask the NIK")
	}
	// Own data comes as a download, without session hashes.
	dl := p.GetAs(t, "/akun/data", sess)
	files := unzip(t, dl)
	var mine app.MyData
	if err := json.Unmarshal(files["index.json"], &mine); err != nil || mine.NIK != nik || mine.Account.Email != who || len(mine.Sessions) != 1 {
		t.Errorf("data export: %v %+v", err, mine)
	}
	if !strings.Contains(dl.Header.Get("Content-Disposition"), "attachment") || strings.Contains(string(files["index.json"]), app.SessionID(sess)) {
		t.Errorf("data export headers or hash: %v", dl.Header)
	}

	// Changing the password needs the current one.
	res = p.PostForm(t, "/akun/sandi", url.Values{"current": {"bukan ini"}, "password": {"pecel lele malam hari"}}, sess)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-current"`) {
		t.Errorf("wrong current password: %d", res.StatusCode)
	}

	// Deleting the account needs the password, ends the session and
	// forgets the person.
	res = p.PostForm(t, "/akun/hapus", url.Values{"password": {"salah"}}, sess)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("delete with a wrong password: %d", res.StatusCode)
	}
	res = p.PostForm(t, "/akun/hapus", url.Values{"password": {pass}}, sess)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if res := p.GetAs(t, "/akun", sess); res.StatusCode != http.StatusSeeOther {
		t.Errorf("session survives deletion: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/masuk", url.Values{"login": {who}, "password": {pass}}, ""); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("deleted account signs in: %d", res.StatusCode)
	}
}

// TestForgotPasswordPages resets a password with a mailed code; unknown
// addresses get the same answer.
func TestForgotPasswordPages(t *testing.T) {
	p := portaltest.NewPortal(t)
	known := p.PostForm(t, "/lupa-sandi", url.Values{"login": {"admin@semarangkota.test"}}, "")
	unknown := p.PostForm(t, "/lupa-sandi", url.Values{"login": {"siapa@contoh.test"}}, "")
	if known.StatusCode != http.StatusSeeOther || unknown.StatusCode != known.StatusCode ||
		strings.Replace(unknown.Header.Get("Location"), "siapa%40contoh.test", "X", 1) != strings.Replace(known.Header.Get("Location"), "admin%40semarangkota.test", "X", 1) {
		t.Errorf("known and unknown accounts answer differently: %s vs %s", known.Header.Get("Location"), unknown.Header.Get("Location"))
	}
	code := mailedCode(t, p, "admin@semarangkota.test")
	res := p.PostForm(t, "/atur-ulang-sandi", url.Values{"login": {"admin@semarangkota.test"}, "code": {code}, "password": {"soto bangkong pagi"}}, "")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/masuk?sandi=baru") {
		t.Fatalf("reset: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// The reset signs out every device.
	if res := p.GetAs(t, "/admin", p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Errorf("old session survives a reset: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/masuk", url.Values{"login": {"admin@semarangkota.test"}, "password": {"soto bangkong pagi"}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sign in with the new password: %d", res.StatusCode)
	}
}

// TestInvitationPages: a region admin's invitation makes a new officer
// who lands in the console of the agency's region.
func TestInvitationPages(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	admin, _, err := p.App.SessionActor(ctx, p.RegionAdmin, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	_, link, err := p.App.Invite(ctx, admin, "budi@semarangkota.test", "Budi", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	if err != nil {
		t.Fatal(err)
	}
	_, secret, _ := strings.Cut(link, "/undangan/")
	page := p.Get(t, "/undangan/"+secret)
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Petugas") || !strings.Contains(page.Body, "Kota Semarang") || !strings.Contains(page.Body, `autocomplete="new-password"`) {
		t.Fatalf("invitation page: %d", page.StatusCode)
	}
	checkHTML(t, "/undangan/…", page)
	res := p.PostForm(t, "/undangan/"+secret, url.Values{"name": {"Budi Santoso"}, "password": {"pendek"}}, "")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-password"`) {
		t.Errorf("short password: %d", res.StatusCode)
	}
	res = p.PostForm(t, "/undangan/"+secret, url.Values{"name": {"Budi Santoso"}, "password": {"gedung lawang sewu"}}, "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin" {
		t.Fatalf("accept: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	officer := cookie(t, res)
	if res := p.GetAs(t, "/admin", officer); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/daerah/33.74" {
		t.Errorf("officer console: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := p.GetAs(t, "/admin/daerah/33.72", officer); res.StatusCode != http.StatusForbidden {
		t.Errorf("officer in another region: %d", res.StatusCode)
	}
	// An invitation works once.
	if res := p.Get(t, "/undangan/"+secret); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "sudah dipakai") {
		t.Errorf("used invitation: %d", res.StatusCode)
	}
}

// TestUsersPage: a region admin invites from the console, sees the
// officer, cancels an invitation and revokes a role.
func TestUsersPage(t *testing.T) {
	p := portaltest.NewPortal(t)
	page := p.GetAs(t, "/admin/daerah/33.74/pengguna", p.RegionAdmin)
	if page.StatusCode != 200 || !strings.Contains(page.Body, "admin@semarangkota.test") || !strings.Contains(page.Body, `name="kind"`) {
		t.Fatalf("users page: %d", page.StatusCode)
	}
	checkHTML(t, "/admin/daerah/33.74/pengguna", page)
	// A region admin cannot hand out national roles.
	if strings.Contains(page.Body, `value="national_admin"`) || strings.Contains(page.Body, `value="overseer"`) {
		t.Error("national roles offered to a region admin")
	}
	// An officer's role needs an agency; the form says so and keeps the input.
	res := p.PostForm(t, "/admin/daerah/33.74/pengguna/undang", url.Values{"email": {"rina@semarangkota.test"}, "name": {"Rina"}, "kind": {"officer"}}, p.RegionAdmin)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-agency"`) || !strings.Contains(res.Body, `value="rina@semarangkota.test"`) {
		t.Fatalf("invite without agency: %d", res.StatusCode)
	}
	res = p.PostForm(t, "/admin/daerah/33.74/pengguna/undang", url.Values{"email": {"rina@semarangkota.test"}, "name": {"Rina"}, "kind": {"officer"}, "agency": {"disdukcapil"}}, p.RegionAdmin)
	link := regexp.MustCompile(`/undangan/[A-Za-z0-9_-]+`).FindString(res.Body)
	if res.StatusCode != 200 || link == "" {
		t.Fatalf("invite: %d", res.StatusCode)
	}
	if m, ok := p.Mail.Last("rina@semarangkota.test"); !ok || !strings.Contains(m.Body, link) {
		t.Errorf("invitation mail: %+v", m)
	}
	// Pending, then cancelled: the link stops working.
	page = p.GetAs(t, "/admin/daerah/33.74/pengguna", p.RegionAdmin)
	id := regexp.MustCompile(`/pengguna/undangan/(\d+)/batal`).FindStringSubmatch(page.Body)
	if id == nil {
		t.Fatal("pending invitation not listed")
	}
	if res := p.PostForm(t, "/admin/daerah/33.72/pengguna/undangan/"+id[1]+"/batal", nil, p.RegionAdmin); res.StatusCode != http.StatusForbidden {
		t.Errorf("cancel through another region: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/daerah/33.74/pengguna/undangan/"+id[1]+"/batal", nil, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Errorf("cancel: %d", res.StatusCode)
	}
	if res := p.Get(t, link); res.StatusCode != http.StatusNotFound {
		t.Errorf("cancelled invitation still opens: %d", res.StatusCode)
	}

	// An officer shows up with its role; revoking it signs them out.
	officer := p.Officer(t, "Petugas Dukcapil", "petugas@semarangkota.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	page = p.GetAs(t, "/admin/daerah/33.74/pengguna", p.RegionAdmin)
	uid := regexp.MustCompile(`/pengguna/(\d+)/cabut`).FindAllStringSubmatch(page.Body, -1)
	if !strings.Contains(page.Body, "petugas@semarangkota.test") || len(uid) != 1 {
		t.Fatalf("officer not listed or own role revocable: %d", len(uid))
	}
	revoke := url.Values{"kind": {"officer"}, "region": {"33.74"}, "agency": {"disdukcapil"}}
	if res := p.PostForm(t, "/admin/daerah/33.74/pengguna/"+uid[0][1]+"/cabut", revoke, officer); res.StatusCode != http.StatusForbidden {
		t.Errorf("officer revokes: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/daerah/33.74/pengguna/"+uid[0][1]+"/cabut", revoke, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res := p.GetAs(t, "/admin", officer); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/masuk") {
		t.Errorf("officer still signed in after revocation: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// Another region's users are not this admin's business.
	if res := p.GetAs(t, "/admin/daerah/33.72/pengguna", p.RegionAdmin); res.StatusCode != http.StatusForbidden {
		t.Errorf("other region's users: %d", res.StatusCode)
	}
}

// TestTokensPage: a region admin makes a token for the API, sees it once,
// uses it, and revokes it.
func TestTokensPage(t *testing.T) {
	p := portaltest.NewPortal(t)
	page := p.GetAs(t, "/admin/token", p.RegionAdmin)
	if page.StatusCode != 200 || !strings.Contains(page.Body, `<option value="33.74"`) || strings.Contains(page.Body, p.Token[:10]) {
		t.Fatalf("tokens page: %d", page.StatusCode)
	}
	checkHTML(t, "/admin/token", page)
	// The national token of the fixture is not a region admin's to see.
	if strings.Contains(page.Body, "penguji nasional") || !strings.Contains(page.Body, "admin semarang") {
		t.Error("region admin sees tokens outside the region")
	}
	if res := p.PostForm(t, "/admin/token", url.Values{"name": {""}, "region": {"33.74"}}, p.RegionAdmin); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-name"`) {
		t.Errorf("nameless token: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/token", url.Values{"name": {"x"}, "region": {"33.72"}}, p.RegionAdmin); res.StatusCode != http.StatusForbidden {
		t.Errorf("token for another region: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/token", url.Values{"name": {"x"}, "region": {""}}, p.RegionAdmin); res.StatusCode != http.StatusForbidden {
		t.Errorf("national token by a region admin: %d", res.StatusCode)
	}
	res := p.PostForm(t, "/admin/token", url.Values{"name": {"SIMPEL Dukcapil"}, "region": {"33.74"}}, p.RegionAdmin)
	secret := regexp.MustCompile(`pdp_[A-Za-z0-9_-]+`).FindString(res.Body)
	if res.StatusCode != 200 || secret == "" {
		t.Fatalf("create token: %d", res.StatusCode)
	}
	who, err := p.App.Authenticate(context.Background(), secret)
	if err != nil || who.Region != "33.74" {
		t.Fatalf("new token: %v %+v", err, who)
	}
	page = p.GetAs(t, "/admin/token", p.RegionAdmin)
	if strings.Contains(page.Body, secret) {
		t.Error("token secret shown again")
	}
	ids := regexp.MustCompile(`/admin/token/(\d+)/cabut`).FindAllStringSubmatch(page.Body, -1)
	if len(ids) != 2 {
		t.Fatalf("revocable tokens: %d", len(ids))
	}
	officer := p.Officer(t, "Petugas", "petugas@semarangkota.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	if res := p.GetAs(t, "/admin/token", officer); res.StatusCode != http.StatusForbidden {
		t.Errorf("officer on the tokens page: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/token/"+ids[0][1]+"/cabut", nil, officer); res.StatusCode != http.StatusForbidden {
		t.Errorf("officer revokes a token: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/token/"+ids[0][1]+"/cabut", nil, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if _, err := p.App.Authenticate(context.Background(), secret); err == nil {
		t.Error("revoked token still works")
	}
}

// TestAuditPage: region admins browse and filter their region's trail;
// others cannot.
func TestAuditPage(t *testing.T) {
	p := portaltest.NewPortal(t)
	id := serviceID(t, p, "33.74", "penerbitan-ktp-el")
	f := serviceForm()
	f.Set("name", "Penerbitan KTP-el Baru (diperbarui)")
	f.Set("slug", "penerbitan-ktp-el")
	if res := p.PostForm(t, fmt.Sprintf("/admin/layanan/%d", id), f, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", res.StatusCode, res.Body)
	}
	page := p.GetAs(t, "/admin/daerah/33.74/audit?aksi=service", p.RegionAdmin)
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Admin Semarang") || !strings.Contains(page.Body, "service.update_publish") ||
		!strings.Contains(page.Body, "(diperbarui)") {
		t.Fatalf("audit page: %d", page.StatusCode)
	}
	checkHTML(t, "/admin/daerah/33.74/audit", page)
	if res := p.GetAs(t, "/admin/daerah/33.74/audit?oleh=tidak-ada-orang", p.RegionAdmin); !strings.Contains(res.Body, "0 catatan") {
		t.Error("actor filter does not filter")
	}
	if res := p.GetAs(t, "/admin/daerah/33.74/audit?dari=kemarin", p.RegionAdmin); res.StatusCode != 200 || !strings.Contains(res.Body, "tidak dikenali") {
		t.Errorf("bad date: %d", res.StatusCode)
	}
	for _, path := range []string{"/admin/daerah/33.72/audit", "/admin/audit"} {
		if res := p.GetAs(t, path, p.RegionAdmin); res.StatusCode != http.StatusForbidden {
			t.Errorf("region admin on %s: %d", path, res.StatusCode)
		}
	}
	if res := p.GetAs(t, "/admin/audit?entitas=service&id="+fmt.Sprint(id), p.Admin); res.StatusCode != 200 || !strings.Contains(res.Body, "service.update_publish") {
		t.Errorf("national trail: %d", res.StatusCode)
	}
}
