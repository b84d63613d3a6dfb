package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/notify"
)

// yearSetting marks a database whose year of demo activity is seeded.
const yearSetting = "demo.year"

// yearProfile is how a demo kota performs over the year: how many
// applications and reports a month, how often it is late, how satisfied
// its people are. The two kota differ so that the ranking and the
// dashboards have something to show.
type yearProfile struct {
	apps, reports, walkIns int
	// lateShare is the share of work finished after its deadline; mood
	// the chance that an answer is a 4 rather than a 3 (and 1 - mood of
	// a 2 rather than a 3 among the rest).
	lateShare, mood float64
	seed            uint64
}

var yearProfiles = map[string]yearProfile{
	"33.74": {apps: 9, reports: 8, walkIns: 10, lateShare: 0.12, mood: 0.55, seed: 3374},
	"33.72": {apps: 6, reports: 6, walkIns: 8, lateShare: 0.3, mood: 0.35, seed: 3372},
}

// SeedYear fills the demo kota with a year of activity through the same
// use cases the portal runs, each at its own simulated time: applications
// completed (some late, some returned or rejected), reports verified,
// disposed, answered and closed (some reopened), and satisfaction surveys
// after applications and reports and at the service points. The
// dashboards, the IKM and the e-gov index then show a year of figures. It
// needs the demo accounts and runs once per database.
func SeedYear(ctx context.Context, a *app.App) (bool, error) {
	if _, err := a.Store().Setting(ctx, yearSetting); err == nil {
		return false, nil
	} else if !errors.Is(err, pendopo.ErrNotFound) {
		return false, err
	}
	ctx = notify.Quiet(ctx)
	now := a.Now()
	defer a.SetClock(func() time.Time { return now })()
	file, err := samplePDF(now)
	if err != nil {
		return false, err
	}
	for _, region := range []string{"33.74", "33.72"} {
		if err := seedRegionYear(ctx, a, region, yearProfiles[region], file, now); err != nil {
			return false, fmt.Errorf("seed a year in %s: %w", region, err)
		}
	}
	return true, a.Store().PutSetting(ctx, yearSetting, now.UTC().Format(time.RFC3339))
}

// yearDay is office time on the working day n working days after from.
func yearDay(cal *pendopo.Calendar, from pendopo.Day, n int, minute int) time.Time {
	d := cal.AddWorkingDays(from, n, false)
	return d.Time(time.UTC).Add(2*time.Hour + time.Duration(minute)*time.Minute) // 09:00 WIB onwards
}

func seedRegionYear(ctx context.Context, a *app.App, region string, prof yearProfile, file []byte, now time.Time) error {
	rng := rand.New(rand.NewPCG(prof.seed, 2026))
	tag := strings.ReplaceAll(region, ".", "")
	officer, err := actorOf(ctx, a, "petugas."+tag+"@pendopo.test")
	if err != nil {
		return fmt.Errorf("the demo accounts are needed first: %w", err)
	}
	head, err := actorOf(ctx, a, "kepala."+tag+"@pendopo.test")
	if err != nil {
		return err
	}
	var people []pendopo.Actor
	for _, name := range demoCitizens {
		login := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "." + tag + "@warga.demo.pendopo.test"
		if !a.HasAccount(ctx, login) {
			if _, err := a.AddUser(ctx, name, login, "demo-"+strconv.FormatUint(rng.Uint64(), 36), nil); err != nil {
				return err
			}
		}
		p, err := actorOf(ctx, a, login)
		if err != nil {
			return err
		}
		people = append(people, p)
	}
	var services []pendopo.Service
	for _, slug := range onlineServices[region] {
		svc, err := a.Store().ServiceBySlug(ctx, region, slug)
		if err != nil {
			return err
		}
		services = append(services, svc)
	}
	points, err := a.ServicePoints(ctx, region)
	if err != nil {
		return err
	}
	cal, err := a.Calendar(ctx, region)
	if err != nil {
		return err
	}
	rate := func() map[pendopo.UnsurID]int {
		out := map[pendopo.UnsurID]int{}
		for _, u := range pendopo.Unsurs {
			switch r := rng.Float64(); {
			case r < prof.mood:
				out[u.ID] = 4
			case r < prof.mood+(1-prof.mood)*0.75:
				out[u.ID] = 3
			case r < 0.98:
				out[u.ID] = 2
			default:
				out[u.ID] = 1
			}
		}
		return out
	}
	at := func(t time.Time) { a.SetClock(func() time.Time { return t }) }
	zone := pendopo.RegionZone(region)
	today := pendopo.DayOf(now, zone)
	first := pendopo.DayOf(time.Date(now.Year()-1, now.Month(), 1, 12, 0, 0, 0, zone), zone)
	for month := 0; month < 12; month++ {
		start := pendopo.DayOf(first.Time(zone).AddDate(0, month, 0), zone)
		// Applications: submitted on a working day of the month and taken
		// through every step of the workflow, on time or late.
		for i := range prof.apps + rng.IntN(4) {
			svc := services[rng.IntN(len(services))]
			person := people[rng.IntN(len(people))]
			submitted := cal.AddWorkingDays(start, rng.IntN(18), false)
			days := svc.Standard.Duration.Days()
			took := min(days, 1+rng.IntN(max(days, 1))) // on time: within the standard's days
			if rng.Float64() < prof.lateShare {
				took = days + 1 + rng.IntN(4)
			}
			if cal.AddWorkingDays(submitted, took+2, false) >= today {
				continue // still in progress: the recent scenarios show that
			}
			at(yearDay(cal, submitted, 0, i))
			draft, err := a.StartApplication(ctx, person, svc.ID, "", "")
			if err != nil {
				return err
			}
			if _, err := a.SaveAnswers(ctx, person, draft.Number, answers(svc.Apply.Form, person.Name, region, true)); err != nil {
				return err
			}
			for _, fd := range svc.Apply.Form.Fields {
				if fd.Type == pendopo.FieldFile {
					if _, err := a.Upload(ctx, person, draft.Number, fd.Key, fd.Key+".pdf", bytes.NewReader(file)); err != nil {
						return err
					}
				}
			}
			if _, err := a.Act(ctx, person, draft.Number, app.ApplicationAct{Action: pendopo.ActSubmit}); err != nil {
				return err
			}
			staff := func(role pendopo.RoleKind) pendopo.Actor {
				if svc.AgencySlug != "disdukcapil" {
					return pendopo.System // the demo has no staff in this agency
				}
				if role == pendopo.RoleSupervisor {
					return head
				}
				return officer
			}
			if rng.IntN(20) == 0 {
				at(yearDay(cal, submitted, 1, i))
				if _, err := a.Act(ctx, staff(pendopo.RoleOfficer), draft.Number, app.ApplicationAct{Action: pendopo.ActReject, Note: "Persyaratan tidak terpenuhi."}); err != nil {
					return err
				}
				continue
			}
			steps := svc.Apply.Workflow.Steps
			for s, st := range steps {
				at(yearDay(cal, submitted, took*(s+1)/len(steps), 30+s))
				if _, err := a.Act(ctx, staff(st.Role), draft.Number, app.ApplicationAct{Action: pendopo.ActApprove}); err != nil {
					return fmt.Errorf("%s step %d: %w", draft.Number, s, err)
				}
			}
			if rng.Float64() < 0.6 {
				at(yearDay(cal, submitted, took+1, i))
				subj, err := a.SurveyForApplication(ctx, person, draft.Number)
				if err != nil {
					return err
				}
				if _, err := a.SubmitSurvey(ctx, subj, rate(), "", ""); err != nil {
					return err
				}
			}
		}
		// Reports: verified and disposed along the routing, answered and
		// closed, some late, a few reopened.
		for i := range prof.reports + rng.IntN(4) {
			sc := reportScenarios()[rng.IntN(len(reportScenarios()))]
			received := cal.AddWorkingDays(start, rng.IntN(18), false)
			late := rng.Float64() < prof.lateShare
			verify, answer := rng.IntN(3), 1+rng.IntN(5)
			if late {
				verify, answer = 3+rng.IntN(3), 6+rng.IntN(4)
			}
			if cal.AddWorkingDays(received, verify+answer+3, false) >= today {
				continue
			}
			box := demoBounds[region]
			lat := box.South + rng.Float64()*(box.North-box.South)
			lng := box.West + rng.Float64()*(box.East-box.West)
			lat, lng = onLand(region, box, lat, lng)
			person := people[rng.IntN(len(people))]
			in := pendopo.ReportInput{Kind: sc.kind, Title: sc.title, Description: sc.description, Category: sc.category,
				Privacy:  []pendopo.Privacy{pendopo.PrivacyPublic, pendopo.PrivacyPublic, pendopo.PrivacyAnonymous, pendopo.PrivacyConfidential}[rng.IntN(4)],
				Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng, Address: "Sekitar pusat kota"}}
			at(yearDay(cal, received, 0, 100+i))
			r, err := a.SubmitReport(ctx, person, region, in, "")
			if err != nil {
				return err
			}
			for j, act := range []app.ReportAct{{Action: pendopo.ActReportDispose},
				{Action: pendopo.ActReportAnswer, Note: "Sudah ditindaklanjuti oleh petugas lapangan; terima kasih atas laporannya."},
				{Action: pendopo.ActReportComplete}} {
				day := verify
				if j > 0 {
					day = verify + answer
				}
				at(yearDay(cal, received, day, 120+j))
				if _, err := a.ActOnReport(ctx, pendopo.System, r.Number, act); err != nil {
					return fmt.Errorf("%s %s: %w", r.Number, act.Action, err)
				}
			}
			at(yearDay(cal, received, verify+answer+1, 140))
			switch n := rng.IntN(10); {
			case n < 4:
				if _, err := a.ActOnReport(ctx, person, r.Number, app.ReportAct{Action: pendopo.ActReportRate, Rating: 3 + rng.IntN(3)}); err != nil {
					return err
				}
				subj, err := a.SurveyForReport(ctx, person, r.Number, "")
				if err != nil {
					return err
				}
				if _, err := a.SubmitSurvey(ctx, subj, rate(), "", ""); err != nil {
					return err
				}
			case n == 9:
				if _, err := a.ActOnReport(ctx, person, r.Number, app.ReportAct{Action: pendopo.ActReportReopen, Note: "Masalahnya muncul lagi."}); err != nil {
					return err
				}
				at(yearDay(cal, received, verify+answer+2, 150))
				for _, act := range []app.ReportAct{{Action: pendopo.ActReportAnswer, Note: "Sudah diperbaiki ulang."}, {Action: pendopo.ActReportComplete}} {
					if _, err := a.ActOnReport(ctx, pendopo.System, r.Number, act); err != nil {
						return err
					}
				}
			}
		}
		// Walk-in surveys at the service points, one device each, with the
		// day's presence code as the printed QR code gives it; few enough
		// that none is held, so that they all count.
		for i := range prof.walkIns {
			var unit string
			if len(points) > 0 {
				unit = points[rng.IntN(len(points))].Slug
			}
			day := cal.AddWorkingDays(start, rng.IntN(20), false)
			if day >= today {
				continue
			}
			at(yearDay(cal, day, 0, 200+i))
			subj, err := a.SurveyForVisit(ctx, region, unit, 0)
			if err != nil {
				return err
			}
			// Scanned at the counter: the point's code of that day.
			pc, err := a.SurveyCode(ctx, pendopo.System, region, unit)
			if err != nil {
				return err
			}
			subj.Code = pc.Code
			device := fmt.Sprintf("demo-%s-%d-%d", tag, month, i)
			if _, err := a.SubmitSurvey(ctx, subj, rate(), "", device); err != nil {
				return err
			}
		}
	}
	return nil
}
