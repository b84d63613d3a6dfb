package app

import (
	"context"

	"github.com/pendopo/pendopo"
)

// EachService calls fn with every published service's summary, in one
// pass over the search index (no database read), for open data.
func (a *App) EachService(fn func(*pendopo.ServiceSummary)) {
	now := a.now()
	a.index.Each(func(s *pendopo.ServiceSummary) {
		c := *s
		c.NeedsReview = (pendopo.Service{ReviewedAt: c.ReviewedAt}).NeedsReview(now)
		fn(&c)
	})
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
func (a *App) ReportCategories(ctx context.Context, region string, p Period) ([]CategoryMonth, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, err
	}
	rows, err := a.store.StatRows(ctx, pendopo.StatFilter{Region: region, From: p.From, To: p.To})
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
