package app

import (
	"context"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
)

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
func (a *App) HeldSurveys(ctx context.Context, region string, p Period) (HeldCounts, error) {
	zone := pendopo.RegionZone(region)
	since, err := time.ParseInLocation("2006-01", string(p.From), zone)
	if err != nil {
		return HeldCounts{}, invalidParam("dari", "Bulan tidak dikenal.", "Unknown month.")
	}
	until, err := time.ParseInLocation("2006-01", string(p.To.Add(1)), zone)
	if err != nil {
		return HeldCounts{}, invalidParam("sampai", "Bulan tidak dikenal.", "Unknown month.")
	}
	groups, err := a.store.SurveyTallies(ctx, pendopo.SurveyFilter{Region: region, Status: pendopo.SurveyHeld, Since: since, Until: until},
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
func (a *App) RegionDashboard(ctx context.Context, region string, p Period) (*Dashboard, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, err
	}
	key := dashboardKey{region, p}
	now := a.now()
	c := &a.dashboards
	c.mu.Lock()
	if d := c.entries[key]; d != nil && now.Sub(d.at) < dashboardFor && !now.Before(d.at) {
		c.mu.Unlock()
		return d, nil
	}
	c.mu.Unlock()
	rows, err := a.store.StatRows(ctx, pendopo.StatFilter{Region: region, From: p.From, To: p.To})
	if err != nil {
		return nil, err
	}
	d := &Dashboard{Period: p, AgencyTotals: map[string]pendopo.Figures{}, ServiceDemand: map[int64]int64{}, at: now}
	d.Months, d.Total = pendopo.MonthlyFigures(rows, p.From, p.To)
	d.Categories = pendopo.Counts(rows, pendopo.MetricRepCategory)
	agencies, err := a.store.StatRows(ctx, pendopo.StatFilter{Region: region, From: p.From, To: p.To, GroupBy: "agency", Totals: true})
	if err != nil {
		return nil, err
	}
	scopes, figs := pendopo.FiguresBy(agencies)
	for i, s := range scopes {
		d.AgencyTotals[s.Agency] = figs[i]
	}
	demand, err := a.store.StatRows(ctx, pendopo.StatFilter{Region: region, From: p.From, To: p.To, GroupBy: "service", Totals: true,
		Metrics: []pendopo.Metric{pendopo.MetricAppReceived}})
	if err != nil {
		return nil, err
	}
	for _, r := range demand {
		d.ServiceDemand[r.ServiceID] += r.N
	}
	if d.Held, err = a.HeldSurveys(ctx, region, p); err != nil {
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
