package open311_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/photo/phototest"
	"github.com/pendopo/pendopo/internal/portaltest"
)

var ctx = context.Background()

// semarangBox is Kota Semarang's map box.
var semarangBox = &pendopo.Bounds{South: -7.12, West: 110.26, North: -6.93, East: 110.51}

// env is the whole portal over the demo content, with Kota Semarang's
// box and street-light routing set and an integration token at hand.
type env struct {
	*portaltest.Portal
	t *testing.T
}

func newEnv(t *testing.T) *env {
	t.Helper()
	p := portaltest.NewPortal(t)
	if err := p.App.SetRegionBounds(ctx, pendopo.System, "33.74", semarangBox); err != nil {
		t.Fatal(err)
	}
	if err := p.App.SetReportRoute(ctx, pendopo.System, "33.74", "penerangan-jalan", "dishub"); err != nil {
		t.Fatal(err)
	}
	return &env{Portal: p, t: t}
}

// at sets the portal's clock.
func (e *env) at(t time.Time) { e.App.SetClock(func() time.Time { return t }) }

// get fetches an Open311 path; header is name, value pairs.
func (e *env) get(path string, header ...string) portaltest.Response {
	e.t.Helper()
	return e.Get(e.t, "/open311/v2/"+path, header...)
}

// post sends a form as an Open311 client (not a browser) does.
func (e *env) post(path string, form url.Values, header ...string) portaltest.Response {
	e.t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/open311/v2/"+path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return e.Do(e.t, r)
}

// streetLight is a good report of a broken street light in Semarang.
func (e *env) streetLight(more ...string) url.Values {
	f := url.Values{
		"api_key": {e.Token}, "jurisdiction_id": {"33.74"}, "service_code": {"penerangan-jalan"},
		"lat": {"-6.99"}, "long": {"110.42"}, "address_string": {"Jl. Pandanaran 12, Semarang"},
		"description": {"Tiga lampu jalan di depan SD Pandanaran mati sejak seminggu; jalan gelap malam hari."},
		"email":       {"warga@contoh.id"}, "device_id": {"hp-1"},
	}
	for i := 0; i+1 < len(more); i += 2 {
		if more[i+1] == "" {
			f.Del(more[i])
		} else {
			f.Set(more[i], more[i+1])
		}
	}
	return f
}

// file posts a report and returns its id.
func (e *env) file(form url.Values) string {
	e.t.Helper()
	res := e.post("requests.json", form)
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("POST requests.json: %d %s", res.StatusCode, res.Body)
	}
	list := jsonList(e.t, res)
	if len(list) != 1 || list[0]["service_request_id"] == "" || list[0]["account_id"] != nil {
		e.t.Fatalf("POST answer: %s", res.Body)
	}
	return list[0]["service_request_id"].(string)
}

func jsonList(t *testing.T, res portaltest.Response) []map[string]any {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var v []map[string]any
	if err := json.Unmarshal([]byte(res.Body), &v); err != nil {
		t.Fatalf("decode %s: %v", res.Body, err)
	}
	return v
}

// node is any XML element, for reading answers back.
type node struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
	Nodes   []node `xml:",any"`
}

func (n node) all(name string) []node {
	var out []node
	for _, c := range n.Nodes {
		if c.XMLName.Local == name {
			out = append(out, c)
		}
	}
	return out
}

func (n node) get(name string) string {
	for _, c := range n.Nodes {
		if c.XMLName.Local == name {
			return strings.TrimSpace(c.Text)
		}
	}
	return "\x00missing"
}

func xmlDoc(t *testing.T, res portaltest.Response, root string) node {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "text/xml; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.HasPrefix(res.Body, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration: %.60s", res.Body)
	}
	var n node
	if err := xml.Unmarshal([]byte(res.Body), &n); err != nil {
		t.Fatalf("decode %s: %v", res.Body, err)
	}
	if n.XMLName.Local != root {
		t.Fatalf("root <%s>, want <%s>", n.XMLName.Local, root)
	}
	return n
}

// wantError checks the specification's error list in both formats.
func (e *env) wantError(res portaltest.Response, status int, isJSON bool, contains string) {
	e.t.Helper()
	if res.StatusCode != status {
		e.t.Fatalf("status %d, want %d: %s", res.StatusCode, status, res.Body)
	}
	var descs []string
	if isJSON {
		var list []struct {
			Code        int    `json:"code"`
			Description string `json:"description"`
		}
		if err := json.Unmarshal([]byte(res.Body), &list); err != nil || len(list) == 0 {
			e.t.Fatalf("error list %s: %v", res.Body, err)
		}
		for _, l := range list {
			if l.Code != status {
				e.t.Errorf("code %d in %s", l.Code, res.Body)
			}
			descs = append(descs, l.Description)
		}
	} else {
		doc := xmlDoc(e.t, res, "errors")
		for _, n := range doc.all("error") {
			if n.get("code") != strconv.Itoa(status) {
				e.t.Errorf("code %s in %s", n.get("code"), res.Body)
			}
			descs = append(descs, n.get("description"))
		}
	}
	if !strings.Contains(strings.Join(descs, "\n"), contains) {
		e.t.Errorf("errors %q do not mention %q", descs, contains)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		e.t.Errorf("error Cache-Control %q", cc)
	}
}

func TestDiscoveryAndServices(t *testing.T) {
	e := newEnv(t)
	res := e.get("discovery.json")
	var d struct {
		Changeset, Contact string
		KeyService         string `json:"key_service"`
		Endpoints          []struct {
			Specification, URL, Type string
			Formats                  []string
		}
	}
	if err := json.Unmarshal([]byte(res.Body), &d); err != nil || res.StatusCode != 200 {
		t.Fatalf("discovery.json: %d %s", res.StatusCode, res.Body)
	}
	if len(d.Endpoints) != 1 || d.Endpoints[0].URL != "http://pendopo.test/open311/v2" || d.Endpoints[0].Specification != "http://wiki.open311.org/GeoReport_v2" ||
		!slices.Contains(d.Endpoints[0].Formats, "application/json") || d.Changeset == "" || d.KeyService == "" || d.Contact == "" {
		t.Errorf("discovery: %+v", d)
	}
	doc := xmlDoc(t, e.get("discovery.xml"), "discovery")
	eps := doc.all("endpoints")
	if len(eps) != 1 || len(eps[0].all("endpoint")) != 1 || eps[0].all("endpoint")[0].get("url") != "http://pendopo.test/open311/v2" ||
		len(eps[0].all("endpoint")[0].all("formats")[0].all("format")) != 2 {
		t.Errorf("discovery.xml: %s", e.get("discovery.xml").Body)
	}

	for _, path := range []string{"services.json", "services.json?jurisdiction_id=33.74"} {
		res := e.get(path)
		list := jsonList(t, res)
		if len(list) != len(pendopo.ReportCategories) {
			t.Fatalf("%s: %d services", path, len(list))
		}
		if s := list[0]; s["service_code"] != "jalan" || s["service_name"] != "Jalan dan jembatan rusak" || s["metadata"] != false ||
			s["type"] != "realtime" || s["group"] != "prasarana" || !strings.Contains(s["keywords"].(string), "damaged roads") || s["description"] == "" {
			t.Errorf("first service: %v", s)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60" {
			t.Errorf("Cache-Control %q", cc)
		}
	}
	services := xmlDoc(t, e.get("services.xml"), "services").all("service")
	if len(services) != len(pendopo.ReportCategories) || services[1].get("service_code") != "penerangan-jalan" || services[1].get("metadata") != "false" {
		t.Errorf("services.xml: %d", len(services))
	}
	e.wantError(e.get("services.json?jurisdiction_id=99.99"), 404, true, "99.99")
	e.wantError(e.get("services.xml?jurisdiction_id=99.99"), 404, false, "jurisdiction_id")

	// Definitions: no attributes.
	res = e.get("services/sampah.json")
	if res.StatusCode != 200 || strings.TrimSpace(res.Body) != `{"service_code":"sampah","attributes":[]}` {
		t.Errorf("services/sampah.json: %d %s", res.StatusCode, res.Body)
	}
	def := xmlDoc(t, e.get("services/sampah.xml"), "service_definition")
	if def.get("service_code") != "sampah" || def.get("attributes") != "" {
		t.Errorf("services/sampah.xml: %+v", def)
	}
	e.wantError(e.get("services/tidak-ada.json"), 404, true, "service_code")
	e.wantError(e.get("services/tidak-ada.xml"), 404, false, "tidak-ada")

	// Addresses that are not resources, and methods that are not served.
	e.wantError(e.get("services"), 404, false, "discovery")
	e.wantError(e.get("nothing.json"), 404, true, "discovery")
	e.wantError(e.get("requests/a/b.json"), 404, true, "discovery")
	r := httptest.NewRequest(http.MethodDelete, "/open311/v2/requests.json", nil)
	res = e.Do(t, r)
	e.wantError(res, 405, true, "Metode")
	if res.Header.Get("Allow") != "GET, POST, HEAD" {
		t.Errorf("Allow %q", res.Header.Get("Allow"))
	}
	e.wantError(e.post("services.xml", url.Values{}), 405, false, "Metode")
	// HEAD is GET without the body.
	if res := e.Do(t, httptest.NewRequest(http.MethodHead, "/open311/v2/services.json", nil)); res.StatusCode != 200 {
		t.Errorf("HEAD services.json: %d", res.StatusCode)
	}
	// Errors speak the client's language.
	e.wantError(e.get("services/tidak-ada.json", "Accept-Language", "en-US,en;q=0.9"), 404, true, "Unknown service_code")
}

func TestFileRequests(t *testing.T) {
	e := newEnv(t)
	// The key: missing, wrong, or for another region.
	e.wantError(e.post("requests.json", e.streetLight("api_key", "")), 403, true, "api_key")
	e.wantError(e.post("requests.xml", e.streetLight("api_key", "")), 403, false, "api_key")
	e.wantError(e.post("requests.json", e.streetLight("api_key", "pdp_salah")), 403, true, "api_key")
	_, solo, err := e.App.CreateToken(ctx, pendopo.System, "aplikasi solo", "33.72")
	if err != nil {
		t.Fatal(err)
	}
	e.wantError(e.post("requests.json", e.streetLight("api_key", solo)), 403, true, "daerah lain")

	// Bad data: 400 naming the field, or 404 for what does not exist.
	e.wantError(e.post("requests.json", e.streetLight("jurisdiction_id", "")), 400, true, "jurisdiction_id")
	e.wantError(e.post("requests.json", e.streetLight("jurisdiction_id", "99.99")), 404, true, "jurisdiction_id")
	e.wantError(e.post("requests.json", e.streetLight("service_code", "")), 400, true, "service_code")
	e.wantError(e.post("requests.xml", e.streetLight("service_code", "jalan-tol")), 404, false, "service_code")
	e.wantError(e.post("requests.json", e.streetLight("lat", "-7.56")), 400, true, "lat/long")                   // Surakarta
	e.wantError(e.post("requests.json", e.streetLight("lat", "-6.94", "long", "110.47")), 400, true, "lat/long") // in the box, in the sea
	e.wantError(e.post("requests.json", e.streetLight("lat", "garis lintang")), 400, true, "lat:")               // not a number
	e.wantError(e.post("requests.json", e.streetLight("long", "NaN")), 400, true, "long:")                       // not a place
	e.wantError(e.post("requests.json", e.streetLight("long", "")), 400, true, "lat/long")                       // half a pin
	e.wantError(e.post("requests.json", e.streetLight("description", strings.Repeat("lampu mati ", 400))), 400, true, "description")
	e.wantError(e.post("requests.json", e.streetLight("lat", "", "long", "", "address_string", "")), 400, true, "lat/long")
	e.wantError(e.post("requests.json", e.streetLight("email", "")), 400, true, "email/phone")
	e.wantError(e.post("requests.json", e.streetLight("email", "bukan email")), 400, true, "email/phone")
	e.wantError(e.post("requests.json", e.streetLight("privacy", "terbuka")), 400, true, "privacy")
	// A title made of a too short description is not the client's mistake.
	res := e.post("requests.json", e.streetLight("description", "Gelap."))
	e.wantError(res, 400, true, "description")
	if strings.Contains(res.Body, "title") {
		t.Errorf("complains of a title not sent: %s", res.Body)
	}
	e.wantError(e.post("requests.json", e.streetLight("description", "a          b")), 400, true, "title")
	e.wantError(e.post("requests.json", e.streetLight("title", "Ge")), 400, true, "title")
	res = e.post("requests.json", e.streetLight(), "Content-Type", "text/plain")
	e.wantError(res, 400, true, "x-www-form-urlencoded")

	// A good report, by phone and with the address only, is listed at once.
	id := e.file(e.streetLight("email", "", "phone", "0812 3456 7890", "lat", "", "long", ""))
	if again := e.file(e.streetLight("email", "", "phone", "0812 3456 7890", "lat", "", "long", "")); again != id {
		t.Errorf("a retry filed a second report: %s and %s", id, again)
	}
	list := jsonList(t, e.get("requests.json"))
	if len(list) != 1 || list[0]["service_request_id"] != id || list[0]["address"] != "Jl. Pandanaran 12, Semarang" || list[0]["lat"] != nil {
		t.Fatalf("requests.json after filing: %v", list)
	}
	// The XML answer, and a browser-like cross-site POST: the key, not a
	// cookie, authorises it, so cross-origin protection lets it through.
	res = e.post("requests.xml", e.streetLight("device_id", "hp-2", "privacy", "anonim"), "Sec-Fetch-Site", "cross-site", "Origin", "https://aplikasi.example")
	if res.StatusCode != 200 {
		t.Fatalf("POST requests.xml: %d %s", res.StatusCode, res.Body)
	}
	reqs := xmlDoc(t, res, "service_requests").all("request")
	if len(reqs) != 1 || reqs[0].get("service_request_id") == "" || !strings.Contains(reqs[0].get("service_notice"), "Identitas") || reqs[0].get("account_id") != "" ||
		len(reqs[0].get("reporter_key")) != 29 {
		t.Errorf("POST requests.xml: %s", res.Body)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("POST Cache-Control %q", cc)
	}
	// Title, kind and an English notice.
	res = e.post("requests.json", e.streetLight("device_id", "hp-3", "kind", "aspirasi", "title", "Tambah lampu di gang"), "Accept-Language", "en")
	if l := jsonList(t, res); !strings.Contains(l[0]["service_notice"].(string), "verified by 2026-12-02") {
		t.Errorf("English notice: %s", res.Body)
	}
	list = jsonList(t, e.get("requests.json"))
	if len(list) != 3 {
		t.Fatalf("%d requests", len(list))
	}
	v, err := e.App.ReportFor(ctx, pendopo.System, list[0]["service_request_id"].(string), "")
	if err != nil || v.Kind != pendopo.ReportAspiration || v.Title != "Tambah lampu di gang" || v.ReporterContact != "warga@contoh.id" {
		t.Errorf("filed report: %+v %v", v, err)
	}
	v, _ = e.App.ReportFor(ctx, pendopo.System, id, "")
	if !strings.HasPrefix(v.Title, "Tiga lampu jalan di depan SD Pandanaran mati sejak seminggu;") || !strings.HasSuffix(v.Title, "…") {
		t.Errorf("title from the description: %q", v.Title)
	}
}

func TestPrivacy(t *testing.T) {
	e := newEnv(t)
	secret := e.file(e.streetLight("privacy", "rahasia", "device_id", "rahasia", "first_name", "Sari", "last_name", "Wulandari"))
	anon := e.file(e.streetLight("privacy", "anonim", "device_id", "anonim", "email", "sari.w@contoh.id",
		"first_name", "Sari", "last_name", "Wulandari", "phone", "081299887766"))
	// Both get answered; the answers are steps the public might see.
	for _, n := range []string{secret, anon} {
		if _, err := e.App.ActOnReport(ctx, pendopo.System, n, app.ReportAct{Action: pendopo.ActReportDispose}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.ActOnReport(ctx, pendopo.System, n, app.ReportAct{Action: pendopo.ActReportAnswer, Note: "Lampu sudah diganti."}); err != nil {
			t.Fatal(err)
		}
	}
	for _, path := range []string{"requests.json", "requests.xml", "requests.json?service_request_id=" + secret + "," + anon,
		"requests/" + anon + ".json", "requests/" + anon + ".xml", "servicerequestupdates.json", "servicerequestupdates.xml"} {
		res := e.get(path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, res.Body)
		}
		if strings.Contains(res.Body, secret) {
			t.Errorf("%s shows the confidential report", path)
		}
		if !strings.Contains(res.Body, anon) {
			t.Errorf("%s leaves out the anonymous report", path)
		}
		for _, personal := range []string{"Sari", "Wulandari", "sari.w@contoh.id", "081299887766", "6281299887766", "email", "first_name", "phone", "account_id"} {
			if strings.Contains(res.Body, personal) {
				t.Errorf("%s shows %q: %s", path, personal, res.Body)
			}
		}
	}
	e.wantError(e.get("requests/"+secret+".json"), 404, true, secret)
	e.wantError(e.get("requests/"+secret+".xml"), 404, false, secret)
	e.wantError(e.get("tokens/"+secret+".json"), 404, true, secret)
	if res := e.get("tokens/" + anon + ".xml"); res.StatusCode != 200 || xmlDoc(t, res, "service_requests").all("request")[0].get("token") != anon {
		t.Errorf("tokens/%s.xml: %s", anon, res.Body)
	}
	tok := jsonList(t, e.get("tokens/"+strings.ToLower(anon)+".json"))
	if tok[0]["service_request_id"] != anon {
		t.Errorf("a token typed in lower case: %v", tok)
	}
	e.wantError(e.get("tokens/3374-2611-AAAAAA-0.json"), 404, true, "3374")
	e.wantError(e.get("requests/bukan-nomor.json"), 404, true, "bukan-nomor")
}

func TestRequestFields(t *testing.T) {
	e := newEnv(t)
	created := jsonList(t, e.post("requests.json", e.streetLight()))[0]
	id, key := created["service_request_id"].(string), created["reporter_key"].(string)
	// The reporter's key is given once, to the client and to the email.
	e.App.Outbox().WaitDetached()
	if m, ok := e.Mail.Last("warga@contoh.id"); len(key) != 29 || !ok || !strings.Contains(m.Body, key) {
		t.Errorf("reporter_key %q, not sent to the email", key)
	}
	one := jsonList(t, e.get("requests/"+id+".json"))[0]
	want := map[string]any{
		"service_request_id": id, "status": "open", "status_notes": nil, "service_name": "Penerangan jalan umum",
		"service_code": "penerangan-jalan", "agency_responsible": nil, "service_notice": nil,
		"requested_datetime": "2026-11-27T17:00:00+07:00", "updated_datetime": "2026-11-27T17:00:00+07:00",
		"expected_datetime": "2026-12-02T23:59:59+07:00", "address": "Jl. Pandanaran 12, Semarang", "address_id": nil,
		"zipcode": nil, "lat": -6.99, "long": 110.42, "media_url": nil,
		"description": "Tiga lampu jalan di depan SD Pandanaran mati sejak seminggu; jalan gelap malam hari.",
	}
	for k, v := range want {
		if one[k] != v {
			t.Errorf("%s = %#v, want %#v", k, one[k], v)
		}
	}
	if len(one) != len(want) {
		t.Errorf("fields %v", one)
	}
	// Disposed, answered, with a photo: the agency, the answer, the media.
	e.at(portaltest.Now.Add(2 * time.Hour))
	if _, err := e.App.ActOnReport(ctx, pendopo.System, id, app.ReportAct{Action: pendopo.ActReportDispose}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.ActOnReport(ctx, pendopo.System, id, app.ReportAct{Action: pendopo.ActReportAnswer, Note: "Tiga lampu sudah diganti <hari ini> & menyala."}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.AddReportPhoto(ctx, pendopo.Actor{}, id, "warga@contoh.id", bytes.NewReader(phototest.JPEG(8, 8))); pendopo.KindOf(err) != pendopo.KindForbidden {
		t.Errorf("a photo with the contact instead of the key: %v", err)
	}
	photo, err := e.App.AddReportPhoto(ctx, pendopo.Actor{}, id, key, bytes.NewReader(phototest.JPEGWithEXIF(40, 20, 6)))
	if err != nil {
		t.Fatal(err)
	}
	one = jsonList(t, e.get("requests/"+id+".json"))[0]
	if one["agency_responsible"] != "Dinas Perhubungan" || one["status_notes"] != "Tiga lampu sudah diganti <hari ini> & menyala." ||
		one["media_url"] != "http://pendopo.test/laporan/"+id+"/foto/"+photo.Addr || one["updated_datetime"] != "2026-11-27T19:00:00+07:00" ||
		one["expected_datetime"] != "2027-01-26T23:59:59+07:00" || one["status"] != "open" {
		// Answered, it waits to be settled: 60 days from receipt.
		t.Errorf("answered: %v", one)
	}
	// media_url serves the photo without the EXIF the phone wrote.
	if img := e.Get(t, strings.TrimPrefix(one["media_url"].(string), "http://pendopo.test")); img.StatusCode != 200 ||
		strings.Contains(img.Body, "Exif") || strings.Contains(img.Body, phototest.PhotoOwner) {
		t.Errorf("media_url: %d, with its EXIF", img.StatusCode)
	}
	res := e.get("requests/" + id + ".xml")
	if !strings.Contains(res.Body, "&lt;hari ini&gt; &amp; menyala") {
		t.Errorf("XML not escaped: %s", res.Body)
	}
	r := xmlDoc(t, res, "service_requests").all("request")[0]
	if r.get("status_notes") != "Tiga lampu sudah diganti <hari ini> & menyala." || r.get("lat") != "-6.99" || r.get("long") != "110.42" ||
		r.get("agency_responsible") != "Dinas Perhubungan" || r.get("zipcode") != "" || r.get("expected_datetime") != "2027-01-26T23:59:59+07:00" {
		t.Errorf("XML request: %+v", r)
	}
	// Completed: closed, and updated when it closed.
	e.at(portaltest.Now.Add(3 * time.Hour))
	if _, err := e.App.ActOnReport(ctx, pendopo.System, id, app.ReportAct{Action: pendopo.ActReportComplete}); err != nil {
		t.Fatal(err)
	}
	one = jsonList(t, e.get("requests/"+id+".json?jurisdiction_id=33.74"))[0]
	if one["status"] != "closed" || one["updated_datetime"] != "2026-11-27T20:00:00+07:00" {
		t.Errorf("completed: %v", one)
	}
	e.wantError(e.get("requests/"+id+".json?jurisdiction_id=33.72"), 404, true, "33.72")
	// A key on a read: still public data, but a private answer.
	if res := e.get("requests/" + id + ".json?api_key=" + e.Token); res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("read with a key: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	e.wantError(e.get("requests/"+id+".json?api_key=pdp_salah"), 403, true, "api_key")
}

func TestRequestFilters(t *testing.T) {
	e := newEnv(t)
	now := portaltest.Now // Friday 27 November 2026, 17:00 WIB
	e.at(now.AddDate(0, 0, -100))
	old := e.file(e.streetLight("service_code", "jalan", "device_id", "lama"))
	e.at(now.AddDate(0, 0, -10))
	light := e.file(e.streetLight("device_id", "lampu"))
	e.at(now.AddDate(0, 0, -5))
	waste := e.file(e.streetLight("service_code", "sampah", "device_id", "sampah", "description", "Sampah menumpuk di depan pasar sejak tiga hari."))
	e.at(now)
	if _, err := e.App.ActOnReport(ctx, pendopo.System, waste, app.ReportAct{Action: pendopo.ActReportReject, Note: "Sudah dilaporkan sebelumnya."}); err != nil {
		t.Fatal(err)
	}
	ids := func(path string) []string {
		t.Helper()
		res := e.get(path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, res.StatusCode, res.Body)
		}
		var out []string
		for _, r := range jsonList(t, res) {
			out = append(out, r["service_request_id"].(string))
		}
		// The XML answer lists the same.
		xmlPath := strings.Replace(path, "requests.json", "requests.xml", 1)
		var fromXML []string
		for _, r := range xmlDoc(t, e.get(xmlPath), "service_requests").all("request") {
			fromXML = append(fromXML, r.get("service_request_id"))
		}
		if !slices.Equal(out, fromXML) {
			t.Errorf("%s: JSON %v, XML %v", path, out, fromXML)
		}
		return out
	}
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", []string{waste, light}}, // the last 90 days, newest first
		{"?jurisdiction_id=33.74", []string{waste, light}},
		{"?jurisdiction_id=33.72", nil},
		{"?status=open", []string{light}},
		{"?status=closed", []string{waste}},
		{"?status=open,closed", []string{waste, light}},
		{"?status=open&status=closed", []string{waste, light}},
		{"?service_code=sampah", []string{waste}},
		{"?service_code=sampah,penerangan-jalan", []string{waste, light}},
		{"?service_code=jalan", nil},
		// A zone offset, escaped or as it often arrives: + read as a space.
		{"?start_date=" + url.QueryEscape("2026-11-21T00:00:00+07:00"), []string{waste}},
		{"?start_date=2026-11-21T00:00:00+07:00", []string{waste}},
		{"?end_date=2026-11-21T00:00:00Z", []string{light}},
		{"?start_date=2026-08-01T00:00:00Z&end_date=2026-08-31T00:00:00%2B07:00", []string{old}},
		{"?start_date=2026-08-01T00:00:00Z", []string{old}},
		// Ids override every other argument.
		{"?service_request_id=" + old + "," + strings.ToLower(light) + "&status=closed&service_code=sampah", []string{light, old}},
		{"?page_size=1", []string{waste}},
		{"?page_size=1&page=2", []string{light}},
		{"?page_size=1&page=3", nil},
	} {
		if got := ids("requests.json" + tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("requests.json%s = %v, want %v", tt.query, got, tt.want)
		}
	}
	// A Link header points at the next page while there is one, keeping
	// the other arguments.
	for _, tt := range []struct{ query, link string }{
		{"?page_size=1", `<http://pendopo.test/open311/v2/requests.json?page=2&page_size=1>; rel="next"`},
		{"?page_size=1&page=2", ""},
		{"", ""},
	} {
		if got := e.get("requests.json" + tt.query).Header.Get("Link"); got != tt.link {
			t.Errorf("requests.json%s: Link %q, want %q", tt.query, got, tt.link)
		}
	}
	for _, tt := range []struct {
		query  string
		status int
		field  string
	}{
		{"?jurisdiction_id=99.99", 404, "jurisdiction_id"},
		{"?service_code=jalan-tol", 404, "service_code"},
		{"?status=terbuka", 400, "status"},
		{"?start_date=2026-11-01", 400, "start_date"},
		{"?end_date=kemarin", 400, "end_date"},
		{"?start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z", 400, "90"},
		{"?start_date=2026-11-01T00:00:00Z&end_date=2026-10-01T00:00:00Z", 400, "end_date"},
		{"?service_request_id=3374-2611", 400, "service_request_id"},
		{"?service_request_id=" + strings.Repeat(light+",", 101), 400, "service_request_id"},
		{"?page=0", 400, "page"},
		{"?page_size=1001", 400, "page_size"},
		{"?page_size=lima", 400, "page_size"},
	} {
		e.wantError(e.get("requests.json"+tt.query), tt.status, true, tt.field)
		e.wantError(e.get("requests.xml"+tt.query), tt.status, false, tt.field)
	}
	// The rejected report's reason is no answer; it shows as closed.
	for _, r := range jsonList(t, e.get("requests.json?service_request_id="+waste)) {
		if r["status"] != "closed" || r["requested_datetime"] != "2026-11-22T17:00:00+07:00" {
			t.Errorf("rejected: %v", r)
		}
	}
}

func TestServiceRequestUpdates(t *testing.T) {
	e := newEnv(t)
	id := e.file(e.streetLight())
	secret := e.file(e.streetLight("privacy", "rahasia", "device_id", "rahasia"))
	e.at(portaltest.Now.Add(time.Hour))
	for _, n := range []string{id, secret} {
		if _, err := e.App.ActOnReport(ctx, pendopo.System, n, app.ReportAct{Action: pendopo.ActReportDispose}); err != nil {
			t.Fatal(err)
		}
	}
	e.at(portaltest.Now.Add(2 * time.Hour))
	for _, n := range []string{id, secret} {
		if _, err := e.App.ActOnReport(ctx, pendopo.System, n, app.ReportAct{Action: pendopo.ActReportAnswer, Note: "Lampu sudah diganti."}); err != nil {
			t.Fatal(err)
		}
	}
	res := e.get("servicerequestupdates.json?jurisdiction_id=33.74")
	list := jsonList(t, res)
	if len(list) != 2 || res.Header.Get("Link") != "" {
		t.Fatalf("updates: %s", res.Body)
	}
	if link := e.get("servicerequestupdates.json?jurisdiction_id=33.74&page_size=1").Header.Get("Link"); !strings.Contains(link, "page=2") {
		t.Errorf("updates page 1 of 2: Link %q", link)
	}
	if u := list[0]; u["service_request_id"] != id || u["status"] != "open" || u["updated_datetime"] != "2026-11-27T18:00:00+07:00" ||
		u["description"] != "Laporan diteruskan kepada Dinas Perhubungan untuk ditindaklanjuti." || u["update_id"] == "" || u["media_url"] != nil {
		t.Errorf("disposition: %v", u)
	}
	if u := list[1]; u["service_request_id"] != id || u["description"] != "Lampu sudah diganti." || u["updated_datetime"] != "2026-11-27T19:00:00+07:00" {
		t.Errorf("answer: %v", u)
	}
	doc := xmlDoc(t, e.get("servicerequestupdates.xml"), "service_request_updates")
	ups := doc.all("request_update")
	if len(ups) != 2 || ups[1].get("description") != "Lampu sudah diganti." || ups[1].get("service_request_id") != id ||
		ups[1].get("update_id") != list[1]["update_id"] || ups[1].get("media_url") != "" {
		t.Errorf("updates.xml: %s", e.get("servicerequestupdates.xml").Body)
	}
	// The window: from the answer on; a window before anything.
	if l := jsonList(t, e.get("servicerequestupdates.json?start_date=2026-11-27T18:30:00%2B07:00")); len(l) != 1 || l[0]["description"] != "Lampu sudah diganti." {
		t.Errorf("updates since 18:30: %v", l)
	}
	if l := jsonList(t, e.get("servicerequestupdates.json?end_date=2026-11-27T17:30:00%2B07:00")); len(l) != 0 {
		t.Errorf("updates before 17:30: %v", l)
	}
	if l := jsonList(t, e.get("servicerequestupdates.json?page_size=1&page=2")); len(l) != 1 || l[0]["description"] != "Lampu sudah diganti." {
		t.Errorf("second page: %v", l)
	}
	e.wantError(e.get("servicerequestupdates.json?jurisdiction_id=99.99"), 404, true, "jurisdiction_id")
	e.wantError(e.get("servicerequestupdates.xml?start_date=besok"), 400, false, "start_date")
}

// TestFileRequestsNotJoined: a region without a coordinator (none holds
// pendopo.JoiningRole there) takes no requests: the error list names the
// region and SP4N-LAPOR! in the client's language, and nothing is filed;
// once it has a coordinator, the same request is filed.
func TestFileRequestsNotJoined(t *testing.T) {
	e := newEnv(t)
	form := e.streetLight("jurisdiction_id", "33.72", "lat", "", "long", "")
	e.wantError(e.post("requests.json", form), 400, true, "SP4N-LAPOR!")
	e.wantError(e.post("requests.xml", form, "Accept-Language", "en"), 400, false, "Kota Surakarta has not joined Pendopo")
	if l, _, err := e.App.Store().Reports(ctx, pendopo.ReportFilter{Region: "33.72"}); err != nil || len(l) != 0 {
		t.Fatalf("a region that has not joined holds reports %v (%v)", l, err)
	}
	e.Officer(t, "Koordinator Surakarta", "koordinator@surakarta.test", pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.72"})
	if res := e.post("requests.json", form); res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated {
		t.Fatalf("with a coordinator: %d %s", res.StatusCode, res.Body)
	}
}
