package app

import (
	"context"
	"slices"

	"github.com/pendopo/pendopo"
)

// todoItems is how many items of each list the console's start shows;
// the queues behind its links show the rest.
const todoItems = 5

// Todo gathers what waits for who in a region's console ("Perlu
// tindakan"), on the region's today by the app's clock: applications
// and reports past their deadline, due today and new, service versions
// submitted for approval that who may publish, and walk-in survey
// bursts held for who to accept. Each part follows the rights of the
// queue it links to: officers see their own agencies only, the region
// admin the region's applications and the coordinator's reports.
// Overseers, who only read, have nothing to do. One query per kind, a
// second only for the first few items of what is there.
func (a *App) Todo(ctx context.Context, who pendopo.Actor, region string) (pendopo.Todo, error) {
	t := pendopo.Todo{Region: region}
	if _, err := a.Region(ctx, region); err != nil {
		return t, err
	}
	if _, err := who.Authorize(pendopo.ActViewConsole, pendopo.Scope{Region: region}); err != nil {
		return t, err
	}
	t.Today = a.today(region)
	if err := a.todoApplications(ctx, who, &t); err != nil {
		return t, err
	}
	if err := a.todoReports(ctx, who, &t); err != nil {
		return t, err
	}
	if err := a.todoDrafts(ctx, who, &t); err != nil {
		return t, err
	}
	if _, ok := who.Can(pendopo.ActReviewSurveys, pendopo.Scope{Region: region}); ok {
		held, err := a.store.HeldSurveys(ctx, region)
		if err != nil {
			return t, err
		}
		t.Surveys = held
	}
	return t, nil
}

// workScope says whose work of a region who may see under act: every
// agency's (all), or only those listed, or none.
func workScope(who pendopo.Actor, act pendopo.Action, region string) (all bool, agencies []string) {
	if _, ok := who.Can(act, pendopo.Scope{Region: region}); ok {
		return true, nil
	}
	for _, r := range who.Roles {
		if r.Region != region || r.Agency == "" || slices.Contains(agencies, r.Agency) {
			continue
		}
		if _, ok := who.Can(act, pendopo.Scope{Region: region, Agency: r.Agency}); ok {
			agencies = append(agencies, r.Agency)
		}
	}
	return false, agencies
}

func (a *App) todoApplications(ctx context.Context, who pendopo.Actor, t *pendopo.Todo) error {
	all, agencies := workScope(who, pendopo.ActViewApplications, t.Region)
	if !all && len(agencies) == 0 {
		return nil
	}
	var err error
	if t.Applications, err = a.store.ApplicationWork(ctx, pendopo.WorkFilter{Region: t.Region, Agencies: agencies, Today: t.Today}); err != nil {
		return err
	}
	sum := pendopo.Sum(t.Applications)
	f := pendopo.ApplicationFilter{Region: t.Region, Agencies: agencies, Statuses: []pendopo.ApplicationStatus{pendopo.StatusInProgress},
		ByDeadline: true, Page: pendopo.Page{PerPage: todoItems}}
	if sum.Overdue+sum.DueToday > 0 {
		urgent := f
		urgent.DueBy = t.Today
		if t.Urgent, _, err = a.store.Applications(ctx, urgent); err != nil {
			return err
		}
	}
	if sum.New > 0 {
		fresh := f
		fresh.NewAfter = t.Today
		if t.Fresh, _, err = a.store.Applications(ctx, fresh); err != nil {
			return err
		}
	}
	for _, l := range [][]pendopo.Application{t.Urgent, t.Fresh} {
		for i := range l {
			l[i].Sealed = nil // a list needs no answers
		}
	}
	return nil
}

// Reports a coordinator verifies and disposes, and those an agency answers.
var (
	coordinatorStatuses = []pendopo.ReportStatus{pendopo.ReportReceived, pendopo.ReportVerified}
	agencyStatuses      = []pendopo.ReportStatus{pendopo.ReportDisposed, pendopo.ReportFollowed}
)

func (a *App) todoReports(ctx context.Context, who pendopo.Actor, t *pendopo.Todo) error {
	f := pendopo.WorkFilter{Region: t.Region, Today: t.Today}
	_, coordinator := who.Can(pendopo.ActCoordinateReports, pendopo.Scope{Region: t.Region})
	if coordinator {
		// The coordinator's queue is the region's, whatever agency a
		// report may later go to.
		f.Statuses, f.Fresh = coordinatorStatuses, pendopo.ReportReceived
	} else {
		_, f.Agencies = workScope(who, pendopo.ActHandleReports, t.Region)
		if len(f.Agencies) == 0 {
			return nil
		}
		f.Statuses, f.Fresh = agencyStatuses, pendopo.ReportDisposed
	}
	counts, err := a.store.ReportWork(ctx, f)
	if err != nil {
		return err
	}
	if coordinator && len(counts) > 0 {
		counts = []pendopo.WorkCount{pendopo.Sum(counts)}
	}
	t.Reports = counts
	if sum := pendopo.Sum(counts); sum.Overdue+sum.DueToday > 0 {
		t.UrgentReports, _, err = a.store.Reports(ctx, pendopo.ReportFilter{Region: t.Region, Agencies: f.Agencies, Statuses: f.Statuses,
			DueBy: t.Today, ByDue: true, NoTotal: true, Page: pendopo.Page{PerPage: todoItems}})
		if err != nil {
			return err
		}
		for i := range t.UrgentReports {
			r := &t.UrgentReports[i]
			r.Sealed, r.ReporterKey, r.SecretHash, r.ReporterID = nil, "", "", 0
		}
	}
	if coordinator {
		// The moderation queue: open reports a rule held back from the public.
		_, t.Flagged, err = a.store.Reports(ctx, pendopo.ReportFilter{Region: t.Region, Flagged: true,
			Statuses: slices.Concat(coordinatorStatuses, agencyStatuses), Page: pendopo.Page{PerPage: 1}})
	}
	return err
}

// todoDrafts keeps the region's versions waiting for approval that who
// may publish: an agency's supervisor sees their agency's, the region
// admin every one.
func (a *App) todoDrafts(ctx context.Context, who pendopo.Actor, t *pendopo.Todo) error {
	all, agencies := workScope(who, pendopo.ActPublishService, t.Region)
	if !all && len(agencies) == 0 {
		return nil
	}
	pending, err := a.store.PendingVersions(ctx, t.Region)
	if err != nil {
		return err
	}
	for _, p := range pending {
		// A province's list holds its kabupaten/kota too: they have
		// their own consoles.
		if p.Region == t.Region && (all || slices.Contains(agencies, p.Agency)) {
			t.Drafts = append(t.Drafts, p)
		}
	}
	return nil
}
