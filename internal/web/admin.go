package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
	"github.com/pendopo/pendopo/internal/search"
)

type adminHomePage struct {
	Page
	Regions  []pendopo.Region
	National bool
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) error {
	who := current(r).Actor
	if regions := who.Regions(); !who.National() && len(regions) == 1 {
		http.Redirect(w, r, "/admin/daerah/"+regions[0], http.StatusSeeOther)
		return nil
	}
	if code := strings.TrimSpace(r.URL.Query().Get("kode")); code != "" {
		if _, err := s.app.Region(r.Context(), code); err == nil {
			http.Redirect(w, r, "/admin/daerah/"+code, http.StatusSeeOther)
			return nil
		}
	}
	var regions []pendopo.Region
	if who.National() {
		regions = s.app.LiveRegions()
	} else {
		for _, code := range who.Regions() {
			if reg, err := s.app.Region(r.Context(), code); err == nil {
				regions = append(regions, reg)
			}
			if len(code) == 2 {
				// A province's overseer sees its kabupaten/kota too.
				kids, _, _ := s.app.Regions(r.Context(), pendopo.RegionFilter{Parent: code, Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
				regions = append(regions, kids...)
			}
		}
	}
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("admin.title"), true
	s.rd.render(w, r, http.StatusOK, "admin_home", adminHomePage{Page: p, Regions: regions, National: who.National()})
	return nil
}

type adminRegionPage struct {
	Page
	Form
	Code     string
	Name     string
	Profile  pendopo.RegionProfile
	Services []pendopo.ServiceSummary
	Agencies []pendopo.Agency
	Points   []pendopo.ServicePoint
	Pending  []pendopo.PendingVersion
	// Todo is what waits for the person ("Perlu tindakan"), TodoLines
	// the same as the lines the page shows.
	Todo      pendopo.Todo
	TodoLines []todoLine
	// Agency filters the service list ("" for all); Pager pages it.
	Agency string
	Pager  pager
	Total  int
}

// consoleAgency is the agency whose services the console lists first: the
// one asked for with ?opd=, else the person's own when all their roles in
// the region are in one agency.
func consoleAgency(r *http.Request, who pendopo.Actor, code string) string {
	q := r.URL.Query()
	if q.Has("opd") {
		return q.Get("opd")
	}
	own := ""
	for _, role := range who.Roles {
		if role.Region != code {
			continue
		}
		if role.Agency == "" || own != "" && own != role.Agency {
			return ""
		}
		own = role.Agency
	}
	return own
}

func (s *Server) adminRegionData(r *http.Request, code string) (adminRegionPage, error) {
	ctx := r.Context()
	reg, p, err := s.adminPage(r, code)
	if err != nil {
		return adminRegionPage{}, err
	}
	who := current(r).Actor
	agency := consoleAgency(r, who, code)
	page := pendopo.Page{Page: pageNum(r), PerPage: listPage}
	services, total, err := s.app.AdminServices(ctx, who, code, agency, page)
	if err != nil {
		return adminRegionPage{}, err
	}
	agencies, _, err := s.app.Agencies(ctx, code, pendopo.Page{PerPage: pendopo.MaxPerPage})
	if err != nil {
		return adminRegionPage{}, err
	}
	points, err := s.app.ServicePoints(ctx, code)
	if err != nil {
		return adminRegionPage{}, err
	}
	pending, err := s.app.PendingReviews(ctx, who, code)
	if err != nil {
		return adminRegionPage{}, err
	}
	todo, err := s.app.Todo(ctx, who, code)
	if err != nil {
		return adminRegionPage{}, err
	}
	p.Title = p.T("admin.region.title", reg.Name)
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, ""}}
	return adminRegionPage{Page: p, Code: code, Name: reg.Name, Profile: reg.Profile, Services: services, Agencies: agencies, Points: points, Pending: pending,
		Todo: todo, TodoLines: todoLines(p, todo, agencies, points), Agency: agency, Total: total, Pager: newPager(r, page.Page, listPage, total)}, nil
}

func (s *Server) adminRegion(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	_, p, err := s.adminPage(r, code)
	if err != nil {
		return err
	}
	// The page's content is made once for the people of the same roles
	// who ask for it at about the same time, as one of them with nothing
	// of their own (see sharedContent); each is authorized above and gets
	// the frame (their name, the menu) made for them.
	v, err := s.console.do(r.Context(), scopeKey(r, current(r).Actor), func(ctx context.Context) (any, error) {
		d, err := s.adminRegionData(r.WithContext(ctx), code)
		if err != nil {
			return nil, err
		}
		d.Notice = notice(d.Page, r.URL.Query().Get("pesan"))
		return s.shareContent("admin_region", &d.Page, &d)
	})
	if err != nil {
		return err
	}
	s.renderShared(w, r, p, v.(sharedContent))
	return nil
}

// notice turns a ?pesan= code into a message.
func notice(p Page, code string) string {
	switch code {
	case "tersimpan", "terbit", "ditinjau", "draf", "diajukan", "dikembalikan", "sinonim":
		return p.T("admin.notice." + code)
	}
	return ""
}

// maxFormBytes bounds admin forms; a logo is the largest part.
const maxFormBytes = app.MaxLogoBytes + 64<<10

func (s *Server) adminSaveProfile(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseMultipartForm(maxFormBytes); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return tooLargeOr(err)
	}
	if err := httpx.CheckText(r); err != nil {
		return err
	}
	prof := pendopo.RegionProfile{
		Tagline: r.PostFormValue("tagline"), Description: r.PostFormValue("description"), Color: r.PostFormValue("color"),
		Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email"), Address: r.PostFormValue("address"), Website: r.PostFormValue("website"),
	}
	name := r.PostFormValue("name")
	var logo *pendopo.Logo
	if r.PostFormValue("remove_logo") == "1" {
		logo = &pendopo.Logo{}
	} else if f, _, err := r.FormFile("logo"); err == nil {
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, app.MaxLogoBytes+1))
		if err != nil {
			return err
		}
		if len(b) > 0 {
			logo = &pendopo.Logo{Data: b}
		}
	}
	_, err := s.app.UpdateRegion(r.Context(), current(r).Actor, code, name, prof, logo)
	return s.settle(w, r, err, "/admin/daerah/"+code+"?pesan=tersimpan", "admin_region", func(fm Form) (any, error) {
		data, err := s.adminRegionData(r, code)
		data.Form, data.Name, data.Profile = fm, name, prof
		return data, err
	})
}

// serviceFormPage is the editor for all 14 components of a service.
type serviceFormPage struct {
	Page
	Form
	RegionCode string
	// ID is 0 for a new service.
	ID          int64
	Service     *pendopo.Service
	Content     pendopo.ServiceContent
	Note        string
	BaseVersion int
	Kinds       []pendopo.ServiceKind
	Categories  []pendopo.Category
	Events      []pendopo.LifeEvent
	Agencies    []pendopo.Agency
	Points      []pendopo.ServicePoint
	Versions    []pendopo.Version
	NeedsReview bool
	// CanPublish tells whether the person may publish, or only draft and
	// submit for review.
	CanPublish bool
	// Pending is the latest version when it is a draft newer than the
	// public one; Submitted tells that it waits for review.
	Pending   *pendopo.Version
	Submitted bool
	Activity  []activityRow
}

// activityRow is one entry of a service's recent activity.
type activityRow struct {
	At           time.Time
	Actor, Label string
	Note         string
}

// Has reports whether list contains s, for checkboxes.
func (serviceFormPage) Has(list []string, s string) bool { return slices.Contains(list, s) }

// HasChannel reports whether the content is delivered through ch.
func (p serviceFormPage) HasChannel(ch string) bool {
	return p.Content.HasChannel(pendopo.Channel(ch))
}

// FeeAmount is the fee for its field: empty unless there is an amount.
func (p serviceFormPage) FeeAmount() string {
	if p.Content.Standard.Fee.Amount == 0 {
		return ""
	}
	return strconv.FormatInt(p.Content.Standard.Fee.Amount, 10)
}

// Lines joins a list for a textarea, one item per line.
func (serviceFormPage) Lines(l []string) string { return strings.Join(l, "\n") }

func (s *Server) serviceFormData(r *http.Request, code string, id int64) (serviceFormPage, error) {
	ctx := r.Context()
	who := current(r).Actor
	data := serviceFormPage{ID: id, Categories: pendopo.Categories, Events: pendopo.LifeEvents}
	if id != 0 {
		svc, err := s.app.ServiceForEdit(ctx, who, id)
		if err != nil {
			return data, err
		}
		data.Service, data.Content, data.BaseVersion, code = &svc, svc.ServiceContent, svc.LatestVersion, svc.RegionCode
		if data.Versions, err = s.app.Versions(ctx, who, id); err != nil {
			return data, err
		}
		data.NeedsReview = svc.Published() && s.app.NeedsReview(svc)
		_, data.CanPublish = who.Can(pendopo.ActPublishService, pendopo.Scope{Region: svc.RegionCode, Agency: svc.AgencySlug})
		for i := range data.Versions {
			if v := data.Versions[i]; v.Number == svc.LatestVersion && v.Number > svc.Version {
				data.Pending, data.Submitted = &data.Versions[i], !v.SubmittedAt.IsZero()
			}
		}
		entries, err := s.app.ServiceActivity(ctx, who, id, 8)
		if err != nil {
			return data, err
		}
		for _, e := range entries {
			data.Activity = append(data.Activity, activityRow{At: e.At, Actor: e.Actor, Label: e.Action, Note: auditNote(e.Diff)})
		}
	} else {
		if !current(r).MayInAgency(string(pendopo.ActDraftService), code) {
			return data, errNotAllowed
		}
		_, data.CanPublish = who.Can(pendopo.ActPublishService, pendopo.Scope{Region: code, Agency: ""})
		if !data.CanPublish {
			// An agency's own staff may publish in their agency.
			for _, r := range who.Roles {
				if r.Region == code && r.Allows(pendopo.ActPublishService, pendopo.Scope{Region: code, Agency: r.Agency}) {
					data.CanPublish = true
				}
			}
		}
	}
	reg, p, err := s.adminPage(r, code)
	if err != nil {
		return data, err
	}
	data.RegionCode = code
	if data.Agencies, _, err = s.app.Agencies(ctx, code, pendopo.Page{PerPage: pendopo.MaxPerPage}); err != nil {
		return data, err
	}
	if data.Points, err = s.app.ServicePoints(ctx, code); err != nil {
		return data, err
	}
	for _, k := range s.app.Kinds() {
		data.Kinds = append(data.Kinds, k)
	}
	slices.SortFunc(data.Kinds, func(a, b pendopo.ServiceKind) int { return strings.Compare(a.Name.Indonesian, b.Name.Indonesian) })
	if id == 0 {
		p.Title = p.T("admin.service.new")
		data.Content.Channels = []pendopo.Channel{pendopo.ChannelOffline}
	} else {
		p.Title = p.T("admin.service.edit", data.Content.Name)
	}
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + code}, {p.Title, ""}}
	data.Page = p
	return data, nil
}

func (s *Server) adminServiceForm(w http.ResponseWriter, r *http.Request) error {
	id, err := optionalID(r)
	if err != nil {
		return err
	}
	data, err := s.serviceFormData(r, r.PathValue("code"), id)
	if err != nil {
		return err
	}
	data.Notice = notice(data.Page, r.URL.Query().Get("pesan"))
	s.rd.render(w, r, http.StatusOK, "admin_service", data)
	return nil
}

func optionalID(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return 0, errNotFound
	}
	return id, nil
}

// contentFromForm reads the service editor. Numbers that do not parse are
// reported as field errors, like any other validation problem.
func contentFromForm(r *http.Request) (pendopo.ServiceContent, pendopo.Problems) {
	var probs pendopo.Problems
	f := r.PostForm
	lines := func(k string) []string {
		var out []string
		for _, l := range strings.Split(strings.ReplaceAll(f.Get(k), "\r\n", "\n"), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	c := pendopo.ServiceContent{
		Slug: f.Get("slug"), Kind: f.Get("kind"), Name: f.Get("name"), Summary: f.Get("summary"), AgencySlug: f.Get("agency"),
		Category: f.Get("category"), LifeEvents: f["life_events"], OnlineURL: f.Get("online_url"), Points: f["points"],
	}
	for _, ch := range f["channels"] {
		c.Channels = append(c.Channels, pendopo.Channel(ch))
	}
	st := &c.Standard
	st.Requirements, st.Procedure, st.Complaints = lines("requirements"), lines("procedure"), lines("complaints")
	st.LegalBasis, st.Facilities, st.Competence = lines("legal_basis"), lines("facilities"), lines("competence")
	st.Product, st.Supervision, st.Staff = f.Get("product"), f.Get("supervision"), f.Get("staff")
	st.ServiceGuarantee, st.SafetyGuarantee, st.Evaluation = f.Get("service_guarantee"), f.Get("safety_guarantee"), f.Get("evaluation")
	st.Duration.Note = f.Get("duration_note")
	if f.Get("duration_kind") == "same_day" {
		st.Duration.SameDay = true
	} else if v := strings.TrimSpace(f.Get("working_days")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			probs.Add("standard.duration.working_days", pendopo.M("web.write_number_working_days_digits"))
		}
		st.Duration.WorkingDays = n
	}
	st.Fee.Type = pendopo.FeeType(f.Get("fee_type"))
	st.Fee.LegalBasis, st.Fee.Note = f.Get("fee_legal_basis"), f.Get("fee_note")
	if v := strings.NewReplacer(".", "", ",", "", "Rp", "", "rp", "", " ", "").Replace(f.Get("fee_amount")); v != "" && st.Fee.Type == pendopo.FeeFixed {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			probs.Add("standard.fee.amount", pendopo.M("web.write_amount_rupiah_digits_for"))
		}
		st.Fee.Amount = n
	}
	return c, probs
}

func (s *Server) adminServiceSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := optionalID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r, 1<<20); err != nil {
		return err
	}
	c, probs := contentFromForm(r)
	if id != 0 {
		// The online form has its own editor; keep it.
		prev, err := s.app.ServiceForEdit(ctx, current(r).Actor, id)
		if err != nil {
			return err
		}
		c.Apply = prev.Apply
	}
	base, _ := strconv.Atoi(r.PostFormValue("base_version"))
	aksi := r.PostFormValue("aksi")
	wr := app.ServiceWrite{Content: c, Note: r.PostFormValue("note"), Publish: aksi == "terbit", BaseVersion: base}
	who := current(r).Actor
	var svc pendopo.Service
	if len(probs) > 0 {
		// Show every problem at once: those of parsing and of validation.
		if verr, ok := c.Validate().(*pendopo.Error); ok {
			probs = append(probs, verr.Fields...)
		}
	}
	if err = probs.Err(); err == nil {
		if id == 0 {
			svc, err = s.app.CreateService(ctx, who, r.PathValue("code"), wr)
		} else {
			svc, err = s.app.UpdateService(ctx, who, id, wr)
		}
	}
	if err != nil {
		lang := s.rd.page(r, "").Lang
		fm, err := formErrors(err, lang)
		if err != nil {
			return err
		}
		data, err := s.serviceFormData(r, r.PathValue("code"), id)
		if err != nil {
			return err
		}
		data.Form, data.Content, data.Note = fm, c, wr.Note
		if pendopo.KindOf(err) == pendopo.KindConflict {
			data.BaseVersion = base
		}
		s.rd.render(w, r, http.StatusUnprocessableEntity, "admin_service", data)
		return nil
	}
	msg := "draf"
	switch {
	case wr.Publish:
		msg = "terbit"
	case aksi == "ajukan":
		if err := s.app.SubmitService(ctx, who, svc.ID, svc.LatestVersion, wr.Note); err != nil {
			return err
		}
		msg = "diajukan"
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/layanan/%d?pesan=%s", svc.ID, msg), http.StatusSeeOther)
	return nil
}

func (s *Server) adminPublish(w http.ResponseWriter, r *http.Request) error {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return errNotFound
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	n, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := s.app.PublishService(r.Context(), current(r).Actor, id, n, r.PostFormValue("note")); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/layanan/%d?pesan=terbit", id), http.StatusSeeOther)
	return nil
}

func (s *Server) adminReview(w http.ResponseWriter, r *http.Request) error {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return errNotFound
	}
	if _, err := s.app.ReviewService(r.Context(), current(r).Actor, id); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/layanan/%d?pesan=ditinjau", id), http.StatusSeeOther)
	return nil
}

// errNotAllowed refuses a console page the person's roles do not cover.
var errNotAllowed = pendopo.Errorf(pendopo.KindForbidden, pendopo.M("web.your_roles_do_not_cover"))

// errNotYourRegion refuses console pages of a region the person may not manage.
var errNotYourRegion = pendopo.Errorf(pendopo.KindForbidden, pendopo.M("web.your_account_may_not_manage"))

// adminPage starts an admin page of a region: the region must exist and
// the signed-in admin must be allowed to manage it. The trail ends with
// title, which may be set later through the returned page.
func (s *Server) adminPage(r *http.Request, code string) (pendopo.Region, Page, error) {
	reg, err := s.app.Region(r.Context(), code)
	if err != nil {
		return reg, Page{}, err
	}
	if _, ok := current(r).Actor.Can(pendopo.ActViewConsole, pendopo.Scope{Region: code}); !ok {
		return reg, Page{}, errNotYourRegion
	}
	p := s.regionPage(r, reg, "")
	p.Noindex = true
	return reg, p, nil
}

type agencyFormPage struct {
	Page
	Form
	RegionCode string
	New        bool
	Agency     pendopo.Agency
}

func (s *Server) agencyFormPage(r *http.Request, code string) (agencyFormPage, error) {
	reg, p, err := s.adminPage(r, code)
	if err != nil {
		return agencyFormPage{}, err
	}
	data := agencyFormPage{RegionCode: code, New: r.PathValue("slug") == ""}
	if data.New && !current(r).May(string(pendopo.ActCreateAgency), code) {
		return data, errNotAllowed
	}
	if data.New {
		p.Title = p.T("admin.agency.new")
	} else {
		a, err := s.app.Agency(r.Context(), code, r.PathValue("slug"))
		if err != nil {
			return data, err
		}
		data.Agency = a
		p.Title = a.Name
	}
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + code}, {p.Title, ""}}
	data.Page = p
	return data, nil
}

func (s *Server) adminAgencyForm(w http.ResponseWriter, r *http.Request) error {
	data, err := s.agencyFormPage(r, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.rd.render(w, r, http.StatusOK, "admin_agency", data)
	return nil
}

func (s *Server) adminAgencySave(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	data, err := s.agencyFormPage(r, code)
	if err != nil {
		return err
	}
	if err := parseForm(w, r, 64<<10); err != nil {
		return err
	}
	f := r.PostForm
	a := pendopo.Agency{RegionCode: code, Slug: f.Get("slug"), Name: f.Get("name"), ShortName: f.Get("short_name"), Description: f.Get("description"),
		Address: f.Get("address"), Phone: f.Get("phone"), Email: f.Get("email"), Website: f.Get("website")}
	if !data.New {
		a.Slug = data.Agency.Slug
	} else if _, err := s.app.Agency(r.Context(), code, strings.TrimSpace(a.Slug)); err == nil {
		data.Agency, data.Form = a, Form{Errors: map[string]string{"slug": data.T("admin.slug.taken")}, Problem: data.T("admin.form.problem")}
		s.rd.render(w, r, http.StatusUnprocessableEntity, "admin_agency", data)
		return nil
	}
	_, err = s.app.SaveAgency(r.Context(), current(r).Actor, a)
	return s.settle(w, r, err, "/admin/daerah/"+code+"?pesan=tersimpan", "admin_agency", func(fm Form) (any, error) {
		data.Agency, data.Form = a, fm
		return data, nil
	})
}

type pointFormPage struct {
	Page
	Form
	RegionCode string
	New        bool
	Point      pendopo.ServicePoint
	Lat, Lng   string
	Agencies   []pendopo.Agency
}

func (s *Server) pointFormPage(r *http.Request, code string) (pointFormPage, error) {
	reg, p, err := s.adminPage(r, code)
	if err != nil {
		return pointFormPage{}, err
	}
	data := pointFormPage{RegionCode: code, New: r.PathValue("slug") == ""}
	if data.New && !current(r).May(string(pendopo.ActEditPoints), code) {
		return data, errNotAllowed
	}
	if data.Agencies, _, err = s.app.Agencies(r.Context(), code, pendopo.Page{PerPage: pendopo.MaxPerPage}); err != nil {
		return data, err
	}
	if data.New {
		p.Title = p.T("admin.point.new")
	} else {
		points, err := s.app.ServicePoints(r.Context(), code)
		if err != nil {
			return data, err
		}
		i := slices.IndexFunc(points, func(pt pendopo.ServicePoint) bool { return pt.Slug == r.PathValue("slug") })
		if i < 0 {
			return data, errNotFound
		}
		data.Point = points[i]
		if pt := points[i]; pt.Lat != nil {
			data.Lat, data.Lng = strconv.FormatFloat(*pt.Lat, 'f', -1, 64), strconv.FormatFloat(*pt.Lng, 'f', -1, 64)
		}
		p.Title = data.Point.Name
	}
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + code}, {p.Title, ""}}
	data.Page = p
	return data, nil
}

func (s *Server) adminPointForm(w http.ResponseWriter, r *http.Request) error {
	data, err := s.pointFormPage(r, r.PathValue("code"))
	if err != nil {
		return err
	}
	s.rd.render(w, r, http.StatusOK, "admin_point", data)
	return nil
}

func (s *Server) adminPointSave(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	data, err := s.pointFormPage(r, code)
	if err != nil {
		return err
	}
	if err := parseForm(w, r, 64<<10); err != nil {
		return err
	}
	f := r.PostForm
	pt := pendopo.ServicePoint{RegionCode: code, Slug: f.Get("slug"), Name: f.Get("name"), AgencySlug: f.Get("agency"), Address: f.Get("address"),
		Hours: f.Get("hours"), Phone: f.Get("phone"), Email: f.Get("email")}
	if !data.New {
		pt.Slug = data.Point.Slug
	}
	data.Lat, data.Lng = strings.TrimSpace(f.Get("lat")), strings.TrimSpace(f.Get("lng"))
	var probs pendopo.Problems
	coord := func(field, v string) *float64 {
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		if err != nil {
			probs.Add(field, pendopo.M("web.write_coordinate_as_decimal_number"))
			return nil
		}
		return &x
	}
	pt.Lat, pt.Lng = coord("lat", data.Lat), coord("lng", data.Lng)
	err = probs.Err()
	if err == nil {
		_, err = s.app.SaveServicePoint(r.Context(), current(r).Actor, pt)
	}
	return s.settle(w, r, err, "/admin/daerah/"+code+"?pesan=tersimpan", "admin_point", func(fm Form) (any, error) {
		data.Point, data.Form = pt, fm
		return data, nil
	})
}

type synonymsPage struct {
	Page
	Form
	Rules    string
	Defaults string
}

func (s *Server) adminSynonyms(w http.ResponseWriter, r *http.Request) error {
	if !current(r).May(string(pendopo.ActEditSynonyms), "") {
		return errNotAllowed
	}
	rules, err := s.app.Synonyms(r.Context())
	if err != nil {
		return err
	}
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("admin.synonyms.title"), true
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {p.Title, ""}}
	s.rd.render(w, r, http.StatusOK, "admin_synonyms", synonymsPage{Page: p, Rules: rules, Defaults: search.DefaultSynonyms,
		Form: Form{Notice: notice(p, r.URL.Query().Get("pesan"))}})
	return nil
}

func (s *Server) adminSynonymsSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 80<<10); err != nil {
		return err
	}
	rules := r.PostFormValue("rules")
	if err := s.app.SetSynonyms(r.Context(), current(r).Actor, rules); err != nil {
		p := s.rd.page(r, "")
		p.Title, p.Noindex = p.T("admin.synonyms.title"), true
		fm, ferr := formErrors(err, p.Lang)
		if ferr != nil {
			return ferr
		}
		var e *pendopo.Error
		if errors.As(err, &e) {
			var lines []string
			for _, f := range e.Fields {
				lines = append(lines, p.T("admin.synonyms.line", f.Line, p.Tx(f.Msg)))
			}
			fm.Errors = map[string]string{"rules": strings.Join(lines, " ")}
		}
		s.rd.render(w, r, http.StatusUnprocessableEntity, "admin_synonyms", synonymsPage{Page: p, Form: fm, Rules: rules, Defaults: search.DefaultSynonyms})
		return nil
	}
	http.Redirect(w, r, "/admin/sinonim?pesan=tersimpan", http.StatusSeeOther)
	return nil
}
