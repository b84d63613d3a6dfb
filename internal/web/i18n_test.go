package web_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
	"github.com/pendopo/pendopo/internal/web"
)

// TestPlurals: English counts take "one" or "other" by go-i18n's rules,
// Indonesian has one form.
func TestPlurals(t *testing.T) {
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 working day left"},
		{"en", 2, "2 working days left"},
		{"en", 0, "0 working days left"},
		{"id", 1, "sisa 1 hari kerja"},
		{"id", 2, "sisa 2 hari kerja"},
	} {
		if got := (web.Page{Lang: tt.lang}).N("clock.left", tt.n); got != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	// A count that is not the first argument.
	if got := (web.Page{Lang: "en"}).N("search.compare", 1, "KTP-el", 1); got != "Compare KTP-el across regions (1 service)" {
		t.Errorf("search.compare: %q", got)
	}
}

// TestThirdLanguageIsAFile adds a language by adding one file: the portal
// offers it in the language switch, answers ?lang=, the cookie and
// Accept-Language with it, and renders both its own messages and the
// domain's (a not-found error) from it. Content written in two languages
// by people shows in Indonesian.
func TestThirdLanguageIsAFile(t *testing.T) {
	p := portaltest.NewPortal(t)
	fsys := fstest.MapFS{}
	var jv map[string]any
	for _, lang := range []string{"id", "en"} {
		b, err := pendopo.Locales.ReadFile("locales/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		fsys["locales/"+lang+".json"] = &fstest.MapFile{Data: b}
		if lang == "id" {
			if err := json.Unmarshal(b, &jv); err != nil {
				t.Fatal(err)
			}
		}
	}
	for k, v := range jv {
		jv[k] = "[jv] " + v.(string)
	}
	jv["language.name"] = "Basa Jawa"
	b, _ := json.Marshal(jv)
	fsys["locales/jv.json"] = &fstest.MapFile{Data: b}

	h, err := web.New(p.App, web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Locales: fsys})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string, header ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	if body := get("/").Body.String(); !strings.Contains(body, `hreflang="jv">Basa Jawa</a>`) || !strings.Contains(body, `hreflang="en">English</a>`) {
		t.Error("the language switch does not offer the new language")
	}
	home := get("/?lang=jv").Body.String()
	if !strings.Contains(home, `<html lang="jv">`) || !strings.Contains(home, "[jv] ") || strings.Contains(home, "⟦") {
		t.Errorf("?lang=jv does not render from jv.json")
	}
	if !strings.Contains(home, `hreflang="id">Bahasa Indonesia</a>`) {
		t.Error("a jv page offers no way back to Indonesian")
	}
	if w := get("/daerah/33.74", "Cookie", "bahasa=jv"); !strings.Contains(w.Body.String(), `<html lang="jv">`) {
		t.Error("the cookie does not choose jv")
	}
	if w := get("/bahasa/jv?kembali=/"); w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Set-Cookie"), "bahasa=jv") {
		t.Errorf("/bahasa/jv: %d %q", w.Code, w.Header().Get("Set-Cookie"))
	}
	if w := get("/bahasa/xx?kembali=/"); w.Code != http.StatusNotFound {
		t.Errorf("/bahasa/xx: %d, want 404", w.Code)
	}
	// The domain's messages (a service's duration, made by a rule) come
	// from the same file.
	if body := get("/daerah/33.74/layanan?lang=jv").Body.String(); !regexp.MustCompile(`\[jv\] \d+ hari kerja`).MatchString(body) {
		t.Error("a domain message is not rendered from jv.json")
	}

	// A file that lacks a key of id.json stops the start.
	delete(jv, "nav.tools")
	b, _ = json.Marshal(jv)
	fsys["locales/jv.json"] = &fstest.MapFile{Data: b}
	if _, err := web.New(p.App, web.Config{Locales: fsys}); err == nil || !strings.Contains(err.Error(), "nav.tools") {
		t.Errorf("a catalog without nav.tools: %v", err)
	}
}
