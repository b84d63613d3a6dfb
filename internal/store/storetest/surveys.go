package storetest

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// surveyAnswers builds answers from values in pendopo.Unsurs order; 0
// skips an unsur.
func surveyAnswers(values ...int) map[pendopo.UnsurID]int {
	m := map[pendopo.UnsurID]int{}
	for i, v := range values {
		if v != 0 {
			m[pendopo.Unsurs[i].ID] = v
		}
	}
	return m
}

// pointID finds the id of a region's service point.
func pointID(t *testing.T, s pendopo.Store, region, slug string) int64 {
	t.Helper()
	for _, p := range must(s.ServicePoints(ctx, region))(t) {
		if p.Slug == slug {
			return p.ID
		}
	}
	t.Fatalf("no point %s in %s", slug, region)
	return 0
}

// testSurveys stores responses once per subject and once a local day per
// device and service point, lists them by every filter, and adds them up
// in SQL to the same tallies Go computes from the rows.
func testSurveys(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	svc := must(s.CreateService(ctx, "33.74", pendopotest.Content("ktp", "ktp-el", "dukcapil"), pendopotest.Change(pendopotest.T0, ""), true))(t)
	mpp74, mpp72 := pointID(t, s, "33.74", "mpp"), pointID(t, s, "33.72", "mpp")
	t0 := pendopotest.T0 // 2 March 2026, 09:00 UTC, 16:00 WIB
	add := func(r pendopo.SurveyResponse) pendopo.SurveyResponse {
		t.Helper()
		return must(s.AddSurveyResponse(ctx, r))(t)
	}

	// Kota Semarang: the worked example of the domain tests (IKM 81.94).
	// The last response is on 31 March in UTC but 1 April in WIB.
	a := add(pendopo.SurveyResponse{Region: "33.74", Agency: "dukcapil", ServiceID: svc.ID, ServicePointID: mpp74,
		Channel: pendopo.SurveyApplication, Subject: "3374-2603-AAAAAA-1", Answers: surveyAnswers(4, 3, 3, 4, 3, 4, 4, 3, 3),
		Comment: " Cepat dan ramah. ", CreatedAt: t0})
	b := add(pendopo.SurveyResponse{Region: "33.74", Agency: "dukcapil", ServiceID: svc.ID, Channel: pendopo.SurveyReport,
		Subject: "3374-2603-BBBBBB-2", Answers: surveyAnswers(3, 3, 2, 4, 3, 3, 4, 0, 3), CreatedAt: t0.Add(time.Hour)})
	c := add(pendopo.SurveyResponse{Region: "33.74", Agency: "dukcapil", ServicePointID: mpp74, Channel: pendopo.SurveyWalkIn,
		DeviceKey: "dev-1", Answers: surveyAnswers(4, 4, 3, 4, 4, 3, 4, 0, 2), CreatedAt: t0.Add(2 * time.Hour)})
	d := add(pendopo.SurveyResponse{Region: "33.74", ServiceID: svc.ID, ServicePointID: mpp74, Channel: pendopo.SurveyWalkIn,
		DeviceKey: "dev-2", Answers: surveyAnswers(3, 2, 2, 4, 3, 3, 3, 4, 3), CreatedAt: time.Date(2026, 3, 31, 18, 0, 0, 0, time.UTC)})
	if a.ID == 0 || a.Comment != "Cepat dan ramah." {
		t.Fatalf("stored: %+v", a)
	}

	// Kota Surakarta (WIB too): one response a day per device and point.
	walkIn := func(point int64, device string, at time.Time) pendopo.SurveyResponse {
		return pendopo.SurveyResponse{Region: "33.72", ServicePointID: point, Channel: pendopo.SurveyWalkIn, DeviceKey: device,
			Answers: surveyAnswers(4, 4, 4, 4, 4, 4, 4, 4, 4), CreatedAt: at}
	}
	add(walkIn(mpp72, "dev-1", t0))
	_, err := s.AddSurveyResponse(ctx, walkIn(mpp72, "dev-1", t0.Add(7*time.Hour+59*time.Minute))) // 23:59 WIB
	if !errors.Is(err, pendopo.ErrSurveyRepeated) || !errors.Is(err, pendopo.ErrConflict) || errMsg(err) != pendopo.ErrSurveyRepeated.Msg {
		t.Errorf("the same device at the same point on the same day: %v", err)
	}
	add(walkIn(mpp72, "dev-1", t0.Add(8*time.Hour))) // 00:00 WIB, the next day
	add(walkIn(0, "dev-1", t0))                      // no point is another point
	add(walkIn(mpp72, "", t0))                       // a shared tablet sends no key
	add(walkIn(mpp72, "", t0))
	sub := walkIn(mpp72, "dev-1", t0)
	sub.Channel, sub.Subject = pendopo.SurveyApplication, "3372-2603-CCCCCC-3"
	add(sub) // a response about an application is limited by its subject, not the device
	sub.Subject, sub.DeviceKey = a.Subject, "dev-9"
	_, err = s.AddSurveyResponse(ctx, sub)
	if !errors.Is(err, pendopo.ErrConflict) || errMsg(err) != pendopo.ErrSurveyAnswered.Msg {
		t.Errorf("a second response for one application: %v", err)
	}
	bad := walkIn(mpp72, "dev-3", t0)
	bad.Answers[pendopo.UnsurFee] = 5
	_, err = s.AddSurveyResponse(ctx, bad)
	wantKind(t, err, pendopo.KindInvalid)
	bad = walkIn(mpp72, "dev-3", t0)
	bad.ServiceID = 99999
	_, err = s.AddSurveyResponse(ctx, bad)
	wantKind(t, err, pendopo.KindConflict)
	if errMsg(err) == pendopo.ErrSurveyRepeated.Msg {
		t.Errorf("a missing service reported as a repeated survey: %v", err)
	}

	// Lists, newest first, with the total.
	numbers := map[int64]string{a.ID: "a", b.ID: "b", c.ID: "c", d.ID: "d"}
	list := func(f pendopo.SurveyFilter) (string, int) {
		t.Helper()
		l, total, err := s.SurveyResponses(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, r := range l {
			got += numbers[r.ID]
		}
		return got, total
	}
	for _, tt := range []struct {
		f     pendopo.SurveyFilter
		want  string
		total int
	}{
		{pendopo.SurveyFilter{Region: "33.74"}, "dcba", 4},
		{pendopo.SurveyFilter{Region: "33.74", Agency: "dukcapil"}, "cba", 3},
		{pendopo.SurveyFilter{ServiceID: svc.ID}, "dba", 3},
		{pendopo.SurveyFilter{ServicePointID: mpp74}, "dca", 3},
		{pendopo.SurveyFilter{Region: "33.74", Channel: pendopo.SurveyWalkIn}, "dc", 2},
		{pendopo.SurveyFilter{Subject: a.Subject}, "a", 1},
		{pendopo.SurveyFilter{Region: "33.74", Since: t0.Add(time.Hour), Until: t0.Add(2 * time.Hour)}, "b", 1},
		{pendopo.SurveyFilter{Region: "33.74", Page: pendopo.Page{Page: 2, PerPage: 3}}, "a", 4},
		{pendopo.SurveyFilter{Region: "33.74", Page: pendopo.Page{Page: 3, PerPage: 3}}, "", 4},
		{pendopo.SurveyFilter{Region: "11.01"}, "", 0},
	} {
		if got, total := list(tt.f); got != tt.want || total != tt.total {
			t.Errorf("%+v: %q (total %d), want %q (total %d)", tt.f, got, total, tt.want, tt.total)
		}
	}
	all, _, err := s.SurveyResponses(ctx, pendopo.SurveyFilter{Region: "33.74"})
	if err != nil {
		t.Fatal(err)
	}
	back := all[3]
	if back.Agency != "dukcapil" || back.ServiceID != svc.ID || back.ServicePointID != mpp74 || back.Channel != pendopo.SurveyApplication ||
		back.Subject != a.Subject || back.Comment != a.Comment || !back.CreatedAt.Equal(t0) || !maps.Equal(back.Answers, a.Answers) {
		t.Errorf("read back %+v, stored %+v", back, a)
	}
	if back := all[1]; back.DeviceKey != "dev-1" || back.ServiceID != 0 || len(back.Answers) != 8 || back.Answers[pendopo.UnsurComplaints] != 0 {
		t.Errorf("read back %+v", back)
	}

	// Tallies in SQL equal tallies of the rows in Go.
	tallyOf := func(rs ...pendopo.SurveyResponse) pendopo.IKMTally {
		var t pendopo.IKMTally
		for _, r := range rs {
			t.Add(r)
		}
		return t
	}
	smg := must(s.SurveyTally(ctx, pendopo.SurveyFilter{Region: "33.74"}))(t)
	if smg != tallyOf(a, b, c, d) || smg.Result().Score != 81.94 || smg.Respondents != 4 || smg.Count[7] != 2 {
		t.Errorf("Semarang's tally %+v scores %v", smg, smg.Result().Score)
	}
	if slo := must(s.SurveyTally(ctx, pendopo.SurveyFilter{Region: "33.72"}))(t); slo.Respondents != 6 || slo.Result().Score != 100 {
		t.Errorf("Surakarta's tally %+v", slo)
	}
	if none := must(s.SurveyTally(ctx, pendopo.SurveyFilter{Region: "11.01"}))(t); none != (pendopo.IKMTally{}) {
		t.Errorf("a region without responses: %+v", none)
	}
	if pt := must(s.SurveyTally(ctx, pendopo.SurveyFilter{ServicePointID: mpp74, Until: time.Date(2026, 3, 31, 18, 0, 0, 0, time.UTC)}))(t); pt != tallyOf(a, c) {
		t.Errorf("the point's tally in March: %+v", pt)
	}
	type group struct {
		region, agency string
		service        int64
		year           int
		month          time.Month
		tally          pendopo.IKMTally
	}
	for _, tt := range []struct {
		f    pendopo.SurveyFilter
		by   pendopo.SurveyGroupBy
		want []group
	}{
		// d is 31 March in UTC but April in the region's zone.
		{pendopo.SurveyFilter{Region: "33.74"}, pendopo.SurveyByMonth,
			[]group{{year: 2026, month: 3, tally: tallyOf(a, b, c)}, {year: 2026, month: 4, tally: tallyOf(d)}}},
		{pendopo.SurveyFilter{Region: "33.74"}, pendopo.SurveyByService,
			[]group{{tally: tallyOf(c)}, {service: svc.ID, tally: tallyOf(a, b, d)}}},
		{pendopo.SurveyFilter{}, pendopo.SurveyByRegion | pendopo.SurveyByAgency,
			[]group{{region: "33.72", tally: must(s.SurveyTally(ctx, pendopo.SurveyFilter{Region: "33.72"}))(t)},
				{region: "33.74", tally: tallyOf(d)}, {region: "33.74", agency: "dukcapil", tally: tallyOf(a, b, c)}}},
		{pendopo.SurveyFilter{Region: "33.74", Agency: "dukcapil"}, pendopo.SurveyByRegion | pendopo.SurveyByAgency | pendopo.SurveyByService | pendopo.SurveyByMonth,
			[]group{{region: "33.74", agency: "dukcapil", year: 2026, month: 3, tally: tallyOf(c)},
				{region: "33.74", agency: "dukcapil", service: svc.ID, year: 2026, month: 3, tally: tallyOf(a, b)}}},
		{pendopo.SurveyFilter{Region: "11.01"}, pendopo.SurveyByMonth, nil},
	} {
		l := must(s.SurveyTallies(ctx, tt.f, tt.by))(t)
		var got []group
		for _, g := range l {
			got = append(got, group{g.Region, g.Agency, g.ServiceID, g.Year, g.Month, g.Tally})
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%+v by %b:\n got %+v\nwant %+v", tt.f, tt.by, got, tt.want)
		}
	}
}

// errMsg is the user-safe message of err, if it carries one.
func errMsg(err error) pendopo.Text {
	var e *pendopo.Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return pendopo.Text{}
}
