package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// TestAuditLogEndpoints: anyone fetches the signed checkpoint, the key
// that checks it and proofs against it, without signing in; the answers
// carry hashes and sizes and nothing of what the entries say; a bad
// number is a clear 4xx.
func TestAuditLogEndpoints(t *testing.T) {
	ctx := context.Background()
	p := portaltest.NewPortal(t)
	// An entry with personal data in it: an officer reads a citizen's
	// application.
	citizen, err := p.App.AddUser(ctx, "Siti Rahayu", "siti.rahayu@contoh.test", portaltest.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	number := p.Apply(t, citizen.ID, svc.ID, true)
	if _, err := p.App.Application(ctx, pendopo.System, number); err != nil {
		t.Fatal(err)
	}

	res := p.Get(t, "/audit/key")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "pendopo.test/audit+") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/audit/key: %d %q", res.StatusCode, res.Body)
	}
	vkey := strings.TrimSpace(res.Body)
	res = p.Get(t, "/audit/checkpoint")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("/audit/checkpoint: %d %v", res.StatusCode, res.Header)
	}
	c, _, err := app.OpenCheckpoint([]byte(res.Body), vkey)
	if err != nil || c.Size < 10 {
		t.Fatalf("checkpoint: %+v %v\n%s", c, err, res.Body)
	}
	size := c.Size
	var answers []string
	for n := int64(1); n <= size; n += max(1, size/7) {
		res := p.Get(t, fmt.Sprintf("/audit/proof/inclusion/%d/%d", n, size))
		var ip app.InclusionProof
		if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(res.Body), &ip) != nil {
			t.Fatalf("inclusion %d: %d %s", n, res.StatusCode, res.Body)
		}
		if err := tlog.CheckRecord(ip.Proof, size, c.Root, n-1, ip.LeafHash); err != nil || ip.RootHash != c.Root {
			t.Errorf("inclusion of %d in %d does not check: %v", n, size, err)
		}
		leaf := p.Get(t, fmt.Sprintf("/audit/proof/leaf/%d", n))
		if !strings.Contains(leaf.Body, ip.LeafHash.String()) {
			t.Errorf("leaf %d: %s, want %s", n, leaf.Body, ip.LeafHash)
		}
		answers = append(answers, res.Body, leaf.Body)
	}
	res = p.Get(t, fmt.Sprintf("/audit/proof/consistency/3/%d", size))
	var cp app.ConsistencyProof
	if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(res.Body), &cp) != nil {
		t.Fatalf("consistency: %d %s", res.StatusCode, res.Body)
	}
	if err := tlog.CheckTree(cp.Proof, size, c.Root, 3, cp.OldRoot); err != nil {
		t.Errorf("consistency 3 → %d: %v", size, err)
	}
	answers = append(answers, res.Body)
	// Hashes and sizes only: no name, login, number or action.
	entries, _, err := p.App.AuditLog(ctx, pendopo.System, pendopo.AuditFilter{Page: pendopo.Page{PerPage: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range answers {
		for _, secret := range []string{"Siti", "siti.rahayu", number, "application", "sistem", "33.74"} {
			if strings.Contains(a, secret) {
				t.Errorf("a public proof says %q:\n%s", secret, a)
			}
		}
		for _, e := range entries {
			if e.Salt != "" && strings.Contains(a, e.Salt) {
				t.Errorf("a public proof carries an entry's salt")
			}
		}
	}

	for path, want := range map[string]int{
		"/audit/proof/leaf/0":                    http.StatusBadRequest,
		"/audit/proof/leaf/-1":                   http.StatusBadRequest,
		"/audit/proof/leaf/abc":                  http.StatusBadRequest,
		"/audit/proof/leaf/%00":                  http.StatusBadRequest,
		"/audit/proof/leaf/+1":                   http.StatusBadRequest,
		"/audit/proof/leaf/99999999999999999999": http.StatusBadRequest,
		"/audit/proof/leaf/999999":               http.StatusNotFound,
		"/audit/proof/inclusion/5/3":             http.StatusBadRequest,
		"/audit/proof/inclusion/1/999999":        http.StatusNotFound,
		"/audit/proof/consistency/0/3":           http.StatusBadRequest,
		"/audit/proof/consistency/5/3":           http.StatusBadRequest,
		"/audit/proof/consistency/1/999999":      http.StatusNotFound,
		"/audit/proof/consistency/1":             http.StatusNotFound,
	} {
		res := p.Get(t, path)
		if res.StatusCode != want {
			t.Errorf("%s: %d %q, want %d", path, res.StatusCode, res.Body, want)
		}
		// No such route, or a NUL the portal refuses before routing: the
		// portal's own error page.
		if path != "/audit/proof/consistency/1" && path != "/audit/proof/leaf/%00" {
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") || !strings.Contains(res.Body, " / ") {
				t.Errorf("%s: the error is not one line of text in both languages: %q", path, res.Body)
			}
		}
	}
}
