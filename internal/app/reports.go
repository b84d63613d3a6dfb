package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/geo"
	"github.com/pendopo/pendopo/internal/search"
)

// Citizen reports: anyone files a complaint, aspiration or information
// request with a region (with or without an account); the region's
// coordinator verifies and disposes it to an agency within 3 working
// days; the agency follows up within 5 (an information request is
// answered within 10, once extendable by 7); reports left too long are
// escalated. Privacy is enforced here, in one place: anonymous reporters'
// identity is sealed and shown only to themselves, confidential reports
// never reach the public.

// ReportsPerHour is how many reports one account or contact may file in
// an hour through the portal or Open311.
const ReportsPerHour = 10

var errTooManyReports = pendopo.Errorf(pendopo.KindRateLimited, pendopo.M("app.you_have_sent_many_reports"))

var errNoReport = pendopo.Errorf(pendopo.KindNotFound, pendopo.M("app.report_not_found_check_its"))

// reporter is who filed a report, sealed in the report.
type reporter struct {
	UserID  int64  `json:"user_id,omitempty"`
	Name    string `json:"name,omitempty"`
	Contact string `json:"contact,omitempty"`
}

// reporterKeys are the keyed hashes a person's reports are found by: their
// account, and a contact they gave without one.
func (a *App) reporterKey(userID int64, contact string) string {
	if userID != 0 {
		return a.sealer.mac("user:" + strconv.FormatInt(userID, 10))
	}
	email, phone, _ := pendopo.NormalizeLogin(contact)
	return a.sealer.mac("contact:" + email + phone)
}

// flagRules send a report to moderation before the public sees it.
var (
	linkRE     = regexp.MustCompile(`(?i)https?://|www\.`)
	abusiveRE  = regexp.MustCompile(`(?i)\b(anjing|bangsat|bajingan|keparat|kontol|memek|ngentot|goblok)\b`)
	shoutingRE = regexp.MustCompile(`[A-Z]{25,}`)
)

// moderation says why a report should wait for a moderator, or "".
func moderation(in pendopo.ReportInput) string {
	text := in.Title + "\n" + in.Description
	switch {
	case len(linkRE.FindAllString(text, -1)) > 2:
		return "banyak tautan"
	case abusiveRE.MatchString(text):
		return "kata kasar"
	case shoutingRE.MatchString(text):
		return "huruf kapital beruntun"
	}
	return ""
}

// SubmitReport files a report with region. A region that has not joined
// (Joined) takes none: KindConflict, naming the region and SP4N-LAPOR!.
// who may be signed in or not; without an account a contact is needed
// for updates, and the reporter gets a key of their own
// (FiledReport.Secret, also sent to the contact): the only proof, besides
// an account, that someone is the reporter. key makes a resubmission (a
// double click, a retry) return the first report, with a new reporter's
// key that replaces the first one.
func (a *App) SubmitReport(ctx context.Context, who pendopo.Actor, region string, in pendopo.ReportInput, key string) (FiledReport, error) {
	reg, err := a.Region(ctx, region)
	if err != nil {
		return FiledReport{}, err
	}
	// Nobody would verify a report to a region that has not joined: it
	// is refused, pointing to SP4N-LAPOR!, rather than promised a check.
	if joined, err := a.joinedRegions(ctx); err != nil {
		return FiledReport{}, err
	} else if !joined[reg.Code] {
		return FiledReport{}, notJoined(reg)
	}
	bounds, err := a.store.RegionBounds(ctx, reg.Code)
	if err != nil {
		return FiledReport{}, err
	}
	bounds, placed := placeReport(reg.Code, &in, bounds)
	if err := in.Validate(bounds, who.UserID != 0); err != nil {
		// One answer with every field's problem, the pin's too: what
		// placeReport says of the location is the more precise.
		var e *pendopo.Error
		if errors.As(err, &e) && e.Kind == pendopo.KindInvalid && len(placed) > 0 {
			fields := slices.Clone(placed)
			for _, f := range e.Fields {
				if f.Field != "location" {
					fields = append(fields, f)
				}
			}
			e.Fields = fields
		}
		return FiledReport{}, err
	}
	if err := placed.Err(); err != nil {
		return FiledReport{}, err
	}
	if in.ServiceID != 0 {
		v, err := a.ServiceView(ctx, in.ServiceID)
		if err != nil || v.Service.RegionCode != reg.Code && v.Service.RegionCode != reg.ParentCode {
			return FiledReport{}, invalidParam("service_id", pendopo.M("app.that_service_not_one_this"))
		}
	}
	if len(key) > 100 {
		return FiledReport{}, invalidParam("key", pendopo.M("app.the_key_at_most_100"))
	}
	now := a.now()
	// Requests from the network (an actor with an address) are limited per
	// reporter as well as per address (in the handlers): one account or
	// contact files at most ReportsPerHour, from however many addresses.
	rkey := a.reporterKey(who.UserID, in.Contact)
	if who.IP != "" && (who.UserID != 0 || in.Contact != "") && !a.reportLimit.Allow(rkey, now) {
		return FiledReport{}, errTooManyReports
	}
	var secret string
	if who.UserID == 0 {
		secret = newReporterSecret()
	}
	rp := reporter{UserID: who.UserID, Name: in.Name, Contact: in.Contact}
	if who.UserID != 0 && rp.Name == "" {
		if u, err := a.store.User(ctx, who.UserID); err == nil {
			rp.Name = u.Name
		}
	}
	r := pendopo.Report{
		Number: a.newNumber(reg.Code, now), Region: reg.Code, Kind: in.Kind, Category: in.Category,
		Title: in.Title, Description: in.Description, ServiceID: in.ServiceID, Component: in.Component,
		Location: in.Location, Privacy: in.Privacy, ReportState: pendopo.ReportState{Status: pendopo.ReportReceived},
		ReporterKey: rkey, Received: a.today(reg.Code), Key: key, CreatedAt: now, SecretHash: a.secretHash(secret),
	}
	if in.Privacy != pendopo.PrivacyAnonymous {
		r.ReporterID = who.UserID
	}
	if reason := moderation(in); reason != "" {
		r.Flagged, r.FlagReason = true, reason
	}
	if r.Sealed, err = a.sealReporter(r.Number, rp); err != nil {
		return FiledReport{}, err
	}
	cal, err := a.calendar(ctx, a.store, reg.Code)
	if err != nil {
		return FiledReport{}, err
	}
	r.Due = pendopo.ReportDue(r.Kind, r.ReportState, r.Received, 0, cal)
	var (
		out   pendopo.Report
		again bool
	)
	err = a.commit(ctx, func(tx pendopo.Store) error {
		if err := a.freeReportNumber(ctx, tx, &r, rp); err != nil {
			return err
		}
		var err error
		if out, err = tx.CreateReport(ctx, r); err != nil {
			return err
		}
		if again = out.Number != r.Number; again {
			// An earlier request made it already: the key this answer
			// shows replaces the one the earlier answer showed.
			if secret == "" {
				return nil
			}
			out.SecretHash, out.UpdatedAt = r.SecretHash, now
			out, err = tx.UpdateReport(ctx, out)
			return err
		}
		ev := pendopo.ReportEvent{ReportID: out.ID, At: now, ActorID: who.UserID, Action: "submit", Status: pendopo.ReportReceived, Public: true}
		if err := tx.AddReportEvent(ctx, ev); err != nil {
			return err
		}
		if err := tx.AddStats(ctx, pendopo.ReportReceivedStats(out)); err != nil {
			return err
		}
		actor, role := reporterActor(who, out)
		if err := a.audit(ctx, tx, actor, role, pendopo.AuditEntry{Action: "report.submit", Entity: "report", EntityID: out.Number, Region: out.Region,
			Diff: pendopo.Diff(nil, map[string]any{"kind": out.Kind, "category": out.Category, "privacy": out.Privacy})}); err != nil {
			return err
		}
		return a.tellReporter(ctx, tx, out, ev)
	})
	if err != nil {
		return FiledReport{}, err
	}
	if secret != "" {
		a.sendReporterSecret(ctx, in.Contact, out.Number, secret, again)
	}
	out.Sealed, out.ReporterKey, out.SecretHash = nil, "", ""
	return FiledReport{Report: out, Secret: secret}, nil
}

// reporterActor is who the audit trail names for a reporter's own doing
// on r: nobody for an anonymous report (not even an address), the
// integration that filed it through Open311, the person, or for someone
// without an account only their address.
func reporterActor(who pendopo.Actor, r pendopo.Report) (pendopo.Actor, string) {
	switch {
	case who.TokenID != 0:
		return pendopo.Actor{Name: who.Name, TokenID: who.TokenID, IP: who.IP}, "token"
	case r.Privacy == pendopo.PrivacyAnonymous:
		return anonymousActor, roleAnonymous
	case who.UserID != 0:
		return who, roleCitizen
	}
	return pendopo.Actor{Name: "pelapor tanpa akun", IP: who.IP}, roleCitizen
}

// freeReportNumber gives r another tracking number while its own is
// taken. Numbers are random within a region and month (about a billion
// of them), so a busy region meets a few collisions a month; checking
// first keeps the transaction from failing on one, which PostgreSQL could
// not recover from inside the transaction.
func (a *App) freeReportNumber(ctx context.Context, tx pendopo.Store, r *pendopo.Report, rp reporter) error {
	for {
		_, err := tx.ReportByNumber(ctx, r.Number)
		if errors.Is(err, pendopo.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		r.Number = a.newNumber(r.Region, r.CreatedAt)
		if r.Sealed, err = a.sealReporter(r.Number, rp); err != nil {
			return err
		}
	}
}

func (a *App) sealReporter(number string, rp reporter) ([]byte, error) {
	b, err := json.Marshal(rp)
	if err != nil {
		return nil, err
	}
	return a.sealer.seal(string(b), "report:"+number), nil
}

func (a *App) openReporter(r pendopo.Report) (reporter, error) {
	var rp reporter
	if len(r.Sealed) == 0 {
		return rp, nil
	}
	plain, err := a.sealer.open(r.Sealed, "report:"+r.Number)
	if err != nil {
		return rp, fmt.Errorf("reporter of %s: %w", r.Number, err)
	}
	return rp, json.Unmarshal([]byte(plain), &rp)
}

// ReportView is a report as one person may see it.
type ReportView struct {
	pendopo.Report
	Events []pendopo.ReportEvent
	Photos []pendopo.ReportPhoto
	// Mine is true for the reporter; ReporterName and ReporterContact are
	// shown to them, and to officers unless the report is anonymous.
	// ByKey is true when the reporter was recognised by their key rather
	// than their account.
	Mine, ByKey     bool
	ReporterName    string
	ReporterContact string
	// Coordinator and Handler tell what the viewer may do.
	Coordinator, Handler bool
	// Suggested is the agency the region routes the category to.
	Suggested string
}

// MergedError says that a report was merged into another, whose page
// stands for both.
type MergedError struct{ Number, Into string }

func (e *MergedError) Error() string { return e.Number + " was merged into " + e.Into }

// Unwrap makes a merged report not found for every other use: only its
// page redirects.
func (e *MergedError) Unwrap() error { return errNoReport }

// ReportFor returns a report for who to see. The reporter is recognised
// by their account or, without one, by their key (secret); never by the
// report's number or a contact, which others may know. Officers of the
// region see it all but an anonymous reporter's identity; the public sees
// public and anonymous reports without identity or internal notes, and no
// confidential report at all. A public report merged into another answers
// a MergedError naming that one.
func (a *App) ReportFor(ctx context.Context, who pendopo.Actor, number, secret string) (*ReportView, error) {
	n, err := pendopo.ParseTrackingNumber(number)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", number, errNoReport)
	}
	r, err := a.store.ReportByNumber(ctx, n)
	if errors.Is(err, pendopo.ErrNotFound) {
		return nil, fmt.Errorf("%s: %w", n, errNoReport)
	}
	if err != nil {
		return nil, err
	}
	v := &ReportView{}
	v.Mine = who.UserID != 0 && r.ReporterKey == a.reporterKey(who.UserID, "")
	if !v.Mine && a.provesReporter(r, secret) {
		v.Mine, v.ByKey = true, true
	}
	_, v.Coordinator = who.Can(pendopo.ActCoordinateReports, pendopo.Scope{Region: r.Region})
	_, v.Handler = who.Can(pendopo.ActHandleReports, pendopo.Scope{Region: r.Region, Agency: r.Agency})
	officer := v.Coordinator || v.Handler && r.Agency != ""
	public := r.Privacy != pendopo.PrivacyConfidential && !r.Flagged && r.MergedInto == 0
	if !v.Mine && !officer && !public {
		// A public report merged into another: its page is that one, the
		// one the merge notice links to.
		if r.MergedInto != 0 && r.Privacy != pendopo.PrivacyConfidential && !r.Flagged {
			if into, err := a.store.Report(ctx, r.MergedInto); err == nil {
				return nil, &MergedError{Number: r.Number, Into: into.Number}
			}
		}
		return nil, fmt.Errorf("%s for %s: %w", n, who.Name, errNoReport)
	}
	rp, err := a.openReporter(r)
	if err != nil {
		return nil, err
	}
	if v.Mine || officer && r.Privacy != pendopo.PrivacyAnonymous {
		v.ReporterName, v.ReporterContact = rp.Name, rp.Contact
		if v.ReporterContact == "" && rp.UserID != 0 {
			if u, err := a.store.User(ctx, rp.UserID); err == nil {
				v.ReporterContact = u.Contact()
			}
		}
	}
	if officer && !v.Mine && r.Privacy != pendopo.PrivacyAnonymous {
		act, scope := pendopo.ActCoordinateReports, pendopo.Scope{Region: r.Region}
		if !v.Coordinator {
			act, scope = pendopo.ActHandleReports, pendopo.Scope{Region: r.Region, Agency: r.Agency}
		}
		e := pendopo.AuditEntry{Action: "report.read_personal", Entity: "report", EntityID: r.Number, Region: r.Region}
		if err := a.auditRead(ctx, who, act, scope, e, nil); err != nil {
			return nil, err
		}
	}
	// Nobody but the reporter learns who they are from the record itself.
	r.Sealed, r.ReporterKey, r.SecretHash = nil, "", ""
	if !v.Mine && (r.Privacy == pendopo.PrivacyAnonymous || !officer) {
		r.ReporterID = 0
	}
	v.Report = r
	if v.Events, err = a.store.ReportEvents(ctx, r.ID); err != nil {
		return nil, err
	}
	if !officer {
		// Internal lines (notes between officers, who acted) stay inside.
		var pub []pendopo.ReportEvent
		for _, e := range v.Events {
			if e.Public {
				e.ActorID = 0
				pub = append(pub, e)
			}
		}
		v.Events = pub
	}
	photos, err := a.store.ReportPhotos(ctx, []int64{r.ID})
	if err != nil {
		return nil, err
	}
	v.Photos = photos[r.ID]
	if v.Coordinator && r.Agency == "" {
		if v.Suggested, err = a.routeReport(ctx, r); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// ReportAct is an action on a report with what it needs.
type ReportAct struct {
	Action pendopo.ReportAction
	// Note is the reason, the answer or the reply.
	Note string
	// Agency is where a disposition or forwarding sends the report
	// (empty: the region's routing for the category). A forwarding out of
	// the region goes either to Region, another region on Pendopo (its
	// province, a neighbour), where it continues as a new report, or to
	// Target, an instansi outside Pendopo that is only recorded.
	Agency, Region, Target string
	Rating                 int
	// Rev is the revision the actor saw; 0 skips the check.
	Rev int
	// Secret is the key of a reporter without an account.
	Secret string
}

// reportActionRole says who may do each action: the coordinator, the
// agency that has the report, or the reporter.
var reportActionRole = map[pendopo.ReportAction]string{
	pendopo.ActReportVerify: "coordinator", pendopo.ActReportReject: "coordinator", pendopo.ActReportArchive: "coordinator",
	pendopo.ActReportDispose: "coordinator", pendopo.ActReportMerge: "coordinator", pendopo.ActReportRelease: "coordinator",
	pendopo.ActReportForward: "handler", pendopo.ActReportAnswer: "handler", pendopo.ActReportComplete: "handler",
	pendopo.ActReportExtend: "handler",
	pendopo.ActReportReply:  "reporter", pendopo.ActReportRate: "reporter", pendopo.ActReportReopen: "reporter",
}

// ActOnReport does act to the report number on behalf of who.
func (a *App) ActOnReport(ctx context.Context, who pendopo.Actor, number string, act ReportAct) (pendopo.Report, error) {
	v, err := a.ReportFor(ctx, who, number, act.Secret)
	if err != nil {
		return pendopo.Report{}, err
	}
	r, err := a.store.Report(ctx, v.ID) // with the sealed fields ReportFor hides
	if err != nil {
		return r, err
	}
	allowed := false
	switch reportActionRole[act.Action] {
	case "coordinator":
		allowed = v.Coordinator
	case "handler":
		allowed = v.Handler && r.Agency != "" || v.Coordinator
	case "reporter":
		allowed = v.Mine
	}
	if !allowed {
		return r, fmt.Errorf("%s %s: %w", r.Number, act.Action, pendopo.ErrForbidden)
	}
	if act.Rev != 0 && act.Rev != r.Rev {
		return r, errActedMeanwhile
	}
	if r.MergedInto != 0 && act.Action != pendopo.ActReportReply {
		// Merged or forwarded to another region: work goes on there.
		return r, pendopo.Errorf(pendopo.KindConflict, pendopo.M("app.this_report_goes_on_as"))
	}
	act.Note = strings.TrimSpace(act.Note)
	if len([]rune(act.Note)) > pendopo.MaxReportDescription || !pendopo.ValidText(act.Note) {
		return r, invalidParam("note", pendopo.M("app.a_note_at_most_4"))
	}
	now := a.now()
	before := r
	next, err := pendopo.NextReport(r.Kind, r.ReportState, act.Action, act.Note, r.ClosedAt, now)
	if err != nil {
		return r, err
	}
	ev := pendopo.ReportEvent{ReportID: r.ID, At: now, ActorID: who.UserID, ActorRole: a.reportRole(who, r), Action: act.Action,
		Status: next.Status, Note: act.Note}
	today := a.today(r.Region)
	var forwardTo *pendopo.Region
	switch act.Action {
	case pendopo.ActReportDispose, pendopo.ActReportForward:
		agency := act.Agency
		if agency == "" && act.Action == pendopo.ActReportDispose {
			if agency, err = a.routeReport(ctx, r); err != nil {
				return r, err
			}
		}
		switch {
		case act.Action == pendopo.ActReportForward && act.Region != "":
			// Handed to another region on Pendopo: the report continues
			// there as a new one, and this one closes pointing at it.
			if !v.Coordinator {
				return r, fmt.Errorf("%s forward out of the region: %w", r.Number, pendopo.ErrForbidden)
			}
			to, err := a.Region(ctx, act.Region)
			if err != nil || to.Code == r.Region {
				return r, invalidParam("region", pendopo.M("app.choose_another_region_forward_it"))
			}
			// A region that has not joined has nobody to take the report
			// up: it would wait for no one. Forward it outside Pendopo
			// (SP4N-LAPOR!) with a target instead.
			switch joined, err := a.Joined(ctx, to.Code); {
			case err != nil:
				return r, err
			case !joined:
				return r, invalidParam("region", pendopo.M("app.forward_not_joined", to.Name))
			}
			forwardTo = &to
			next.Status = pendopo.ReportDone
		case agency != "":
			if _, err := a.store.Agency(ctx, r.Region, agency); err != nil {
				return r, invalidParam("agency", pendopo.M("app.choose_agency_send_it"))
			}
			r.Agency, ev.Agency = agency, agency
		case act.Action == pendopo.ActReportForward && strings.TrimSpace(act.Target) != "":
			// Out of the region's hands: another region, the province or
			// a ministry. The coordinator keeps the record.
			if !v.Coordinator {
				return r, fmt.Errorf("%s forward out of the region: %w", r.Number, pendopo.ErrForbidden)
			}
			r.Agency, ev.Target = "", strings.TrimSpace(act.Target)
		default:
			return r, invalidParam("agency", pendopo.M("app.choose_agency_send_it"))
		}
		r.Disposed = today
		ev.Public = act.Action == pendopo.ActReportDispose || forwardTo != nil
		ev.Status = next.Status
	case pendopo.ActReportVerify, pendopo.ActReportReject, pendopo.ActReportArchive, pendopo.ActReportExtend:
		ev.Public = true
	case pendopo.ActReportAnswer:
		r.Answer, r.AnsweredAt, ev.Public = act.Note, now, r.Privacy != pendopo.PrivacyConfidential
	case pendopo.ActReportComplete:
		ev.Public = true
	case pendopo.ActReportReply:
		ev.Public = r.Privacy != pendopo.PrivacyConfidential
	case pendopo.ActReportRate:
		if act.Rating < 1 || act.Rating > 5 {
			return r, invalidParam("rating", pendopo.M("app.give_rating_1_5"))
		}
		r.Rating, ev.Note, ev.Public = act.Rating, strconv.Itoa(act.Rating), true
	case pendopo.ActReportReopen:
		r.Rating, r.Disposed, ev.Public = 0, today, true
	case pendopo.ActReportRelease:
		if !r.Flagged {
			return r, pendopo.Errorf(pendopo.KindConflict, pendopo.M("app.this_report_not_waiting_for"))
		}
		r.Flagged, r.FlagReason = false, ""
	case pendopo.ActReportMerge:
		// A duplicate joins the report it repeats, in the same region.
		n, err := pendopo.ParseTrackingNumber(act.Target)
		if err != nil {
			return r, invalidParam("target", pendopo.M("app.write_number_report_merge_into"))
		}
		into, err := a.store.ReportByNumber(ctx, n)
		if err != nil || into.Region != r.Region || into.ID == r.ID {
			return r, invalidParam("target", pendopo.M("app.the_report_merge_into_must"))
		}
		r.MergedInto, ev.Target, ev.Public = into.ID, into.Number, true
	}
	if !next.Status.Open() && r.Status.Open() {
		r.ClosedAt = now
	}
	if act.Action == pendopo.ActReportReopen {
		r.ClosedAt = time.Time{}
	}
	r.ReportState, r.UpdatedAt = next, now
	cal, err := a.calendar(ctx, a.store, r.Region)
	if err != nil {
		return r, err
	}
	r.Due = pendopo.ReportDue(r.Kind, r.ReportState, r.Received, r.Disposed, cal)
	if r.Status == pendopo.ReportFollowed {
		r.Due = 0
	}
	var (
		out   pendopo.Report
		moved pendopo.Report
	)
	// Officers' decisions are in the audit trail with the role they acted
	// under; a reporter's own doing as reporterActor names them.
	actor, role := who, string(ev.ActorRole)
	switch {
	case reportActionRole[act.Action] == "reporter":
		actor, role = reporterActor(who, r)
	case who.IsSystem():
		role = "system"
	}
	entry := pendopo.AuditEntry{Action: "report." + string(act.Action), Entity: "report", EntityID: r.Number, Region: r.Region}
	changes := [2]map[string]any{{"status": before.Status, "agency": before.Agency}, {"status": next.Status, "agency": r.Agency}}
	if act.Action != pendopo.ActReportReply && act.Note != "" {
		// A reporter's reply is theirs to see, in the report; officers'
		// reasons and answers belong to the record of what they did.
		changes[1]["note"] = act.Note
	}
	if forwardTo != nil {
		if moved, err = a.forwardedCopy(ctx, r, *forwardTo, now); err != nil {
			return r, err
		}
		ev.Target = moved.Number
	}
	err = a.commit(ctx, func(tx pendopo.Store) error {
		var err error
		if forwardTo != nil {
			if err := a.fileForwarded(ctx, tx, &moved, r); err != nil {
				return err
			}
			got, err := tx.ReportByNumber(ctx, moved.Number)
			if err != nil {
				return err
			}
			r.MergedInto, ev.Target = got.ID, moved.Number
			// The region it went to has it on its record too.
			if err := a.audit(ctx, tx, actor, role, pendopo.AuditEntry{Action: "report.receive_forwarded", Entity: "report", EntityID: moved.Number,
				Region: moved.Region, Diff: pendopo.Diff(nil, map[string]string{"from": r.Number})}); err != nil {
				return err
			}
		}
		if out, err = tx.UpdateReport(ctx, r); err != nil {
			return err
		}
		if err := tx.AddReportEvent(ctx, ev); err != nil {
			return err
		}
		figures := pendopo.ReportActionStats(before, act.Action, next, ev.Agency, today, cal)
		if forwardTo != nil {
			figures = append(figures, pendopo.ReportReceivedStats(moved)...)
		}
		if err := tx.AddStats(ctx, figures); err != nil {
			return err
		}
		e := entry
		if ev.Target != "" {
			changes[1]["target"] = ev.Target
		}
		if act.Action == pendopo.ActReportRate {
			changes[1]["rating"] = act.Rating
		}
		e.Diff = pendopo.Diff(changes[0], changes[1])
		if err := a.audit(ctx, tx, actor, role, e); err != nil {
			return err
		}
		if v.ByKey && reportActionRole[act.Action] == "reporter" {
			detail := ev.Note
			if len([]rune(detail)) > 200 {
				detail = string([]rune(detail)[:200]) + "…"
			}
			if err := a.tellReporterOwnAct(ctx, tx, out, act.Action, detail, "report-own:"+out.Number+":"+strconv.Itoa(out.Rev)); err != nil {
				return err
			}
		}
		return a.tellReporter(ctx, tx, out, ev)
	})
	if pendopo.KindOf(err) == pendopo.KindConflict {
		return r, errActedMeanwhile
	}
	out.Sealed, out.ReporterKey, out.SecretHash = nil, "", ""
	return out, err
}

// forwardedCopy is report r as it starts again in region to: a new
// number there, received today on its calendar, the reporter sealed anew
// under the new number, the photos and the link to a service kept only
// where they still make sense.
func (a *App) forwardedCopy(ctx context.Context, r pendopo.Report, to pendopo.Region, now time.Time) (pendopo.Report, error) {
	rp, err := a.openReporter(r)
	if err != nil {
		return r, err
	}
	c := pendopo.Report{
		Number: a.newNumber(to.Code, now), Region: to.Code, Kind: r.Kind, Category: r.Category,
		Title: r.Title, Description: r.Description, Location: r.Location, Privacy: r.Privacy,
		ReportState: pendopo.ReportState{Status: pendopo.ReportReceived}, ReporterID: r.ReporterID, ReporterKey: r.ReporterKey,
		Received: a.today(to.Code), CreatedAt: now, SecretHash: r.SecretHash, // the reporter's key opens it too
	}
	if r.ServiceID != 0 {
		if v, err := a.ServiceView(ctx, r.ServiceID); err == nil && (v.Service.RegionCode == to.Code || v.Service.RegionCode == to.ParentCode) {
			c.ServiceID, c.Component = r.ServiceID, r.Component
		}
	}
	if c.Sealed, err = a.sealReporter(c.Number, rp); err != nil {
		return c, err
	}
	cal, err := a.calendar(ctx, a.store, to.Code)
	if err != nil {
		return c, err
	}
	c.Due = pendopo.ReportDue(c.Kind, c.ReportState, c.Received, 0, cal)
	return c, nil
}

// fileForwarded stores the copy of a forwarded report with its photos
// and a first public line saying where it came from.
func (a *App) fileForwarded(ctx context.Context, tx pendopo.Store, c *pendopo.Report, from pendopo.Report) error {
	rp, err := a.openReporter(from)
	if err != nil {
		return err
	}
	if err := a.freeReportNumber(ctx, tx, c, rp); err != nil {
		return err
	}
	got, err := tx.CreateReport(ctx, *c)
	if err != nil {
		return err
	}
	photos, err := tx.ReportPhotos(ctx, []int64{from.ID})
	if err != nil {
		return err
	}
	for _, p := range photos[from.ID] {
		p.ReportID = got.ID
		if err := tx.AddReportPhoto(ctx, p); err != nil {
			return err
		}
	}
	return tx.AddReportEvent(ctx, pendopo.ReportEvent{ReportID: got.ID, At: c.CreatedAt, Action: "forwarded", Status: pendopo.ReportReceived,
		Target: from.Number, Public: true})
}

// reportRole is the role under which who acts on r, as others see it.
func (a *App) reportRole(who pendopo.Actor, r pendopo.Report) pendopo.RoleKind {
	for _, ro := range who.Roles {
		if ro.Region == r.Region && (ro.Agency == "" || ro.Agency == r.Agency) {
			return ro.Kind
		}
		if ro.Kind == pendopo.RoleNationalAdmin {
			return ro.Kind
		}
	}
	return ""
}

// SetReportRoute sends a category's reports in region to an agency.
func (a *App) SetReportRoute(ctx context.Context, who pendopo.Actor, region, category, agency string) error {
	return a.SaveReportRouting(ctx, who, region, ReportRouting{Routes: map[string]string{category: agency}})
}

// ReportRouting is what a region's routing form saves: an agency for
// some report categories and, when SetBounds is true, the map box.
type ReportRouting struct {
	// Routes maps a category's code to the slug of the agency its
	// reports go to, or to "" for none; categories not in it keep theirs.
	Routes map[string]string
	// SetBounds saves Bounds, the box report pins must fall in; a nil
	// Bounds removes it.
	SetBounds bool
	Bounds    *pendopo.Bounds
}

// SaveReportRouting saves a region's category routing and map box in one
// transaction, with an audit entry for each category and one for the
// box: when any part is refused (an unknown category or agency, a box
// outside Indonesia), nothing of it is saved. Routing needs the right to
// coordinate reports, the box the right to edit the region.
func (a *App) SaveReportRouting(ctx context.Context, who pendopo.Actor, region string, r ReportRouting) error {
	scope := pendopo.Scope{Region: region}
	var routeRole, boundsRole string
	var err error
	if len(r.Routes) > 0 {
		if routeRole, err = who.Authorize(pendopo.ActCoordinateReports, scope); err != nil {
			return err
		}
	}
	if r.SetBounds {
		if boundsRole, err = who.Authorize(pendopo.ActEditRegion, scope); err != nil {
			return err
		}
	}
	for category := range r.Routes {
		if _, ok := pendopo.ReportCategoryByCode(category); !ok {
			return invalidParam("category", pendopo.M("app.unknown_category"))
		}
	}
	if b := r.Bounds; r.SetBounds && b != nil &&
		(b.South >= b.North || b.West >= b.East || b.South < -11.5 || b.North > 6.5 || b.West < 94.5 || b.East > 141.5) {
		return invalidParam("bounds", pendopo.M("app.the_map_box_must_lie"))
	}
	return a.store.InTx(ctx, func(tx pendopo.Store) error {
		for _, c := range pendopo.ReportCategories {
			agency, ok := r.Routes[c.Code]
			if !ok {
				continue
			}
			if agency != "" {
				if _, err := tx.Agency(ctx, region, agency); errors.Is(err, pendopo.ErrNotFound) {
					return invalidParam("agency", pendopo.M("app.unknown_agency"))
				} else if err != nil {
					return err
				}
			}
			if err := tx.SetReportRoute(ctx, region, c.Code, agency); err != nil {
				return err
			}
			if err := a.audit(ctx, tx, who, routeRole, pendopo.AuditEntry{Action: "report.route", Entity: "report_route",
				EntityID: region + "/" + c.Code, Region: region, Diff: pendopo.Diff(nil, map[string]string{"agency": agency})}); err != nil {
				return err
			}
		}
		if !r.SetBounds {
			return nil
		}
		if err := tx.SetRegionBounds(ctx, region, r.Bounds); err != nil {
			return err
		}
		return a.audit(ctx, tx, who, boundsRole, pendopo.AuditEntry{Action: "region.bounds", Entity: "region", EntityID: region,
			Region: region, Diff: pendopo.Diff(nil, r.Bounds)})
	})
}

// routeReport is the agency the region's routing sends a report to: an
// area rule holding its pin first, else its category's route.
func (a *App) routeReport(ctx context.Context, r pendopo.Report) (string, error) {
	routes, err := a.store.ReportRoutes(ctx, r.Region)
	if err != nil {
		return "", err
	}
	var areas []pendopo.ReportAreaRoute
	if r.Location.Has() {
		if areas, err = a.store.ReportAreaRoutes(ctx, r.Region); err != nil {
			return "", err
		}
	}
	d, _ := a.ReportDistrict(r.Region, r.Location)
	return pendopo.RouteReport(r, d.Code, areas, routes), nil
}

// ReportAreaRoutes lists a region's area rules, for its coordinator.
func (a *App) ReportAreaRoutes(ctx context.Context, who pendopo.Actor, region string) ([]pendopo.ReportAreaRoute, error) {
	if _, err := who.Authorize(pendopo.ActCoordinateReports, pendopo.Scope{Region: region}); err != nil {
		return nil, err
	}
	return a.store.ReportAreaRoutes(ctx, region)
}

// AddReportAreaRoute adds a rule that sends the reports pinned in an area
// of the region to one of its agencies, before the category's routing.
func (a *App) AddReportAreaRoute(ctx context.Context, who pendopo.Actor, r pendopo.ReportAreaRoute) (pendopo.ReportAreaRoute, error) {
	role, err := who.Authorize(pendopo.ActCoordinateReports, pendopo.Scope{Region: r.Region})
	if err != nil {
		return r, err
	}
	d, known := geo.Default().Part(r.Region, r.District)
	if known && strings.TrimSpace(r.Name) == "" {
		r.Name = d.Name
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	if r.District != "" && !known {
		return r, invalidParam("area_district", pendopo.M("rule.choose_kecamatan_of_region"))
	}
	if _, err := a.store.Agency(ctx, r.Region, r.Agency); err != nil {
		return r, invalidParam("area_agency", pendopo.M("app.unknown_agency"))
	}
	e := pendopo.AuditEntry{Action: "report.area_route", Entity: "report_area_route", Region: r.Region, Diff: pendopo.Diff(nil, r)}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		r, err = tx.AddReportAreaRoute(ctx, r)
		e.EntityID = strconv.FormatInt(r.ID, 10)
		return err
	})
	return r, err
}

// DeleteReportAreaRoute removes one of the region's area rules.
func (a *App) DeleteReportAreaRoute(ctx context.Context, who pendopo.Actor, region string, id int64) error {
	role, err := who.Authorize(pendopo.ActCoordinateReports, pendopo.Scope{Region: region})
	if err != nil {
		return err
	}
	e := pendopo.AuditEntry{Action: "report.area_route_delete", Entity: "report_area_route", EntityID: strconv.FormatInt(id, 10), Region: region}
	return a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.DeleteReportAreaRoute(ctx, region, id) })
}

// SetRegionBounds sets the box on the map that a region's report pins
// must fall in.
func (a *App) SetRegionBounds(ctx context.Context, who pendopo.Actor, region string, b *pendopo.Bounds) error {
	return a.SaveReportRouting(ctx, who, region, ReportRouting{SetBounds: true, Bounds: b})
}

// EscalateReports marks open reports whose deadline passed and tells the
// coordinator and, for disposed reports, the agency's supervisors. Each
// report is escalated once per deadline. It returns how many it escalated.
func (a *App) EscalateReports(ctx context.Context) (int, error) {
	n := 0
	for page := 1; ; page++ {
		due, total, err := a.store.Reports(ctx, pendopo.ReportFilter{DueBy: pendopo.DayOf(a.now(), pendopo.RegionZone("11")) - 1,
			Statuses: []pendopo.ReportStatus{pendopo.ReportReceived, pendopo.ReportVerified, pendopo.ReportDisposed},
			ByDue:    true, Page: pendopo.Page{Page: page, PerPage: pendopo.MaxPerPage}})
		if err != nil {
			return n, err
		}
		for _, r := range due {
			if a.today(r.Region) <= r.Due || !r.EscalatedAt.IsZero() && pendopo.DayOf(r.EscalatedAt, pendopo.RegionZone(r.Region)) > r.Due {
				continue
			}
			if err := a.escalate(ctx, r); pendopo.KindOf(err) == pendopo.KindConflict {
				continue // changed meanwhile (acted on, or escalated by another instance)
			} else if err != nil {
				return n, err
			}
			n++
		}
		if page*pendopo.MaxPerPage >= total {
			return n, nil
		}
	}
}

func (a *App) escalate(ctx context.Context, r pendopo.Report) error {
	users, err := a.store.Users(ctx, pendopo.UserFilter{Region: r.Region})
	if err != nil {
		return err
	}
	var to []pendopo.User
	for _, u := range users {
		for _, ro := range u.Roles {
			if ro.Region == r.Region && (ro.Kind == pendopo.RoleRegionAdmin ||
				r.Agency != "" && ro.Agency == r.Agency && (ro.Kind == pendopo.RoleSupervisor || ro.Kind == pendopo.RoleAgencyAdmin)) {
				to = append(to, u)
				break
			}
		}
	}
	title := pendopo.M("app.report_past_its_deadline", r.Number)
	body := pendopo.M("app.report_was_due_by", r.Title, string(r.Status), r.Due.String())
	r.EscalatedAt, r.UpdatedAt = a.now(), a.now()
	return a.commit(ctx, func(tx pendopo.Store) error {
		if _, err := tx.UpdateReport(ctx, r); err != nil {
			return err
		}
		if err := tx.AddReportEvent(ctx, pendopo.ReportEvent{ReportID: r.ID, At: a.now(), Action: "escalate", Status: r.Status}); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, pendopo.System, "system", pendopo.AuditEntry{Action: "report.escalate", Entity: "report", EntityID: r.Number, Region: r.Region,
			Diff: pendopo.Diff(nil, map[string]any{"status": r.Status, "due": r.Due.String()})}); err != nil {
			return err
		}
		for _, u := range to {
			link := "/admin/laporan/" + r.Number
			if err := a.out.Notify(ctx, tx, pendopo.Notification{UserID: u.ID, Title: title, Body: body, Link: link}); err != nil {
				return err
			}
			if err := a.out.Tell(ctx, tx, u, "escalate:"+r.Number+":"+r.Due.String()+":"+strconv.FormatInt(u.ID, 10), title, body, link); err != nil {
				return err
			}
		}
		return nil
	})
}

// PublicReport is what anyone may know of a report: never who filed it,
// never a confidential report, never internal lines.
type PublicReport struct {
	pendopo.Report
	Photos []pendopo.ReportPhoto
}

// publicOnly strips a report of everything identifying its reporter.
func publicOnly(r pendopo.Report) pendopo.Report {
	r.Sealed, r.ReporterKey, r.ReporterID, r.Key, r.SecretHash = nil, "", 0, "", ""
	return r
}

// PublicReports lists a region's reports the public may see (all regions
// for region ""), newest first, with their photos read in one query.
func (a *App) PublicReports(ctx context.Context, f pendopo.ReportFilter) ([]PublicReport, int, error) {
	f.Public, f.ReporterKey, f.Flagged = true, "", false
	list, total, err := a.store.Reports(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(list))
	for i, r := range list {
		ids[i] = r.ID
	}
	photos, err := a.store.ReportPhotos(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	out := make([]PublicReport, len(list))
	for i, r := range list {
		out[i] = PublicReport{Report: publicOnly(r), Photos: photos[r.ID]}
	}
	return out, total, nil
}

// MyReports lists the reports of the signed-in person, anonymous ones
// included.
func (a *App) MyReports(ctx context.Context, who pendopo.Actor, page pendopo.Page) ([]pendopo.Report, int, error) {
	if who.UserID == 0 {
		return nil, 0, errSignIn
	}
	list, total, err := a.store.Reports(ctx, pendopo.ReportFilter{ReporterKey: a.reporterKey(who.UserID, ""), Page: page})
	for i := range list {
		list[i].Sealed, list[i].ReporterKey, list[i].SecretHash = nil, "", ""
	}
	return list, total, err
}

// ReportQueue lists a region's open reports for its coordinator (agency
// "") or an agency's for its staff, soonest deadline first; overdueOnly
// keeps the late ones; flagged lists the moderation queue.
func (a *App) ReportQueue(ctx context.Context, who pendopo.Actor, region, agency string, overdueOnly, flagged bool, page pendopo.Page) ([]pendopo.Report, int, error) {
	act := pendopo.ActCoordinateReports
	if agency != "" {
		act = pendopo.ActHandleReports
	}
	if _, err := who.Authorize(act, pendopo.Scope{Region: region, Agency: agency}); err != nil {
		return nil, 0, err
	}
	f := pendopo.ReportFilter{Region: region, Agency: agency, ByDue: true, Page: page, Flagged: flagged,
		Statuses: []pendopo.ReportStatus{pendopo.ReportReceived, pendopo.ReportVerified, pendopo.ReportDisposed, pendopo.ReportFollowed}}
	if agency == "" && !flagged {
		// The coordinator's work: what waits for verification and disposition.
		f.Statuses = []pendopo.ReportStatus{pendopo.ReportReceived, pendopo.ReportVerified}
	}
	if overdueOnly {
		f.DueBy = a.today(region) - 1
	}
	list, total, err := a.store.Reports(ctx, f)
	for i := range list {
		list[i].Sealed, list[i].ReporterKey, list[i].SecretHash = nil, "", ""
		if list[i].Privacy == pendopo.PrivacyAnonymous {
			list[i].ReporterID = 0
		}
	}
	return list, total, err
}

// AddReportPhoto attaches a photo to a report its reporter (by account or
// key) may still add to (while it is open); the type is judged by
// content: JPEG or PNG, stored cleaned of its metadata.
func (a *App) AddReportPhoto(ctx context.Context, who pendopo.Actor, number, secret string, r io.Reader) (pendopo.ReportPhoto, error) {
	v, err := a.ReportFor(ctx, who, number, secret)
	if err != nil {
		return pendopo.ReportPhoto{}, err
	}
	if !v.Mine {
		return pendopo.ReportPhoto{}, fmt.Errorf("%s photo: %w", number, pendopo.ErrForbidden)
	}
	if !v.Status.Open() {
		return pendopo.ReportPhoto{}, errNotEditable
	}
	if len(v.Photos) >= MaxReportPhotos {
		return pendopo.ReportPhoto{}, invalidParam("photo", pendopo.M("app.at_most_5_photos_per"))
	}
	// Only the cleaned photo is stored: its EXIF (where it was taken, by
	// whose camera) would unmask an anonymous reporter.
	b, err := a.putPhoto(ctx, r, MaxReportPhotoBytes)
	if err != nil {
		return pendopo.ReportPhoto{}, fieldError("photo", err)
	}
	p := pendopo.ReportPhoto{ReportID: v.ID, Addr: b.Addr, Media: b.Media, Size: b.Size, CreatedAt: a.now()}
	actor, role := reporterActor(who, v.Report)
	return p, a.commit(ctx, func(tx pendopo.Store) error {
		if err := tx.AddReportPhoto(ctx, p); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, actor, role, pendopo.AuditEntry{Action: "report.photo", Entity: "report", EntityID: v.Number, Region: v.Region,
			Diff: pendopo.Diff(nil, map[string]any{"sha256": p.Addr, "media": p.Media, "size": p.Size})}); err != nil {
			return err
		}
		if !v.ByKey || a.now().Sub(v.CreatedAt) < time.Minute {
			return nil // photos sent with the report itself are not news
		}
		r, err := tx.Report(ctx, v.ID) // with the sealed reporter
		if err != nil {
			return err
		}
		return a.tellReporterOwnAct(ctx, tx, r, "photo", "", "report-photo:"+r.Number+":"+p.Addr)
	})
}

// Report photos: a few, each at most 5 MB.
const (
	MaxReportPhotos     = 5
	MaxReportPhotoBytes = 5 << 20
)

// ReportPhoto opens a photo of a report that who (or the holder of the
// reporter's key, secret) may see.
func (a *App) ReportPhoto(ctx context.Context, who pendopo.Actor, number, secret, addr string) (io.ReadCloser, pendopo.ReportPhoto, error) {
	v, err := a.ReportFor(ctx, who, number, secret)
	if err != nil {
		return nil, pendopo.ReportPhoto{}, err
	}
	for _, p := range v.Photos {
		if p.Addr == addr && a.blobs != nil {
			rc, err := a.blobs.Open(ctx, addr)
			return rc, p, err
		}
	}
	return nil, pendopo.ReportPhoto{}, fmt.Errorf("photo %s of %s: %w", addr, number, pendopo.ErrNotFound)
}

// ReporterPass seals a report number and a reporter's key, as given,
// into a value for a cookie, so that a reporter without an account
// follows their report without the key sitting in a link or a log. It
// is made the same way whether or not the key is right: what it opens
// is decided when the report is read, against the key's hash, so a new
// key (RequestReporterKey) voids every pass made with the old one.
func (a *App) ReporterPass(number, secret string) string {
	return base64.RawURLEncoding.EncodeToString(a.sealer.seal(number+"\n"+secret, "reporter-pass"))
}

// OpenReporterPass reads a ReporterPass; ok is false for anything else.
func (a *App) OpenReporterPass(pass string) (number, secret string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(pass)
	if err != nil {
		return "", "", false
	}
	plain, err := a.sealer.open(b, "reporter-pass")
	if err != nil {
		return "", "", false
	}
	number, secret, ok = strings.Cut(plain, "\n")
	return number, secret, ok
}

// ReportRoutes maps a region's categories to agencies.
func (a *App) ReportRoutes(ctx context.Context, region string) (map[string]string, error) {
	return a.store.ReportRoutes(ctx, region)
}

// RegionBounds returns a region's map box, nil when it has none.
func (a *App) RegionBounds(ctx context.Context, region string) (*pendopo.Bounds, error) {
	return a.store.RegionBounds(ctx, region)
}

// reportNotice is what the reporter is told after each action.
var reportNotice = map[pendopo.ReportAction]pendopo.Text{
	"submit":                 pendopo.M("app.your_report_was_received_will"),
	pendopo.ActReportVerify:  pendopo.M("app.report_was_verified"),
	pendopo.ActReportDispose: pendopo.M("app.report_was_sent_responsible_agency"),
	pendopo.ActReportForward: pendopo.M("app.report_was_forwarded"),
	// A forwarding to another region on Pendopo: the report goes on there.
	"forward-region":          pendopo.M("app.report_was_forwarded_region_responsible"),
	pendopo.ActReportAnswer:   pendopo.M("app.report_was_answered_how_was"),
	pendopo.ActReportComplete: pendopo.M("app.report_completed_rate_it_reopen"),
	pendopo.ActReportReject:   pendopo.M("app.report_cannot_be_followed_up"),
	pendopo.ActReportArchive:  pendopo.M("app.report_was_archived"),
	pendopo.ActReportExtend:   pendopo.M("app.the_time_answer_information_request"),
	pendopo.ActReportMerge:    pendopo.M("app.report_was_merged_with_report"),
}

// tellReporter queues the reporter's notice of ev: in the inbox and by
// email or SMS for an account, by email or SMS for a contact. Anonymous
// reporters' identity is opened only for this delivery.
func (a *App) tellReporter(ctx context.Context, tx pendopo.Store, r pendopo.Report, ev pendopo.ReportEvent) error {
	action := string(ev.Action)
	if ev.Action == pendopo.ActReportForward && r.MergedInto != 0 {
		action = "forward-region"
	}
	text, ok := reportNotice[pendopo.ReportAction(action)]
	if !ok {
		return nil
	}
	rp, err := a.openReporter(r)
	if err != nil {
		return err
	}
	due := "-"
	if r.Due != 0 {
		due = r.Due.String()
	}
	body := pendopo.T(fmt.Sprintf(text.Indonesian, r.Number, due, ev.Note, ev.Target), fmt.Sprintf(text.English, r.Number, due, ev.Note, ev.Target))
	title := pendopo.M("app.report", r.Number, strings.ToLower(a.reportStatusTitle(r.Status).Indonesian), strings.ToLower(a.reportStatusTitle(r.Status).English))
	link := "/laporan/" + r.Number
	key := "report:" + r.Number + ":" + strconv.Itoa(r.Rev)
	if rp.UserID != 0 {
		if err := a.out.Notify(ctx, tx, pendopo.Notification{UserID: rp.UserID, Title: title, Body: body, Link: link}); err != nil {
			return err
		}
		u, err := tx.User(ctx, rp.UserID)
		if err != nil {
			return nil // the account was erased: nobody to tell
		}
		return a.out.Tell(ctx, tx, u, key, title, body, link)
	}
	email, phone, ok := pendopo.NormalizeLogin(rp.Contact)
	if !ok {
		return nil
	}
	return a.out.Tell(ctx, tx, pendopo.User{Name: rp.Name, Email: email, Phone: phone}, key, title, body, link)
}

func (a *App) reportStatusTitle(s pendopo.ReportStatus) pendopo.Text {
	switch s {
	case pendopo.ReportReceived:
		return pendopo.M("app.received")
	case pendopo.ReportVerified:
		return pendopo.M("app.verified")
	case pendopo.ReportDisposed:
		return pendopo.M("app.with_agency")
	case pendopo.ReportFollowed:
		return pendopo.M("app.followed_up")
	case pendopo.ReportDone:
		return pendopo.M("app.completed")
	case pendopo.ReportRejected:
		return pendopo.M("app.rejected")
	}
	return pendopo.M("app.archived")
}

// ExportReports walks every public report of a region for open data,
// oldest first and a page at a time, without personal data: each page
// goes to each, so that a region with a million reports streams out in
// little memory. The walk follows ids, which counts nothing and skips no
// rows, however far in.
func (a *App) ExportReports(ctx context.Context, region string, each func([]PublicReport) error) error {
	if _, err := a.Region(ctx, region); err != nil {
		return err
	}
	var after int64
	for {
		list, _, err := a.PublicReports(ctx, pendopo.ReportFilter{Region: region, ByID: true, AfterID: after, NoTotal: true,
			Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
		if err != nil || len(list) == 0 {
			return err
		}
		if err := each(list); err != nil {
			return err
		}
		after = list[len(list)-1].ID
	}
}

// SimilarReports finds open public reports that may be the same problem
// as in: same category, filed in the last 30 days, close by (about 300 m)
// when in has a pin, and sharing words. They are offered before filing,
// so that people can follow an existing report instead of repeating it.
func (a *App) SimilarReports(ctx context.Context, region string, in pendopo.ReportInput) ([]PublicReport, error) {
	f := pendopo.ReportFilter{Region: region, Category: in.Category, Since: a.now().AddDate(0, 0, -30),
		Statuses: []pendopo.ReportStatus{pendopo.ReportReceived, pendopo.ReportVerified, pendopo.ReportDisposed, pendopo.ReportFollowed},
		Page:     pendopo.Page{PerPage: 200}}
	if in.Location.Has() {
		const d = 0.003 // degrees, about 330 m
		lat, lng := *in.Location.Lat, *in.Location.Lng
		f.Box = &pendopo.Bounds{South: lat - d, North: lat + d, West: lng - d, East: lng + d}
	}
	list, _, err := a.PublicReports(ctx, f)
	if err != nil {
		return nil, err
	}
	mine := wordSet(in.Title + " " + in.Description)
	var out []PublicReport
	for _, r := range list {
		theirs := wordSet(r.Title + " " + r.Description)
		shared := 0
		for w := range mine {
			if theirs[w] {
				shared++
			}
		}
		// Close by, one shared word is enough; anywhere, a few.
		if in.Location.Has() && shared >= 1 || shared >= 3 {
			out = append(out, r)
		}
		if len(out) == 5 {
			break
		}
	}
	return out, nil
}

// wordSet is the folded, stemmed words of s without stop words.
func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range search.Words(s) {
		if len(w) > 2 && !search.IsStopWord(w) {
			out[search.Stem(w)] = true
		}
	}
	return out
}
