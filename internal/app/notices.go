package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/pendopo/pendopo"
)

// applicantNotice is what the applicant is told after each action, in
// both languages; %[1]s is the service, %[2]s the number.
var applicantNotice = map[pendopo.ApplicationAction][2]pendopo.Text{
	pendopo.ActSubmit: {pendopo.M("app.application_received"),
		pendopo.M("app.we_received_your_application_for")},
	pendopo.ActResubmit: {pendopo.M("app.corrections_received"),
		pendopo.M("app.we_received_corrections_your_application")},
	pendopo.ActApprove: {pendopo.M("app.application_moved_on"),
		pendopo.M("app.your_application_for_number_passed")},
	pendopo.ActReturn: {pendopo.M("app.application_needs_corrections"),
		pendopo.M("app.the_officer_returned_your_application")},
	pendopo.ActReject: {pendopo.M("app.application_refused"),
		pendopo.M("app.your_application_for_number_was")},
	pendopo.ActWithdraw: {pendopo.M("app.application_withdrawn_2"),
		pendopo.M("app.you_withdrew_your_application_for")},
}

var completedNotice = [2]pendopo.Text{pendopo.M("app.application_completed"),
	pendopo.M("app.your_application_for_number_completed")}

var staffNotice = [2]pendopo.Text{pendopo.M("app.application_waits_at_step"),
	pendopo.M("app.application_for_waits_for_action")}

// fill formats a notice for one language.
func fill(t pendopo.Text, lang string, args ...any) string { return fmt.Sprintf(t.In(lang), args...) }

// audience is who hears of an event: the applicant and, when work waits
// for them, the staff of the next step. It is read before the commit, on
// the readers, so that the batched write transaction only writes.
type audience struct {
	applicant pendopo.User
	staff     []pendopo.User
}

func (a *App) audience(ctx context.Context, app pendopo.Application, c pendopo.ServiceContent, action pendopo.ApplicationAction) (audience, error) {
	var aud audience
	var err error
	if aud.applicant, err = a.store.User(ctx, app.ApplicantID); err != nil {
		return aud, err
	}
	if app.Status == pendopo.StatusInProgress && (action == pendopo.ActSubmit || action == pendopo.ActResubmit ||
		action == pendopo.ActApprove || action == pendopo.ActReassign) && app.Step < len(c.Apply.Workflow.Steps) {
		aud.staff, err = a.stepStaff(ctx, a.store, app, c.Apply.Workflow.Steps[app.Step])
	}
	return aud, err
}

// announce tells the applicant (in the inbox and by email or SMS) what an
// event means, and the staff who must act next that work waits. It runs
// in the event's transaction, so that the messages exist exactly when the
// change does; keys make a retried request queue nothing twice.
func (a *App) announce(ctx context.Context, tx pendopo.Store, app pendopo.Application, c pendopo.ServiceContent, ev pendopo.ApplicationEvent, aud audience) error {
	notice, ok := applicantNotice[ev.Action]
	if app.Status == pendopo.StatusCompleted {
		notice, ok = completedNotice, true
	}
	step := pendopo.WorkflowStep{}
	if app.Step < len(c.Apply.Workflow.Steps) {
		step = c.Apply.Workflow.Steps[app.Step]
	}
	args := func(lang string) []any {
		deadline := "-"
		if app.Deadline != 0 {
			deadline = app.Deadline.String()
		}
		return []any{app.ServiceName, app.Number, deadline, step.Name.In(lang), ev.Note, app.Document}
	}
	key := "app:" + app.Number + ":" + strconv.Itoa(app.Rev)
	if ok {
		title := pendopo.T(fill(notice[0], "id", args("id")...), fill(notice[0], "en", args("en")...))
		body := pendopo.T(fill(notice[1], "id", args("id")...), fill(notice[1], "en", args("en")...))
		link := "/permohonan/" + app.Number
		if err := a.out.Notify(ctx, tx, pendopo.Notification{UserID: app.ApplicantID, Title: title, Body: body, Link: link}); err != nil {
			return err
		}
		if err := a.out.Tell(ctx, tx, aud.applicant, key, title, body, link); err != nil {
			return err
		}
	}
	if len(aud.staff) == 0 {
		return nil
	}
	// New work for the staff of the next step.
	title := pendopo.T(fill(staffNotice[0], "id", args("id")...), fill(staffNotice[0], "en", args("en")...))
	body := pendopo.T(fill(staffNotice[1], "id", args("id")...), fill(staffNotice[1], "en", args("en")...))
	link := "/admin/permohonan/" + app.Number
	for _, u := range aud.staff {
		if u.ID == ev.ActorID {
			continue
		}
		if err := a.out.Notify(ctx, tx, pendopo.Notification{UserID: u.ID, Title: title, Body: body, Link: link}); err != nil {
			return err
		}
		if err := a.out.Tell(ctx, tx, u, key+":staff:"+strconv.FormatInt(u.ID, 10), title, body, link); err != nil {
			return err
		}
	}
	return nil
}

// stepStaff lists who may act on step of app: the assignee when the step
// was handed to one person, else the agency's staff holding its role.
// The lists are kept for half a minute: every submission in a busy agency
// needs them, and a new officer hears of the next application instead.
func (a *App) stepStaff(ctx context.Context, s pendopo.Store, app pendopo.Application, step pendopo.WorkflowStep) ([]pendopo.User, error) {
	if app.Assignee != 0 {
		return a.findStaff(ctx, s, app, step)
	}
	k := app.Region + "/" + app.Agency + "/" + string(step.Role)
	now := time.Now() // wallclock: the age of a cache entry, a duration
	a.calMu.Lock()
	c, ok := a.staff[k]
	a.calMu.Unlock()
	if ok && now.Sub(c.at) < 30*time.Second {
		return c.users, nil
	}
	users, err := a.findStaff(ctx, s, app, step)
	if err != nil {
		return nil, err
	}
	a.calMu.Lock()
	if a.staff == nil || len(a.staff) > 1000 {
		a.staff = map[string]cachedStaff{}
	}
	a.staff[k] = cachedStaff{users, now}
	a.calMu.Unlock()
	return users, nil
}

type cachedStaff struct {
	users []pendopo.User
	at    time.Time
}

func (a *App) findStaff(ctx context.Context, s pendopo.Store, app pendopo.Application, step pendopo.WorkflowStep) ([]pendopo.User, error) {
	if app.Assignee != 0 {
		u, err := s.User(ctx, app.Assignee)
		if err != nil {
			return nil, err
		}
		return []pendopo.User{u}, nil
	}
	users, err := s.Users(ctx, pendopo.UserFilter{Region: app.Region})
	if err != nil {
		return nil, err
	}
	var out []pendopo.User
	for _, u := range users {
		for _, r := range u.Roles {
			if r.Region == app.Region && r.Agency == app.Agency && r.ActsOnStep(step) {
				out = append(out, u)
				break
			}
		}
	}
	return out, nil
}
