package app

import (
	"context"
	"strconv"
	"time"

	"github.com/pendopo/pendopo"
)

// DeadlineAlerts tells the staff of every application in progress whose
// deadline is today or the next working day, once per application and
// deadline day. It returns how many applications it warned about.
func (a *App) DeadlineAlerts(ctx context.Context) (int, error) {
	warned := 0
	for page := 1; ; page++ {
		// Tomorrow in the easternmost zone bounds every region's next
		// working day well enough: the check below is per region.
		apps, total, err := a.store.Applications(ctx, pendopo.ApplicationFilter{Statuses: []pendopo.ApplicationStatus{pendopo.StatusInProgress},
			DueBy: pendopo.DayOf(a.now(), pendopo.RegionZone("94")) + 4, ByDeadline: true, Page: pendopo.Page{Page: page, PerPage: pendopo.MaxPerPage}})
		if err != nil {
			return warned, err
		}
		for _, app := range apps {
			n, err := a.deadlineAlert(ctx, app)
			if err != nil {
				return warned, err
			}
			warned += n
		}
		if page*pendopo.MaxPerPage >= total {
			return warned, nil
		}
	}
}

func (a *App) deadlineAlert(ctx context.Context, app pendopo.Application) (int, error) {
	v, err := a.version(ctx, a.store, app.ServiceID, app.ServiceVersion)
	if err != nil || v.Content.Apply == nil || app.Step >= len(v.Content.Apply.Workflow.Steps) {
		return 0, err
	}
	on := v.Content.Apply
	cal, err := a.calendar(ctx, a.store, app.Region)
	if err != nil {
		return 0, err
	}
	today := a.today(app.Region)
	if cal.WorkingDaysBetween(today, app.Deadline, on.LeaveWorks) > 1 {
		return 0, nil
	}
	step := on.Workflow.Steps[app.Step]
	staff, err := a.stepStaff(ctx, a.store, app, step)
	if err != nil {
		return 0, err
	}
	when := pendopo.M("app.tomorrow")
	switch {
	case today > app.Deadline:
		when = pendopo.M("app.already_past", app.Deadline.String())
	case today == app.Deadline:
		when = pendopo.M("app.today")
	}
	title := pendopo.M("app.deadline_application", app.Number, when)
	body := pendopo.M("app.application_for_at_step_due", app.ServiceName, app.Number, step.Name, when)
	key := "deadline:" + app.Number + ":" + today.String()
	err = a.store.InTx(ctx, func(tx pendopo.Store) error {
		for _, u := range staff {
			k := key + ":" + strconv.FormatInt(u.ID, 10)
			// Every account has an email or a phone, so a queued message
			// tells that this person was warned today already.
			if _, err := tx.OutboxMessage(ctx, k+":email"); err == nil {
				continue
			}
			if _, err := tx.OutboxMessage(ctx, k+":sms"); err == nil {
				continue
			}
			if err := a.out.Notify(ctx, tx, pendopo.Notification{UserID: u.ID, Title: title, Body: body, Link: "/admin/permohonan/" + app.Number}); err != nil {
				return err
			}
			if err := a.out.Tell(ctx, tx, u, k, title, body, "/admin/permohonan/"+app.Number); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	a.out.Wake()
	return 1, nil
}

// RunDeadlineAlerts warns staff of applications' approaching deadlines
// and escalates late reports every interval until ctx ends. Each warning
// goes out once, so several instances may run it.
func (a *App) RunDeadlineAlerts(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := a.DeadlineAlerts(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("deadline alerts", "err", err)
		}
		if _, err := a.EscalateReports(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("report escalation", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
