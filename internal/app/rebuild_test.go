package app_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/demo"
)

// Counting the figures again from the applications, reports and surveys
// gives exactly what was counted as the work happened: the demo's
// applications, reports and year of activity, and a report forwarded to
// the province, one forwarded out of Pendopo and answered, an extended
// information request and a merged duplicate.
func TestRebuildFiguresMatchesIncremental(t *testing.T) {
	f := newReportFixture(t)
	if _, err := demo.AddAccounts(ctx, f.App, "kata sandi demo yang panjang"); err != nil {
		t.Fatal(err)
	}
	for _, seed := range []func() (bool, error){
		func() (bool, error) { return demo.SeedApplications(ctx, f.App) },
		func() (bool, error) { return demo.SeedReports(ctx, f.App) },
		func() (bool, error) { return demo.SeedYear(ctx, f.App) },
	} {
		if _, err := seed(); err != nil {
			t.Fatal(err)
		}
	}
	file := func(kind pendopo.ReportKind) string {
		in := streetLight(pendopo.PrivacyPublic, "")
		in.Kind = kind
		r, err := f.SubmitReport(ctx, f.budi, "33.74", in, "")
		if err != nil {
			t.Fatal(err)
		}
		return r.Number
	}
	act := func(number string, acts ...app.ReportAct) {
		for _, a := range acts {
			if _, err := f.ActOnReport(ctx, f.coordinator, number, a); err != nil {
				t.Fatalf("%s %s: %v", number, a.Action, err)
			}
		}
	}
	act(file(pendopo.ReportComplaint), app.ReportAct{Action: pendopo.ActReportVerify},
		app.ReportAct{Action: pendopo.ActReportForward, Region: "33", Note: "Jalan provinsi."})
	*f.clock = now.AddDate(0, 0, 2)
	act(file(pendopo.ReportComplaint), app.ReportAct{Action: pendopo.ActReportDispose},
		app.ReportAct{Action: pendopo.ActReportForward, Target: "Balai Besar Pelaksanaan Jalan Nasional", Note: "Jalan nasional."},
		app.ReportAct{Action: pendopo.ActReportAnswer, Note: "Sudah diteruskan dan ditangani."})
	info := file(pendopo.ReportInfoRequest)
	act(info, app.ReportAct{Action: pendopo.ActReportExtend, Note: "Data sedang dihimpun."}, app.ReportAct{Action: pendopo.ActReportDispose})
	*f.clock = now.AddDate(0, 0, 9)
	act(info, app.ReportAct{Action: pendopo.ActReportAnswer, Note: "Datanya terlampir."})
	act(file(pendopo.ReportComplaint), app.ReportAct{Action: pendopo.ActReportMerge, Target: info})
	// A burst of walk-in responses at two points: one held, one accepted.
	for _, point := range []string{"mpp", "kantor-disdukcapil"} {
		code, err := f.SurveyCode(ctx, pendopo.System, "33.74", point)
		if err != nil {
			t.Fatal(err)
		}
		for i := range pendopo.WalkInBurst + 5 {
			subj, err := f.SurveyForVisit(ctx, "33.74", point, 0)
			if err != nil {
				t.Fatal(err)
			}
			subj.Code = code.Code
			if _, err := f.SubmitSurvey(ctx, subj, map[pendopo.UnsurID]int{pendopo.UnsurConduct: 1 + i%4}, "", "hp-"+point+strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	pts, _ := f.ServicePoints(ctx, "33.74")
	for _, pt := range pts {
		if pt.Slug == "mpp" {
			if _, err := f.DecideHeldSurveys(ctx, f.coordinator, "33.74", pt.ID, pendopo.DayOf(*f.clock, pendopo.RegionZone("33.74")), true); err != nil {
				t.Fatal(err)
			}
		}
	}

	read := func() [][]pendopo.StatRow {
		var out [][]pendopo.StatRow
		for _, flt := range []pendopo.StatFilter{{GroupBy: "region"}, {Region: "33.74", GroupBy: "agency"}, {Region: "33.72", GroupBy: "agency"},
			{Region: "33.74", GroupBy: "service"}, {Region: "33.72", GroupBy: "service"}, {Region: "33", GroupBy: "agency"}} {
			rows, err := f.Store().StatRows(ctx, flt)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, rows)
		}
		return out
	}
	live := read()
	n, err := f.RebuildFigures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Applications < 100 || n.Reports < 100 || n.Surveys < 100 {
		t.Errorf("counted %+v", n)
	}
	again := read()
	for i := range live {
		if !slices.Equal(live[i], again[i]) {
			for j := range max(len(live[i]), len(again[i])) {
				var l, a pendopo.StatRow
				if j < len(live[i]) {
					l = live[i][j]
				}
				if j < len(again[i]) {
					a = again[i][j]
				}
				if l != a {
					t.Errorf("query %d row %d: live %+v, rebuilt %+v", i, j, l, a)
					break
				}
			}
		}
	}
}
