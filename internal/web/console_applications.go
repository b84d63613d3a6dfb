package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
)

// The console's pages of online applications: an agency's work queue by
// deadline, one application with the actions its step allows, and the
// region's own holidays.

type queuePage struct {
	Page
	Code     string
	Region   pendopo.Region
	Agencies []pendopo.Agency
	Agency   string
	Overdue  bool
	Items    []app.QueueItem
	Pager    pager
}

// consoleQueue lists an agency's applications in progress, soonest
// deadline first; ?terlambat=1 keeps the overdue ones.
// queueRead is what the queue page reads.
type queueRead struct {
	agencies []pendopo.Agency
	agency   string
	items    []app.QueueItem
	total    int
}

func (s *Server) consoleQueue(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	who := current(r).Actor
	overdue := r.URL.Query().Get("terlambat") == "1"
	page := pageNum(r)
	// People of the same roles share what the queue read, for a moment
	// (see consoleMemo); Queue and consoleAgency authorize by those roles.
	v, err := s.console.do(r.Context(), scopeKey(r, who), func(ctx context.Context) (any, error) {
		r := r.WithContext(ctx)
		var q queueRead
		var err error
		q.agencies, q.agency, err = s.consoleAgency(r, reg.Code)
		if err != nil {
			return q, err
		}
		if q.agency == "" {
			// The queue is per agency: start with the person's own.
			for _, ro := range who.Roles {
				if ro.Region == reg.Code && ro.Agency != "" {
					q.agency = ro.Agency
					break
				}
			}
			// A region admin starts where the soonest deadline is, not with
			// the first agency by name, which may have nothing to do.
			if q.agency == "" {
				if q.agency, err = s.app.UrgentAgency(ctx, who, reg.Code); err != nil {
					return q, err
				}
			}
			if q.agency == "" && len(q.agencies) > 0 {
				q.agency = q.agencies[0].Slug
			}
		}
		q.items, q.total, err = s.app.Queue(ctx, who, reg.Code, q.agency, overdue, pendopo.Page{Page: page, PerPage: listPage})
		return q, err
	})
	if err != nil {
		return err
	}
	q := v.(queueRead)
	agencies, agency, items, total := q.agencies, q.agency, q.items, q.total
	p := s.regionPage(r, reg, "")
	p.Title, p.Noindex = p.T("queue.title")+" · "+reg.Name, true
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + reg.Code}, {p.T("queue.title"), ""}}
	s.rd.render(w, r, http.StatusOK, "admin_queue", queuePage{Page: p, Code: reg.Code, Region: reg, Agencies: agencies, Agency: agency,
		Overdue: overdue, Items: items, Pager: newPager(r, page, listPage, total)})
	return nil
}

// consoleAgency reads ?opd= and the region's agencies for a filter.
func (s *Server) consoleAgency(r *http.Request, region string) ([]pendopo.Agency, string, error) {
	agencies, _, err := s.app.Agencies(r.Context(), region, pendopo.Page{PerPage: pendopo.MaxPerPage})
	if err != nil {
		return nil, "", err
	}
	slug := r.URL.Query().Get("opd")
	for _, a := range agencies {
		if a.Slug == slug {
			return agencies, slug, nil
		}
	}
	return agencies, "", nil
}

// consoleApplication is the officer's page of one application.
func (s *Server) consoleApplication(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	data, err := s.consoleApplicationData(r, v)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("pesan") {
	case "ok":
		data.Notice = data.T("queue.done")
	}
	s.rd.render(w, r, http.StatusOK, "admin_application", data)
	return nil
}

func (s *Server) consoleApplicationData(r *http.Request, v *app.ApplicationView) (applicationPage, error) {
	data := s.applicationData(r, v, v.ServiceName)
	data.V.Applicant = false // staff see names and full answers
	data.Crumbs = []Crumb{{data.T("admin.title"), "/admin"}, {v.Region.Name, "/admin/daerah/" + v.Region.Code},
		{data.T("queue.title"), "/admin/daerah/" + v.Region.Code + "/permohonan?opd=" + v.Agency}, {v.Number, ""}}
	data.Waiting = waitingFor(data.Page, current(r).Actor, v)
	var err error
	data.Colleagues, err = s.app.Colleagues(r.Context(), current(r).Actor, v)
	return data, err
}

// waitingFor names who must act on an application's current step when
// who may not: the step's role at the agency, or, when who holds that
// role but the step was handed to a colleague, that colleague. "" when
// who may act or nothing waits on the agency.
func waitingFor(p Page, who pendopo.Actor, v *app.ApplicationView) string {
	if v.CanAct || v.Status != pendopo.StatusInProgress {
		return ""
	}
	step := v.CurrentStep()
	key := "queue.waiting." + string(step.Role)
	for _, ro := range who.Roles {
		if ro.Region == v.Region.Code && ro.Agency == v.Agency && ro.ActsOnStep(step) {
			key = "queue.waiting.assignee"
		}
	}
	return p.T("queue.waiting", p.T(key))
}

// consoleAct does an officer's action on the current step.
func (s *Server) consoleAct(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 16<<10); err != nil {
		return err
	}
	number := r.PathValue("number")
	action := pendopo.ApplicationAction(r.PostFormValue("action"))
	switch action {
	case pendopo.ActApprove, pendopo.ActReturn, pendopo.ActReject, pendopo.ActReassign:
	default:
		return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("web.choose_action"))
	}
	// Each action has a note field of its own on the page.
	act := app.ApplicationAct{Action: action, Note: r.PostFormValue("note_" + string(action))}
	act.Rev, _ = strconv.Atoi(r.PostFormValue("rev"))
	act.Assignee, _ = strconv.ParseInt(r.PostFormValue("assignee"), 10, 64)
	_, err := s.app.Act(r.Context(), current(r).Actor, number, act)
	if err != nil {
		form, ferr := formErrors(err, httpx.Lang(r.Context()))
		if ferr != nil {
			return ferr
		}
		v, lerr := s.loadApplication(r)
		if lerr != nil {
			return lerr
		}
		data, derr := s.consoleApplicationData(r, v)
		if derr != nil {
			return derr
		}
		data.Form = form
		// A note's error belongs to the note of the chosen action.
		if m, ok := form.Errors["note"]; ok {
			data.Form.Errors["note_"+string(action)] = m
		}
		status := http.StatusUnprocessableEntity
		if pendopo.KindOf(err) == pendopo.KindConflict {
			status = http.StatusConflict // someone acted first: the page now shows where it stands
		}
		s.rd.render(w, r, status, "admin_application", data)
		return nil
	}
	http.Redirect(w, r, "/admin/permohonan/"+number+"?pesan=ok", http.StatusSeeOther)
	return nil
}

type holidaysPage struct {
	Page
	Form
	Code     string
	Region   pendopo.Region
	National []pendopo.Holiday
	Own      []pendopo.Holiday
	Date     string
	Name     string
}

func (s *Server) holidaysData(r *http.Request) (holidaysPage, error) {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return holidaysPage{}, err
	}
	if _, ok := current(r).Actor.Can(pendopo.ActManageHolidays, pendopo.Scope{Region: reg.Code}); !ok {
		return holidaysPage{}, errForbiddenPage
	}
	national, own, err := s.app.RegionHolidays(r.Context(), reg.Code)
	if err != nil {
		return holidaysPage{}, err
	}
	p := s.regionPage(r, reg, "")
	p.Title, p.Noindex = p.T("holidays.title")+" · "+reg.Name, true
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + reg.Code}, {p.T("holidays.title"), ""}}
	return holidaysPage{Page: p, Code: reg.Code, Region: reg, National: national, Own: own}, nil
}

var errForbiddenPage = pendopo.Errorf(pendopo.KindForbidden, pendopo.M("web.you_may_not_open_this"))

func (s *Server) consoleHolidays(w http.ResponseWriter, r *http.Request) error {
	data, err := s.holidaysData(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("pesan") == "tersimpan" {
		data.Notice = data.T("admin.notice.tersimpan")
	}
	s.rd.render(w, r, http.StatusOK, "admin_holidays", data)
	return nil
}

func (s *Server) consoleHolidayAdd(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 8<<10); err != nil {
		return err
	}
	code := r.PathValue("code")
	h := pendopo.Holiday{Region: code, Name: r.PostFormValue("name"), Kind: pendopo.HolidayRegional}
	if d, err := pendopo.ParseDay(strings.TrimSpace(r.PostFormValue("date"))); err == nil {
		h.Date = d
	}
	err := s.app.AddRegionHoliday(r.Context(), current(r).Actor, h)
	return s.settle(w, r, err, "/admin/daerah/"+code+"/libur?pesan=tersimpan", "admin_holidays", func(fm Form) (any, error) {
		data, err := s.holidaysData(r)
		data.Form, data.Date, data.Name = fm, r.PostFormValue("date"), r.PostFormValue("name")
		return data, err
	})
}

func (s *Server) consoleHolidayDelete(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 1<<10); err != nil {
		return err
	}
	code := r.PathValue("code")
	d, err := pendopo.ParseDay(r.PathValue("date"))
	if err != nil {
		return errNotFound
	}
	if err := s.app.DeleteRegionHoliday(r.Context(), current(r).Actor, code, d); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/daerah/"+code+"/libur?pesan=tersimpan", http.StatusSeeOther)
	return nil
}
