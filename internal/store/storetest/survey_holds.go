package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// testSurveyHolds counts walk-ins atomically under concurrent bumps,
// holds a point's counted walk-ins since a time, lists held ones by point
// and day and decides on them once.
func testSurveyHolds(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	// Forty bumps at once, each in its own transaction: each sees its own
	// count, and the last is forty.
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[int64]bool{}
	)
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.InTx(ctx, func(tx pendopo.Store) error {
				n, err := tx.BumpSurveyCounter(ctx, "survey:33.74:1", 500000, 1)
				mu.Lock()
				seen[n] = true
				mu.Unlock()
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(seen) != 40 || !seen[1] || !seen[40] {
		t.Errorf("concurrent counts: %v", seen)
	}
	if n := must(s.BumpSurveyCounter(ctx, "survey:33.74:1", 500000, 0))(t); n != 40 {
		t.Errorf("count read back: %d", n)
	}
	must(0, s.PruneSurveyCounters(ctx, 500001))(t)
	if n := must(s.BumpSurveyCounter(ctx, "survey:33.74:1", 500000, 0))(t); n != 0 {
		t.Errorf("count after pruning: %d", n)
	}

	mpp := pointID(t, s, "33.74", "mpp")
	t0 := pendopotest.T0
	walkIn := func(dev string, at time.Time, status pendopo.SurveyStatus) pendopo.SurveyResponse {
		return must(s.AddSurveyResponse(ctx, pendopo.SurveyResponse{Region: "33.74", ServicePointID: mpp, Channel: pendopo.SurveyWalkIn,
			DeviceKey: dev, AddrKey: "a-" + dev, Answers: surveyAnswers(1, 1), CreatedAt: at, Status: status}))(t)
	}
	old := walkIn("d1", t0.Add(-3*time.Hour), "")
	if old.Status != pendopo.SurveyCounted {
		t.Errorf("default status %q", old.Status)
	}
	recent := walkIn("d2", t0.Add(-30*time.Minute), pendopo.SurveyCounted)
	held := walkIn("d3", t0, pendopo.SurveyHeld)
	must(s.AddSurveyResponse(ctx, pendopo.SurveyResponse{Region: "33.74", ServicePointID: mpp, Channel: pendopo.SurveyApplication,
		Subject: "3374-2603-AAAAAA-1", Answers: surveyAnswers(4), CreatedAt: t0}))(t)
	got := must(s.HoldWalkIns(ctx, "33.74", mpp, t0.Add(-time.Hour)))(t)
	if len(got) != 1 || got[0].ID != recent.ID || got[0].Status != pendopo.SurveyHeld {
		t.Fatalf("held since an hour ago: %+v", got)
	}
	if n := must(s.SurveyTally(ctx, pendopo.SurveyFilter{Region: "33.74", Status: pendopo.SurveyHeld}))(t).Respondents; n != 2 {
		t.Errorf("held responses: %d", n)
	}
	groups := must(s.HeldSurveys(ctx, "33.74"))(t)
	if len(groups) != 1 || groups[0].ServicePointID != mpp || groups[0].Tally.Respondents != 2 || groups[0].Addresses != 2 ||
		groups[0].Day != pendopo.DayOf(t0, pendopo.RegionZone("33.74")) || !groups[0].First.Equal(recent.CreatedAt) || !groups[0].Last.Equal(held.CreatedAt) {
		t.Fatalf("held groups: %+v", groups)
	}
	decided := must(s.DecideHeldSurveys(ctx, "33.74", mpp, groups[0].Day, pendopo.SurveyRejected))(t)
	if len(decided) != 2 {
		t.Errorf("decided %d", len(decided))
	}
	_, err := s.DecideHeldSurveys(ctx, "33.74", mpp, groups[0].Day, pendopo.SurveyCounted)
	wantKind(t, err, pendopo.KindNotFound)
	if l := must(s.HeldSurveys(ctx, "33.74"))(t); len(l) != 0 {
		t.Errorf("held after deciding: %+v", l)
	}
}

// testPhotoRefs lists photos by address, points them at a cleaned file
// and tells whether a file is still referred to.
func testPhotoRefs(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	r1 := must(s.CreateReport(ctx, newReport("3374-2603-AAAAAA-1", "budi", pendopo.PrivacyPublic, -6.99, 110.42, pendopotest.T0)))(t)
	r2 := must(s.CreateReport(ctx, newReport("3374-2603-BBBBBB-2", "sari", pendopo.PrivacyPublic, -6.99, 110.42, pendopotest.T0)))(t)
	a, b := repeat('a', 64), repeat('b', 64)
	for _, p := range []pendopo.ReportPhoto{{ReportID: r1.ID, Addr: a}, {ReportID: r2.ID, Addr: a}, {ReportID: r2.ID, Addr: b}} {
		p.Media, p.Size, p.CreatedAt = pendopo.MediaJPEG, 10, pendopotest.T0
		must(0, s.AddReportPhoto(ctx, p))(t)
	}
	if l := must(s.PhotoAddrs(ctx, "", 10))(t); len(l) != 2 || l[0] != a || l[1] != b {
		t.Errorf("photos: %v", l)
	}
	if l := must(s.PhotoAddrs(ctx, a, 10))(t); len(l) != 1 || l[0] != b {
		t.Errorf("photos after %s: %v", a, l)
	}
	c := repeat('c', 64)
	if n := must(s.ReplacePhoto(ctx, a, c, pendopo.MediaJPEG, 7))(t); n != 2 {
		t.Errorf("replaced %d", n)
	}
	if used := must(s.FileInUse(ctx, a))(t); used {
		t.Error("a replaced file is still in use")
	}
	if used := must(s.FileInUse(ctx, c))(t); !used {
		t.Error("the cleaned file is not in use")
	}
	if n := must(s.ReplacePhoto(ctx, b, "", "", 0))(t); n != 1 {
		t.Errorf("withdrawn %d", n)
	}
	photos := must(s.ReportPhotos(ctx, []int64{r1.ID, r2.ID}))(t)
	if len(photos[r1.ID]) != 1 || photos[r1.ID][0].Addr != c || photos[r1.ID][0].Size != 7 || len(photos[r2.ID]) != 1 {
		t.Errorf("photos after: %+v", photos)
	}
	// A reporter's key hash is kept and changed with the report.
	r1.SecretHash = "hash-1"
	must(s.UpdateReport(ctx, r1))(t)
	if got := must(s.Report(ctx, r1.ID))(t); got.SecretHash != "hash-1" {
		t.Errorf("secret hash %q", got.SecretHash)
	}
}

func repeat(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}
