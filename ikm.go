package pendopo

import (
	"context"
	"math"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"
)

// Survei Kepuasan Masyarakat (SKM) and its index, the Indeks Kepuasan
// Masyarakat (IKM), after PermenPAN-RB 14/2017 (REFERENCE.md §2): every
// respondent rates nine elements (unsur) of a service from 1 to 4; each
// unsur's average (NRR) weighs 1/9, their sum is the IKM on 1–4, and 25
// times it the IKM on 25–100 that reports and the A–D categories use.

// UnsurID names one of the nine unsur. Answers are keyed by it, not by
// position, because published reports disagree on the order of the last
// two.
type UnsurID string

// The nine unsur of PermenPAN-RB 14/2017.
const (
	UnsurRequirements UnsurID = "persyaratan"
	UnsurProcedure    UnsurID = "prosedur"
	UnsurTime         UnsurID = "waktu"
	UnsurFee          UnsurID = "biaya"
	UnsurProduct      UnsurID = "produk"
	UnsurCompetence   UnsurID = "kompetensi"
	UnsurConduct      UnsurID = "perilaku"
	UnsurComplaints   UnsurID = "pengaduan"
	UnsurFacilities   UnsurID = "sarana"
)

// NumUnsur is the number of unsur; the weight of each is 1/NumUnsur.
const NumUnsur = 9

// Unsur is one element of the survey: what it is called, the question a
// respondent reads and the label of each answer, Answers[0] for 1 up to
// Answers[3] for 4.
type Unsur struct {
	ID       UnsurID `json:"id"`
	Name     Text    `json:"name"`
	Question Text    `json:"question"`
	Answers  [4]Text `json:"answers"`
}

// Unsurs lists the nine unsur in the regulation's order; IKMTally's
// arrays follow the same order.
var Unsurs = [NumUnsur]Unsur{
	{UnsurRequirements, M("rule.requirements"),
		M("rule.were_documents_conditions_asked_you"),
		[4]Text{M("rule.not_proportion"), M("rule.somewhat_out_proportion"), M("rule.in_proportion"), M("rule.fully_proportion")}},
	{UnsurProcedure, M("rule.system_mechanism_procedure"),
		M("rule.how_easy_was_it_follow"),
		[4]Text{M("rule.hard"), M("rule.rather_hard"), M("rule.easy"), M("rule.very_easy")}},
	{UnsurTime, M("rule.completion_time"),
		M("rule.how_quickly_was_service_finished"),
		[4]Text{M("rule.slow"), M("rule.rather_slow"), M("rule.quick"), M("rule.very_quick")}},
	{UnsurFee, M("rule.fee"),
		M("rule.what_do_you_think_what"),
		[4]Text{M("rule.far_too_expensive"), M("rule.rather_expensive"), M("rule.cheap"), M("rule.free")}},
	{UnsurProduct, M("rule.service_output"),
		M("rule.did_what_you_received_match"),
		[4]Text{M("rule.it_did_not"), M("rule.only_partly"), M("rule.it_did"), M("rule.fully")}},
	{UnsurCompetence, M("rule.staff_competence"),
		M("rule.how_capable_were_staff_handling"),
		[4]Text{M("rule.not_capable"), M("rule.rather_unskilled"), M("rule.capable"), M("rule.very_capable")}},
	{UnsurConduct, M("rule.staff_conduct"),
		M("rule.how_did_staff_treat_you"),
		[4]Text{M("rule.rude"), M("rule.rather_impolite"), M("rule.polite_kind"), M("rule.very_polite_kind")}},
	{UnsurComplaints, M("rule.handling_complaints_suggestions"),
		M("rule.how_does_this_unit_take"),
		[4]Text{M("rule.there_no_way_complain"), M("rule.there_one_but_it_does"), M("rule.it_works_but_not_fully"), M("rule.handled_well")}},
	{UnsurFacilities, M("rule.facilities"),
		M("rule.what_state_were_premises_equipment"),
		[4]Text{M("rule.poor"), M("rule.fair"), M("rule.good"), M("rule.very_good")}},
}

// unsurIndex is the position of id in Unsurs, or -1.
func unsurIndex(id UnsurID) int {
	for i, u := range Unsurs {
		if u.ID == id {
			return i
		}
	}
	return -1
}

// UnsurByID finds an unsur.
func UnsurByID(id UnsurID) (Unsur, bool) {
	if i := unsurIndex(id); i >= 0 {
		return Unsurs[i], true
	}
	return Unsur{}, false
}

// SurveyChannel is how a respondent came to the survey.
type SurveyChannel string

// Survey channels. A response through an application or a report names
// it as its subject; a walk-in response (a counter's tablet or a printed
// QR code) has none.
const (
	SurveyApplication SurveyChannel = "application"
	SurveyReport      SurveyChannel = "report"
	SurveyWalkIn      SurveyChannel = "walk-in"
)

// Invited reports whether responses of the channel were invited: asked
// of the applicant or reporter whose work it rates, once per application
// or report, rather than given at a service point by whoever stands there.
func (c SurveyChannel) Invited() bool { return c == SurveyApplication || c == SurveyReport }

// SurveyStatus says whether a response counts in the published figures.
type SurveyStatus string

// Survey statuses. Invited responses are always counted. A walk-in
// response is held when it arrives in a burst at its service point, or
// beyond the limits per point and per address below; an admin of the
// region accepts held responses (they are counted from then on) or
// rejects them (they never are).
const (
	SurveyCounted  SurveyStatus = "counted"
	SurveyHeld     SurveyStatus = "held"
	SurveyRejected SurveyStatus = "rejected"
)

// Limits on walk-in responses, which anyone at a service point may give
// and nobody can tie to a person. They keep one person from moving a
// published figure: a stuffer must stand at the counter (the day's
// presence code), and what one device, one address or one burst can add
// is held for an admin instead of counted.
const (
	// WalkInBurst is how many walk-in responses a service point may
	// receive within its current and previous clock hour: beyond it, the
	// burst is held, the responses of those two hours already counted
	// included. A busy counter whose visitors answer one after another
	// stays well below it; a script does not.
	WalkInBurst = 20
	// WalkInsPerPointDay is how many walk-in responses of a day a service
	// point may count: later ones are held.
	WalkInsPerPointDay = 60
	// WalkInsPerAddressDay is how many walk-in responses of a day from one
	// network address a service point may count: later ones are held.
	// (One device answers once a day; a shared Wi-Fi gives one address
	// to many people, so this holds rather than refuses.)
	WalkInsPerAddressDay = 3
)

// WalkInStatus decides a walk-in response from the counts that include
// it: the point's responses in this and the previous clock hour, the
// point's today and the address's today at the point (0 when the address
// is unknown). burst is true when the hours' count is past WalkInBurst,
// so that the responses of those hours already counted are held too.
func WalkInStatus(hours, day, address int64) (status SurveyStatus, burst bool) {
	burst = hours > WalkInBurst
	if burst || day > WalkInsPerPointDay || address > WalkInsPerAddressDay {
		return SurveyHeld, burst
	}
	return SurveyCounted, false
}

// MaxSurveyComment is the most characters a survey comment may have.
const MaxSurveyComment = 1000

// SurveyResponse is one respondent's answers. It carries no profile of the
// respondent (age, sex, schooling): the survey is anonymous and such
// columns in small groups would point at people.
type SurveyResponse struct {
	ID     int64  `json:"id"`
	Region string `json:"region"`
	// Agency, ServiceID and ServicePointID say what was rated, as far as
	// known; empty and 0 mean unknown.
	Agency         string        `json:"agency,omitempty"`
	ServiceID      int64         `json:"service_id,omitempty"`
	ServicePointID int64         `json:"service_point_id,omitempty"`
	Channel        SurveyChannel `json:"channel"`
	// Subject is the tracking number of the application or report rated;
	// each gets one response. It stays out of JSON so that open data
	// cannot tie a rating to an application.
	Subject string `json:"-"`
	// Answers holds a value from 1 to 4 per unsur answered; a skipped
	// unsur is absent.
	Answers map[UnsurID]int `json:"answers"`
	Comment string          `json:"comment,omitempty"`
	// DeviceKey is a keyed hash of the respondent's device or session,
	// so that one device cannot fill the survey of a service point again
	// and again; empty on shared devices such as a counter's tablet.
	DeviceKey string `json:"-"`
	// AddrKey is a keyed hash of a walk-in respondent's network address
	// and day, so that an admin reviewing held responses sees how many
	// addresses they came from; it links nothing across days.
	AddrKey string `json:"-"`
	// Status is whether the response counts; "" is SurveyCounted.
	Status    SurveyStatus `json:"status,omitempty"`
	CreatedAt time.Time    `json:"created_at"`
}

// Conflicts AddSurveyResponse reports; both are KindConflict, so
// errors.Is(err, ErrConflict) holds for them too.
var (
	ErrSurveyAnswered = &Error{Kind: KindConflict, Msg: M("rule.the_survey_for_this_application")}
	ErrSurveyRepeated = &Error{Kind: KindConflict, Msg: M("rule.this_device_already_filled_survey")}
)

// Validate checks a response and trims its comment: a known region and
// channel, a subject exactly for the application and report channels,
// at least one answer, only known unsur, values from 1 to 4, and a
// comment of valid text up to MaxSurveyComment characters.
func (r *SurveyResponse) Validate() error {
	var p Problems
	r.Comment = strings.TrimSpace(r.Comment)
	if strings.TrimSpace(r.Region) == "" {
		p.Add("region", M("rule.the_survey_region_unknown"))
	}
	switch r.Channel {
	case SurveyApplication, SurveyReport:
		if r.Subject == "" || len(r.Subject) > 40 || !ValidText(r.Subject) {
			p.Add("subject", M("rule.this_survey_needs_number_application"))
		}
	case SurveyWalkIn:
		if r.Subject != "" {
			p.Add("subject", M("rule.a_walk_survey_does_not"))
		}
	default:
		p.Add("channel", M("rule.unknown_survey_channel"))
	}
	if len(r.Answers) == 0 {
		p.Add("answers", M("rule.answer_at_least_one_question"))
	}
	unknown := false
	for id := range r.Answers {
		unknown = unknown || unsurIndex(id) < 0
	}
	if unknown {
		p.Add("answers", M("rule.some_answers_are_for_questions"))
	}
	for _, u := range Unsurs {
		if v, ok := r.Answers[u.ID]; ok && (v < 1 || v > 4) {
			p.Add("answers."+string(u.ID), M("rule.choose_one_four_answers"))
		}
	}
	if utf8.RuneCountInString(r.Comment) > MaxSurveyComment || !ValidText(r.Comment) {
		p.Add("comment", M("rule.a_suggestion_comment_at_most"))
	}
	return p.Err()
}

// IKMTally is the running total of responses that an IKM is computed from:
// per unsur (in Unsurs order) the sum of the values and how many answered
// it, and the number of respondents. Dashboards keep tallies and merge
// them instead of reading every response again; the store adds them up
// in SQL.
type IKMTally struct {
	Sum         [NumUnsur]int `json:"sum"`
	Count       [NumUnsur]int `json:"count"`
	Respondents int           `json:"respondents"`
}

// Add counts one response. Answers to unknown unsur and values outside
// 1–4 are left out (Validate rejects such responses before they are
// stored); a response with no answer left is not a respondent.
func (t *IKMTally) Add(r SurveyResponse) {
	answered := false
	for i, u := range Unsurs {
		if v, ok := r.Answers[u.ID]; ok && v >= 1 && v <= 4 {
			t.Sum[i] += v
			t.Count[i]++
			answered = true
		}
	}
	if answered {
		t.Respondents++
	}
}

// Merge adds another tally, such as one month's to a year's.
func (t *IKMTally) Merge(o IKMTally) {
	for i := range t.Sum {
		t.Sum[i] += o.Sum[i]
		t.Count[i] += o.Count[i]
	}
	t.Respondents += o.Respondents
}

// UnsurScore is one unsur's part of an IKM.
type UnsurScore struct {
	Unsur UnsurID `json:"unsur"`
	Sum   int     `json:"sum"`
	Count int     `json:"count"`
	// NRR (nilai rata-rata) is Sum/Count: the average over those who
	// answered this unsur, 0 when nobody did.
	NRR float64 `json:"nrr"`
	// Weighted is NRR times IKMResult.Weight (NRR tertimbang).
	Weighted float64 `json:"weighted"`
}

// IKMResult is an IKM with the figures a report shows.
type IKMResult struct {
	Unsurs [NumUnsur]UnsurScore `json:"unsurs"`
	// Weight is each answered unsur's weight: exactly 1/9, or 1/k when
	// only k unsur were answered by anyone, so that an unsur nobody
	// answered is left out instead of counting as 0. Weight is 0 without
	// any answer.
	Weight float64 `json:"weight"`
	// Interval is the IKM on the 1–4 scale (nilai interval), not rounded.
	Interval float64 `json:"interval"`
	// Score is the IKM on the 25–100 scale (nilai interval konversi),
	// rounded half up to 2 decimals; 0 without any answer.
	Score float64 `json:"score"`
	// Category is the service quality (mutu pelayanan) A–D and
	// Performance its name; both empty without any answer.
	Category    IKMCategory `json:"category,omitempty"`
	Performance Text        `json:"performance"`
	Respondents int         `json:"respondents"`
}

// ComputeIKM computes the IKM of responses.
func ComputeIKM(responses []SurveyResponse) IKMResult {
	var t IKMTally
	for _, r := range responses {
		t.Add(r)
	}
	return t.Result()
}

// Result computes the IKM of the tally. The arithmetic is exact (fractions,
// not floating point) up to the one rounding of Score, so that a perfect
// survey scores 100.00, not 99.9 as with a weight of 0.111, and a value on
// a category's edge falls on the right side.
func (t IKMTally) Result() IKMResult {
	res := IKMResult{Respondents: t.Respondents}
	total := new(big.Rat) // Σ NRR over the unsur answered
	k := 0
	for i, u := range Unsurs {
		s := UnsurScore{Unsur: u.ID, Sum: t.Sum[i], Count: t.Count[i]}
		if s.Count > 0 {
			k++
			s.NRR = float64(s.Sum) / float64(s.Count)
			total.Add(total, big.NewRat(int64(s.Sum), int64(s.Count)))
		}
		res.Unsurs[i] = s
	}
	if k == 0 {
		return res
	}
	res.Weight = 1 / float64(k)
	for i := range res.Unsurs {
		res.Unsurs[i].Weighted = res.Unsurs[i].NRR / float64(k)
	}
	interval := total.Quo(total, big.NewRat(int64(k), 1))
	res.Interval, _ = interval.Float64()
	// Score in hundredths: interval × 25 × 100, plus a half, rounded down.
	h := new(big.Rat).Mul(interval, big.NewRat(2500, 1))
	h.Add(h, big.NewRat(1, 2))
	hundredths := new(big.Int).Div(h.Num(), h.Denom()).Int64()
	res.Score = float64(hundredths) / 100
	res.Category = categoryOfHundredths(hundredths)
	res.Performance = res.Category.Performance()
	return res
}

// IKMCategory is the quality of service (mutu pelayanan) an IKM stands
// for, from A (best) to D.
type IKMCategory string

// IKM categories and their lower bounds on the 25–100 scale. The
// regulation's table leaves gaps between its ranges (64.99 to 65.00), so
// the ranges are read as lower bounds on the value rounded to 2 decimals.
const (
	IKMVeryGood IKMCategory = "A" // 88.31 and above
	IKMGood     IKMCategory = "B" // 76.61 and above
	IKMPoor     IKMCategory = "C" // 65.00 and above
	IKMBad      IKMCategory = "D" // below 65.00
)

// IKMCategoryOf is the category of a score on the 25–100 scale, after
// rounding it to 2 decimals.
func IKMCategoryOf(score float64) IKMCategory {
	h := math.Round(score * 100)
	if math.IsNaN(h) {
		return IKMBad
	}
	return categoryOfHundredths(int64(max(min(h, 1e9), -1e9)))
}

func categoryOfHundredths(h int64) IKMCategory {
	switch {
	case h >= 8831:
		return IKMVeryGood
	case h >= 7661:
		return IKMGood
	case h >= 6500:
		return IKMPoor
	}
	return IKMBad
}

// Performance is the name of the unit's performance (kinerja unit
// pelayanan) in a category.
func (c IKMCategory) Performance() Text {
	switch c {
	case IKMVeryGood:
		return M("rule.very_good")
	case IKMGood:
		return M("rule.good")
	case IKMPoor:
		return M("rule.poor_2")
	case IKMBad:
		return M("rule.bad")
	}
	return Text{}
}

// KrejcieMorgan is the number of respondents a survey needs for a
// population (the people served in the survey period), after Krejcie and
// Morgan (1970), whose table the regulation points to:
//
//	s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)), χ² = 3.841, P = 0.5, d = 0.05,
//
// rounded to the nearest whole number as their table is. It is 0 for a
// population of 0 or less and never more than 384.
func KrejcieMorgan(population int) int {
	if population <= 0 {
		return 0
	}
	// In hundred-thousandths χ²·P(1−P) = 0.96025 and d² = 0.0025, so
	// s = 96025·N / (250·(N−1) + 96025) in whole numbers. s grows with N
	// towards 384.1 and is 384 from N = 1,000,000 on: larger populations
	// are capped so that the product cannot overflow.
	n := int64(min(population, 1_000_000_000))
	num, den := 96025*n, 250*(n-1)+96025
	return int((2*num + den) / (2 * den))
}

// SurveyFilter selects survey responses; zero fields do not filter.
type SurveyFilter struct {
	Region         string
	Agency         string // agency slug, with Region
	ServiceID      int64
	ServicePointID int64
	Channel        SurveyChannel
	Subject        string
	// Status keeps responses of one status ("" any).
	Status SurveyStatus
	// Since and Until bound the creation time (Until exclusive).
	Since, Until time.Time
	Page         Page
}

// SurveyGroupBy says which columns SurveyTallies groups by; values
// combine with |.
type SurveyGroupBy uint8

// Survey groupings.
const (
	SurveyByRegion SurveyGroupBy = 1 << iota
	SurveyByAgency
	SurveyByService
	// SurveyByMonth groups by calendar month in the region's time zone.
	SurveyByMonth
)

// SurveyGroupTally is the tally of one group; the fields not grouped by
// are zero. Grouped by agency or service, "" and 0 gather the responses
// that named none.
type SurveyGroupTally struct {
	Region    string
	Agency    string
	ServiceID int64
	// Year and Month are in the region's time zone, so that a response
	// late on the last evening of a month counts in that month.
	Year  int
	Month time.Month
	Tally IKMTally
}

// SurveyStore keeps survey responses and adds them up.
type SurveyStore interface {
	// AddSurveyResponse stores a valid response and returns it with its
	// id. Against stuffing it refuses, with ErrSurveyAnswered, a second
	// response for the same subject, and, with ErrSurveyRepeated, a
	// second response without a subject from the same device key for the
	// same region and service point (or none) on the same calendar day in
	// the region's time zone. An invalid response is KindInvalid.
	AddSurveyResponse(ctx context.Context, r SurveyResponse) (SurveyResponse, error)
	// SurveyResponses lists responses, newest first, with their total.
	SurveyResponses(ctx context.Context, f SurveyFilter) ([]SurveyResponse, int, error)
	// SurveyTally adds up the responses f selects (f.Page is ignored)
	// without reading them one by one.
	SurveyTally(ctx context.Context, f SurveyFilter) (IKMTally, error)
	// SurveyTallies adds up the responses f selects per group, ordered by
	// region, agency, service and month; groups without responses are
	// left out.
	SurveyTallies(ctx context.Context, f SurveyFilter, by SurveyGroupBy) ([]SurveyGroupTally, error)

	// BumpSurveyCounter adds by to a named counter of a period (an hour
	// number) and returns its new value, atomically: concurrent bumps
	// each see their own count. PruneSurveyCounters removes the counters
	// of periods before before.
	BumpSurveyCounter(ctx context.Context, key string, period, by int64) (int64, error)
	PruneSurveyCounters(ctx context.Context, before int64) error
	// HoldWalkIns marks the counted walk-in responses of a region's
	// service point (0: none) given at or after since as held, and
	// returns them (held).
	HoldWalkIns(ctx context.Context, region string, point int64, since time.Time) ([]SurveyResponse, error)
	// HeldSurveys groups a region's held responses by service point and
	// day, oldest first.
	HeldSurveys(ctx context.Context, region string) ([]HeldSurveyGroup, error)
	// DecideHeldSurveys gives the held responses of a region's service
	// point (0: none) on a day the status to (counted or rejected) and
	// returns them; none is ErrNotFound.
	DecideHeldSurveys(ctx context.Context, region string, point int64, day Day, to SurveyStatus) ([]SurveyResponse, error)
}

// HeldSurveyGroup is the held responses of a service point on one day,
// as an admin reviews them: how many, from how many network addresses,
// when, and what they would make of the IKM.
type HeldSurveyGroup struct {
	Region         string
	ServicePointID int64
	Day            Day
	Tally          IKMTally
	Addresses      int
	First, Last    time.Time
}
