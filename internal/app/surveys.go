package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/figures"
)

// Satisfaction surveys (SKM, PermenPAN-RB 14/2017). A citizen whose
// application was completed, or whose report was answered, is invited to
// rate the nine unsur once for it; people served at a counter rate from
// the service point's printed QR code, which holds its presence code of
// the day, once a day per device (see survey_guard.go for what keeps
// walk-in responses honest). Each counted response also adds to the
// monthly figures, so an IKM for any region, agency, service and period
// is a sum of a few rows.

// SurveySubject is what a survey is about and who may answer it.
type SurveySubject struct {
	Region      pendopo.Region
	Agency      string
	AgencyName  string
	ServiceID   int64
	ServiceName string
	Point       *pendopo.ServicePoint
	Channel     pendopo.SurveyChannel
	// Number is the application or report the survey is about ("" for a
	// walk-in survey).
	Number string
	// Code is the presence code a walk-in respondent gave (from the QR
	// code or typed from the counter), and Address their network address,
	// for the limit per address; the web handler sets both.
	Code, Address string
}

var errSurveyNotYet = pendopo.Errorf(pendopo.KindConflict, pendopo.M("app.the_survey_opens_once_application"))

// SurveyForApplication is the survey on an application, for its applicant
// once it is completed (or rejected: the service was still given).
func (a *App) SurveyForApplication(ctx context.Context, who pendopo.Actor, number string) (SurveySubject, error) {
	v, err := a.Application(ctx, who, number)
	if err != nil {
		return SurveySubject{}, err
	}
	if !v.Applicant {
		// Staff who may read the application are not its applicant.
		return SurveySubject{}, fmt.Errorf("survey on %s by staff: %w", number, pendopo.ErrForbidden)
	}
	if v.Status != pendopo.StatusCompleted && v.Status != pendopo.StatusRejected {
		return SurveySubject{}, errSurveyNotYet
	}
	s := SurveySubject{Region: v.Region, Agency: v.Agency, ServiceID: v.ServiceID, ServiceName: v.Content.Name,
		Channel: pendopo.SurveyApplication, Number: v.Number}
	s.AgencyName = a.agencyName(ctx, v.Region.Code, v.Agency)
	return s, nil
}

// SurveyForReport is the survey on a report, for its reporter (by account
// or key) once the agency has answered it.
func (a *App) SurveyForReport(ctx context.Context, who pendopo.Actor, number, secret string) (SurveySubject, error) {
	v, err := a.ReportFor(ctx, who, number, secret)
	if err != nil {
		return SurveySubject{}, err
	}
	if !v.Mine {
		return SurveySubject{}, fmt.Errorf("survey on %s: %w", number, errNoReport)
	}
	if v.AnsweredAt.IsZero() || v.MergedInto != 0 {
		return SurveySubject{}, errSurveyNotYet
	}
	reg, err := a.Region(ctx, v.Region)
	if err != nil {
		return SurveySubject{}, err
	}
	return SurveySubject{Region: reg, Agency: v.Agency, AgencyName: a.agencyName(ctx, v.Region, v.Agency),
		Channel: pendopo.SurveyReport, Number: v.Number}, nil
}

// SurveyForVisit is the walk-in survey of a region, at one of its service
// points (point "" for none) and optionally about one of its services.
func (a *App) SurveyForVisit(ctx context.Context, region, point string, service int64) (SurveySubject, error) {
	reg, err := a.Region(ctx, region)
	if err != nil {
		return SurveySubject{}, err
	}
	s := SurveySubject{Region: reg, Channel: pendopo.SurveyWalkIn}
	if point != "" {
		points, err := a.store.ServicePoints(ctx, reg.Code)
		if err != nil {
			return s, err
		}
		for i := range points {
			if points[i].Slug == point {
				s.Point = &points[i]
			}
		}
		if s.Point == nil {
			return s, pendopo.Errorf(pendopo.KindNotFound, pendopo.M("app.service_point_not_found"))
		}
		s.Agency = s.Point.AgencySlug
	}
	if service != 0 {
		v, err := a.ServiceView(ctx, service)
		if err != nil || v.Service.RegionCode != reg.Code {
			return s, invalidParam("layanan", pendopo.M("app.that_service_not_one_this"))
		}
		s.ServiceID, s.ServiceName, s.Agency = service, v.Service.Name, v.Service.AgencySlug
	}
	s.AgencyName = a.agencyName(ctx, reg.Code, s.Agency)
	return s, nil
}

func (a *App) agencyName(ctx context.Context, region, slug string) string {
	if slug == "" {
		return ""
	}
	if ag, err := a.store.Agency(ctx, region, slug); err == nil {
		return ag.Name
	}
	return slug
}

// SubmitSurvey stores a response about s. device identifies a browser or
// kiosk for walk-in surveys (a random cookie); it is kept only as a keyed
// hash. A second response on the same application or report, or from the
// same device at the same service point on the same day, is refused. A
// walk-in response needs the point's presence code of the day (s.Code);
// it is counted, or held for the region admin (Status) when it comes in a
// burst or past the limits per point and address.
func (a *App) SubmitSurvey(ctx context.Context, s SurveySubject, answers map[pendopo.UnsurID]int, comment, device string) (pendopo.SurveyResponse, error) {
	now := a.now()
	r := pendopo.SurveyResponse{Region: s.Region.Code, Agency: s.Agency, ServiceID: s.ServiceID, Channel: s.Channel,
		Subject: s.Number, Answers: answers, Comment: strings.TrimSpace(comment), CreatedAt: now, Status: pendopo.SurveyCounted}
	if s.Point != nil {
		r.ServicePointID = s.Point.ID
	}
	walkIn := s.Channel == pendopo.SurveyWalkIn
	if walkIn && device != "" {
		r.DeviceKey = a.sealer.mac("device:" + device)
	}
	if walkIn && s.Address != "" {
		r.AddrKey = a.sealer.mac("address:" + pendopo.DayOf(now, pendopo.RegionZone(r.Region)).String() + ":" + s.Address)
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	if walkIn {
		if err := a.checkPresence(s); err != nil {
			return r, err
		}
	}
	var out pendopo.SurveyResponse
	err := a.commit(ctx, func(tx pendopo.Store) error {
		w := r
		if walkIn {
			if err := a.walkIn(ctx, tx, &w); err != nil {
				return err
			}
		}
		var err error
		if out, err = tx.AddSurveyResponse(ctx, w); err != nil || out.Status != pendopo.SurveyCounted {
			return err
		}
		if err := tx.AddStats(ctx, pendopo.SurveyStats(out)); err != nil {
			return err
		}
		// Responses are anonymous: the trail records that one came, and
		// through which channel, never from whom.
		return a.audit(ctx, tx, anonymousActor, roleAnonymous, pendopo.AuditEntry{Action: "survey.submit", Entity: "survey",
			EntityID: strconv.FormatInt(out.ID, 10), Region: out.Region, Diff: pendopo.Diff(nil, map[string]any{"channel": out.Channel})})
	})
	switch {
	// errors.Is matches pendopo errors by kind, so both conflicts match
	// either: a response with a subject can only be a second answer.
	case errors.Is(err, pendopo.ErrSurveyAnswered) && r.Subject != "":
		return r, pendopo.Errorf(pendopo.KindConflict, pendopo.M("app.thank_you_you_have_already"))
	case errors.Is(err, pendopo.ErrSurveyRepeated):
		return r, pendopo.Errorf(pendopo.KindConflict, pendopo.M("app.thank_you_survey_from_this"))
	}
	if err == nil && out.Status == pendopo.SurveyHeld {
		a.forgetDashboards() // a burst may have taken responses out
	}
	return out, err
}

// IKM is the satisfaction index of a region, or of one of its agencies or
// services, over a period, with the Krejcie–Morgan sample the period's
// number of users (applications received and reports answered) asks for.
func (a *App) IKM(ctx context.Context, region, agency string, service int64, p figures.Period) (pendopo.IKMResult, int, error) {
	_, total, err := a.figs.Figures(ctx, region, agency, service, p)
	if err != nil {
		return pendopo.IKMResult{}, 0, err
	}
	users := total.AppReceived + total.RepAnswered
	return total.IKM, pendopo.KrejcieMorgan(int(users)), nil
}

// RegionServiceList lists a region's published services (of one agency
// when agency is not ""), by name, from the search index.
func (a *App) RegionServiceList(region, agency string) []pendopo.ServiceSummary {
	var out []pendopo.ServiceSummary
	for _, s := range a.index.RegionServices(region) {
		if agency == "" || s.AgencySlug == agency {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(x, y pendopo.ServiceSummary) int { return strings.Compare(x.Name, y.Name) })
	return out
}
