package app

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
)

// Walk-in surveys stand for the people a service point served, and
// nobody can tie them to a person. So that one person cannot move a
// published IKM, a walk-in response needs proof of presence (the point's
// code of the day, shown at the counter and in its printed QR code), and
// what one address, one point's day or one burst adds beyond the limits
// in package pendopo is held: left out of every published figure until a
// region admin accepts it.

// presenceCodeLen is a code's letters: 40 bits, shown as two groups of
// four, which nobody guesses within a day.
const presenceCodeLen = 8

// presenceCode is a service point's (slug "" for the region's walk-in
// survey without one) code on a day, derived from the instance key so
// that it is never stored and changes every day by the app's clock in
// the region's zone.
func (a *App) presenceCode(region, point string, day pendopo.Day) string {
	sum, _ := hex.DecodeString(a.sealer.mac("survey-presence:" + region + "|" + point + "|" + day.String()))
	var b strings.Builder
	for i := range presenceCodeLen {
		if i == presenceCodeLen/2 {
			b.WriteByte('-')
		}
		b.WriteByte(reporterSecretAlphabet[sum[i]&31])
	}
	return b.String()
}

// normalizeCode reads a code as typed (any case, with or without the
// hyphen, O for 0 and I or L for 1).
func normalizeCode(s string) string {
	var b strings.Builder
	for _, c := range strings.ToUpper(s) {
		switch c {
		case '-', ' ':
			continue
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		b.WriteRune(c)
	}
	return b.String()
}

// PresenceCode is a service point's code of the day, for its staff.
type PresenceCode struct {
	// Point is nil for the region's walk-in survey without a point.
	Point *pendopo.ServicePoint
	Day   pendopo.Day
	Code  string
	// Path is the survey's address with the code, which the point's QR
	// code holds, so that scanning it at the counter just works.
	Path string
}

func (a *App) presence(region string, pt *pendopo.ServicePoint, day pendopo.Day) PresenceCode {
	slug := ""
	if pt != nil {
		slug = pt.Slug
	}
	code := a.presenceCode(region, slug, day)
	q := url.Values{"kode": {code}}
	if slug != "" {
		q.Set("unit", slug)
	}
	return PresenceCode{Point: pt, Day: day, Code: code, Path: "/daerah/" + region + "/survei?" + q.Encode()}
}

// SurveyCode is today's presence code of a service point (point "" for
// the region's survey without one), for the staff of its agency and the
// region's admin.
func (a *App) SurveyCode(ctx context.Context, who pendopo.Actor, region, point string) (PresenceCode, error) {
	s, err := a.SurveyForVisit(ctx, region, point, 0)
	if err != nil {
		return PresenceCode{}, err
	}
	if _, err := who.Authorize(pendopo.ActSurveyCodes, pendopo.Scope{Region: s.Region.Code, Agency: s.Agency}); err != nil {
		return PresenceCode{}, err
	}
	return a.presence(s.Region.Code, s.Point, a.today(s.Region.Code)), nil
}

// HeldGroup is a group of held walk-in responses with what they would
// make of the IKM, for the admin who decides on them.
type HeldGroup struct {
	pendopo.HeldSurveyGroup
	Point *pendopo.ServicePoint
	IKM   pendopo.IKMResult
}

// SurveyDesk is a region's survey page in the console: today's presence
// codes of the service points who may see, and, for the region admin,
// the walk-in responses held for review.
type SurveyDesk struct {
	Region pendopo.Region
	Today  pendopo.Day
	Codes  []PresenceCode
	// Review says who may accept or reject held responses; Held lists
	// them, grouped by point and day.
	Review bool
	Held   []HeldGroup
}

// SurveyDesk gathers the survey page of a region's console. Staff of an
// agency see its points' codes; the region admin sees every code and
// the held responses. Others are refused.
func (a *App) SurveyDesk(ctx context.Context, who pendopo.Actor, region string) (SurveyDesk, error) {
	reg, err := a.Region(ctx, region)
	if err != nil {
		return SurveyDesk{}, err
	}
	d := SurveyDesk{Region: reg, Today: a.today(reg.Code)}
	allowed := func(agency string) bool {
		_, ok := who.Can(pendopo.ActSurveyCodes, pendopo.Scope{Region: reg.Code, Agency: agency})
		return ok
	}
	opened := allowed("")
	for _, r := range who.Roles {
		opened = opened || r.Agency != "" && allowed(r.Agency)
	}
	_, d.Review = who.Can(pendopo.ActReviewSurveys, pendopo.Scope{Region: reg.Code})
	if !opened && !d.Review {
		return d, fmt.Errorf("survey desk of %s: %w", reg.Code, pendopo.ErrForbidden)
	}
	points, err := a.store.ServicePoints(ctx, reg.Code)
	if err != nil {
		return d, err
	}
	if allowed("") {
		d.Codes = append(d.Codes, a.presence(reg.Code, nil, d.Today))
	}
	byID := map[int64]*pendopo.ServicePoint{}
	for i := range points {
		byID[points[i].ID] = &points[i]
		if allowed(points[i].AgencySlug) {
			d.Codes = append(d.Codes, a.presence(reg.Code, &points[i], d.Today))
		}
	}
	sortCodes(d.Codes)
	if d.Review {
		groups, err := a.store.HeldSurveys(ctx, reg.Code)
		if err != nil {
			return d, err
		}
		for _, g := range groups {
			d.Held = append(d.Held, HeldGroup{HeldSurveyGroup: g, Point: byID[g.ServicePointID], IKM: g.Tally.Result()})
		}
	}
	return d, nil
}

// DecideHeldSurveys accepts (they count from now on, in the month they
// were given) or rejects (they never count) the held walk-in responses
// of a region's service point (0: none) on a day, and returns how many.
// Only the region's admin decides, and the decision is in the audit
// trail. A group with nothing held is KindNotFound.
func (a *App) DecideHeldSurveys(ctx context.Context, who pendopo.Actor, region string, point int64, day pendopo.Day, accept bool) (int, error) {
	role, err := who.Authorize(pendopo.ActReviewSurveys, pendopo.Scope{Region: region})
	if err != nil {
		return 0, err
	}
	to, action := pendopo.SurveyRejected, "survey.reject"
	if accept {
		to, action = pendopo.SurveyCounted, "survey.accept"
	}
	n := 0
	e := pendopo.AuditEntry{Action: action, Entity: "survey_point", EntityID: strconv.FormatInt(point, 10) + "/" + day.String(), Region: region}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		list, err := tx.DecideHeldSurveys(ctx, region, point, day, to)
		if err != nil {
			return err
		}
		n = len(list)
		e.Diff = pendopo.Diff(map[string]any{"status": pendopo.SurveyHeld}, map[string]any{"status": to, "responses": n})
		if !accept {
			return nil
		}
		var deltas []pendopo.StatDelta
		for _, r := range list {
			deltas = append(deltas, pendopo.SurveyStats(r)...)
		}
		return tx.AddStats(ctx, deltas)
	})
	if errors.Is(err, pendopo.ErrNotFound) {
		return 0, pendopo.Errorf(pendopo.KindNotFound, pendopo.M("app.no_responses_are_held_for"))
	}
	if err == nil {
		a.forgetDashboards()
	}
	return n, err
}

// forgetDashboards drops the kept dashboards and e-gov ranking, after a
// change to the figures that should show at once.
func (a *App) forgetDashboards() {
	a.figs.Forget()
}

var errPresenceCode = invalidParam("kode", pendopo.M("app.the_presence_code_wrong_not"))

// checkPresence checks a walk-in response's presence code against today's
// (the day's, by the app's clock in the region's zone) for its point.
func (a *App) checkPresence(s SurveySubject) error {
	slug := ""
	if s.Point != nil {
		slug = s.Point.Slug
	}
	want := normalizeCode(a.presenceCode(s.Region.Code, slug, a.today(s.Region.Code)))
	if !hmac.Equal([]byte(normalizeCode(s.Code)), []byte(want)) {
		return errPresenceCode
	}
	return nil
}

// walkIn counts a walk-in response at its point (its hour, the previous
// hour, its day) and from its address, in tx, and decides whether it is
// counted or held. On a burst, the point's responses of this hour and
// the previous one that were counted are held too, and taken out of the
// figures, so that a burst moves no published figure at all.
func (a *App) walkIn(ctx context.Context, tx pendopo.Store, r *pendopo.SurveyResponse) error {
	zone := pendopo.RegionZone(r.Region)
	hour := r.CreatedAt.Unix() / 3600
	midnight := pendopo.DayOf(r.CreatedAt, zone).Time(zone).Unix() / 3600
	point := "survey:" + r.Region + ":" + strconv.FormatInt(r.ServicePointID, 10)
	now, err := tx.BumpSurveyCounter(ctx, point, hour, 1)
	if err != nil {
		return err
	}
	before, err := tx.BumpSurveyCounter(ctx, point, hour-1, 0)
	if err != nil {
		return err
	}
	day, err := tx.BumpSurveyCounter(ctx, point+":day", midnight, 1)
	if err != nil {
		return err
	}
	var addr int64
	if r.AddrKey != "" {
		if addr, err = tx.BumpSurveyCounter(ctx, point+":"+r.AddrKey, midnight, 1); err != nil {
			return err
		}
	}
	if now == 1 {
		// The first response of a point's hour sweeps counters of days past.
		if err := tx.PruneSurveyCounters(ctx, hour-72); err != nil {
			return err
		}
	}
	status, burst := pendopo.WalkInStatus(now+before, day, addr)
	r.Status = status
	if !burst {
		return nil
	}
	held, err := tx.HoldWalkIns(ctx, r.Region, r.ServicePointID, time.Unix((hour-1)*3600, 0))
	if err != nil || len(held) == 0 {
		return err
	}
	var back []pendopo.StatDelta
	for _, h := range held {
		back = append(back, pendopo.Negate(pendopo.SurveyStats(h))...)
	}
	a.log.Warn("a burst of walk-in survey responses is held for review", "region", r.Region, "point", r.ServicePointID, "held", len(held)+1)
	return tx.AddStats(ctx, back)
}

// sortCodes orders a desk's codes: the region's own first, then points
// by name.
func sortCodes(codes []PresenceCode) {
	slices.SortStableFunc(codes, func(x, y PresenceCode) int {
		switch {
		case x.Point == nil:
			return -1
		case y.Point == nil:
			return 1
		}
		return strings.Compare(x.Point.Name, y.Point.Name)
	})
}
