package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/data"
)

// Online applications: a citizen starts a draft from a service that has
// an online form, fills it in and uploads files, submits it, and follows
// it while the agency's officers act on each workflow step against a
// deadline counted in working days.

var (
	errNotOnline      = pendopo.Errorf(pendopo.KindNotFound, pendopo.M("app.this_service_cannot_be_applied"))
	errSignIn         = pendopo.Errorf(pendopo.KindUnauthorized, pendopo.M("app.sign_first_apply"))
	errNotEditable    = pendopo.Errorf(pendopo.KindConflict, pendopo.M("app.this_application_being_processed_cannot"))
	errActedMeanwhile = pendopo.Errorf(pendopo.KindConflict, pendopo.M("app.someone_else_changed_this_application"))
	errNoApplication  = pendopo.Errorf(pendopo.KindNotFound, pendopo.M("app.application_not_found_check_its"))
)

// ApplicationView is an application with what its pages show.
type ApplicationView struct {
	pendopo.Application
	// Content is the service as it stood in the version applied under:
	// its form, workflow and duration apply.
	Content pendopo.ServiceContent
	Region  pendopo.Region
	Events  []pendopo.ApplicationEvent
	Uploads []pendopo.Upload
	// Applicant is true when the viewer follows the application as its
	// applicant; officers see names, applicants see roles.
	Applicant bool
	// CanAct is true when the viewer may act on the current step.
	CanAct bool
	Clock  Clock
}

// Step returns the workflow step in progress or returned from.
func (v *ApplicationView) CurrentStep() pendopo.WorkflowStep {
	steps := v.Content.Apply.Workflow.Steps
	if v.Application.Step < len(steps) {
		return steps[v.Application.Step]
	}
	return pendopo.WorkflowStep{}
}

// Editable reports whether the applicant may change answers and files.
func (v *ApplicationView) Editable() bool {
	return v.Applicant && (v.Status == pendopo.StatusDraft || v.Status == pendopo.StatusReturned)
}

// Clock is where an application stands against its deadline.
type Clock struct {
	Deadline pendopo.Day
	// DaysLeft counts working days from today to the deadline; negative
	// when overdue.
	DaysLeft int
	Overdue  bool
	DueToday bool
	// Running is false while the clock is paused or stopped.
	Running bool
}

// calendar returns the working-day calendar of region: national holidays
// and cuti bersama from the shipped data, and the holidays region admins
// added for it or its province. Calendars are kept for a minute (another
// instance's new holiday shows within it) and dropped at once when this
// instance changes a holiday.
// Calendar is a region's working-day calendar (national holidays and
// cuti bersama, and the region's and its province's own).
func (a *App) Calendar(ctx context.Context, region string) (*pendopo.Calendar, error) {
	return a.calendar(ctx, a.store, region)
}

func (a *App) calendar(ctx context.Context, s pendopo.Store, region string) (*pendopo.Calendar, error) {
	now := time.Now() // wallclock: the age of a cache entry, a duration
	a.calMu.Lock()
	c, ok := a.calendars[region]
	a.calMu.Unlock()
	if ok && now.Sub(c.at) < time.Minute {
		return c.cal, nil
	}
	national, err := nationalHolidays()
	if err != nil {
		return nil, err
	}
	own, err := s.AllRegionHolidays(ctx)
	if err != nil {
		return nil, err
	}
	cal := pendopo.NewCalendar(slices.Concat(national, own), region)
	a.calMu.Lock()
	if a.calendars == nil || len(a.calendars) > 1000 {
		a.calendars = map[string]cachedCalendar{}
	}
	a.calendars[region] = cachedCalendar{cal, now}
	a.calMu.Unlock()
	return cal, nil
}

type cachedCalendar struct {
	cal *pendopo.Calendar
	at  time.Time
}

func (a *App) forgetCalendars() {
	a.calMu.Lock()
	a.calendars = nil
	a.calMu.Unlock()
}

// version returns a version of a service. Versions never change once
// written, so they are kept in memory (a few hundred, the ones that
// applications in progress were made under).
func (a *App) version(ctx context.Context, s pendopo.Store, id int64, n int) (pendopo.Version, error) {
	k := [2]int64{id, int64(n)}
	a.calMu.Lock()
	v, ok := a.versions[k]
	a.calMu.Unlock()
	if ok {
		return v, nil
	}
	v, err := s.Version(ctx, id, n)
	if err != nil {
		return v, err
	}
	a.calMu.Lock()
	if a.versions == nil || len(a.versions) >= 512 {
		a.versions = map[[2]int64]pendopo.Version{}
	}
	a.versions[k] = v
	a.calMu.Unlock()
	return v, nil
}

// nationalHolidays are the shipped holidays, read once.
var nationalHolidays = sync.OnceValues(data.Holidays)

// today is the current date in region's time zone.
func (a *App) today(region string) pendopo.Day {
	return pendopo.DayOf(a.now(), pendopo.RegionZone(region))
}

func (a *App) clock(cal *pendopo.Calendar, app pendopo.Application, leaveWorks bool) Clock {
	c := Clock{Deadline: app.Deadline, Running: app.Status == pendopo.StatusInProgress}
	if app.Deadline == 0 {
		return c
	}
	today := a.today(app.Region)
	if app.Status == pendopo.StatusReturned && app.PausedSince != 0 {
		today = app.PausedSince // the clock stopped there
	}
	c.DaysLeft = cal.WorkingDaysBetween(today, app.Deadline, leaveWorks)
	c.Overdue = c.Running && today > app.Deadline
	c.DueToday = c.Running && today == app.Deadline
	return c
}

// OnlineServices lists a region's published services that take
// applications in Pendopo, by name. The list is kept until a service
// changes, because region pages show it.
func (a *App) OnlineServices(ctx context.Context, region string) ([]pendopo.Service, error) {
	gen := a.views.generation()
	a.calMu.Lock()
	c, ok := a.online[region]
	a.calMu.Unlock()
	if ok && c.gen == gen {
		return c.list, nil
	}
	all, err := a.store.RegionServices(ctx, region)
	if err != nil {
		return nil, err
	}
	var out []pendopo.Service
	for _, s := range all {
		if s.Version > 0 && s.Apply != nil {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(x, y pendopo.Service) int { return strings.Compare(x.Name, y.Name) })
	a.calMu.Lock()
	if a.online == nil || len(a.online) > 1000 {
		a.online = map[string]cachedOnline{}
	}
	a.online[region] = cachedOnline{out, gen}
	a.calMu.Unlock()
	return out, nil
}

type cachedOnline struct {
	list []pendopo.Service
	gen  uint64
}

// Drafts lists who's drafts of service id, newest first, to resume.
func (a *App) Drafts(ctx context.Context, who pendopo.Actor, id int64) ([]pendopo.Application, error) {
	if who.UserID == 0 {
		return nil, errSignIn
	}
	l, _, err := a.store.Applications(ctx, pendopo.ApplicationFilter{ApplicantID: who.UserID, Statuses: []pendopo.ApplicationStatus{pendopo.StatusDraft},
		Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(l, func(x pendopo.Application) bool { return x.ServiceID != id }), nil
}

// StartApplication makes a draft for service id, or returns the draft the
// person already has of it for the same applicant: visiting "Ajukan
// online" again resumes, never piles up drafts. key makes a repeated
// request (a double click, a retry) return the same draft. forName is
// the person the application is for, when it is not the signed-in
// person: an officer filing at a counter, or a citizen applying for a
// family member.
func (a *App) StartApplication(ctx context.Context, who pendopo.Actor, id int64, key, forName string) (pendopo.Application, error) {
	if who.UserID == 0 {
		return pendopo.Application{}, errSignIn
	}
	v, err := a.ServiceView(ctx, id)
	if err != nil {
		return pendopo.Application{}, err
	}
	s := v.Service
	if s.Apply == nil {
		return pendopo.Application{}, errNotOnline
	}
	u, err := a.store.User(ctx, who.UserID)
	if err != nil {
		return pendopo.Application{}, err
	}
	forName = strings.TrimSpace(forName)
	if len(forName) > 200 || !pendopo.ValidText(forName) {
		return pendopo.Application{}, invalidParam("applicant_name", pendopo.M("app.the_applicant_name_at_most"))
	}
	app := pendopo.Application{
		Number: a.newNumber(s.RegionCode, a.now()), Region: s.RegionCode, ServiceID: s.ID,
		ServiceVersion: s.Version, ServiceName: s.Name, Agency: s.AgencySlug,
		ApplicantID: u.ID, ApplicantName: u.Name, Key: key, CreatedAt: a.now(),
		ApplicationState: pendopo.ApplicationState{Status: pendopo.StatusDraft},
	}
	if forName != "" && forName != u.Name {
		app.ApplicantName = forName
		// Staff of the agency filing for someone at the counter is
		// assisted service, recorded as such.
		if _, ok := who.Can(pendopo.ActHandleApplication, pendopo.Scope{Region: s.RegionCode, Agency: s.AgencySlug}); ok {
			app.AssistedBy = u.ID
		}
	}
	if app.ApplicantName == "" {
		return pendopo.Application{}, invalidParam("applicant_name", pendopo.M("app.write_applicant_name"))
	}
	drafts, err := a.Drafts(ctx, who, s.ID)
	if err != nil {
		return pendopo.Application{}, err
	}
	for _, d := range drafts {
		if d.ApplicantName == app.ApplicantName {
			return d, nil
		}
	}
	if app.Sealed, err = a.sealAnswers(app.Number, pendopo.Answers{}); err != nil {
		return app, err
	}
	role := roleCitizen
	if app.AssistedBy != 0 {
		role = string(a.stepRole(who, app))
	}
	var out pendopo.Application
	err = a.commit(ctx, func(tx pendopo.Store) error {
		// A random number may be taken already (a few a month in a busy
		// region): take another before writing.
		for {
			_, err := tx.ApplicationByNumber(ctx, app.Number)
			if errors.Is(err, pendopo.ErrNotFound) {
				break
			}
			if err != nil {
				return err
			}
			app.Number = a.newNumber(app.Region, app.CreatedAt)
			if app.Sealed, err = a.sealAnswers(app.Number, pendopo.Answers{}); err != nil {
				return err
			}
		}
		var err error
		out, err = tx.CreateApplication(ctx, app)
		if err != nil || out.Number != app.Number { // an earlier request made it already
			return err
		}
		if err := tx.AddApplicationEvent(ctx, pendopo.ApplicationEvent{ApplicationID: out.ID, At: a.now(), ActorID: u.ID,
			Action: "create", Status: pendopo.StatusDraft}); err != nil {
			return err
		}
		return a.audit(ctx, tx, who, role, pendopo.AuditEntry{Action: "application.create", Entity: "application", EntityID: out.Number, Region: out.Region,
			Diff: pendopo.Diff(nil, map[string]any{"service": out.ServiceID, "version": out.ServiceVersion, "assisted": out.AssistedBy != 0})})
	})
	return out, err
}

func (a *App) sealAnswers(number string, ans pendopo.Answers) ([]byte, error) {
	b, err := json.Marshal(ans)
	if err != nil {
		return nil, err
	}
	return a.sealer.seal(string(b), "application:"+number), nil
}

func (a *App) openAnswers(app *pendopo.Application) error {
	if len(app.Sealed) == 0 {
		app.Answers = pendopo.Answers{}
		return nil
	}
	plain, err := a.sealer.open(app.Sealed, "application:"+app.Number)
	if err != nil {
		return fmt.Errorf("answers of %s: %w", app.Number, err)
	}
	return json.Unmarshal([]byte(plain), &app.Answers)
}

// loadApplication reads an application by number with the content of the
// service version it was made under.
func (a *App) loadApplication(ctx context.Context, s pendopo.Store, number string) (pendopo.Application, pendopo.ServiceContent, error) {
	n, err := pendopo.ParseTrackingNumber(number)
	if err != nil {
		return pendopo.Application{}, pendopo.ServiceContent{}, fmt.Errorf("%s: %w", number, errNoApplication)
	}
	app, err := s.ApplicationByNumber(ctx, n)
	if errors.Is(err, pendopo.ErrNotFound) {
		return app, pendopo.ServiceContent{}, fmt.Errorf("%s: %w", n, errNoApplication)
	}
	if err != nil {
		return app, pendopo.ServiceContent{}, err
	}
	v, err := a.version(ctx, s, app.ServiceID, app.ServiceVersion)
	if err != nil {
		return app, pendopo.ServiceContent{}, err
	}
	if v.Content.Apply == nil {
		return app, v.Content, fmt.Errorf("%s: version %d has no form: %w", n, app.ServiceVersion, errNotOnline)
	}
	if err := a.openAnswers(&app); err != nil {
		return app, v.Content, err
	}
	return app, v.Content, nil
}

// access says how who may see app: as its applicant, as staff who may
// act on its current step, or as staff who may only read it; an error
// when not at all. Someone else's application is "not found", so that
// numbers cannot be probed.
func (a *App) access(who pendopo.Actor, app pendopo.Application, c pendopo.ServiceContent) (applicant, canAct bool, err error) {
	if who.UserID != 0 && who.UserID == app.ApplicantID {
		applicant = true
	}
	scope := pendopo.Scope{Region: app.Region, Agency: app.Agency}
	_, staff := who.Can(pendopo.ActViewApplications, scope)
	if !applicant && !staff {
		return false, false, fmt.Errorf("%s for %s: %w", app.Number, who.Name, errNoApplication)
	}
	if app.Status == pendopo.StatusInProgress && app.Step < len(c.Apply.Workflow.Steps) {
		canAct = a.mayActOnStep(who, app, c.Apply.Workflow.Steps[app.Step])
	}
	return applicant, canAct, nil
}

// mayActOnStep reports whether who may act on step of app: staff of the
// agency holding the step's role, and when the step was handed to one
// person, only that person or a supervisor.
func (a *App) mayActOnStep(who pendopo.Actor, app pendopo.Application, step pendopo.WorkflowStep) bool {
	if who.IsSystem() {
		return true
	}
	scope := pendopo.Scope{Region: app.Region, Agency: app.Agency}
	if _, ok := who.Can(pendopo.ActHandleApplication, scope); !ok {
		return false
	}
	for _, r := range who.Roles {
		if r.Kind == pendopo.RoleNationalAdmin {
			return true
		}
		if r.Region != app.Region || r.Agency != app.Agency || !r.ActsOnStep(step) {
			continue
		}
		if app.Assignee == 0 || app.Assignee == who.UserID || r.Kind != pendopo.RoleOfficer {
			return true
		}
	}
	return false
}

// Application returns an application for who to see. Staff reading an
// application's personal data is recorded in the audit trail.
func (a *App) Application(ctx context.Context, who pendopo.Actor, number string) (*ApplicationView, error) {
	app, c, err := a.loadApplication(ctx, a.store, number)
	if err != nil {
		return nil, err
	}
	applicant, canAct, err := a.access(who, app, c)
	if err != nil {
		return nil, err
	}
	v := &ApplicationView{Application: app, Content: c, Applicant: applicant, CanAct: canAct}
	if v.Events, err = a.store.ApplicationEvents(ctx, app.ID); err != nil {
		return nil, err
	}
	if v.Uploads, err = a.store.Uploads(ctx, app.ID); err != nil {
		return nil, err
	}
	if v.Region, err = a.Region(ctx, app.Region); err != nil {
		return nil, err
	}
	cal, err := a.calendar(ctx, a.store, app.Region)
	if err != nil {
		return nil, err
	}
	v.Clock = a.clock(cal, app, c.Apply.LeaveWorks)
	if !applicant {
		e := pendopo.AuditEntry{Action: "application.read", Entity: "application", EntityID: app.Number, Region: app.Region}
		if err := a.auditRead(ctx, who, pendopo.ActViewApplications, pendopo.Scope{Region: app.Region, Agency: app.Agency}, e, nil); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// SaveAnswers stores what the applicant typed, checked against the form
// of the application's version; a draft may leave required fields empty.
// File fields are kept as they are: files change through Upload.
func (a *App) SaveAnswers(ctx context.Context, who pendopo.Actor, number string, values map[string][]string) (pendopo.Application, error) {
	app, c, err := a.loadApplication(ctx, a.store, number)
	if err != nil {
		return app, err
	}
	if applicant, _, err := a.access(who, app, c); err != nil {
		return app, err
	} else if !applicant {
		return app, fmt.Errorf("%s: %w", number, pendopo.ErrForbidden)
	}
	if app.Status != pendopo.StatusDraft && app.Status != pendopo.StatusReturned {
		return app, errNotEditable
	}
	merged := map[string][]string{}
	for _, fd := range c.Apply.Form.Fields {
		if fd.Type == pendopo.FieldFile {
			merged[fd.Key] = app.Answers[fd.Key]
		} else {
			merged[fd.Key] = values[fd.Key]
		}
	}
	ans, invalid := pendopo.ReadAnswers(c.Apply.Form, merged, false, a.knownKabKota, a.now())
	if invalid != nil {
		var e *pendopo.Error
		if !errors.As(invalid, &e) || e.Kind != pendopo.KindInvalid {
			return app, invalid
		}
		// One wrong answer must not cost the others: the valid ones are
		// saved, a wrong one keeps what was saved before, and the error
		// goes back with the form.
		for _, f := range e.Fields {
			key := strings.TrimPrefix(f.Field, "answers.")
			if old, ok := app.Answers[key]; ok {
				ans[key] = old
			}
		}
	}
	// The trail names the fields that changed, never what was typed: the
	// answers stay sealed.
	var changed []string
	for _, fd := range c.Apply.Form.Fields {
		if !slices.Equal(app.Answers[fd.Key], ans[fd.Key]) {
			changed = append(changed, fd.Key)
		}
	}
	app.Answers = ans
	if app.Sealed, err = a.sealAnswers(app.Number, ans); err != nil {
		return app, err
	}
	app.UpdatedAt = a.now()
	var out pendopo.Application
	err = a.commit(ctx, func(tx pendopo.Store) error {
		var err error
		if out, err = tx.UpdateApplication(ctx, app); err != nil {
			return err
		}
		return a.audit(ctx, tx, who, roleCitizen, pendopo.AuditEntry{Action: "application.answers", Entity: "application", EntityID: app.Number,
			Region: app.Region, Diff: pendopo.Diff(nil, map[string]any{"fields": changed})})
	})
	if pendopo.KindOf(err) == pendopo.KindConflict {
		return app, errActedMeanwhile
	}
	if err == nil && invalid != nil {
		return out, invalid
	}
	return out, err
}

func (a *App) knownKabKota(code string) bool {
	r, err := a.Region(context.Background(), code)
	return err == nil && r.Level != pendopo.LevelProvinsi
}

// Upload stores a file for a file field of an application the applicant
// may still edit: its type is judged by its content and its size is
// bounded by the field. The field's answer then names the file.
func (a *App) Upload(ctx context.Context, who pendopo.Actor, number, field, name string, r io.Reader) (pendopo.Upload, error) {
	app, c, err := a.loadApplication(ctx, a.store, number)
	if err != nil {
		return pendopo.Upload{}, err
	}
	if applicant, _, err := a.access(who, app, c); err != nil {
		return pendopo.Upload{}, err
	} else if !applicant {
		return pendopo.Upload{}, fmt.Errorf("%s: %w", number, pendopo.ErrForbidden)
	}
	if app.Status != pendopo.StatusDraft && app.Status != pendopo.StatusReturned {
		return pendopo.Upload{}, errNotEditable
	}
	var fd *pendopo.FormField
	for i := range c.Apply.Form.Fields {
		if f := &c.Apply.Form.Fields[i]; f.Key == field && f.Type == pendopo.FieldFile {
			fd = f
		}
	}
	if fd == nil {
		return pendopo.Upload{}, invalidParam("field", pendopo.M("app.unknown_upload_field"))
	}
	if a.blobs == nil {
		return pendopo.Upload{}, pendopo.Errorf(pendopo.KindUnavailable, pendopo.M("app.file_storage_not_set_up"))
	}
	limit := fd.MaxBytes
	if limit == 0 {
		limit = pendopo.MaxUploadBytes
	}
	b, err := a.blobs.Put(ctx, r, limit, fd.Accept)
	if err != nil {
		return pendopo.Upload{}, fieldError("answers."+field, err)
	}
	name = cleanFileName(name)
	up := pendopo.Upload{ApplicationID: app.ID, Field: field, Addr: b.Addr, Media: b.Media, Size: b.Size, Name: name,
		UploadedBy: who.UserID, CreatedAt: a.now()}
	app.Answers[field] = []string{b.Addr}
	if app.Sealed, err = a.sealAnswers(app.Number, app.Answers); err != nil {
		return up, err
	}
	app.UpdatedAt = a.now()
	err = a.commit(ctx, func(tx pendopo.Store) error {
		if _, err := tx.UpdateApplication(ctx, app); err != nil {
			return err
		}
		var err error
		if up, err = tx.SaveUpload(ctx, up); err != nil {
			return err
		}
		return a.audit(ctx, tx, who, roleCitizen, pendopo.AuditEntry{Action: "application.upload", Entity: "application", EntityID: app.Number,
			Region: app.Region, Diff: pendopo.Diff(nil, map[string]any{"field": field, "sha256": up.Addr, "media": up.Media, "size": up.Size})})
	})
	if pendopo.KindOf(err) == pendopo.KindConflict {
		return up, errActedMeanwhile
	}
	return up, err
}

// fieldError puts an error's message on a form field, so that the form
// shows it beside the upload that caused it.
func fieldError(field string, err error) error {
	var e *pendopo.Error
	if errors.As(err, &e) && len(e.Fields) == 0 {
		switch e.Kind {
		case pendopo.KindInvalid, pendopo.KindUnsupported, pendopo.KindTooLarge:
			return &pendopo.Error{Kind: e.Kind, Msg: e.Msg, Fields: []pendopo.FieldError{{Field: field, Msg: e.Msg}}}
		}
	}
	return err
}

func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	return name
}

// OpenUpload returns one of an application's files for who to download;
// every download is recorded in the audit trail.
func (a *App) OpenUpload(ctx context.Context, who pendopo.Actor, number, addr string) (io.ReadCloser, pendopo.Upload, error) {
	app, c, err := a.loadApplication(ctx, a.store, number)
	if err != nil {
		return nil, pendopo.Upload{}, err
	}
	if _, _, err := a.access(who, app, c); err != nil {
		return nil, pendopo.Upload{}, err
	}
	ups, err := a.store.Uploads(ctx, app.ID)
	if err != nil {
		return nil, pendopo.Upload{}, err
	}
	i := slices.IndexFunc(ups, func(u pendopo.Upload) bool { return u.Addr == addr })
	if i < 0 || a.blobs == nil {
		return nil, pendopo.Upload{}, fmt.Errorf("upload %s of %s: %w", addr, number, pendopo.ErrNotFound)
	}
	// The entry names the file by its field and content, not by the name
	// the applicant gave it, which may hold their name: the trail
	// outlives the application's personal data.
	e := pendopo.AuditEntry{Action: "upload.download", Entity: "application", EntityID: app.Number, Region: app.Region}
	if err := a.auditRead(ctx, who, pendopo.ActViewApplications, pendopo.Scope{Region: app.Region, Agency: app.Agency}, e,
		map[string]string{"field": ups[i].Field, "sha256": addr}); err != nil {
		return nil, pendopo.Upload{}, err
	}
	rc, err := a.blobs.Open(ctx, addr)
	return rc, ups[i], err
}

// ApplicationAct is what someone does to an application with Act.
type ApplicationAct struct {
	Action pendopo.ApplicationAction
	// Note is the reason or remark that goes with the action.
	Note string
	// Rev is the revision the actor saw, so that of two people acting on
	// the same step at once exactly one wins and the other is told to look
	// again; 0 skips the check.
	Rev int
	// Assignee is the colleague a reassignment hands the step to.
	Assignee int64
}

// Act does act.Action to application number: the applicant submits,
// resubmits after a return or withdraws; staff approve, return, reject or
// hand the step to a colleague. Submitting twice is not an error: the
// second submission returns the application as the first one left it.
func (a *App) Act(ctx context.Context, who pendopo.Actor, number string, act ApplicationAct) (pendopo.Application, error) {
	app, c, err := a.loadApplication(ctx, a.store, number)
	if err != nil {
		return app, err
	}
	applicant, canAct, err := a.access(who, app, c)
	if err != nil {
		return app, err
	}
	if act.Action == pendopo.ActSubmit && app.Status != pendopo.StatusDraft && applicant {
		return app, nil // already submitted: idempotent
	}
	if act.Rev != 0 && act.Rev != app.Rev {
		// The same person sending the same action again (a retry after a
		// lost answer) gets the result of the first, not a conflict.
		if evs, err := a.store.ApplicationEvents(ctx, app.ID); err == nil && len(evs) > 0 && app.Rev == act.Rev+1 {
			if last := evs[len(evs)-1]; last.ActorID == who.UserID && who.UserID != 0 && last.Action == act.Action {
				return app, nil
			}
		}
		return app, errActedMeanwhile
	}
	if act.Action.ByApplicant() && !applicant || !act.Action.ByApplicant() && !canAct {
		return app, fmt.Errorf("%s %s: %w", number, act.Action, pendopo.ErrForbidden)
	}
	before := app
	act.Note = strings.TrimSpace(act.Note)
	if len(act.Note) > 2000 || !pendopo.ValidText(act.Note) {
		return app, invalidParam("note", pendopo.M("app.a_note_at_most_2"))
	}
	wf := c.Apply.Workflow
	next, err := wf.Next(app.ApplicationState, act.Action, act.Note)
	if err != nil {
		return app, err
	}
	if act.Action == pendopo.ActSubmit || act.Action == pendopo.ActResubmit {
		if _, err := pendopo.ReadAnswers(c.Apply.Form, app.Answers, true, a.knownKabKota, a.now()); err != nil {
			return app, err
		}
	}
	if act.Action == pendopo.ActReassign {
		if err := a.checkAssignee(ctx, app, wf.Steps[app.Step], act.Assignee); err != nil {
			return app, err
		}
		app.Assignee = act.Assignee
	}
	cal, err := a.calendar(ctx, a.store, app.Region)
	if err != nil {
		return app, err
	}
	today, now := a.today(app.Region), a.now()
	switch act.Action {
	case pendopo.ActSubmit:
		// The application is complete now: the clock starts.
		app.SubmittedAt = now
		app.Deadline = cal.Deadline(today, c.Standard.Duration.Days(), c.Apply.LeaveWorks)
	case pendopo.ActReturn:
		app.PausedSince = today
	case pendopo.ActResubmit:
		if paused := cal.WorkingDaysBetween(app.PausedSince, today, c.Apply.LeaveWorks); paused > 0 {
			app.PausedDays += paused
			app.Deadline = cal.AddWorkingDays(app.Deadline, paused, c.Apply.LeaveWorks)
		}
		app.PausedSince = 0
	case pendopo.ActApprove:
		if next.Step != app.Step {
			app.Assignee = 0 // a new step is open to its role again
		}
	}
	if next.Status.Final() {
		app.ClosedAt = now
	}
	app.ApplicationState, app.UpdatedAt = next, now
	ev := pendopo.ApplicationEvent{ApplicationID: app.ID, At: now, ActorID: who.UserID, Action: act.Action,
		Step: next.Step, Status: next.Status, Note: act.Note}
	if !applicant || !act.Action.ByApplicant() {
		ev.ActorRole = a.stepRole(who, app)
	}
	aud, err := a.audience(ctx, app, c, act.Action)
	if err != nil {
		return app, err
	}
	// Officers' decisions are in the audit trail with the role they acted
	// under, applicants' as citizens'.
	role := roleCitizen
	switch {
	case who.IsSystem():
		role = "system"
	case !act.Action.ByApplicant():
		role = string(ev.ActorRole)
	}
	entry := pendopo.AuditEntry{Action: "application." + string(act.Action), Entity: "application", EntityID: app.Number, Region: app.Region}
	changes := [2]map[string]any{{"status": before.Status, "step": before.Step}, {"status": next.Status, "step": next.Step}}
	if act.Note != "" {
		changes[1]["note"] = act.Note
	}
	if act.Action == pendopo.ActReassign {
		changes[0]["assignee"], changes[1]["assignee"] = before.Assignee, app.Assignee
	}
	// The document is rendered and stored before the transaction, which
	// only records it.
	var doc pendopo.IssuedDocument
	if next.Status == pendopo.StatusCompleted {
		if doc, err = a.renderDocument(ctx, app, c, now); err != nil {
			return pendopo.Application{}, err
		}
		app.Document = doc.Code
	}
	var out pendopo.Application
	err = a.commit(ctx, func(tx pendopo.Store) error {
		if doc.Code != "" {
			if err := tx.SaveDocument(ctx, doc); err != nil {
				return err
			}
		}
		var err error
		if out, err = tx.UpdateApplication(ctx, app); err != nil {
			return err
		}
		if err := tx.AddApplicationEvent(ctx, ev); err != nil {
			return err
		}
		var figures []pendopo.StatDelta
		if act.Action == pendopo.ActSubmit {
			figures = pendopo.ApplicationReceivedStats(out)
		}
		if next.Status.Final() {
			figures = append(figures, pendopo.ApplicationClosedStats(out, cal, c.Apply.LeaveWorks)...)
		}
		if err := tx.AddStats(ctx, figures); err != nil {
			return err
		}
		if out.Document != "" && before.Document == "" {
			changes[1]["document"] = out.Document
		}
		e := entry
		e.Diff = pendopo.Diff(changes[0], changes[1])
		if err := a.audit(ctx, tx, who, role, e); err != nil {
			return err
		}
		return a.announce(ctx, tx, out, c, ev, aud)
	})
	if err != nil && doc.Blob != "" {
		a.discardFile(ctx, doc.Blob)
	}
	if pendopo.KindOf(err) == pendopo.KindConflict {
		return app, errActedMeanwhile
	}
	return out, err
}

// stepRole is the role under which who acted, as applicants see it.
func (a *App) stepRole(who pendopo.Actor, app pendopo.Application) pendopo.RoleKind {
	best := pendopo.RoleKind("")
	for _, r := range who.Roles {
		if r.Region == app.Region && r.Agency == app.Agency {
			return r.Kind
		}
		if r.Kind == pendopo.RoleNationalAdmin {
			best = r.Kind
		}
	}
	return best
}

// checkAssignee makes sure a step is handed to staff of the agency who
// may act on it.
func (a *App) checkAssignee(ctx context.Context, app pendopo.Application, step pendopo.WorkflowStep, id int64) error {
	bad := invalidParam("assignee", pendopo.M("app.choose_staff_this_agency_who"))
	if id == 0 {
		return bad
	}
	u, err := a.store.User(ctx, id)
	if errors.Is(err, pendopo.ErrNotFound) {
		return bad
	}
	if err != nil {
		return err
	}
	for _, r := range u.Roles {
		if r.Region == app.Region && r.Agency == app.Agency && r.ActsOnStep(step) {
			return nil
		}
	}
	return bad
}

// Colleagues lists the staff who may take over the current step of an
// application, for the reassign form.
func (a *App) Colleagues(ctx context.Context, who pendopo.Actor, v *ApplicationView) ([]pendopo.User, error) {
	if !v.CanAct {
		return nil, nil
	}
	users, err := a.store.Users(ctx, pendopo.UserFilter{Region: v.Region.Code})
	if err != nil {
		return nil, err
	}
	var out []pendopo.User
	for _, u := range users {
		if u.ID == who.UserID {
			continue
		}
		for _, r := range u.Roles {
			if r.Region == v.Region.Code && r.Agency == v.Agency && r.ActsOnStep(v.CurrentStep()) {
				out = append(out, u)
				break
			}
		}
	}
	return out, nil
}

// MyApplications lists the signed-in person's applications, newest first.
func (a *App) MyApplications(ctx context.Context, who pendopo.Actor, page pendopo.Page) ([]pendopo.Application, int, error) {
	if who.UserID == 0 {
		return nil, 0, errSignIn
	}
	return a.store.Applications(ctx, pendopo.ApplicationFilter{ApplicantID: who.UserID, Page: page})
}

// QueueItem is an application in an officer's work queue.
type QueueItem struct {
	pendopo.Application
	Step  pendopo.WorkflowStep
	Clock Clock
	// Mine is true when the viewer may act on its current step.
	Mine bool
}

// UrgentAgency is the agency of the region's application in progress that
// is due soonest, "" when there is none or who may not see the region's
// applications: where a region admin's queue opens.
func (a *App) UrgentAgency(ctx context.Context, who pendopo.Actor, region string) (string, error) {
	if _, ok := who.Can(pendopo.ActViewApplications, pendopo.Scope{Region: region}); !ok {
		return "", nil
	}
	l, _, err := a.store.Applications(ctx, pendopo.ApplicationFilter{Region: region, Statuses: []pendopo.ApplicationStatus{pendopo.StatusInProgress},
		ByDeadline: true, Page: pendopo.Page{PerPage: 1}})
	if err != nil || len(l) == 0 {
		return "", err
	}
	return l[0].Agency, nil
}

// Queue lists an agency's applications in progress, soonest deadline
// first, with each one's clock. overdueOnly keeps those past their
// deadline, for supervisors.
func (a *App) Queue(ctx context.Context, who pendopo.Actor, region, agency string, overdueOnly bool, page pendopo.Page) ([]QueueItem, int, error) {
	if _, err := who.Authorize(pendopo.ActViewApplications, pendopo.Scope{Region: region, Agency: agency}); err != nil {
		return nil, 0, err
	}
	f := pendopo.ApplicationFilter{Region: region, Agency: agency, Statuses: []pendopo.ApplicationStatus{pendopo.StatusInProgress},
		ByDeadline: true, Page: page}
	if overdueOnly {
		f.DueBy = a.today(region) - 1
	}
	apps, total, err := a.store.Applications(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	cal, err := a.calendar(ctx, a.store, region)
	if err != nil {
		return nil, 0, err
	}
	// Applications of one service mostly share a version: read each
	// version once, not once per row.
	versions := map[[2]int64]*pendopo.Online{}
	out := make([]QueueItem, 0, len(apps))
	for _, app := range apps {
		k := [2]int64{app.ServiceID, int64(app.ServiceVersion)}
		on, ok := versions[k]
		if !ok {
			v, err := a.version(ctx, a.store, app.ServiceID, app.ServiceVersion)
			if err != nil {
				return nil, 0, err
			}
			on = v.Content.Apply
			versions[k] = on
		}
		it := QueueItem{Application: app}
		if on != nil && app.Step < len(on.Workflow.Steps) {
			it.Step = on.Workflow.Steps[app.Step]
			it.Clock = a.clock(cal, app, on.LeaveWorks)
			it.Mine = a.mayActOnStep(who, app, it.Step)
		}
		out = append(out, it)
	}
	return out, total, nil
}

// RegionHolidays lists the holidays that close a region's offices in a
// year: national ones from the shipped calendar and the region's own.
func (a *App) RegionHolidays(ctx context.Context, region string) (national, own []pendopo.Holiday, err error) {
	shipped, err := nationalHolidays()
	if err != nil {
		return nil, nil, err
	}
	imported, err := a.store.RegionHolidays(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	national = slices.Concat(shipped, imported)
	slices.SortStableFunc(national, func(x, y pendopo.Holiday) int { return int(x.Date - y.Date) })
	own, err = a.store.RegionHolidays(ctx, region)
	return national, own, err
}

// AddRegionHoliday adds a holiday of region (for example its anniversary
// when the regent declares it a day off).
func (a *App) AddRegionHoliday(ctx context.Context, who pendopo.Actor, h pendopo.Holiday) error {
	role, err := who.Authorize(pendopo.ActManageHolidays, pendopo.Scope{Region: h.Region})
	if err != nil {
		return err
	}
	if _, err := a.Region(ctx, h.Region); err != nil {
		return err
	}
	h.Name, h.Kind = strings.TrimSpace(h.Name), pendopo.HolidayRegional
	var p pendopo.Problems
	if h.Name == "" || len(h.Name) > 200 || !pendopo.ValidText(h.Name) {
		p.Add("name", pendopo.M("app.write_holiday_name_at_most"))
	}
	if h.Date == 0 {
		p.Add("date", pendopo.M("app.write_date_like_2026_12"))
	}
	if err := p.Err(); err != nil {
		return err
	}
	e := pendopo.AuditEntry{Action: "holiday.add", Entity: "holiday", EntityID: h.Region + "/" + h.Date.String(), Region: h.Region,
		Diff: pendopo.Diff(nil, map[string]string{"name": h.Name})}
	defer a.forgetCalendars()
	return a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.AddRegionHoliday(ctx, h) })
}

// DeleteRegionHoliday removes a holiday of region.
func (a *App) DeleteRegionHoliday(ctx context.Context, who pendopo.Actor, region string, d pendopo.Day) error {
	role, err := who.Authorize(pendopo.ActManageHolidays, pendopo.Scope{Region: region})
	if err != nil {
		return err
	}
	e := pendopo.AuditEntry{Action: "holiday.delete", Entity: "holiday", EntityID: region + "/" + d.String(), Region: region}
	defer a.forgetCalendars()
	return a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.DeleteRegionHoliday(ctx, region, d) })
}

// ImportHolidays adds the national holidays and cuti bersama of a year the
// binary does not ship yet (the format of data/libur-nasional-2026.csv),
// all or nothing. Only the command line and national admins may.
func (a *App) ImportHolidays(ctx context.Context, who pendopo.Actor, hs []pendopo.Holiday) (int, error) {
	if !who.IsSystem() && !who.National() {
		return 0, pendopo.ErrForbidden
	}
	var p pendopo.Problems
	for i, h := range hs {
		if h.Kind != pendopo.HolidayNational && h.Kind != pendopo.HolidayLeave || h.Date == 0 || strings.TrimSpace(h.Name) == "" {
			p.Add(fmt.Sprintf("[%d]", i), pendopo.M("app.every_row_needs_date_name"))
		}
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	defer a.forgetCalendars()
	e := pendopo.AuditEntry{Action: "holiday.import", Entity: "holiday", EntityID: "national", Diff: pendopo.Diff(nil, map[string]int{"holidays": len(hs)})}
	err := a.audited(ctx, who, "system", &e, func(tx pendopo.Store) error {
		for _, h := range hs {
			h.Region = ""
			if err := tx.AddRegionHoliday(ctx, h); err != nil {
				return err
			}
		}
		return nil
	})
	return len(hs), err
}

// Holidays lists every holiday of a year that closes region's offices
// (national ones for region ""): shipped, imported and the region's own.
func (a *App) Holidays(ctx context.Context, region string, year int) ([]pendopo.Holiday, error) {
	national, err := nationalHolidays()
	if err != nil {
		return nil, err
	}
	added, err := a.store.AllRegionHolidays(ctx)
	if err != nil {
		return nil, err
	}
	var out []pendopo.Holiday
	for _, h := range slices.Concat(national, added) {
		if pendopo.Covers(h.Region, region) && h.Date.Time(time.UTC).Year() == year {
			out = append(out, h)
		}
	}
	slices.SortStableFunc(out, func(x, y pendopo.Holiday) int { return int(x.Date - y.Date) })
	return out, nil
}
