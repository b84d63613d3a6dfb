package figures

import (
	"cmp"
	"context"
	"slices"

	"github.com/pendopo/pendopo"
)

// RebuildStore is what Rebuild reads, and the transaction it writes in.
type RebuildStore interface {
	Applications(ctx context.Context, f pendopo.ApplicationFilter) ([]pendopo.Application, int, error)
	Reports(ctx context.Context, f pendopo.ReportFilter) ([]pendopo.Report, int, error)
	ReportEventsIn(ctx context.Context, f pendopo.ReportEventFilter) ([]pendopo.ReportEvent, int, error)
	SurveyResponses(ctx context.Context, f pendopo.SurveyFilter) ([]pendopo.SurveyResponse, int, error)
	InTx(ctx context.Context, fn func(pendopo.Store) error) error
}

// Rules are what Rebuild needs to know beyond the store: a region's
// working-day calendar, whether leave counts as working time for a
// version of a service, and how to record the rebuild (in the audit
// trail, in the transaction that replaces the figures).
type Rules struct {
	Calendar   func(ctx context.Context, region string) (*pendopo.Calendar, error)
	LeaveWorks func(ctx context.Context, serviceID int64, version int) (bool, error)
	Record     func(ctx context.Context, tx pendopo.Store) error
}

// Counts says what Rebuild counted.
type Counts struct {
	Applications, Reports, Surveys int
}

// Rebuild counts the monthly figures again from every application,
// report (replaying its history) and survey response, and replaces the
// ones kept, in one transaction: for a database that holds work from
// before the figures were kept, or after a fix to how they are counted.
// Work done while it runs may be counted twice or not at all; run it on a
// quiet portal. It is an operator's command (pendopo figures rebuild).
// s is the store to read and write; r gives the rules Rebuild applies.
func (b *Board) Rebuild(ctx context.Context, s RebuildStore, r Rules) (Counts, error) {
	var n Counts
	type key struct {
		pendopo.StatScope
		month  pendopo.Month
		metric pendopo.Metric
	}
	sums := map[key]int64{}
	add := func(ds []pendopo.StatDelta) {
		for _, d := range ds {
			sums[key{d.StatScope, d.Month, d.Metric}] += d.N
		}
	}
	for after := int64(0); ; {
		apps, _, err := s.Applications(ctx, pendopo.ApplicationFilter{ByID: true, AfterID: after, Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
		if err != nil {
			return n, err
		}
		if len(apps) == 0 {
			break
		}
		for _, app := range apps {
			after = app.ID
			if app.SubmittedAt.IsZero() {
				continue // a draft, or withdrawn before submitting
			}
			cal, err := r.Calendar(ctx, app.Region)
			if err != nil {
				return n, err
			}
			leave, err := r.LeaveWorks(ctx, app.ServiceID, app.ServiceVersion)
			if err != nil {
				return n, err
			}
			add(pendopo.ApplicationReceivedStats(app))
			add(pendopo.ApplicationClosedStats(app, cal, leave))
			n.Applications++
		}
	}
	for after := int64(0); ; {
		reports, _, err := s.Reports(ctx, pendopo.ReportFilter{ByID: true, AfterID: after, NoTotal: true, Page: pendopo.Page{PerPage: 200}})
		if err != nil {
			return n, err
		}
		if len(reports) == 0 {
			break
		}
		ids := make([]int64, len(reports))
		for i, rep := range reports {
			ids[i] = rep.ID
		}
		byReport := map[int64][]pendopo.ReportEvent{}
		for page := 1; ; page++ {
			evs, total, err := s.ReportEventsIn(ctx, pendopo.ReportEventFilter{ReportIDs: ids, NoTotal: true,
				Page: pendopo.Page{Page: page, PerPage: pendopo.MaxPerPage}})
			if err != nil {
				return n, err
			}
			for _, e := range evs {
				byReport[e.ReportID] = append(byReport[e.ReportID], e)
			}
			if total <= page*pendopo.MaxPerPage {
				break
			}
		}
		for _, rep := range reports {
			after = rep.ID
			cal, err := r.Calendar(ctx, rep.Region)
			if err != nil {
				return n, err
			}
			add(replayReport(rep, byReport[rep.ID], cal))
			n.Reports++
		}
	}
	for page := 1; ; page++ {
		// Held and rejected walk-in responses are left out, as they were
		// when they came in.
		list, total, err := s.SurveyResponses(ctx, pendopo.SurveyFilter{Status: pendopo.SurveyCounted,
			Page: pendopo.Page{Page: page, PerPage: pendopo.MaxPerPage}})
		if err != nil {
			return n, err
		}
		for _, s := range list {
			add(pendopo.SurveyStats(s))
			n.Surveys++
		}
		if page*pendopo.MaxPerPage >= total {
			break
		}
	}
	// The sums are at each change's own level; AddStats rolls them up.
	deltas := make([]pendopo.StatDelta, 0, len(sums))
	for k, v := range sums {
		deltas = append(deltas, pendopo.StatDelta{StatScope: k.StatScope, Month: k.month, Metric: k.metric, N: v})
	}
	slices.SortFunc(deltas, func(x, y pendopo.StatDelta) int {
		return cmp.Or(cmp.Compare(x.Region, y.Region), cmp.Compare(x.Agency, y.Agency), cmp.Compare(x.ServiceID, y.ServiceID),
			cmp.Compare(x.Month, y.Month), cmp.Compare(x.Metric, y.Metric))
	})
	err := s.InTx(ctx, func(tx pendopo.Store) error {
		if err := tx.ResetStats(ctx); err != nil {
			return err
		}
		for from := 0; from < len(deltas); from += 300 {
			if err := tx.AddStats(ctx, deltas[from:min(from+300, len(deltas))]); err != nil {
				return err
			}
		}
		// The published figures were replaced: on the record.
		return r.Record(ctx, tx)
	})
	b.Forget()
	return n, err
}

// replayReport counts a report's figures from its history, as ActOnReport
// counted them when each step happened.
func replayReport(r pendopo.Report, events []pendopo.ReportEvent, cal *pendopo.Calendar) []pendopo.StatDelta {
	slices.SortFunc(events, func(x, y pendopo.ReportEvent) int { return cmp.Compare(x.ID, y.ID) })
	out := pendopo.ReportReceivedStats(r)
	zone := pendopo.RegionZone(r.Region)
	st := r
	st.ReportState, st.Agency, st.Disposed = pendopo.ReportState{Status: pendopo.ReportReceived}, "", 0
	st.Due = pendopo.ReportDue(st.Kind, st.ReportState, st.Received, 0, cal)
	for _, e := range events {
		if e.Action == "submit" || e.Action == "forwarded" || e.Action == "escalate" {
			continue
		}
		day := pendopo.DayOf(e.At, zone)
		next := pendopo.ReportState{Status: e.Status, Extended: st.Extended || e.Action == pendopo.ActReportExtend}
		out = append(out, pendopo.ReportActionStats(st, e.Action, next, e.Agency, day, cal)...)
		switch e.Action {
		case pendopo.ActReportDispose, pendopo.ActReportForward:
			// As ActOnReport: to an agency, out of Pendopo (no agency
			// left), or to another region (the report closes as it was).
			st.Disposed = day
			if e.Agency != "" {
				st.Agency = e.Agency
			} else if _, err := pendopo.ParseTrackingNumber(e.Target); e.Target != "" && err != nil {
				st.Agency = ""
			}
		case pendopo.ActReportReopen:
			st.Disposed = day
		}
		st.ReportState = next
		st.Due = pendopo.ReportDue(st.Kind, st.ReportState, st.Received, st.Disposed, cal)
	}
	return out
}
