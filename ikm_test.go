package pendopo

import (
	"math"
	"strings"
	"testing"
)

// answers builds the answers of one respondent from values in Unsurs
// order; 0 skips an unsur.
func answers(values ...int) map[UnsurID]int {
	m := map[UnsurID]int{}
	for i, v := range values {
		if v != 0 {
			m[Unsurs[i].ID] = v
		}
	}
	return m
}

func TestUnsurs(t *testing.T) {
	seen := map[UnsurID]bool{}
	for _, u := range Unsurs {
		if seen[u.ID] || u.ID == "" {
			t.Errorf("unsur id %q missing or repeated", u.ID)
		}
		seen[u.ID] = true
		for _, x := range append([]Text{u.Name, u.Question}, u.Answers[:]...) {
			if x.Indonesian == "" || x.English == "" {
				t.Errorf("%s: a text lacks a language: %+v", u.ID, x)
			}
		}
		if got, ok := UnsurByID(u.ID); !ok || got.ID != u.ID {
			t.Errorf("UnsurByID(%q) = %v, %v", u.ID, got.ID, ok)
		}
	}
	if _, ok := UnsurByID("lainnya"); ok {
		t.Error("an unknown unsur was found")
	}
}

// TestComputeIKMWorked checks a survey computed by hand. Four
// respondents; two skipped pengaduan (—):
//
//	          persy. pros. waktu biaya produk komp. perilaku peng. sarana
//	R1          4     3     3     4     3     4     4       3     3
//	R2          3     3     2     4     3     3     4       —     3
//	R3          4     4     3     4     4     3     4       —     2
//	R4          3     2     2     4     3     3     3       4     3
//	sum        14    12    10    16    13    13    15       7    11
//	answered    4     4     4     4     4     4     4       2     4
//	NRR       3.50  3.00  2.50  4.00  3.25  3.25  3.75    3.50  2.75
//
// Σ NRR = 29.5; IKM on 1–4 = 29.5 × 1/9 = 3.2777…; on 25–100
// 29.5 × 25 / 9 = 81.9444… → 81.94, category B (76.61 ≤ 81.94 < 88.31).
// Pengaduan's NRR divides by the 2 who answered it: dividing by all 4
// would give 1.75 and 77.08. Weighting by 0.111 instead of 1/9 would give
// 29.5 × 0.111 × 25 = 81.86.
func TestComputeIKMWorked(t *testing.T) {
	res := ComputeIKM([]SurveyResponse{
		{Answers: answers(4, 3, 3, 4, 3, 4, 4, 3, 3)},
		{Answers: answers(3, 3, 2, 4, 3, 3, 4, 0, 3)},
		{Answers: answers(4, 4, 3, 4, 4, 3, 4, 0, 2)},
		{Answers: answers(3, 2, 2, 4, 3, 3, 3, 4, 3)},
	})
	wantNRR := []float64{3.5, 3, 2.5, 4, 3.25, 3.25, 3.75, 3.5, 2.75}
	wantCount := []int{4, 4, 4, 4, 4, 4, 4, 2, 4}
	for i, u := range res.Unsurs {
		if u.Unsur != Unsurs[i].ID || u.NRR != wantNRR[i] || u.Count != wantCount[i] || !near(u.Weighted, wantNRR[i]/9) {
			t.Errorf("unsur %d: %+v, want NRR %v of %d", i, u, wantNRR[i], wantCount[i])
		}
	}
	if res.Respondents != 4 || !near(res.Weight, 1.0/9) || !near(res.Interval, 29.5/9) {
		t.Errorf("respondents %d, weight %v, interval %v", res.Respondents, res.Weight, res.Interval)
	}
	if res.Score != 81.94 || res.Category != IKMGood || res.Performance.Indonesian != "Baik" || res.Performance.English != "Good" {
		t.Errorf("score %v %s %v, want 81.94 B Baik", res.Score, res.Category, res.Performance)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestComputeIKMEdges(t *testing.T) {
	all := func(v int, n int) []SurveyResponse {
		var out []SurveyResponse
		for range n {
			out = append(out, SurveyResponse{Answers: answers(v, v, v, v, v, v, v, v, v)})
		}
		return out
	}
	noFee := func(v int) SurveyResponse { return SurveyResponse{Answers: answers(v, v, v, 0, v, v, v, v, v)} }
	tests := []struct {
		name        string
		responses   []SurveyResponse
		score       float64
		category    IKMCategory
		weight      float64
		respondents int
	}{
		// 4 × 9 × 1/9 × 25 is 100 exactly; 0.111 would give 99.9.
		{"perfect", all(4, 7), 100, IKMVeryGood, 1.0 / 9, 7},
		{"worst", all(1, 3), 25, IKMBad, 1.0 / 9, 3},
		// Nobody rated the fee (a free service): the other eight weigh
		// 1/8 each instead of the fee counting as 0.
		{"an unsur nobody answered", []SurveyResponse{noFee(4), noFee(4)}, 100, IKMVeryGood, 1.0 / 8, 2},
		{"an unsur nobody answered, 3s", []SurveyResponse{noFee(3)}, 75, IKMPoor, 1.0 / 8, 1},
		// One answer is enough: 2 × 25.
		{"one answer", []SurveyResponse{{Answers: answers(0, 0, 2)}}, 50, IKMBad, 1, 1},
		{"nothing", nil, 0, "", 0, 0},
		// A response with no answer, or none in range, is no respondent.
		{"no usable answer", []SurveyResponse{{Answers: map[UnsurID]int{"lainnya": 4, UnsurFee: 9}}}, 0, "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ComputeIKM(tt.responses)
			if res.Score != tt.score || res.Category != tt.category || !near(res.Weight, tt.weight) || res.Respondents != tt.respondents {
				t.Errorf("score %v %q weight %v respondents %d, want %v %q %v %d", res.Score, res.Category, res.Weight, res.Respondents,
					tt.score, tt.category, tt.weight, tt.respondents)
			}
			if res.Performance != res.Category.Performance() {
				t.Errorf("performance %v for %q", res.Performance, res.Category)
			}
		})
	}
	if res := ComputeIKM(all(4, 1)); res.Interval != 4 {
		t.Errorf("perfect interval %v", res.Interval)
	}
}

// tallyOf is n respondents who answered every unsur, their values adding
// up to total. Its score is 25 × (total/n)/9 = total/360 for n = 1000.
func tallyOf(n, total int) IKMTally {
	t := IKMTally{Respondents: n}
	for i := range t.Sum {
		t.Count[i] = n
		t.Sum[i] = total / NumUnsur
		if i < total%NumUnsur {
			t.Sum[i]++
		}
	}
	return t
}

// TestIKMCategoryEdges puts surveys on each side of every category's
// lower bound; the value is rounded to 2 decimals before it is compared.
func TestIKMCategoryEdges(t *testing.T) {
	tests := []struct {
		total    int // of 1000 respondents; score = total/360
		score    float64
		category IKMCategory
	}{
		{36000, 100, IKMVeryGood},
		{31790, 88.31, IKMVeryGood}, // 88.3055…
		{31789, 88.30, IKMGood},     // 88.3027…
		{31788, 88.30, IKMGood},     // 88.3 exactly
		{27578, 76.61, IKMGood},     // 76.6055…
		{27577, 76.60, IKMPoor},     // 76.6027…
		{27576, 76.60, IKMPoor},     // 76.6 exactly
		{23400, 65.00, IKMPoor},     // 65 exactly
		{23399, 65.00, IKMPoor},     // 64.9972… rounds up into C
		{23398, 64.99, IKMBad},      // 64.9944…
		{9000, 25, IKMBad},
	}
	for _, tt := range tests {
		res := tallyOf(1000, tt.total).Result()
		if res.Score != tt.score || res.Category != tt.category {
			t.Errorf("total %d: %v %s, want %v %s", tt.total, res.Score, res.Category, tt.score, tt.category)
		}
		if got := IKMCategoryOf(tt.score); got != tt.category {
			t.Errorf("IKMCategoryOf(%v) = %s, want %s", tt.score, got, tt.category)
		}
	}
	// Exactly halfway rounds up: one unsur answered 5000 times with a sum
	// of 17661 scores 25 × 17661/5000 = 88.305, which is 88.31.
	var half IKMTally
	half.Sum[0], half.Count[0], half.Respondents = 17661, 5000, 5000
	if res := half.Result(); res.Score != 88.31 || res.Category != IKMVeryGood {
		t.Errorf("88.305 → %v %s, want 88.31 A", res.Score, res.Category)
	}
	for score, want := range map[float64]IKMCategory{88.31: IKMVeryGood, 88.30: IKMGood, 76.61: IKMGood, 76.60: IKMPoor,
		65: IKMPoor, 64.99: IKMBad, 64.996: IKMPoor, 0: IKMBad, math.NaN(): IKMBad, math.Inf(1): IKMVeryGood} {
		if got := IKMCategoryOf(score); got != want {
			t.Errorf("IKMCategoryOf(%v) = %s, want %s", score, got, want)
		}
	}
	for c, want := range map[IKMCategory]string{IKMVeryGood: "Sangat baik", IKMGood: "Baik", IKMPoor: "Kurang baik", IKMBad: "Tidak baik", "": ""} {
		if got := c.Performance(); got.Indonesian != want || (want != "") != (got.English != "") {
			t.Errorf("%q: %+v, want %q", c, got, want)
		}
	}
}

// TestIKMTallyMerge: tallies kept apart and merged give what one tally of
// every response gives.
func TestIKMTallyMerge(t *testing.T) {
	rs := []SurveyResponse{
		{Answers: answers(4, 3, 3, 4, 3, 4, 4, 3, 3)},
		{Answers: answers(3, 3, 2, 4, 3, 3, 4, 0, 3)},
		{Answers: answers(0, 0, 0, 0, 0, 0, 0, 0, 1)},
		{Answers: answers(3, 2, 2, 4, 3, 3, 3, 4, 3)},
	}
	var whole, a, b IKMTally
	for i, r := range rs {
		whole.Add(r)
		if i%2 == 0 {
			a.Add(r)
		} else {
			b.Add(r)
		}
	}
	a.Merge(b)
	if a != whole {
		t.Fatalf("merged %+v, want %+v", a, whole)
	}
	if a.Result() != ComputeIKM(rs) {
		t.Errorf("merged result differs from ComputeIKM")
	}
	if whole.Respondents != 4 || whole.Count[8] != 4 || whole.Count[0] != 3 || whole.Sum[8] != 10 {
		t.Errorf("tally %+v", whole)
	}
}

func TestSurveyResponseValidate(t *testing.T) {
	good := func() SurveyResponse {
		return SurveyResponse{Region: "33.74", Channel: SurveyApplication, Subject: "3374-2603-K7Q2M9-X",
			Answers: answers(4, 3, 3, 4, 3, 4, 4, 0, 3), Comment: "  Antrean cepat, petugas ramah.  "}
	}
	r := good()
	if err := r.Validate(); err != nil {
		t.Fatalf("a good response: %v", err)
	}
	if r.Comment != "Antrean cepat, petugas ramah." {
		t.Errorf("comment not trimmed: %q", r.Comment)
	}
	tests := []struct {
		name   string
		change func(*SurveyResponse)
		fields []string // nil: valid
	}{
		{"walk-in", func(r *SurveyResponse) { r.Channel, r.Subject = SurveyWalkIn, "" }, nil},
		{"one answer", func(r *SurveyResponse) { r.Answers = answers(0, 0, 0, 0, 0, 0, 0, 0, 4) }, nil},
		{"comment of 1000 characters", func(r *SurveyResponse) { r.Comment = strings.Repeat("é", 1000) }, nil},
		{"no answers", func(r *SurveyResponse) { r.Answers = nil }, []string{"answers"}},
		{"unknown unsur", func(r *SurveyResponse) { r.Answers["keamanan"] = 4 }, []string{"answers"}},
		{"value 0", func(r *SurveyResponse) { r.Answers[UnsurFee] = 0 }, []string{"answers.biaya"}},
		{"value 5 and -1", func(r *SurveyResponse) { r.Answers[UnsurTime], r.Answers[UnsurFacilities] = 5, -1 },
			[]string{"answers.waktu", "answers.sarana"}},
		{"comment too long", func(r *SurveyResponse) { r.Comment = strings.Repeat("a", 1001) }, []string{"comment"}},
		{"comment not text", func(r *SurveyResponse) { r.Comment = "ok\x00" }, []string{"comment"}},
		{"comment not UTF-8", func(r *SurveyResponse) { r.Comment = "\xff" }, []string{"comment"}},
		{"no region", func(r *SurveyResponse) { r.Region = "" }, []string{"region"}},
		{"unknown channel", func(r *SurveyResponse) { r.Channel = "sms" }, []string{"channel"}},
		{"application without subject", func(r *SurveyResponse) { r.Subject = "" }, []string{"subject"}},
		{"walk-in with subject", func(r *SurveyResponse) { r.Channel = SurveyWalkIn }, []string{"subject"}},
		{"several at once", func(r *SurveyResponse) { r.Answers, r.Comment = map[UnsurID]int{"x": 2}, strings.Repeat("a", 1001) },
			[]string{"answers", "comment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good()
			tt.change(&r)
			err := r.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Kind != KindInvalid {
				t.Fatalf("error %v, want an invalid-input error", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
				if f.Msg.Indonesian == "" || f.Msg.English == "" {
					t.Errorf("%s: a message lacks a language", f.Field)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.fields, " ") {
				t.Errorf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestKrejcieMorgan(t *testing.T) {
	for n, want := range map[int]int{-5: 0, 0: 0, 1: 1, 10: 10, 50: 44, 100: 80, 200: 132, 500: 217, 1000: 278, 2000: 322,
		5000: 357, 10000: 370, 20000: 377, 50000: 381, 75000: 382, 1000000: 384, math.MaxInt: 384} {
		if got := KrejcieMorgan(n); got != want {
			t.Errorf("KrejcieMorgan(%d) = %d, want %d", n, got, want)
		}
	}
	// The sample never exceeds the population and grows with it.
	prev := 0
	for n := 1; n <= 200000; n++ {
		s := KrejcieMorgan(n)
		if s > n || s < prev || s > 384 {
			t.Fatalf("KrejcieMorgan(%d) = %d after %d", n, s, prev)
		}
		prev = s
	}
}

// FuzzSurvey: whatever answers arrive, Validate and the IKM neither panic
// nor leave 25–100 when something was answered, and merging tallies
// equals tallying everything.
func FuzzSurvey(f *testing.F) {
	f.Add([]byte{0, 4, 1, 3, 2, 2, 128, 4, 9, 1}, "Pelayanan cepat", true)
	f.Add([]byte{10, 200, 3, 0, 130, 255}, "\xff\x00", false)
	f.Add([]byte{}, "", false)
	ids := make([]UnsurID, 0, NumUnsur+2)
	for _, u := range Unsurs {
		ids = append(ids, u.ID)
	}
	ids = append(ids, "", "lainnya")
	f.Fuzz(func(t *testing.T, data []byte, comment string, walkIn bool) {
		// Each pair of bytes is one answer: an unsur (or an unknown one)
		// and a value, mostly near 1–4; a high first byte starts the
		// next respondent.
		var rs []SurveyResponse
		cur := SurveyResponse{Region: "33.74", Channel: SurveyReport, Subject: "3374-2603-K7Q2M9-X", Comment: comment, Answers: map[UnsurID]int{}}
		if walkIn {
			cur.Channel, cur.Subject = SurveyWalkIn, ""
		}
		for i := 0; i+1 < len(data); i += 2 {
			if data[i] >= 128 {
				rs = append(rs, cur)
				cur.Answers = map[UnsurID]int{}
			}
			v := int(data[i+1]%7) - 1
			if data[i+1] >= 224 {
				v = int(int8(data[i+1])) * 1000
			}
			cur.Answers[ids[int(data[i]%128)%len(ids)]] = v
		}
		rs = append(rs, cur)
		valid := 0
		for i := range rs {
			if err := rs[i].Validate(); err == nil {
				valid++
			} else if KindOf(err) != KindInvalid {
				t.Fatalf("not an invalid-input error: %v", err)
			}
		}
		res := ComputeIKM(rs)
		answered := 0
		for _, u := range res.Unsurs {
			answered += u.Count
		}
		if answered == 0 {
			if res.Score != 0 || res.Category != "" || res.Respondents != 0 {
				t.Fatalf("nothing answered, yet %+v", res)
			}
			return
		}
		if res.Score < 25 || res.Score > 100 || res.Interval < 1 || res.Interval > 4 || res.Category == "" || res.Respondents < valid {
			t.Fatalf("out of range: %+v for %+v", res, rs)
		}
		if res.Category != IKMCategoryOf(res.Score) {
			t.Fatalf("category %s for %v", res.Category, res.Score)
		}
		var a, b IKMTally
		for i, r := range rs {
			if i < len(rs)/2 {
				a.Add(r)
			} else {
				b.Add(r)
			}
		}
		a.Merge(b)
		if a.Result() != res {
			t.Fatalf("merged tallies give %+v, want %+v", a.Result(), res)
		}
	})
}

// A walk-in response counts within the limits and is held past any of
// them; only a burst holds what the point counted before it.
func TestWalkInStatus(t *testing.T) {
	tests := []struct {
		hours, day, address int64
		status              SurveyStatus
		burst               bool
	}{
		{1, 1, 1, SurveyCounted, false},
		{WalkInBurst, WalkInsPerPointDay, WalkInsPerAddressDay, SurveyCounted, false},
		{1, 1, 0, SurveyCounted, false}, // no address known
		{WalkInBurst + 1, 5, 1, SurveyHeld, true},
		{3, WalkInsPerPointDay + 1, 1, SurveyHeld, false},
		{3, 5, WalkInsPerAddressDay + 1, SurveyHeld, false},
	}
	for _, tt := range tests {
		if s, b := WalkInStatus(tt.hours, tt.day, tt.address); s != tt.status || b != tt.burst {
			t.Errorf("WalkInStatus(%d, %d, %d) = %s, %v; want %s, %v", tt.hours, tt.day, tt.address, s, b, tt.status, tt.burst)
		}
	}
	if !SurveyApplication.Invited() || !SurveyReport.Invited() || SurveyWalkIn.Invited() {
		t.Error("invited channels")
	}
}
