package app_test

import (
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/figures"
)

// The figures follow the work as it happens, in the same transactions:
// an application completed counts once with its working days, reports
// count when received, verified, disposed and answered, and each scope
// (region, agency, service, province) sums the same rows.
func TestFiguresCountedAsWorkHappens(t *testing.T) {
	f := newAppFixture(t)
	p := f.Figures().LastMonths("33.74", 3)
	_, before, err := f.Figures().Figures(ctx, "33.74", "", 0, p)
	if err != nil {
		t.Fatal(err)
	}
	v := f.completed(t)
	months, total, err := f.Figures().Figures(ctx, "33.74", "", 0, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(months) != 3 || months[2].Month != "2026-11" {
		t.Fatalf("months: %+v", months)
	}
	if total.AppReceived != before.AppReceived+1 || total.AppCompleted != before.AppCompleted+1 || total.AppOnTime != before.AppOnTime+1 {
		t.Errorf("after one completed application: %+v (before %+v)", total, before)
	}
	_, svc, err := f.Figures().Figures(ctx, "33.74", v.Agency, v.ServiceID, p)
	if err != nil || svc.AppCompleted != 1 || svc.AppDaysMedian != 0 || svc.AppOnTimeShare != 1 {
		t.Errorf("the service's figures: %+v %v", svc, err)
	}

	rf := reportFixture{accounts: f.accounts}
	rf.coordinator = staff(t, f.accounts, "Koordinator", pendopo.RoleRegionAdmin, "")
	rf.dishub = staff(t, f.accounts, "Petugas Dishub", pendopo.RoleOfficer, "dishub")
	for i := range 2 {
		r, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyPublic, ""), "")
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			continue
		}
		for _, step := range []struct {
			who pendopo.Actor
			act app.ReportAct
		}{
			{rf.coordinator, app.ReportAct{Action: pendopo.ActReportDispose, Agency: "dishub"}},
			{rf.dishub, app.ReportAct{Action: pendopo.ActReportAnswer, Note: "Lampu sudah diganti."}},
		} {
			if _, err := f.ActOnReport(ctx, step.who, r.Number, step.act); err != nil {
				t.Fatal(err)
			}
		}
	}
	_, after, _ := f.Figures().Figures(ctx, "33.74", "", 0, p)
	if after.RepReceived != before.RepReceived+2 || after.RepVerified != before.RepVerified+1 || after.RepAnswered != before.RepAnswered+1 {
		t.Errorf("reports: %+v", after)
	}
	_, dishub, _ := f.Figures().Figures(ctx, "33.74", "dishub", 0, p)
	if dishub.RepDisposed < 1 || dishub.RepAnswered < 1 || dishub.RepAnswerOnTime != 1 || dishub.RepReceived != 0 {
		t.Errorf("Dishub's reports: %+v", dishub)
	}
	byAgency, err := f.Figures().FiguresBy(ctx, "33.74", "", "agency", p)
	if err != nil {
		t.Fatal(err)
	}
	var apps, disposed int64
	for _, s := range byAgency {
		apps, disposed = apps+s.AppReceived, disposed+s.RepDisposed
		if s.Agency == "" || s.RepReceived != 0 {
			t.Errorf("an agency's figures hold the region's own: %+v", s)
		}
	}
	if apps != after.AppReceived || disposed != after.RepDisposed {
		t.Errorf("agencies sum to %d applications and %d dispositions, the region has %d and %d", apps, disposed, after.AppReceived, after.RepDisposed)
	}
	province, err := f.Figures().FiguresBy(ctx, "33", "", "region", p)
	if err != nil || len(province) == 0 {
		t.Fatalf("the province's regions: %v", err)
	}
	for _, s := range province {
		if s.Region != "33" && s.Region[:3] != "33." {
			t.Errorf("a region outside the province: %s", s.Region)
		}
	}
	if _, err := f.Figures().FiguresBy(ctx, "33.74", "", "kecamatan", p); kind(err) != pendopo.KindInvalid {
		t.Errorf("unknown grouping: %v", err)
	}
	// The dashboard's one read gives the same figures.
	d, err := f.Figures().RegionDashboard(ctx, "33.74", p)
	if err != nil {
		t.Fatal(err)
	}
	if d.Total != after || d.AgencyTotals["dishub"] != dishub || d.Categories["penerangan-jalan"] != 2 || d.ServiceDemand[v.ServiceID] != 1 {
		t.Errorf("dashboard: %+v\nfigures: %+v", d.Total, after)
	}
}

// The e-gov ranking covers every region; regions with services rank above
// those that have not started, and a province's view keeps its own.
type RegionIndex = figures.RegionIndex

func TestEgovRanking(t *testing.T) {
	f := newAppFixture(t)
	f.completed(t)
	p := f.Figures().LastMonths("33.74", 12)
	all, err := f.Figures().EgovRanking(ctx, "", p)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 500 || all[0].Rank != 1 || !all[0].Started {
		t.Fatalf("national ranking: %d regions, first %+v", len(all), all[0])
	}
	seenIdle := false
	for _, r := range all {
		if !r.Started {
			seenIdle = true
			if r.Score != 0 || len(r.Lagging()) != 6 {
				t.Errorf("%s has not started but scores %v", r.Region.Code, r.Score)
			}
		} else if seenIdle {
			t.Errorf("%s has started but ranks below a region that has not", r.Region.Code)
		}
	}
	var kota RegionIndex
	for _, r := range all {
		if r.Region.Code == "33.74" {
			kota = r
		}
	}
	if kota.Figures.AppCompleted != 1 || kota.Components[3].Value != 100 || kota.Components[0].Basis == 0 {
		t.Errorf("Kota Semarang: %+v", kota)
	}
	jateng, err := f.Figures().EgovRanking(ctx, "33", p)
	if err != nil || len(jateng) != 36 {
		t.Fatalf("Jawa Tengah: %d %v", len(jateng), err)
	}
	for i, r := range jateng {
		if r.Region.Code[:2] != "33" || i > 0 && r.Rank < jateng[i-1].Rank {
			t.Errorf("province ranking at %d: %s rank %d", i, r.Region.Code, r.Rank)
		}
	}
	if _, err := f.Figures().EgovRanking(ctx, "33.74", p); kind(err) != pendopo.KindInvalid {
		t.Errorf("a kota as province: %v", err)
	}
}

// The demo's year of activity fills every month of the dashboards of both
// demo kota, with surveys, and Kota Semarang does better than Surakarta.
func TestDemoYear(t *testing.T) {
	x := newAccounts(t)
	if _, err := demo.Load(ctx, x.App); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.AddAccounts(ctx, x.App, "kata sandi demo yang panjang"); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedReports(ctx, x.App); err != nil {
		t.Fatal(err)
	}
	if seeded, err := demo.SeedYear(ctx, x.App); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	if again, err := demo.SeedYear(ctx, x.App); err != nil || again {
		t.Fatalf("second seed: %v %v", again, err)
	}
	p := x.Figures().LastMonths("33.74", 12)
	scores := map[string]float64{}
	for _, region := range []string{"33.74", "33.72"} {
		months, total, err := x.Figures().Figures(ctx, region, "", 0, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range months[:11] {
			if m.AppCompleted == 0 || m.RepReceived == 0 || m.IKM.Respondents == 0 {
				t.Errorf("%s %s is empty: %+v", region, m.Month, m)
			}
		}
		if total.AppDaysP90 < 1 || total.RepReopened == 0 || total.IKM.Category == "" {
			t.Errorf("%s over the year: %+v", region, total)
		}
		// The demo's walk-in responses carry the day's presence code and
		// stay within the limits, so they all count beside the invited ones.
		held, err := x.Figures().HeldSurveys(ctx, region, p)
		if total.IKMWalkIn < 50 || total.IKMInvited < 50 || total.IKMWalkIn+total.IKMInvited != int64(total.IKM.Respondents) || held.Region != 0 || err != nil {
			t.Errorf("%s respondents: %d invited, %d walk-in, %d held (%v)", region, total.IKMInvited, total.IKMWalkIn, held.Region, err)
		}
		scores[region] = total.IKM.Score
	}
	if scores["33.74"] <= scores["33.72"] {
		t.Errorf("IKM: Semarang %v, Surakarta %v", scores["33.74"], scores["33.72"])
	}
	if ms, err := x.Store().ClaimMessages(ctx, now.AddDate(1, 0, 0), 100, time.Hour); err != nil || len(ms) != 0 {
		t.Errorf("the seed queued %d messages (%v)", len(ms), err)
	}
}
