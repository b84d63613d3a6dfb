// Package figures holds what is counted of the portal's work for all to
// see: a region's monthly figures and dashboard, the e-gov index and its
// ranking, the oversight view, and the report categories of open data.
// It needs only the domain, the store's figures and the regions.
package figures

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
)

// Store is what the figures read of the store.
type Store interface {
	StatRows(ctx context.Context, f pendopo.StatFilter) ([]pendopo.StatRow, error)
	SurveyTallies(ctx context.Context, f pendopo.SurveyFilter, by pendopo.SurveyGroupBy) ([]pendopo.SurveyGroupTally, error)
}

// Regions looks regions up: one by its code (pendopo.ErrNotFound for an
// unknown one), all of them, and a province's kabupaten and kota.
type Regions interface {
	Region(ctx context.Context, code string) (pendopo.Region, error)
	All() []pendopo.Region
	Children(code string) []pendopo.Region
}

// Services walks the published services' summaries.
type Services interface {
	Each(fn func(*pendopo.ServiceSummary))
}

// Board counts and caches the figures. Create it with New.
type Board struct {
	store    Store
	regions  Regions
	services Services
	now      func() time.Time

	egov       egovCache
	dashboards dashboardCache
}

// New returns a board over store, regions and the published services,
// reading the time from now.
func New(store Store, regions Regions, services Services, now func() time.Time) *Board {
	return &Board{store: store, regions: regions, services: services, now: now}
}

// Forget drops the cached dashboards and ranking, after the figures
// changed other than by new work (counted again, held surveys decided).
func (b *Board) Forget() {
	b.dashboards.mu.Lock()
	b.dashboards.entries = nil
	b.dashboards.mu.Unlock()
	b.egov.mu.Lock()
	b.egov.list = nil
	b.egov.mu.Unlock()
}

// invalidParam is a KindInvalid error about one parameter.
func invalidParam(field string, msg pendopo.Text) error {
	var p pendopo.Problems
	p.Add(field, msg)
	return p.Err()
}

// Period is a span of whole months, both ends included.
type Period struct{ From, To pendopo.Month }

// LastMonths is the period of the n months up to and including the
// current month in the region's zone.
func (b *Board) LastMonths(region string, n int) Period {
	to := pendopo.MonthOf(pendopo.DayOf(b.now(), pendopo.RegionZone(region)))
	return Period{From: to.Add(1 - max(n, 1)), To: to}
}

// Figures returns the service-level figures of a region, or of one of its
// agencies (agency not "") or services (service not 0), month by month
// over the period, and their total. They are public.
func (b *Board) Figures(ctx context.Context, region, agency string, service int64, p Period) ([]pendopo.Figures, pendopo.Figures, error) {
	if _, err := b.regions.Region(ctx, region); err != nil {
		return nil, pendopo.Figures{}, err
	}
	rows, err := b.store.StatRows(ctx, pendopo.StatFilter{Region: region, Agency: agency, ServiceID: service, From: p.From, To: p.To})
	if err != nil {
		return nil, pendopo.Figures{}, err
	}
	months, total := pendopo.MonthlyFigures(rows, p.From, p.To)
	return months, total, nil
}

// ScopeFigures is the total of one region, agency or service over a
// period.
type ScopeFigures struct {
	pendopo.StatScope
	pendopo.Figures
}

// FiguresBy totals a period's figures per agency of a region (by
// "agency"), per service of an agency ("service"), or per region of the
// whole country or of a province (region "" or a province code, by
// "region").
func (b *Board) FiguresBy(ctx context.Context, region, agency, by string, p Period) ([]ScopeFigures, error) {
	f := pendopo.StatFilter{From: p.From, To: p.To, GroupBy: by}
	switch by {
	case "agency", "service":
		if _, err := b.regions.Region(ctx, region); err != nil {
			return nil, err
		}
		f.Region, f.Agency = region, agency
	case "region":
		if region != "" {
			if _, err := b.regions.Region(ctx, region); err != nil {
				return nil, err
			}
		}
	default:
		return nil, invalidParam("by", pendopo.M("figures.unknown_grouping"))
	}
	rows, err := b.store.StatRows(ctx, f)
	if err != nil {
		return nil, err
	}
	if by == "region" && region != "" {
		// A province's view: itself and its kabupaten and kota.
		keep := map[string]bool{region: true}
		for _, r := range b.regions.Children(region) {
			keep[r.Code] = true
		}
		n := 0
		for _, r := range rows {
			if keep[r.Region] {
				rows[n] = r
				n++
			}
		}
		rows = rows[:n]
	}
	scopes, figs := pendopo.FiguresBy(rows)
	out := make([]ScopeFigures, len(scopes))
	for i := range scopes {
		out[i] = ScopeFigures{StatScope: scopes[i], Figures: figs[i]}
	}
	return out, nil
}

// Dashboard is everything a region's public dashboard shows, from three
// small reads of its figures: the region's months and total, each
// agency's total, the applications each service received, and the
// reports per category.
type Dashboard struct {
	Period Period
	Months []pendopo.Figures
	Total  pendopo.Figures
	// AgencyTotals are each agency's figures over the period.
	AgencyTotals map[string]pendopo.Figures
	// ServiceDemand is the applications received per service.
	ServiceDemand map[int64]int64
	// Categories is the reports received per report category.
	Categories map[string]int64
	// Held counts the walk-in survey responses of the period held for
	// review, which the figures leave out.
	Held HeldCounts
	at   time.Time
}

// HeldCounts is how many walk-in survey responses are held for review,
// in a region, per agency and per service ("" and 0 for none).
type HeldCounts struct {
	Region  int
	Agency  map[string]int
	Service map[int64]int
}

// HeldSurveys counts a region's walk-in survey responses given in a
// period that are held for review: the published figures leave them out
// and say how many there are.
func (b *Board) HeldSurveys(ctx context.Context, region string, p Period) (HeldCounts, error) {
	zone := pendopo.RegionZone(region)
	since, err := time.ParseInLocation("2006-01", string(p.From), zone)
	if err != nil {
		return HeldCounts{}, invalidParam("dari", pendopo.M("figures.unknown_month"))
	}
	until, err := time.ParseInLocation("2006-01", string(p.To.Add(1)), zone)
	if err != nil {
		return HeldCounts{}, invalidParam("sampai", pendopo.M("figures.unknown_month"))
	}
	groups, err := b.store.SurveyTallies(ctx, pendopo.SurveyFilter{Region: region, Status: pendopo.SurveyHeld, Since: since, Until: until},
		pendopo.SurveyByAgency|pendopo.SurveyByService)
	if err != nil {
		return HeldCounts{}, err
	}
	h := HeldCounts{Agency: map[string]int{}, Service: map[int64]int{}}
	for _, g := range groups {
		h.Region += g.Tally.Respondents
		h.Agency[g.Agency] += g.Tally.Respondents
		h.Service[g.ServiceID] += g.Tally.Respondents
	}
	return h, nil
}

// dashboardFor is how long a dashboard is kept: the figures change with
// every application and report, and a minute's delay on a public page is
// a fair price for not summing a region's figures on every view.
const dashboardFor = time.Minute

type dashboardKey struct {
	region string
	period Period
}

type dashboardCache struct {
	mu      sync.Mutex
	entries map[dashboardKey]*Dashboard
}

// maxDashboards bounds the cache; each entry is a few kilobytes.
const maxDashboards = 512

// RegionDashboard returns a region's dashboard figures for a period,
// computed at most once a minute per region and period.
func (b *Board) RegionDashboard(ctx context.Context, region string, p Period) (*Dashboard, error) {
	if _, err := b.regions.Region(ctx, region); err != nil {
		return nil, err
	}
	key := dashboardKey{region, p}
	now := b.now()
	c := &b.dashboards
	c.mu.Lock()
	if d := c.entries[key]; d != nil && now.Sub(d.at) < dashboardFor && !now.Before(d.at) {
		c.mu.Unlock()
		return d, nil
	}
	c.mu.Unlock()
	rows, err := b.store.StatRows(ctx, pendopo.StatFilter{Region: region, From: p.From, To: p.To})
	if err != nil {
		return nil, err
	}
	d := &Dashboard{Period: p, AgencyTotals: map[string]pendopo.Figures{}, ServiceDemand: map[int64]int64{}, at: now}
	d.Months, d.Total = pendopo.MonthlyFigures(rows, p.From, p.To)
	d.Categories = pendopo.Counts(rows, pendopo.MetricRepCategory)
	agencies, err := b.store.StatRows(ctx, pendopo.StatFilter{Region: region, From: p.From, To: p.To, GroupBy: "agency", Totals: true})
	if err != nil {
		return nil, err
	}
	scopes, figs := pendopo.FiguresBy(agencies)
	for i, s := range scopes {
		d.AgencyTotals[s.Agency] = figs[i]
	}
	demand, err := b.store.StatRows(ctx, pendopo.StatFilter{Region: region, From: p.From, To: p.To, GroupBy: "service", Totals: true,
		Metrics: []pendopo.Metric{pendopo.MetricAppReceived}})
	if err != nil {
		return nil, err
	}
	for _, r := range demand {
		d.ServiceDemand[r.ServiceID] += r.N
	}
	if d.Held, err = b.HeldSurveys(ctx, region, p); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxDashboards {
		c.entries = map[dashboardKey]*Dashboard{}
	}
	c.entries[key] = d
	c.mu.Unlock()
	return d, nil
}

// RegionIndex is one region's e-gov index in a ranking.
type RegionIndex struct {
	Region pendopo.Region
	Rank   int // 1 for the best; regions that have not started share the last
	pendopo.EgovIndex
	Figures pendopo.Figures
}

// egovCache keeps the latest national ranking for a minute: it reads the
// whole catalog and a year of figures, and overseers and the public may
// open it often.
type egovCache struct {
	mu     sync.Mutex
	at     time.Time
	period Period
	list   []RegionIndex
}

const egovCacheFor = time.Minute

// EgovRanking ranks the regions by their e-gov index over the period: all
// of the country's (within "" ) or a province's kabupaten and kota with
// the province itself. The ranking is public.
func (b *Board) EgovRanking(ctx context.Context, province string, p Period) ([]RegionIndex, error) {
	if province != "" {
		reg, err := b.regions.Region(ctx, province)
		if err != nil {
			return nil, err
		}
		if reg.ParentCode != "" {
			return nil, invalidParam("provinsi", pendopo.M("figures.choose_province"))
		}
	}
	all, err := b.nationalRanking(ctx, p)
	if err != nil {
		return nil, err
	}
	if province == "" {
		return all, nil
	}
	var out []RegionIndex
	for _, r := range all {
		if r.Region.Code == province || r.Region.ParentCode == province {
			out = append(out, r)
		}
	}
	rank(out)
	return out, nil
}

func (b *Board) nationalRanking(ctx context.Context, p Period) ([]RegionIndex, error) {
	c := &b.egov
	c.mu.Lock()
	defer c.mu.Unlock()
	now := b.now()
	if c.list != nil && c.period == p && now.Sub(c.at) < egovCacheFor && !now.Before(c.at) {
		return slices.Clone(c.list), nil
	}
	inputs := map[string]*pendopo.EgovInputs{}
	in := func(code string) *pendopo.EgovInputs {
		x := inputs[code]
		if x == nil {
			x = &pendopo.EgovInputs{}
			inputs[code] = x
		}
		return x
	}
	b.services.Each(func(s *pendopo.ServiceSummary) {
		x := in(s.RegionCode)
		x.Services++
		if s.Complete {
			x.Complete++
		}
		if !(pendopo.Service{ReviewedAt: s.ReviewedAt}).NeedsReview(now) {
			x.Reviewed++
		}
		if s.Online {
			x.Online++
		}
	})
	rows, err := b.store.StatRows(ctx, pendopo.StatFilter{From: p.From, To: p.To, GroupBy: "region"})
	if err != nil {
		return nil, err
	}
	scopes, figs := pendopo.FiguresBy(rows)
	byRegion := map[string]pendopo.Figures{}
	for i, s := range scopes {
		f := figs[i]
		byRegion[s.Region] = f
		x := in(s.Region)
		x.AppCompleted, x.AppOnTime = f.AppCompleted, f.AppOnTime
		x.RepVerified, x.RepAnswered = f.RepVerified, f.RepAnswered
		x.RepVerifyOnTime = int64(float64(f.RepVerified)*max(f.RepVerifyOnTime, 0) + 0.5)
		x.RepAnswerOnTime = int64(float64(f.RepAnswered)*max(f.RepAnswerOnTime, 0) + 0.5)
		x.IKM, x.Respondents = f.IKM.Score, int64(f.IKM.Respondents)
	}
	regions := b.regions.All()
	out := make([]RegionIndex, 0, len(regions))
	for _, r := range regions {
		x := pendopo.EgovInputs{}
		if p := inputs[r.Code]; p != nil {
			x = *p
		}
		out = append(out, RegionIndex{Region: r, EgovIndex: pendopo.ComputeEgovIndex(x), Figures: byRegion[r.Code]})
	}
	rank(out)
	c.list, c.at, c.period = out, now, p
	return slices.Clone(out), nil
}

// rank sorts by score, best first (ties by code), and numbers the places;
// equal scores share a place.
func rank(l []RegionIndex) {
	slices.SortStableFunc(l, func(x, y RegionIndex) int {
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		if x.Started != y.Started {
			if x.Started {
				return -1
			}
			return 1
		}
		return cmp.Compare(x.Region.Code, y.Region.Code)
	})
	for i := range l {
		l[i].Rank = i + 1
		if i > 0 && l[i].Score == l[i-1].Score {
			l[i].Rank = l[i-1].Rank
		}
	}
}

// Oversight is what the Ministry (the whole country) or a province sees:
// the ranking, the regions that have not started, and for each index
// component the started regions lagging on it, worst first.
type Oversight struct {
	Province   *pendopo.Region
	Period     Period
	Ranking    []RegionIndex
	NotStarted []pendopo.Region
	Lagging    []LaggingComponent
	// Provinces summarises each province (national view only).
	Provinces []ProvinceSummary
}

// LaggingComponent lists the started regions below LaggingBelow on one
// component.
type LaggingComponent struct {
	pendopo.EgovComponent
	Regions []RegionIndex
}

// ProvinceSummary is a province's line in the national view.
type ProvinceSummary struct {
	Region           pendopo.Region
	Regions, Started int
	MeanScore        float64
	Best, Worst      *RegionIndex
}

// Oversight returns the oversight view of the country (province "") or
// of one province, for overseers, national admins and a province's own
// admin.
func (b *Board) Oversight(ctx context.Context, who pendopo.Actor, province string, p Period) (*Oversight, error) {
	if _, err := who.Authorize(pendopo.ActOversee, pendopo.Scope{Region: province}); err != nil {
		return nil, err
	}
	ranking, err := b.EgovRanking(ctx, province, p)
	if err != nil {
		return nil, err
	}
	o := &Oversight{Period: p, Ranking: ranking}
	if province != "" {
		reg, _ := b.regions.Region(ctx, province)
		o.Province = &reg
	}
	for i := range pendopo.EgovComponents {
		lc := LaggingComponent{EgovComponent: pendopo.EgovComponents[i]}
		for _, r := range ranking {
			if r.Started && r.Components[i].Value < pendopo.LaggingBelow {
				lc.Regions = append(lc.Regions, r)
			}
		}
		slices.SortStableFunc(lc.Regions, func(x, y RegionIndex) int { return cmp.Compare(x.Components[i].Value, y.Components[i].Value) })
		o.Lagging = append(o.Lagging, lc)
	}
	for _, r := range ranking {
		if !r.Started {
			o.NotStarted = append(o.NotStarted, r.Region)
		}
	}
	slices.SortFunc(o.NotStarted, func(x, y pendopo.Region) int { return cmp.Compare(x.Code, y.Code) })
	if province == "" {
		by := map[string]*ProvinceSummary{}
		var order []string
		for _, r := range ranking {
			code := r.Region.Code
			if r.Region.ParentCode != "" {
				code = r.Region.ParentCode
			}
			s := by[code]
			if s == nil {
				reg, _ := b.regions.Region(ctx, code)
				s = &ProvinceSummary{Region: reg}
				by[code] = s
				order = append(order, code)
			}
			s.Regions++
			if r.Started {
				s.Started++
				s.MeanScore += r.Score
				if s.Best == nil || r.Score > s.Best.Score {
					s.Best = &r
				}
				if s.Worst == nil || r.Score < s.Worst.Score {
					s.Worst = &r
				}
			}
		}
		slices.Sort(order)
		for _, code := range order {
			s := by[code]
			if s.Started > 0 {
				s.MeanScore = float64(int64(s.MeanScore/float64(s.Started)*10+0.5)) / 10
			}
			o.Provinces = append(o.Provinces, *s)
		}
	}
	return o, nil
}

// CategoryMonth is the number of reports of a category received in a
// month.
type CategoryMonth struct {
	Month    pendopo.Month
	Category string
	N        int64
}

// ReportCategories counts a region's reports by category and month over
// a period, from the monthly figures, for the community needs panel and
// open data. Months without reports of a category are left out.
func (b *Board) ReportCategories(ctx context.Context, region string, p Period) ([]CategoryMonth, error) {
	if _, err := b.regions.Region(ctx, region); err != nil {
		return nil, err
	}
	rows, err := b.store.StatRows(ctx, pendopo.StatFilter{Region: region, From: p.From, To: p.To})
	if err != nil {
		return nil, err
	}
	var out []CategoryMonth
	for _, r := range rows {
		for cat, n := range pendopo.Counts([]pendopo.StatRow{r}, pendopo.MetricRepCategory) {
			out = append(out, CategoryMonth{Month: r.Month, Category: cat, N: n})
		}
	}
	return out, nil
}
