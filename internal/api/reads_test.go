package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/api"
)

// TestReads checks the public reads on one demo database: happy paths,
// pagination, filters, search, comparison, 404s, 400s and languages.
func TestReads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ktp := e.serviceID(t, "33.74", "penerbitan-ktp-el")
	ktpPath := fmt.Sprintf("/api/v1/services/%d", ktp)

	t.Run("happy paths", func(t *testing.T) {
		tests := []struct {
			path  string
			check func(t *testing.T, v map[string]any)
		}{
			{"/api/v1/regions", func(t *testing.T, v map[string]any) {
				if v["total"].(float64) < 500 || v["per_page"].(float64) != pendopo.DefaultPerPage || len(v["items"].([]any)) != pendopo.DefaultPerPage {
					t.Errorf("total %v, per_page %v, %d items", v["total"], v["per_page"], len(v["items"].([]any)))
				}
			}},
			{"/api/v1/regions?level=provinsi", func(t *testing.T, v map[string]any) {
				if v["total"].(float64) != 38 {
					t.Errorf("%v provinces", v["total"])
				}
			}},
			{"/api/v1/regions?parent=33&per_page=1000", func(t *testing.T, v map[string]any) {
				if v["total"].(float64) != 35 {
					t.Errorf("%v kabupaten/kota in Jawa Tengah", v["total"])
				}
			}},
			{"/api/v1/regions/33.74", func(t *testing.T, v map[string]any) {
				if v["name"] != "Kota Semarang" || v["service_count"].(float64) < 40 || dig(v, "profile", "color") != "#0e4d64" || dig(v, "profile", "logo_hash") == "" {
					t.Errorf("region %v", v)
				}
			}},
			{"/api/v1/regions/33.74/agencies", func(t *testing.T, v map[string]any) {
				if v["total"].(float64) != 15 {
					t.Errorf("%v agencies", v["total"])
				}
			}},
			{"/api/v1/regions/33.74/service-points", func(t *testing.T, v map[string]any) {
				if v["total"].(float64) < 8 {
					t.Errorf("%v service points", v["total"])
				}
			}},
			{"/api/v1/regions/33.74/services?per_page=100", func(t *testing.T, v map[string]any) {
				if v["total"].(float64) < 40 {
					t.Errorf("%v services", v["total"])
				}
				// Online and complete as the pages say, not false for all.
				online, complete := 0, 0
				for _, it := range v["items"].([]any) {
					m := it.(map[string]any)
					if m["online"] == true {
						online++
					}
					if m["complete"] == true {
						complete++
					}
				}
				if online == 0 || complete == 0 {
					t.Errorf("%d services online and %d complete", online, complete)
				}
			}},
			{ktpPath, func(t *testing.T, v map[string]any) {
				if v["kind"] != "ktp-el" || dig(v, "kind_name", "id") != "Penerbitan KTP-el" || v["region_name"] != "Kota Semarang" ||
					v["agency_name"] == "" || v["url"] != fmt.Sprintf("/layanan/%d", ktp) || v["version"].(float64) < 1 ||
					v["latest_version"] != v["version"] || v["published"] != true {
					t.Errorf("service %v", v)
				}
				std := v["standard"].(map[string]any)
				if len(std) != 14 {
					t.Errorf("standard has %d components, want 14", len(std))
				}
				if got := fmt.Sprint(v["delivery_components"]); got != "[requirements procedure duration fee product complaints]" {
					t.Errorf("delivery_components %s", got)
				}
			}},
			{ktpPath + "/versions", func(t *testing.T, v map[string]any) {
				items := v["items"].([]any)
				if len(items) == 0 || dig(items[0], "published") != true || dig(items[0], "version").(float64) < dig(items[len(items)-1], "version").(float64) {
					t.Errorf("versions %v", items)
				}
			}},
			{ktpPath + "/versions/1", func(t *testing.T, v map[string]any) {
				if v["version"].(float64) != 1 || dig(v, "content", "slug") != "penerbitan-ktp-el" {
					t.Errorf("version %v", v)
				}
			}},
			{"/api/v1/search?q=akta+kelahiran", func(t *testing.T, v map[string]any) {
				if v["total"].(float64) < 3 || v["query"] != "akta kelahiran" {
					t.Errorf("search %v %v", v["total"], v["query"])
				}
			}},
			{"/api/v1/compare?kind=ktp-el", func(t *testing.T, v map[string]any) {
				if dig(v, "kind", "code") != "ktp-el" || dig(v, "stats", "regions").(float64) < 3 || v["sort"] != "duration" || v["order"] != "asc" {
					t.Errorf("compare %v %v", v["kind"], v["stats"])
				}
			}},
			{"/api/v1/kinds", func(t *testing.T, v map[string]any) {
				items := v["items"].([]any)
				if len(items) < 60 || dig(items[0], "name", "en") == "" {
					t.Errorf("%d kinds: %v", len(items), items[0])
				}
			}},
			{"/api/v1/categories", func(t *testing.T, v map[string]any) {
				if int(v["total"].(float64)) != len(pendopo.Categories) || dig(v["items"].([]any)[0], "title", "en") != "Civil registration and ID" {
					t.Errorf("categories %v", v)
				}
			}},
			{"/api/v1/life-events", func(t *testing.T, v map[string]any) {
				if int(v["total"].(float64)) != len(pendopo.LifeEvents) || dig(v["items"].([]any)[0], "blurb", "id") == "" {
					t.Errorf("life events %v", v)
				}
			}},
			{"/api/v1/stats", func(t *testing.T, v map[string]any) {
				if v["regions"].(float64) < 500 || v["regions_with_catalog"].(float64) != 4 || v["services"].(float64) < 150 {
					t.Errorf("stats %v", v)
				}
			}},
			{"/api/v1/regions/33.74/export", func(t *testing.T, v map[string]any) {
				if v["format"] != pendopo.BundleFormat || v["region"] != "33.74" || len(v["services"].([]any)) < 40 {
					t.Errorf("export %v %v", v["format"], v["region"])
				}
			}},
			{"/api/v1/openapi.json", func(t *testing.T, v map[string]any) {
				if v["openapi"] != "3.1.0" {
					t.Errorf("openapi %v", v["openapi"])
				}
			}},
		}
		for _, tt := range tests {
			t.Run(tt.path, func(t *testing.T) {
				res := e.do(t, request{method: "GET", path: tt.path})
				want(t, res, http.StatusOK)
				if cc := res.header.Get("Cache-Control"); cc != "public, max-age=60" {
					t.Errorf("Cache-Control %q", cc)
				}
				tt.check(t, res.json(t))
			})
		}
	})

	t.Run("pagination", func(t *testing.T) {
		all := e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/agencies"})
		var full api.List[pendopo.Agency]
		all.decode(t, &full)
		for _, path := range []string{"/api/v1/regions/33.74/agencies", "/api/v1/regions/33.74/services", "/api/v1/regions", "/api/v1/kinds", "/api/v1/regions/33.74/service-points"} {
			res := e.do(t, request{method: "GET", path: path + "?per_page=2&page=2"})
			want(t, res, http.StatusOK)
			v := res.json(t)
			if v["page"].(float64) != 2 || v["per_page"].(float64) != 2 || len(v["items"].([]any)) != 2 || v["total"].(float64) < 4 {
				t.Errorf("%s: page %v per_page %v items %d total %v", path, v["page"], v["per_page"], len(v["items"].([]any)), v["total"])
			}
		}
		var page api.List[pendopo.Agency]
		e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/agencies?per_page=2&page=2"}).decode(t, &page)
		if page.Total != full.Total || page.Items[0].Slug != full.Items[2].Slug || page.Items[1].Slug != full.Items[3].Slug {
			t.Errorf("page 2 of 2 is %v, want items 3 and 4 of %v", page.Items, full.Items)
		}
		var past api.List[pendopo.Agency]
		e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/agencies?page=99"}).decode(t, &past)
		if past.Total != full.Total || past.Items == nil || len(past.Items) != 0 {
			t.Errorf("page past the end: %+v", past)
		}
	})

	t.Run("filters", func(t *testing.T) {
		tests := []struct {
			query string
			ok    func(s api.ServiceItem) bool
		}{
			{"category=perizinan", func(s api.ServiceItem) bool { return s.Category == "perizinan" }},
			{"life_event=kelahiran", func(s api.ServiceItem) bool { return slices.Contains(s.LifeEvents, "kelahiran") }},
			{"agency=disdukcapil", func(s api.ServiceItem) bool { return s.AgencySlug == "disdukcapil" }},
			{"kind=ktp-el", func(s api.ServiceItem) bool { return s.Kind == "ktp-el" }},
			{"category=kependudukan&agency=disdukcapil&life_event=kematian", func(s api.ServiceItem) bool {
				return s.Category == "kependudukan" && s.AgencySlug == "disdukcapil" && slices.Contains(s.LifeEvents, "kematian")
			}},
		}
		for _, tt := range tests {
			var l api.List[api.ServiceItem]
			res := e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/services?" + tt.query})
			want(t, res, http.StatusOK)
			res.decode(t, &l)
			if l.Total == 0 || l.Total != len(l.Items) {
				t.Errorf("%s: %d of %d", tt.query, len(l.Items), l.Total)
			}
			for _, s := range l.Items {
				if !tt.ok(s) || s.RegionCode != "33.74" || s.Version < 1 || s.URL != fmt.Sprintf("/layanan/%d", s.ID) {
					t.Errorf("%s: %+v", tt.query, s)
				}
			}
		}
		sorts := []struct {
			sort string
			key  func(s api.ServiceItem) float64
		}{
			{"duration", func(s api.ServiceItem) float64 { return float64(s.Duration.Days()) }},
			{"requirements", func(s api.ServiceItem) float64 { return float64(s.Requirements) }},
			{"updated", func(s api.ServiceItem) float64 { return float64(s.UpdatedAt.Unix()) }},
			{"fee", feeKey},
		}
		for _, tt := range sorts {
			for _, order := range []string{"asc", "desc"} {
				var l api.List[api.ServiceItem]
				e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/services?sort=" + tt.sort + "&order=" + order}).decode(t, &l)
				keys := make([]float64, len(l.Items))
				for i, s := range l.Items {
					keys[i] = tt.key(s)
				}
				if order == "desc" {
					slices.Reverse(keys)
				}
				if !slices.IsSorted(keys) || keys[0] == keys[len(keys)-1] {
					t.Errorf("sort=%s&order=%s: keys %v", tt.sort, order, keys)
				}
			}
		}
		var byName api.List[api.ServiceItem]
		e.do(t, request{method: "GET", path: "/api/v1/regions/33.74/services?sort=name"}).decode(t, &byName)
		if !slices.IsSortedFunc(byName.Items, func(a, b api.ServiceItem) int {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		}) {
			t.Error("sort=name is not by name")
		}
	})

	t.Run("search", func(t *testing.T) {
		var r api.SearchResults
		res := e.do(t, request{method: "GET", path: "/api/v1/search?q=bikin+ktp&region=33.74"})
		want(t, res, http.StatusOK)
		res.decode(t, &r)
		if len(r.Items) == 0 || r.Items[0].Slug != "penerbitan-ktp-el" || r.Items[0].Kind != "ktp-el" || r.Items[0].Score <= 0 || r.Items[0].URL != fmt.Sprintf("/layanan/%d", ktp) {
			t.Fatalf("first hit %+v", r.Items)
		}
		if r.Query != "bikin ktp" || r.Total < len(r.Items) || r.Page != 1 || r.PerPage != pendopo.DefaultPerPage {
			t.Errorf("query %q total %d page %d/%d", r.Query, r.Total, r.Page, r.PerPage)
		}
		for _, h := range r.Items {
			if h.RegionCode != "33.74" && h.RegionCode != "33" {
				t.Errorf("hit from %s outside 33.74", h.RegionCode)
			}
		}
		e.do(t, request{method: "GET", path: "/api/v1/search?q=kelahrian&region=33.74"}).decode(t, &r)
		if r.Corrections["kelahrian"] != "kelahiran" || len(r.Items) == 0 {
			t.Errorf("corrections %v, %d hits", r.Corrections, len(r.Items))
		}
		res = e.do(t, request{method: "GET", path: "/api/v1/search?q=ktp&per_page=2&page=2"})
		res.decode(t, &r)
		if len(r.Items) != 2 || r.Page != 2 || r.Total < 4 {
			t.Errorf("page 2: %d items of %d", len(r.Items), r.Total)
		}
		res = e.do(t, request{method: "GET", path: "/api/v1/search?q="})
		if v := res.json(t); res.status != 200 || v["total"].(float64) != 0 || len(v["items"].([]any)) != 0 || v["corrections"] == nil {
			t.Errorf("empty query: %s", res)
		}
		// Beside the services: a problem to report, another institution's
		// service.
		var sim api.SearchResults
		e.do(t, request{method: "GET", path: "/api/v1/search?q=perpanjang+sim&region=33.74"}).decode(t, &sim)
		if len(sim.Answers) == 0 || sim.Answers[0].Type != "elsewhere" || sim.Answers[0].Code != "sim" || !sim.Answers[0].First ||
			sim.Answers[0].Provider == nil || !strings.HasPrefix(sim.Answers[0].URL, "https://") {
			t.Errorf("perpanjang sim: %+v", sim.Answers)
		}
		var lamp api.SearchResults
		e.do(t, request{method: "GET", path: "/api/v1/search?q=lampu+jalan+mati&region=33.74"}).decode(t, &lamp)
		if len(lamp.Answers) == 0 || lamp.Answers[0].Type != "report" || lamp.Answers[0].URL != "/daerah/33.74/lapor?kategori=penerangan-jalan" ||
			lamp.Answers[0].Title.English != "Street lighting" {
			t.Errorf("lampu jalan mati: %+v", lamp.Answers)
		}
	})

	t.Run("compare", func(t *testing.T) {
		for _, tt := range []struct {
			sort string
			key  func(r api.ComparisonRow) float64
		}{
			{"duration", func(r api.ComparisonRow) float64 { return float64(r.DurationDays) }},
			{"fee", func(r api.ComparisonRow) float64 {
				return feeKey(api.ServiceItem{ServiceSummary: pendopo.ServiceSummary{Fee: r.Fee}})
			}},
		} {
			for _, order := range []string{"asc", "desc"} {
				var c api.Comparison
				res := e.do(t, request{method: "GET", path: "/api/v1/compare?kind=akta-kelahiran&sort=" + tt.sort + "&order=" + order})
				want(t, res, http.StatusOK)
				res.decode(t, &c)
				keys := make([]float64, len(c.Items))
				for i, r := range c.Items {
					keys[i] = tt.key(r)
					if r.URL != fmt.Sprintf("/layanan/%d", r.ServiceID) || r.RegionName == "" || r.UpdatedAt.IsZero() {
						t.Errorf("row %+v", r)
					}
				}
				if order == "desc" {
					slices.Reverse(keys)
				}
				if len(keys) < 3 || !slices.IsSorted(keys) || c.Sort != tt.sort || c.Order != order {
					t.Errorf("sort=%s&order=%s: %v (%s %s)", tt.sort, order, keys, c.Sort, c.Order)
				}
			}
		}
		var c api.Comparison
		e.do(t, request{method: "GET", path: "/api/v1/compare?kind=ktp-el"}).decode(t, &c)
		if c.Stats.Services != len(c.Items) || c.Stats.Regions < 3 || float64(c.Stats.FastestDays) > c.Stats.MedianDays || c.Stats.MedianDays > float64(c.Stats.SlowestDays) ||
			c.Items[0].DurationDays != c.Stats.FastestDays || c.Kind.Name.English == "" {
			t.Errorf("stats %+v, kind %+v", c.Stats, c.Kind)
		}
	})

	t.Run("not found", func(t *testing.T) {
		for _, path := range []string{
			"/api/v1/regions/99.99",
			"/api/v1/regions/abc",
			"/api/v1/regions/99.99/services",
			"/api/v1/regions/abc/agencies",
			"/api/v1/regions/99.99/service-points",
			"/api/v1/regions/99.99/export",
			"/api/v1/services/999999",
			"/api/v1/services/abc",
			"/api/v1/services/-1",
			"/api/v1/services/99999999999999999999999",
			"/api/v1/services/999999/versions",
			ktpPath + "/versions/999",
			ktpPath + "/versions/x",
			ktpPath + "/versions/0",
			"/api/v1/compare?kind=tidak-ada",
			"/api/v1/nothing",
			"/api/v1/regions/33.74/",
		} {
			res := e.do(t, request{method: "GET", path: path})
			if res.status != http.StatusNotFound || res.errorBody(t).Code != pendopo.KindNotFound {
				t.Errorf("%s: %s", path, res)
			}
		}
	})

	t.Run("bad query", func(t *testing.T) {
		for _, tt := range []struct{ path, field string }{
			{"/api/v1/regions?page=0", "page"},
			{"/api/v1/regions?page=x", "page"},
			{"/api/v1/regions?page=-2", "page"},
			{"/api/v1/regions?page=99999999999999999999", "page"},
			{"/api/v1/regions?per_page=1.5", "per_page"},
			{"/api/v1/regions?per_page=1001", "per_page"},
			{"/api/v1/regions?level=desa", "level"},
			{"/api/v1/regions/33.74/services?sort=price", "sort"},
			{"/api/v1/regions/33.74/services?order=up", "order"},
			{"/api/v1/regions/33.74/services?category=tidak-ada", "category"},
			{"/api/v1/search?q=ktp&page=0", "page"},
			{"/api/v1/compare", "kind"},
			{"/api/v1/compare?kind=ktp-el&sort=x", "sort"},
			{"/api/v1/regions/33.74/services?agency=a%00b", "agency"},
			{"/api/v1/search?q=ktp%00", "q"},
			{"/api/v1/regions/33.74/services?kind=%ff", "kind"},
		} {
			res := e.do(t, request{method: "GET", path: tt.path})
			if res.status != http.StatusBadRequest || !slices.Contains(fields(t, res), tt.field) {
				t.Errorf("%s: %s, want 400 on %s", tt.path, res, tt.field)
			}
		}
		// Values that parse but name nothing the app knows are invalid (422).
		for _, tt := range []struct{ path, field string }{
			{"/api/v1/regions?parent=abc", "parent"},
			{"/api/v1/search?q=ktp&region=99.99", "region"},
		} {
			res := e.do(t, request{method: "GET", path: tt.path})
			if res.status != http.StatusUnprocessableEntity || !slices.Contains(fields(t, res), tt.field) {
				t.Errorf("%s: %s, want 422 on %s", tt.path, res, tt.field)
			}
		}
	})

	t.Run("methods", func(t *testing.T) {
		res := e.do(t, request{method: "DELETE", path: "/api/v1/regions/33.74"})
		if res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != "GET, HEAD, PUT" {
			t.Errorf("DELETE region: %s, Allow %q", res, res.header.Get("Allow"))
		}
		res = e.do(t, request{method: "POST", path: "/api/v1/search"})
		if res.status != http.StatusMethodNotAllowed {
			t.Errorf("POST search: %s", res)
		}
	})

	t.Run("languages", func(t *testing.T) {
		for _, tt := range []struct{ lang, msg, field string }{
			{"", "Data tidak ditemukan.", ""},
			{"en-GB,en;q=0.9", "Not found.", ""},
			{"id-ID", "Data tidak ditemukan.", ""},
		} {
			res := e.do(t, request{method: "GET", path: "/api/v1/regions/99.99", lang: tt.lang})
			if got := res.errorBody(t).Message; got != tt.msg {
				t.Errorf("Accept-Language %q: %q, want %q", tt.lang, got, tt.msg)
			}
		}
		res := e.do(t, request{method: "GET", path: "/api/v1/regions?page=0", lang: "en"})
		if f := res.errorBody(t).Fields; len(f) != 1 || f[0].Message != "Must be a whole number of at least 1." {
			t.Errorf("English field error: %+v", f)
		}
		res = e.do(t, request{method: "GET", path: "/api/v1/regions?page=0"})
		if f := res.errorBody(t).Fields; len(f) != 1 || f[0].Message != "Harus bilangan bulat paling kecil 1." {
			t.Errorf("Indonesian field error: %+v", f)
		}
	})

	t.Run("errors are not cached", func(t *testing.T) {
		res := e.do(t, request{method: "GET", path: "/api/v1/regions/99.99"})
		if cc := res.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control of an error: %q", cc)
		}
	})
}

// feeKey orders fees as the service list does: free, then fixed by amount,
// then variable.
func feeKey(s api.ServiceItem) float64 {
	switch s.Fee.Type {
	case pendopo.FeeFree:
		return 0
	case pendopo.FeeFixed:
		return 1 + float64(s.Fee.Amount)/1e13
	}
	return 2
}

// TestInternalError checks that a failure of the system shows only a
// generic message with the request id, and that the real error is logged
// with the same id.
func TestInternalError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.app.Store().Close()
	// Regions are served from memory; agencies come from the database.
	req := httptest.NewRequest("GET", "/api/v1/regions/33.74/agencies", nil)
	req.Header.Set("Accept-Language", "en")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	res := &response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	want(t, res, http.StatusInternalServerError)
	body := res.errorBody(t)
	id := res.header.Get("X-Request-Id")
	if body.Code != pendopo.KindInternal || body.Message != "Something went wrong on our side. Please try again later." || body.RequestID != id || len(body.Fields) != 0 {
		t.Errorf("internal error shown as %s", res)
	}
	if strings.Contains(string(res.body), "closed") {
		t.Errorf("details leak: %s", res.body)
	}
	e.conform(t, "GET", "/api/v1/regions/33.74", res)
	if logs := e.log.String(); !strings.Contains(logs, "request_id="+id) || !strings.Contains(logs, "closed") {
		t.Errorf("log lacks the request id %s or the error:\n%s", id, logs)
	}
}
