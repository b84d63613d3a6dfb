package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
)

// The console's report pages: the coordinator's queue (to verify and
// dispose) and moderation queue, an agency's queue, one report with the
// actions the viewer may take, and the routing of categories to agencies.

type reportQueuePage struct {
	Page
	Code     string
	Region   pendopo.Region
	Agencies []pendopo.Agency
	Agency   string
	Overdue  bool
	Flagged  bool
	Reports  []pendopo.Report
	Pager    pager
	Today    pendopo.Day
}

// AgencyName names an agency of the region.
func (p reportQueuePage) AgencyName(slug string) string {
	for _, a := range p.Agencies {
		if a.Slug == slug {
			return a.Name
		}
	}
	return slug
}

func (s *Server) consoleReports(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	who := current(r).Actor
	agencies, agency, err := s.consoleAgency(r, reg.Code)
	if err != nil {
		return err
	}
	if _, coord := who.Can(pendopo.ActCoordinateReports, pendopo.Scope{Region: reg.Code}); !coord && agency == "" {
		// Agency staff start with their own agency's reports.
		for _, ro := range who.Roles {
			if ro.Region == reg.Code && ro.Agency != "" {
				agency = ro.Agency
				break
			}
		}
	}
	q := r.URL.Query()
	data := reportQueuePage{Code: reg.Code, Region: reg, Agencies: agencies, Agency: agency, Overdue: q.Get("terlambat") == "1",
		Flagged: q.Get("moderasi") == "1", Today: pendopo.DayOf(s.app.Now(), pendopo.RegionZone(reg.Code))}
	page := pageNum(r)
	list, total, err := s.app.ReportQueue(r.Context(), who, reg.Code, agency, data.Overdue, data.Flagged && agency == "", pendopo.Page{Page: page, PerPage: listPage})
	if err != nil {
		return err
	}
	p := s.regionPage(r, reg, "")
	p.Title, p.Noindex = p.T("rqueue.title")+" · "+reg.Name, true
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + reg.Code}, {p.T("rqueue.title"), ""}}
	data.Page, data.Reports, data.Pager = p, list, newPager(r, page, listPage, total)
	s.rd.render(w, r, http.StatusOK, "admin_reports", data)
	return nil
}

type consoleReportPage struct {
	reportPage
	Today pendopo.Day
	// Regions are where a coordinator may forward a report on Pendopo.
	Regions []pendopo.Region
}

func (s *Server) consoleReportData(r *http.Request) (consoleReportPage, error) {
	v, err := s.app.ReportFor(r.Context(), current(r).Actor, r.PathValue("number"), "")
	if err != nil {
		return consoleReportPage{}, err
	}
	if !v.Coordinator && !(v.Handler && v.Agency != "") {
		return consoleReportPage{}, errForbiddenPage
	}
	data, err := s.reportData(r, v)
	if err != nil {
		return consoleReportPage{}, err
	}
	data.Noindex = true
	data.Crumbs = []Crumb{{data.T("admin.title"), "/admin"}, {data.Theme.Name, "/admin/daerah/" + v.Region},
		{data.T("rqueue.title"), "/admin/daerah/" + v.Region + "/laporan"}, {v.Number, ""}}
	page := consoleReportPage{reportPage: data, Today: pendopo.DayOf(s.app.Now(), pendopo.RegionZone(v.Region))}
	if v.Coordinator {
		page.Regions = s.app.ForwardRegions(v.Region)
	}
	return page, nil
}

func (s *Server) consoleReport(w http.ResponseWriter, r *http.Request) error {
	data, err := s.consoleReportData(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("pesan") == "ok" {
		data.Notice = data.T("report.saved")
	}
	w.Header().Set("Cache-Control", "private, no-store")
	s.rd.render(w, r, http.StatusOK, "admin_report", data)
	return nil
}

// consoleReportAct does an officer's action on a report.
func (s *Server) consoleReportAct(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 16<<10); err != nil {
		return err
	}
	action := pendopo.ReportAction(r.PostFormValue("action"))
	switch action {
	case pendopo.ActReportVerify, pendopo.ActReportReject, pendopo.ActReportArchive, pendopo.ActReportDispose, pendopo.ActReportForward,
		pendopo.ActReportAnswer, pendopo.ActReportComplete, pendopo.ActReportExtend, pendopo.ActReportMerge, pendopo.ActReportRelease:
	default:
		return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("web.choose_action"))
	}
	rev, _ := strconv.Atoi(r.PostFormValue("rev"))
	number := r.PathValue("number")
	_, err := s.app.ActOnReport(r.Context(), current(r).Actor, number, app.ReportAct{Action: action, Note: r.PostFormValue("note_" + string(action)),
		Agency: r.PostFormValue("agency"), Region: r.PostFormValue("region"), Target: r.PostFormValue("target"), Rev: rev})
	if err != nil {
		form, ferr := formErrors(err, httpx.Lang(r.Context()))
		if ferr != nil {
			return ferr
		}
		data, derr := s.consoleReportData(r)
		if derr != nil {
			return derr
		}
		data.Form = form
		if m, ok := form.Errors["note"]; ok {
			data.Form.Errors["note_"+string(action)] = m
		}
		status := http.StatusUnprocessableEntity
		if pendopo.KindOf(err) == pendopo.KindConflict {
			status = http.StatusConflict
		}
		s.rd.render(w, r, status, "admin_report", data)
		return nil
	}
	http.Redirect(w, r, "/admin/laporan/"+number+"?pesan=ok", http.StatusSeeOther)
	return nil
}

type routesPage struct {
	Page
	Form
	Code       string
	Region     pendopo.Region
	Agencies   []pendopo.Agency
	Routes     map[string]string
	Categories []pendopo.ReportCategory
	Bounds     *pendopo.Bounds
	// Areas are the area rules; Area is the new rule's form; Districts
	// the region's kecamatan, which a rule may name as its area.
	Areas     []pendopo.ReportAreaRoute
	Area      url.Values
	Districts []app.District
}

func (s *Server) routesData(r *http.Request) (routesPage, error) {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return routesPage{}, err
	}
	if _, ok := current(r).Actor.Can(pendopo.ActCoordinateReports, pendopo.Scope{Region: reg.Code}); !ok {
		return routesPage{}, errForbiddenPage
	}
	agencies, _, err := s.app.Agencies(r.Context(), reg.Code, pendopo.Page{PerPage: pendopo.MaxPerPage})
	if err != nil {
		return routesPage{}, err
	}
	routes, err := s.app.ReportRoutes(r.Context(), reg.Code)
	if err != nil {
		return routesPage{}, err
	}
	bounds, err := s.app.RegionBounds(r.Context(), reg.Code)
	if err != nil {
		return routesPage{}, err
	}
	areas, err := s.app.ReportAreaRoutes(r.Context(), current(r).Actor, reg.Code)
	if err != nil {
		return routesPage{}, err
	}
	p := s.regionPage(r, reg, "")
	p.Title, p.Noindex = p.T("routes.title")+" · "+reg.Name, true
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + reg.Code}, {p.T("routes.title"), ""}}
	return routesPage{Page: p, Code: reg.Code, Region: reg, Agencies: agencies, Routes: routes, Categories: pendopo.ReportCategories, Bounds: bounds,
		Areas: areas, Area: url.Values{}, Districts: s.app.Districts(reg.Code)}, nil
}

// DistrictName names one of the region's kecamatan, for the rules' list.
func (p routesPage) DistrictName(code string) string {
	for _, d := range p.Districts {
		if d.Code == code {
			return d.Name
		}
	}
	return code
}

func (s *Server) consoleRoutes(w http.ResponseWriter, r *http.Request) error {
	data, err := s.routesData(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("pesan") == "tersimpan" {
		data.Notice = data.T("admin.notice.tersimpan")
	}
	s.rd.render(w, r, http.StatusOK, "admin_routes", data)
	return nil
}

// consoleRoutesSave stores the routing of every category and the map box,
// all or nothing.
func (s *Server) consoleRoutesSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 16<<10); err != nil {
		return err
	}
	code, who := r.PathValue("code"), current(r).Actor
	routing := app.ReportRouting{Routes: map[string]string{}}
	for _, c := range pendopo.ReportCategories {
		if _, ok := r.PostForm["route_"+c.Code]; ok {
			routing.Routes[c.Code] = r.PostFormValue("route_" + c.Code)
		}
	}
	vals := [4]float64{}
	filled := 0
	for i, k := range []string{"south", "west", "north", "east"} {
		if v := r.PostFormValue(k); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("web.map_bounds_are_numbers"))
			}
			vals[i] = f
			filled++
		}
	}
	// All four sides set the box, none removes it; some leave it as it is.
	if filled == 4 {
		routing.Bounds = &pendopo.Bounds{South: vals[0], West: vals[1], North: vals[2], East: vals[3]}
	}
	routing.SetBounds = filled == 4 || filled == 0
	err := s.app.SaveReportRouting(r.Context(), who, code, routing)
	return s.settle(w, r, err, "/admin/daerah/"+code+"/laporan/rute?pesan=tersimpan", "admin_routes", func(fm Form) (any, error) {
		data, err := s.routesData(r)
		data.Form = fm
		return data, err
	})
}

// BoundValue is one side of the region's map box, for the form.
func (p routesPage) BoundValue(side string) string {
	if p.Bounds == nil {
		return ""
	}
	v := map[string]float64{"south": p.Bounds.South, "west": p.Bounds.West, "north": p.Bounds.North, "east": p.Bounds.East}[side]
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// AgencyName names one of the region's agencies, for the rules' list.
func (p routesPage) AgencyName(slug string) string {
	for _, a := range p.Agencies {
		if a.Slug == slug {
			return a.Name
		}
	}
	return slug
}

// consoleAreaRouteAdd adds an area rule from the routes page's form.
func (s *Server) consoleAreaRouteAdd(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 8<<10); err != nil {
		return err
	}
	code := r.PathValue("code")
	rule := pendopo.ReportAreaRoute{Region: code, Name: r.PostFormValue("area_name"), Category: r.PostFormValue("area_category"),
		Agency: r.PostFormValue("area_agency"), District: r.PostFormValue("area_district")}
	var bad bool
	for _, side := range []struct {
		name string
		to   *float64
	}{{"area_south", &rule.Area.South}, {"area_west", &rule.Area.West}, {"area_north", &rule.Area.North}, {"area_east", &rule.Area.East}} {
		v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(r.PostFormValue(side.name)), ",", "."), 64)
		*side.to, bad = v, bad || err != nil
	}
	// A rule by kecamatan needs no box.
	bad = bad && rule.District == ""
	var err error
	if bad {
		var p pendopo.Problems
		p.Add("area_bounds", pendopo.M("web.write_area_bounds_as_degrees"))
		err = p.Err()
	} else {
		_, err = s.app.AddReportAreaRoute(r.Context(), current(r).Actor, rule)
	}
	return s.settle(w, r, err, "/admin/daerah/"+code+"/laporan/rute?pesan=tersimpan#h-areas", "admin_routes", func(fm Form) (any, error) {
		data, err := s.routesData(r)
		data.Form, data.Area = fm, r.PostForm
		return data, err
	})
}

// consoleAreaRouteDelete removes an area rule.
func (s *Server) consoleAreaRouteDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return pendopo.ErrNotFound
	}
	code := r.PathValue("code")
	if err := s.app.DeleteReportAreaRoute(r.Context(), current(r).Actor, code, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/daerah/"+code+"/laporan/rute?pesan=tersimpan#h-areas", http.StatusSeeOther)
	return nil
}
