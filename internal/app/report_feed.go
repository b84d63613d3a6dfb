package app

import (
	"context"

	"github.com/pendopo/pendopo"
)

// BaseURL is the portal's public address (without a trailing slash), for
// absolute links in feeds; empty when not configured.
func (a *App) BaseURL() string { return a.baseURL }

// ReportUpdate is one public step of a public report, for feeds such as
// Open311's service request updates.
type ReportUpdate struct {
	pendopo.ReportEvent
	// Report is the report as the public may see it.
	Report pendopo.Report
}

// PublicReportUpdates lists the public steps of the reports the public
// may see, oldest first, in f's region and time window, with their
// total. Who acted is never part of it. Reports are read in one query
// for the page.
func (a *App) PublicReportUpdates(ctx context.Context, f pendopo.ReportEventFilter) ([]ReportUpdate, int, error) {
	f.Public = true
	events, total, err := a.store.ReportEventsIn(ctx, f)
	if err != nil || len(events) == 0 {
		return nil, total, err
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, e := range events {
		if !seen[e.ReportID] {
			seen[e.ReportID] = true
			ids = append(ids, e.ReportID)
		}
	}
	// The page of events is at most MaxPerPage long, so its reports fit
	// in one page too; PublicReports applies the public filter again.
	reports, _, err := a.PublicReports(ctx, pendopo.ReportFilter{IDs: ids, Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[int64]pendopo.Report, len(reports))
	for _, r := range reports {
		byID[r.ID] = r.Report
	}
	out := make([]ReportUpdate, 0, len(events))
	for _, e := range events {
		r, ok := byID[e.ReportID]
		if !ok {
			continue
		}
		e.ActorID = 0
		out = append(out, ReportUpdate{ReportEvent: e, Report: r})
	}
	return out, total, nil
}
