package app

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
)

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
func (a *App) EgovRanking(ctx context.Context, province string, p Period) ([]RegionIndex, error) {
	if province != "" {
		reg, err := a.Region(ctx, province)
		if err != nil {
			return nil, err
		}
		if reg.ParentCode != "" {
			return nil, invalidParam("provinsi", "Pilih provinsi.", "Choose a province.")
		}
	}
	all, err := a.nationalRanking(ctx, p)
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

func (a *App) nationalRanking(ctx context.Context, p Period) ([]RegionIndex, error) {
	c := &a.egov
	c.mu.Lock()
	defer c.mu.Unlock()
	now := a.now()
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
	a.index.Each(func(s *pendopo.ServiceSummary) {
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
	rows, err := a.store.StatRows(ctx, pendopo.StatFilter{From: p.From, To: p.To, GroupBy: "region"})
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
	regions := a.regions.Load().list
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
func (a *App) Oversight(ctx context.Context, who pendopo.Actor, province string, p Period) (*Oversight, error) {
	if _, err := who.Authorize(pendopo.ActOversee, pendopo.Scope{Region: province}); err != nil {
		return nil, err
	}
	ranking, err := a.EgovRanking(ctx, province, p)
	if err != nil {
		return nil, err
	}
	o := &Oversight{Period: p, Ranking: ranking}
	if province != "" {
		reg, _ := a.Region(ctx, province)
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
				reg, _ := a.Region(ctx, code)
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
