package app

import (
	"context"

	"github.com/pendopo/pendopo"
)

// Period is a span of whole months, both ends included.
type Period struct{ From, To pendopo.Month }

// LastMonths is the period of the n months up to and including the
// current month in the region's zone.
func (a *App) LastMonths(region string, n int) Period {
	to := pendopo.MonthOf(a.today(region))
	return Period{From: to.Add(1 - max(n, 1)), To: to}
}

// Figures returns the service-level figures of a region, or of one of its
// agencies (agency not "") or services (service not 0), month by month
// over the period, and their total. They are public.
func (a *App) Figures(ctx context.Context, region, agency string, service int64, p Period) ([]pendopo.Figures, pendopo.Figures, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, pendopo.Figures{}, err
	}
	rows, err := a.store.StatRows(ctx, pendopo.StatFilter{Region: region, Agency: agency, ServiceID: service, From: p.From, To: p.To})
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
func (a *App) FiguresBy(ctx context.Context, region, agency, by string, p Period) ([]ScopeFigures, error) {
	f := pendopo.StatFilter{From: p.From, To: p.To, GroupBy: by}
	switch by {
	case "agency", "service":
		if _, err := a.Region(ctx, region); err != nil {
			return nil, err
		}
		f.Region, f.Agency = region, agency
	case "region":
		if region != "" {
			if _, err := a.Region(ctx, region); err != nil {
				return nil, err
			}
		}
	default:
		return nil, invalidParam("by", "Pengelompokan tidak dikenal.", "Unknown grouping.")
	}
	rows, err := a.store.StatRows(ctx, f)
	if err != nil {
		return nil, err
	}
	if by == "region" && region != "" {
		// A province's view: itself and its kabupaten and kota.
		keep := map[string]bool{region: true}
		for _, r := range a.children(region) {
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
