package pendopo

import (
	"slices"
	"testing"
)

func TestEgovIndex(t *testing.T) {
	// A worked example, by hand:
	//   standar   40 of 50 complete           = 80
	//   tinjau    25 of 50 reviewed           = 50
	//   daring    10 of 50 online             = 20
	//   waktu     90 of 120 on time           = 75
	//   pengaduan verify 30/40 = 75, answer 18/30 = 60, mean 67.5
	//   ikm       82.45
	// (15·80 + 15·50 + 15·20 + 20·75 + 20·67.5 + 15·82.45) / 100
	//   = (1200 + 750 + 300 + 1500 + 1350 + 1236.75) / 100 = 63.3675 → 63.4
	x := ComputeEgovIndex(EgovInputs{Services: 50, Complete: 40, Reviewed: 25, Online: 10, AppCompleted: 120, AppOnTime: 90,
		RepVerified: 40, RepVerifyOnTime: 30, RepAnswered: 30, RepAnswerOnTime: 18, IKM: 82.45, Respondents: 300})
	if x.Score != 63.4 || !x.Started {
		t.Errorf("score %v", x.Score)
	}
	want := []float64{80, 50, 20, 75, 67.5, 82.45}
	for i, c := range x.Components {
		if c.Value != want[i] {
			t.Errorf("%s = %v, want %v", c.Code, c.Value, want[i])
		}
	}
	if got := x.Lagging(); !slices.Equal(got, []string{"daring"}) {
		t.Errorf("lagging: %v", got)
	}
	// Nothing yet: not started, every component lags, score 0.
	none := ComputeEgovIndex(EgovInputs{})
	if none.Started || none.Score != 0 || len(none.Lagging()) != 6 || none.Components[5].Value != -1 {
		t.Errorf("no data: %+v", none)
	}
	// Services but no activity: the catalog components count, the others
	// are 0 and lag.
	cat := ComputeEgovIndex(EgovInputs{Services: 4, Complete: 4, Reviewed: 4, Online: 4})
	if cat.Score != 45 || !slices.Equal(cat.Lagging(), []string{"waktu", "pengaduan", "ikm"}) {
		t.Errorf("catalog only: %v %v", cat.Score, cat.Lagging())
	}
	// Only verifications so far: their share stands for the component.
	if v := ComputeEgovIndex(EgovInputs{RepVerified: 4, RepVerifyOnTime: 3}).Components[4]; v.Value != 75 || v.Basis != 4 {
		t.Errorf("verifications only: %+v", v)
	}
	// A perfect region scores 100.
	if p := ComputeEgovIndex(EgovInputs{Services: 1, Complete: 1, Reviewed: 1, Online: 1, AppCompleted: 1, AppOnTime: 1,
		RepVerified: 1, RepVerifyOnTime: 1, RepAnswered: 1, RepAnswerOnTime: 1, IKM: 100, Respondents: 1}); p.Score != 100 {
		t.Errorf("perfect: %v", p.Score)
	}
}
