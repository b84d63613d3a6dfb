package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
)

func allAnswers(v string) url.Values {
	f := url.Values{}
	for _, u := range pendopo.Unsurs {
		f.Set(string(u.ID), v)
	}
	return f
}

// An applicant rates a completed application once; the answer counts in
// the region's IKM at once.
func TestSurveyAfterApplication(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	u, err := p.App.AddUser(ctx, "Rina", "rina@contoh.id", portaltest.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	citizen, _, err := p.App.Login(ctx, "rina@contoh.id", portaltest.Password, "192.0.2.9", "test")
	if err != nil {
		t.Fatal(err)
	}
	number := p.Apply(t, u.ID, svc.ID, true)
	path := "/survei/permohonan/" + number
	if res := p.GetAs(t, path, citizen); res.StatusCode != http.StatusConflict {
		t.Errorf("survey before completion: %d", res.StatusCode)
	}
	for range 4 {
		if _, err := p.App.Act(ctx, app.System, number, pendopo.ActApprove, "", 0, 0); err != nil {
			t.Fatal(err)
		}
	}
	if page := p.GetAs(t, "/permohonan/"+number, citizen); !strings.Contains(page.Body, `href="`+path+`"`) {
		t.Error("the completed application does not invite to the survey")
	}
	form := p.GetAs(t, path, citizen)
	if form.StatusCode != http.StatusOK || strings.Count(form.Body, "<fieldset") != 9 || !strings.Contains(form.Body, `name="persyaratan" value="4"`) {
		t.Fatalf("survey form: %d", form.StatusCode)
	}
	bad := allAnswers("4")
	bad.Set("biaya", "5")
	if res := p.PostForm(t, path, bad, citizen); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="e-biaya"`) ||
		!strings.Contains(res.Body, `name="persyaratan" value="4" checked`) {
		t.Errorf("an answer of 5: %d", res.StatusCode)
	}
	answers := allAnswers("4")
	answers.Del("sarana") // skipped
	if res := p.PostForm(t, path, answers, citizen); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("survey: %d %s", res.StatusCode, res.Body)
	}
	if res := p.PostForm(t, path, allAnswers("1"), citizen); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "sudah Anda isi") {
		t.Errorf("a second survey: %d", res.StatusCode)
	}
	ikm, target, err := p.App.IKM(ctx, "33.74", "", 0, p.App.LastMonths("33.74", 1))
	if err != nil || ikm.Respondents != 1 || ikm.Score != 100 || ikm.Category != pendopo.IKMVeryGood || target < 1 {
		t.Errorf("IKM after one survey: %+v (target %d) %v", ikm, target, err)
	}
	other := p.Citizen(t, "Lain", "lain@contoh.id")
	if res := p.GetAs(t, path, other); res.StatusCode != http.StatusNotFound {
		t.Errorf("another citizen: %d", res.StatusCode)
	}

	// A reporter rates a report once the agency has answered it.
	lat, lng := -7.0, 110.4
	rep, err := p.App.SubmitReport(ctx, app.Actor{UserID: u.ID}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Sampah menumpuk",
		Description: "Sampah belum diangkut seminggu.", Category: "sampah", Privacy: pendopo.PrivacyAnonymous,
		Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
	if err != nil {
		t.Fatal(err)
	}
	rpath := "/survei/laporan/" + rep.Number
	if res := p.PostForm(t, rpath, allAnswers("3"), citizen); res.StatusCode != http.StatusConflict {
		t.Errorf("survey on an unanswered report: %d", res.StatusCode)
	}
	for _, act := range []app.ReportAct{{Action: pendopo.ActReportDispose, Agency: "dlh"}, {Action: pendopo.ActReportAnswer, Note: "Sudah diangkut."}} {
		if _, err := p.App.ActOnReport(ctx, app.System, rep.Number, act); err != nil {
			t.Fatal(err)
		}
	}
	if page := p.GetAs(t, "/laporan/"+rep.Number, citizen); !strings.Contains(page.Body, `href="`+rpath+`"`) {
		t.Error("the answered report does not invite to the survey")
	}
	if res := p.PostForm(t, rpath, allAnswers("3"), other); res.StatusCode != http.StatusNotFound {
		t.Errorf("someone else rates the report: %d", res.StatusCode)
	}
	if res := p.PostForm(t, rpath, allAnswers("3"), citizen); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the reporter's survey: %d %s", res.StatusCode, res.Body)
	}
}

// Walk-in respondents answer from a service point's link, once a day per
// device; the printed QR code points at that link.
func TestWalkInSurvey(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	points, err := p.App.ServicePoints(ctx, "33.74")
	if err != nil || len(points) == 0 {
		t.Fatalf("service points: %v", err)
	}
	unit := points[0].Slug
	path := "/daerah/33.74/survei?unit=" + unit
	if list := p.Get(t, "/daerah/33.74/unit-layanan"); !strings.Contains(list.Body, `href="`+path+`"`) {
		t.Error("the service points page does not link to their surveys")
	}
	if edit := p.GetAs(t, "/admin/daerah/33.74/unit-layanan/"+unit, p.RegionAdmin); !strings.Contains(edit.Body, "/daerah/33.74/survei/qr.png?unit="+unit) {
		t.Error("the console's service point page does not offer the QR code")
	}
	if res := p.Get(t, path); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, points[0].Name) || !strings.Contains(res.Body, `name="layanan"`) {
		t.Fatalf("walk-in form: %d", res.StatusCode)
	}
	post := func(form url.Values, cookie *http.Cookie) *httptest.ResponseRecorder {
		form.Set("unit", unit)
		r := httptest.NewRequest(http.MethodPost, "/daerah/33.74/survei", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		if cookie != nil {
			r.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		p.Handler.ServeHTTP(rec, r)
		return rec
	}
	first := post(allAnswers("3"), nil)
	if first.Code != http.StatusSeeOther || !strings.Contains(first.Header().Get("Location"), "unit="+unit) {
		t.Fatalf("first walk-in survey: %d %s", first.Code, first.Body)
	}
	var device *http.Cookie
	for _, c := range first.Result().Cookies() {
		if c.Name == "pendopo_perangkat" {
			device = c
		}
	}
	if device == nil || !device.HttpOnly {
		t.Fatal("no device cookie")
	}
	if again := post(allAnswers("1"), device); again.Code != http.StatusConflict {
		t.Errorf("the same device again today: %d", again.Code)
	}
	if other := post(allAnswers("2"), nil); other.Code != http.StatusSeeOther {
		t.Errorf("another device: %d", other.Code)
	}
	bot := allAnswers("1")
	bot.Set("website", "http://spam.example")
	if res := post(bot, nil); res.Code != http.StatusSeeOther {
		t.Errorf("honeypot: %d", res.Code)
	}
	ikm, _, _ := p.App.IKM(ctx, "33.74", "", 0, p.App.LastMonths("33.74", 1))
	if ikm.Respondents != 2 || ikm.Score != 62.5 || ikm.Category != pendopo.IKMBad {
		t.Errorf("IKM after two walk-in surveys (3s and 2s): %+v", ikm)
	}
	qr := p.Get(t, "/daerah/33.74/survei/qr.png?unit="+unit)
	if qr.StatusCode != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(qr.Body, "\x89PNG") {
		t.Errorf("QR code: %d %s", qr.StatusCode, qr.Header.Get("Content-Type"))
	}
	for _, bad := range []string{"/daerah/33.74/survei/qr.png?unit=tidak-ada", "/daerah/33.74/survei?unit=tidak-ada", "/daerah/99.99/survei"} {
		if res := p.Get(t, bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
}
