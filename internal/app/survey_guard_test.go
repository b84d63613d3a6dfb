package app_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// walkIn answers the walk-in survey of a point with the day's code, from
// a new device and the given address, every unsur v.
func (f reportFixture) walkIn(t *testing.T, point string, v int, device, address string) pendopo.SurveyResponse {
	t.Helper()
	subj, err := f.SurveyForVisit(ctx, "33.74", point, 0)
	if err != nil {
		t.Fatal(err)
	}
	code, err := f.SurveyCode(ctx, pendopo.System, "33.74", point)
	if err != nil {
		t.Fatal(err)
	}
	subj.Code, subj.Address = code.Code, address
	answers := map[pendopo.UnsurID]int{}
	for _, u := range pendopo.Unsurs {
		answers[u.ID] = v
	}
	r, err := f.SubmitSurvey(ctx, subj, answers, "", device)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f reportFixture) ikm(t *testing.T) pendopo.IKMResult {
	t.Helper()
	ikm, _, err := f.IKM(ctx, "33.74", "", 0, f.Figures().LastMonths("33.74", 1))
	if err != nil {
		t.Fatal(err)
	}
	return ikm
}

// Walk-in responses need the point's code of the day; one address counts
// a few a day, a point a few dozen, and a burst is held whole, its
// responses counted before included. Held responses count nowhere until
// the region admin accepts them.
func TestWalkInLimits(t *testing.T) {
	f := newReportFixture(t)
	subj, err := f.SurveyForVisit(ctx, "33.74", "mpp", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"", "ABCD-EFGH"} {
		subj.Code = code
		if _, err := f.SubmitSurvey(ctx, subj, map[pendopo.UnsurID]int{pendopo.UnsurConduct: 1}, "", "x"); kind(err) != pendopo.KindInvalid {
			t.Errorf("presence code %q: %v", code, err)
		}
	}
	if _, err := f.SurveyCode(ctx, f.dishub, "33.74", "mpp"); kind(err) != pendopo.KindForbidden {
		t.Errorf("another agency's officer read the MPP's code: %v", err)
	}
	if _, err := f.SurveyCode(ctx, f.dishub, "33.74", "uji-kir-mangkang"); err != nil {
		t.Errorf("the agency's officer reads its point's code: %v", err)
	}
	// 08:00 WIB, responses six minutes apart: no burst.
	start := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	at := func(i int) { *f.clock = start.Add(time.Duration(i) * 6 * time.Minute) }
	// One address: three count, the fourth is held.
	for i := range pendopo.WalkInsPerAddressDay + 1 {
		at(i)
		r := f.walkIn(t, "mpp", 4, "hp-"+strconv.Itoa(i), "192.0.2.50")
		if want := i < pendopo.WalkInsPerAddressDay; (r.Status == pendopo.SurveyCounted) != want {
			t.Errorf("response %d from one address: %s", i+1, r.Status)
		}
	}
	if ikm := f.ikm(t); ikm.Respondents != 3 {
		t.Errorf("respondents %d, want 3", ikm.Respondents)
	}
	// One point: the first sixty of a day may count, later ones are held.
	for i := pendopo.WalkInsPerAddressDay + 1; i < pendopo.WalkInsPerPointDay; i++ {
		at(i)
		if r := f.walkIn(t, "mpp", 4, "hp-"+strconv.Itoa(i), "198.51.100."+strconv.Itoa(i)); r.Status != pendopo.SurveyCounted {
			t.Fatalf("response %d of the day at a point: %s", i+1, r.Status)
		}
	}
	at(pendopo.WalkInsPerPointDay)
	if r := f.walkIn(t, "mpp", 4, "hp-last", "198.51.100.250"); r.Status != pendopo.SurveyHeld {
		t.Errorf("response 61 of the day at a point: %s", r.Status)
	}
	base := f.ikm(t)
	if base.Respondents != pendopo.WalkInsPerPointDay-1 || base.Score != 100 {
		t.Fatalf("IKM after a day's walk-ins: %+v", base)
	}
	// A burst at another point: its first responses count, until the
	// burst shows; then all of it is held, the IKM back where it was.
	*f.clock = start.Add(4 * time.Hour)
	for i := range pendopo.WalkInBurst + 10 {
		r := f.walkIn(t, "kantor-disdukcapil", 1, "b-"+strconv.Itoa(i), "203.0.113."+strconv.Itoa(i))
		if want := i < pendopo.WalkInBurst; (r.Status == pendopo.SurveyCounted) != want {
			t.Errorf("burst response %d: %s", i+1, r.Status)
		}
	}
	if got := f.ikm(t); got != base {
		t.Errorf("a burst moved the IKM: %.2f → %.2f (%d respondents)", base.Score, got.Score, got.Respondents)
	}
	// The admin sees each point's held responses of the day.
	desk, err := f.SurveyDesk(ctx, f.coordinator, "33.74")
	if err != nil || !desk.Review || len(desk.Held) != 2 {
		t.Fatalf("the admin's desk: %+v %v", desk.Held, err)
	}
	var mpp, dukcapil app.HeldGroup
	for _, g := range desk.Held {
		if g.Point != nil && g.Point.Slug == "mpp" {
			mpp = g
		} else {
			dukcapil = g
		}
	}
	if mpp.Tally.Respondents != 2 || dukcapil.Tally.Respondents != pendopo.WalkInBurst+10 || dukcapil.Addresses != pendopo.WalkInBurst+10 ||
		dukcapil.IKM.Score != 25 {
		t.Errorf("held groups: mpp %+v, dukcapil %+v", mpp.HeldSurveyGroup, dukcapil.HeldSurveyGroup)
	}
	if d, err := f.SurveyDesk(ctx, f.dishub, "33.74"); err != nil || d.Review || len(d.Held) != 0 || len(d.Codes) != 1 {
		t.Errorf("an officer's desk: %d codes, review %v, %v", len(d.Codes), d.Review, err)
	}
	if _, err := f.DecideHeldSurveys(ctx, f.dishub, "33.74", dukcapil.ServicePointID, dukcapil.Day, true); kind(err) != pendopo.KindForbidden {
		t.Errorf("an officer decided: %v", err)
	}
	// Rejected, they never count; accepted, they do.
	if n, err := f.DecideHeldSurveys(ctx, f.coordinator, "33.74", dukcapil.ServicePointID, dukcapil.Day, false); err != nil || n != pendopo.WalkInBurst+10 {
		t.Fatalf("reject: %d %v", n, err)
	}
	if got := f.ikm(t); got != base {
		t.Errorf("rejected responses count: %+v", got)
	}
	if n, err := f.DecideHeldSurveys(ctx, f.coordinator, "33.74", mpp.ServicePointID, mpp.Day, true); err != nil || n != 2 {
		t.Fatalf("accept: %d %v", n, err)
	}
	if got := f.ikm(t); got.Respondents != base.Respondents+2 {
		t.Errorf("accepted responses do not count: %d respondents", got.Respondents)
	}
	if _, err := f.DecideHeldSurveys(ctx, f.coordinator, "33.74", mpp.ServicePointID, mpp.Day, true); kind(err) != pendopo.KindNotFound {
		t.Errorf("deciding twice: %v", err)
	}
	// Figures say how many were invited and how many walked in.
	_, total, _ := f.Figures().Figures(ctx, "33.74", "", 0, f.Figures().LastMonths("33.74", 1))
	if total.IKMInvited != 0 || total.IKMWalkIn != int64(base.Respondents+2) {
		t.Errorf("invited %d, walk-in %d", total.IKMInvited, total.IKMWalkIn)
	}
}
