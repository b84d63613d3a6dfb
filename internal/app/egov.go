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
