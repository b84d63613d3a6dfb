package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

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
		if _, err := p.App.Act(ctx, pendopo.System, number, app.ApplicationAct{Action: pendopo.ActApprove}); err != nil {
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
	ikm, target, err := p.App.IKM(ctx, "33.74", "", 0, p.App.Figures().LastMonths("33.74", 1))
	if err != nil || ikm.Respondents != 1 || ikm.Score != 100 || ikm.Category != pendopo.IKMVeryGood || target < 1 {
		t.Errorf("IKM after one survey: %+v (target %d) %v", ikm, target, err)
	}
	other := p.Citizen(t, "Lain", "lain@contoh.id")
	if res := p.GetAs(t, path, other); res.StatusCode != http.StatusNotFound {
		t.Errorf("another citizen: %d", res.StatusCode)
	}

	// A reporter rates a report once the agency has answered it.
	lat, lng := -7.0, 110.4
	rep, err := p.App.SubmitReport(ctx, pendopo.Actor{UserID: u.ID}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Sampah menumpuk",
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
		if _, err := p.App.ActOnReport(ctx, pendopo.System, rep.Number, act); err != nil {
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

// Walk-in respondents answer from a service point's link with its code
// of the day (which its printed QR code holds), once a day per device.
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
	if edit := p.GetAs(t, "/admin/daerah/33.74/unit-layanan/"+unit, p.RegionAdmin); !strings.Contains(edit.Body, "/admin/daerah/33.74/survei/cetak?unit="+unit) {
		t.Error("the console's service point page does not offer the printable QR code")
	}
	// Without the code (the link typed, not scanned), the form asks for it.
	if res := p.Get(t, path); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, points[0].Name) || !strings.Contains(res.Body, `name="layanan"`) ||
		!strings.Contains(res.Body, `id="f-kode"`) {
		t.Fatalf("walk-in form: %d", res.StatusCode)
	}
	// The region admin's sheet: the QR code, today's code and its day.
	code, err := p.App.SurveyCode(ctx, pendopo.System, "33.74", unit)
	if err != nil {
		t.Fatal(err)
	}
	sheet := p.GetAs(t, "/admin/daerah/33.74/survei/cetak?unit="+unit, p.RegionAdmin)
	if sheet.StatusCode != http.StatusOK || !strings.Contains(sheet.Body, code.Code) || !strings.Contains(sheet.Body, "Berlaku hanya pada 27 November 2026") ||
		!strings.Contains(sheet.Body, `src="/daerah/33.74/survei/qr.png?unit=`+unit+`"`) || !strings.Contains(sheet.Body, "kode="+code.Code) {
		t.Errorf("the printable sheet: %d", sheet.StatusCode)
	}
	scanned := p.Get(t, code.Path)
	if !strings.Contains(scanned.Body, `name="kode" value="`+code.Code+`"`) || strings.Contains(scanned.Body, `id="f-kode"`) {
		t.Error("the scanned link does not carry the code into the form")
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
	withCode := func(v string, c string) url.Values {
		f := allAnswers(v)
		f.Set("kode", c)
		return f
	}
	if res := post(allAnswers("1"), nil); res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), `id="e-kode"`) {
		t.Errorf("without the presence code: %d", res.Code)
	}
	if res := post(withCode("1", "ABCD-EFGH"), nil); res.Code != http.StatusUnprocessableEntity {
		t.Errorf("a wrong presence code: %d", res.Code)
	}
	first := post(withCode("3", strings.ToLower(strings.ReplaceAll(code.Code, "-", ""))), nil)
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
	if again := post(withCode("1", code.Code), device); again.Code != http.StatusConflict {
		t.Errorf("the same device again today: %d", again.Code)
	}
	if other := post(withCode("2", code.Code), nil); other.Code != http.StatusSeeOther {
		t.Errorf("another device: %d", other.Code)
	}
	bot := withCode("1", code.Code)
	bot.Set("website", "http://spam.example")
	if res := post(bot, nil); res.Code != http.StatusSeeOther {
		t.Errorf("honeypot: %d", res.Code)
	}
	ikm, _, _ := p.App.IKM(ctx, "33.74", "", 0, p.App.Figures().LastMonths("33.74", 1))
	if ikm.Respondents != 2 || ikm.Score != 62.5 || ikm.Category != pendopo.IKMBad {
		t.Errorf("IKM after two walk-in surveys (3s and 2s): %+v", ikm)
	}
	// Yesterday's code no longer works: it rotates with the day.
	restore := p.App.SetClock(func() time.Time { return portaltest.Now.AddDate(0, 0, 1) })
	if res := post(withCode("4", code.Code), nil); res.Code != http.StatusUnprocessableEntity {
		t.Errorf("yesterday's code: %d", res.Code)
	}
	restore()
	// The QR code holds the code: for the point's staff only, never cached.
	qr := p.GetAs(t, "/daerah/33.74/survei/qr.png?unit="+unit, p.RegionAdmin)
	if qr.StatusCode != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(qr.Body, "\x89PNG") ||
		qr.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("QR code: %d %s %s", qr.StatusCode, qr.Header.Get("Content-Type"), qr.Header.Get("Cache-Control"))
	}
	if anon := p.Get(t, "/daerah/33.74/survei/qr.png?unit="+unit); anon.StatusCode != http.StatusSeeOther || strings.HasPrefix(anon.Body, "\x89PNG") {
		t.Errorf("the QR code to the public: %d", anon.StatusCode)
	}
	if res := p.GetAs(t, "/daerah/33.74/survei/qr.png?unit=tidak-ada", p.RegionAdmin); res.StatusCode != http.StatusNotFound {
		t.Errorf("QR of an unknown point: %d", res.StatusCode)
	}
	for _, bad := range []string{"/daerah/33.74/survei?unit=tidak-ada", "/daerah/99.99/survei"} {
		if res := p.Get(t, bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", bad, res.StatusCode)
		}
	}
}

// The attack of issue 11: 130 walk-in ballots of the worst answers, each
// from a new device and a forged address, with the day's code (the
// stuffer stood at the counter once). They must not move the published
// IKM (dashboard, open data, e-gov index); the region admin sees them
// held, and only accepting them moves the figures.
func TestWalkInStuffing(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	unit := "kantor-disdukcapil"
	code, err := p.App.SurveyCode(ctx, pendopo.System, "33.74", unit)
	if err != nil {
		t.Fatal(err)
	}
	ballot := func(v, addr string) int {
		f := allAnswers(v)
		f.Set("unit", unit)
		f.Set("kode", code.Code)
		r := httptest.NewRequest(http.MethodPost, "/daerah/33.74/survei", strings.NewReader(f.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		// A forged X-Forwarded-For is not believed at all (TestForgedForwardedFor);
		// here every ballot comes from a real address of its own, the
		// strongest form of the attack: limits per address cannot hold it.
		r.RemoteAddr = addr + ":40000"
		rec := httptest.NewRecorder()
		p.Handler.ServeHTTP(rec, r)
		return rec.Code
	}
	// Honest visitors earlier in the day: their answers are published.
	restore := p.App.SetClock(func() time.Time { return portaltest.Now.Add(-4 * time.Hour) })
	for i := range 6 {
		if c := ballot("4", fmt.Sprintf("198.51.100.%d", i+1)); c != http.StatusSeeOther {
			t.Fatalf("an honest walk-in response: %d", c)
		}
	}
	restore()
	published := func() (pendopo.IKMResult, string, float64) {
		t.Helper()
		ikm, _, err := p.App.IKM(ctx, "33.74", "", 0, p.App.Figures().LastMonths("33.74", 12))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(p.Get(t, "/data/daerah/33.74/ikm.csv").Body)).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("ikm.csv: %v", err)
		}
		ranking, err := p.App.Figures().EgovRanking(ctx, "", p.App.Figures().LastMonths("33.74", 12))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range ranking {
			if r.Region.Code == "33.74" {
				return ikm, rows[1][len(rows[1])-3], r.Figures.IKM.Score
			}
		}
		t.Fatal("33.74 is not ranked")
		return ikm, "", 0
	}
	before, beforeCSV, beforeIndex := published()
	if before.Respondents != 6 || before.Score != 100 || beforeCSV != "100" || beforeIndex != 100 {
		t.Fatalf("before the attack: %+v, ikm.csv %s, e-gov %v", before, beforeCSV, beforeIndex)
	}
	for i := range 130 {
		if c := ballot("1", fmt.Sprintf("203.0.113.%d", i%250+1)); c != http.StatusSeeOther {
			t.Fatalf("ballot %d: %d", i, c)
		}
	}
	after, afterCSV, afterIndex := published()
	if after != before || afterCSV != beforeCSV || afterIndex != beforeIndex {
		t.Errorf("130 stuffed ballots moved the published IKM: %.2f → %.2f (ikm.csv %s → %s, e-gov %v → %v)",
			before.Score, after.Score, beforeCSV, afterCSV, beforeIndex, afterIndex)
	}
	dash := p.Get(t, "/daerah/33.74/kinerja")
	if !strings.Contains(dash.Body, "130 tanggapan langsung tertahan") || !strings.Contains(dash.Body, "0 diundang setelah permohonan atau laporan, 6 langsung di unit layanan") {
		t.Errorf("the dashboard does not say how many are held, invited and walk-in:\n%s", excerpt(dash.Body, "responden"))
	}
	// The region admin sees the burst and decides; the agency's officer
	// sees today's codes but not the held responses.
	officer := p.Officer(t, "Petugas", "petugas@dukcapil.test", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"})
	if desk := p.GetAs(t, "/admin/daerah/33.74/survei", officer); desk.StatusCode != http.StatusOK || !strings.Contains(desk.Body, code.Code) ||
		strings.Contains(desk.Body, "/survei/tertahan") {
		t.Errorf("the officer's desk: %d", desk.StatusCode)
	}
	desk := p.GetAs(t, "/admin/daerah/33.74/survei", p.RegionAdmin)
	if !strings.Contains(desk.Body, "<td>130</td>") || !strings.Contains(desk.Body, "/survei/tertahan") {
		t.Fatalf("the admin's desk lacks the held burst:\n%s", excerpt(desk.Body, "tertahan"))
	}
	points, _ := p.App.ServicePoints(ctx, "33.74")
	var pointID int64
	for _, pt := range points {
		if pt.Slug == unit {
			pointID = pt.ID
		}
	}
	decide := url.Values{"point": {fmt.Sprint(pointID)}, "day": {"2026-11-27"}, "action": {"terima"}}
	if res := p.PostForm(t, "/admin/daerah/33.74/survei/tertahan", decide, officer); res.StatusCode != http.StatusForbidden {
		t.Errorf("an officer decided on held responses: %d", res.StatusCode)
	}
	if res := p.PostForm(t, "/admin/daerah/33.74/survei/tertahan", decide, p.RegionAdmin); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	accepted, acceptedCSV, acceptedIndex := published()
	if accepted.Respondents != 136 || accepted.Score >= before.Score || acceptedCSV == beforeCSV || acceptedIndex >= beforeIndex {
		t.Errorf("accepting the held responses did not move the IKM: %+v (ikm.csv %s, e-gov %v)", accepted, acceptedCSV, acceptedIndex)
	}
	log, _, err := p.App.AuditLog(ctx, pendopo.System, pendopo.AuditFilter{Region: "33.74", Action: "survey.accept"})
	if err != nil || len(log) != 1 {
		t.Errorf("the decision is not audited: %d %v", len(log), err)
	}
	if res := p.PostForm(t, "/admin/daerah/33.74/survei/tertahan", decide, p.RegionAdmin); res.StatusCode != http.StatusNotFound {
		t.Errorf("deciding again: %d", res.StatusCode)
	}
}
