package pendopo

import "math"

// The Pendopo e-gov index shows overseers (the Ministry, each province)
// how far each region has come in running its public services through
// Pendopo, and on what it lags. It is our own yardstick, not the
// national SPBE or Pemerintah Digital evaluation: it uses only what
// Pendopo itself knows.
//
// Six components, each a share from 0 to 100:
//
//	standar     services whose standard has all 14 components     weight 15
//	tinjau      services whose standard was reviewed in 12 months  weight 15
//	daring      services that take applications online             weight 15
//	waktu       completed applications finished on time            weight 20
//	pengaduan   report steps on time: verification in 3 working    weight 20
//	            days and the agency's answer by its deadline,
//	            the two shares averaged
//	ikm         the community satisfaction index (IKM, 25–100)      weight 15
//
// The index is the weighted mean, 0–100, rounded to one decimal at the
// end. A component without data (no completed application, no report, no
// survey yet) counts as 0: a region that has not started on something
// lags on it. A region with no published service has not started at all.

// EgovComponent is one part of the index.
type EgovComponent struct {
	Code   string  `json:"code"`
	Title  Text    `json:"title"`
	Weight float64 `json:"weight"`
	// Value is 0–100, or -1 when there is no data yet (counted as 0).
	Value float64 `json:"value"`
	// Basis says how many things the value stands on (services,
	// applications, report steps, respondents).
	Basis int64 `json:"basis"`
}

// EgovComponents lists the components in order, with their weights.
var EgovComponents = []EgovComponent{
	{Code: "standar", Title: M("rule.complete_service_standards"), Weight: 15},
	{Code: "tinjau", Title: M("rule.standards_reviewed_within_12_months"), Weight: 15},
	{Code: "daring", Title: M("rule.services_that_take_online_applications"), Weight: 15},
	{Code: "waktu", Title: M("rule.applications_completed_on_time"), Weight: 20},
	{Code: "pengaduan", Title: M("rule.reports_handled_on_time"), Weight: 20},
	{Code: "ikm", Title: M("rule.community_satisfaction_index"), Weight: 15},
}

// LaggingBelow is the component value under which a region is listed as
// lagging on it.
const LaggingBelow = 50

// EgovInputs is what the index is computed from, for one region and
// period.
type EgovInputs struct {
	Services, Complete, Reviewed, Online int
	AppCompleted, AppOnTime              int64
	RepVerified, RepVerifyOnTime         int64
	RepAnswered, RepAnswerOnTime         int64
	// IKM is the satisfaction index on 25–100 from Respondents responses.
	IKM         float64
	Respondents int64
}

// EgovIndex is a region's index with its components.
type EgovIndex struct {
	Score      float64         `json:"score"`
	Started    bool            `json:"started"`
	Components []EgovComponent `json:"components"`
}

// Lagging lists the codes of the components under LaggingBelow
// (including those without data).
func (x EgovIndex) Lagging() []string {
	var out []string
	for _, c := range x.Components {
		if c.Value < LaggingBelow {
			out = append(out, c.Code)
		}
	}
	return out
}

// ComputeEgovIndex computes the index from its inputs.
func ComputeEgovIndex(in EgovInputs) EgovIndex {
	pct := func(part, whole int64) float64 {
		if whole <= 0 {
			return -1
		}
		return 100 * float64(part) / float64(whole)
	}
	values := map[string][2]float64{
		"standar": {pct(int64(in.Complete), int64(in.Services)), float64(in.Services)},
		"tinjau":  {pct(int64(in.Reviewed), int64(in.Services)), float64(in.Services)},
		"daring":  {pct(int64(in.Online), int64(in.Services)), float64(in.Services)},
		"waktu":   {pct(in.AppOnTime, in.AppCompleted), float64(in.AppCompleted)},
	}
	steps := in.RepVerified + in.RepAnswered
	switch {
	case in.RepVerified > 0 && in.RepAnswered > 0:
		values["pengaduan"] = [2]float64{(pct(in.RepVerifyOnTime, in.RepVerified) + pct(in.RepAnswerOnTime, in.RepAnswered)) / 2, float64(steps)}
	case steps > 0:
		values["pengaduan"] = [2]float64{pct(in.RepVerifyOnTime+in.RepAnswerOnTime, steps), float64(steps)}
	default:
		values["pengaduan"] = [2]float64{-1, 0}
	}
	if in.Respondents > 0 {
		values["ikm"] = [2]float64{min(max(in.IKM, 0), 100), float64(in.Respondents)}
	} else {
		values["ikm"] = [2]float64{-1, 0}
	}
	x := EgovIndex{Started: in.Services > 0}
	var sum, weights float64
	for _, c := range EgovComponents {
		v := values[c.Code]
		c.Value, c.Basis = v[0], int64(v[1])
		if c.Value >= 0 {
			sum += c.Weight * c.Value
		}
		weights += c.Weight
		x.Components = append(x.Components, c)
	}
	x.Score = math.Round(10*sum/weights) / 10
	return x
}
