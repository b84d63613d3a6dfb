package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// forge makes the test provider's answers forged; see ssoPortal.
var forge atomic.Bool

// ssoPortal is a portal whose officers may sign in through a real OpenID
// Connect provider running in the test: it serves discovery and its keys,
// signs ID tokens with RSA and checks PKCE, so nothing is skipped.
func ssoPortal(t *testing.T) (*portaltest.Portal, *mockoidc.MockOIDC) {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	// When forge is set, the ID token's claims are changed on the way, as
	// an attacker between provider and portal would; its signature no
	// longer matches.
	m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !forge.Load() || !strings.HasSuffix(r.URL.Path, "/token") {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body map[string]any
			json.Unmarshal(rec.Body.Bytes(), &body)
			if id, ok := body["id_token"].(string); ok {
				parts := strings.Split(id, ".")
				claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
				claims = bytes.Replace(claims, []byte(`"sub":"idp-wati"`), []byte(`"sub":"idp-admin"`), 1)
				parts[1] = base64.RawURLEncoding.EncodeToString(claims)
				body["id_token"] = strings.Join(parts, ".")
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(body)
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	c := m.Config()
	p := portaltest.NewPortal(t, func(cfg *app.Config) {
		cfg.SSO = app.SSOConfig{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: c.ClientSecret, Name: "SSO Pemkot"}
	})
	return p, m
}

// ssoRoundTrip starts a single sign-on at path, lets the provider answer
// as user, and returns the portal's answer to the provider's redirect.
func ssoRoundTrip(t *testing.T, p *portaltest.Portal, m *mockoidc.MockOIDC, path string, user *mockoidc.MockUser, tamper func(q url.Values, cookie *http.Cookie)) portaltest.Response {
	t.Helper()
	start := p.Get(t, path)
	if start.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s: %d %s", path, start.StatusCode, start.Body)
	}
	var cookie *http.Cookie
	for _, c := range start.Cookies() {
		if c.Name == "pendopo_sso" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("flow cookie: %+v", cookie)
	}
	if user != nil {
		// The provider logs this user in at its authorization endpoint.
		m.QueueUser(user)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(start.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || back.Path != "/masuk/sso/kembali" {
		t.Fatalf("provider answered %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	q := back.Query()
	if tamper != nil {
		tamper(q, cookie)
	}
	r := httptest.NewRequest(http.MethodGet, "/masuk/sso/kembali?"+q.Encode(), nil)
	r.AddCookie(cookie)
	return p.Do(t, r)
}

func TestSingleSignOn(t *testing.T) {
	p, m := ssoPortal(t)
	ctx := context.Background()

	// The sign-in page offers it.
	if res := p.Get(t, "/masuk"); !strings.Contains(res.Body, "Masuk dengan SSO Pemkot") {
		t.Error("no single sign-on button")
	}

	// A region admin invites an officer, who accepts with single sign-on.
	admin, _, err := p.App.SessionActor(ctx, p.RegionAdmin, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	_, link, err := p.App.Invite(ctx, admin, "wati@semarangkota.test", "Wati", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	if err != nil {
		t.Fatal(err)
	}
	_, secret, _ := strings.Cut(link, "/undangan/")
	if res := p.Get(t, "/undangan/"+secret); !strings.Contains(res.Body, "/masuk/sso?undangan="+secret) {
		t.Error("the invitation does not offer single sign-on")
	}
	wati := &mockoidc.MockUser{Subject: "idp-wati", Email: "Wati@SemarangKota.test", EmailVerified: true, PreferredUsername: "wati.s"}
	// Someone else's verified address cannot take the invitation.
	other := &mockoidc.MockUser{Subject: "idp-x", Email: "x@semarangkota.test", EmailVerified: true}
	if res := ssoRoundTrip(t, p, m, "/masuk/sso?undangan="+secret, other, nil); res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "wati@semarangkota.test") {
		t.Errorf("invitation with another address: %d", res.StatusCode)
	}
	res := ssoRoundTrip(t, p, m, "/masuk/sso?undangan="+secret, wati, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin" {
		t.Fatalf("accept with SSO: %d %s", res.StatusCode, res.Body)
	}
	if got := p.GetAs(t, "/admin/daerah/33.74", cookie(t, res)); got.StatusCode != 200 {
		t.Errorf("officer's console after SSO: %d", got.StatusCode)
	}
	// Next time the subject alone signs her in, wherever she was going.
	res = ssoRoundTrip(t, p, m, "/masuk/sso?kembali=/admin/daerah/33.74/pengguna", &mockoidc.MockUser{Subject: "idp-wati"}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/daerah/33.74/pengguna" {
		t.Errorf("second sign-in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	// Someone already linked takes a further invitation with SSO too.
	_, link2, err := p.App.Invite(ctx, admin, "wati@semarangkota.test", "", pendopo.Role{Kind: pendopo.RoleSupervisor, Region: "33.74", Agency: "dinkes"})
	if err != nil {
		t.Fatal(err)
	}
	_, secret2, _ := strings.Cut(link2, "/undangan/")
	if res := ssoRoundTrip(t, p, m, "/masuk/sso?undangan="+secret2, wati, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second invitation: %d %s", res.StatusCode, res.Body)
	}
	if res := p.Get(t, "/undangan/"+secret2); res.StatusCode != http.StatusNotFound {
		t.Errorf("second invitation still open: %d", res.StatusCode)
	}
	// An officer who already had a password account links on first use,
	// by the provider's verified address.
	res = ssoRoundTrip(t, p, m, "/masuk/sso", &mockoidc.MockUser{Subject: "idp-admin", Email: "admin@semarangkota.test", EmailVerified: true}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("existing officer: %d %s", res.StatusCode, res.Body)
	}
	// Unverified addresses, people without a role and strangers are refused.
	if _, err := p.App.AddUser(ctx, "Warga", "warga@contoh.test", portaltest.Password, nil); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*mockoidc.MockUser{
		{Subject: "idp-1", Email: "nasional@pendopo.test", EmailVerified: false},
		{Subject: "idp-2", Email: "warga@contoh.test", EmailVerified: true},
		{Subject: "idp-3", Email: "orang@asing.test", EmailVerified: true},
	} {
		if res := ssoRoundTrip(t, p, m, "/masuk/sso", u, nil); res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Minta undangan") || len(res.Cookies()) > 1 {
			t.Errorf("%s (verified %v): %d", u.Email, u.EmailVerified, res.StatusCode)
		}
	}
	// A forged state, a changed flow cookie or a replayed code do not sign in.
	for name, tamper := range map[string]func(url.Values, *http.Cookie){
		"state":  func(q url.Values, _ *http.Cookie) { q.Set("state", "lain") },
		"cookie": func(_ url.Values, c *http.Cookie) { c.Value = c.Value[:len(c.Value)-4] + "AAAA" },
		"code":   func(q url.Values, _ *http.Cookie) { q.Set("code", "kode-palsu") },
	} {
		if res := ssoRoundTrip(t, p, m, "/masuk/sso", &mockoidc.MockUser{Subject: "idp-wati"}, tamper); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("tampered %s: %d", name, res.StatusCode)
		}
	}
	// An ID token whose claims were changed after signing is refused.
	forge.Store(true)
	res = ssoRoundTrip(t, p, m, "/masuk/sso", &mockoidc.MockUser{Subject: "idp-wati"}, nil)
	forge.Store(false)
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged ID token: %d", res.StatusCode)
	}
	// The provider refusing is a clear message, not an error page.
	r := httptest.NewRequest(http.MethodGet, "/masuk/sso/kembali?error=access_denied", nil)
	if res := p.Do(t, r); res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "dibatalkan") {
		t.Errorf("provider refused: %d", res.StatusCode)
	}
}

func TestSingleSignOnOff(t *testing.T) {
	p := portaltest.NewPortal(t)
	if res := p.Get(t, "/masuk/sso"); res.StatusCode != http.StatusNotFound {
		t.Errorf("single sign-on when off: %d", res.StatusCode)
	}
	if res := p.Get(t, "/masuk"); strings.Contains(res.Body, "/masuk/sso") {
		t.Error("sign-in page offers single sign-on that is off")
	}
}
