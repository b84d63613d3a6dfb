package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/middleware"
)

// Citizens' report pages: filing a report (with or without an account),
// the public list of a region's reports, a report's public page (with
// the reporter's own view and actions), and the reporter's list.

// maxReportPost bounds a report form with its photos.
const maxReportPost = app.MaxReportPhotos*app.MaxReportPhotoBytes + 64<<10

type reportFormPage struct {
	Page
	Form
	Region     pendopo.Region
	In         pendopo.ReportInput
	Lat, Lng   string
	Key        string
	Categories []pendopo.ReportCategory
	Kinds      []pendopo.ReportKind
	Services   []pendopo.ServiceSummary
	Components []pendopo.Component
	// Similar are open reports that may be the same problem, offered
	// before filing; Confirm then files anyway.
	Similar []app.PublicReport
	Confirm bool
}

func (s *Server) reportFormData(r *http.Request, reg pendopo.Region) (reportFormPage, error) {
	p := s.regionPage(r, reg, "")
	p.Title = p.T("report.new_title", reg.Name)
	p.Crumbs = append(regionCrumbs(p, reg, nil), Crumb{p.T("report.crumb"), "/daerah/" + reg.Code + "/laporan"}, Crumb{p.T("report.new"), ""})
	services, _, err := s.app.Services(r.Context(), pendopo.ServiceFilter{Region: reg.Code, Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
	if err != nil {
		return reportFormPage{}, err
	}
	var comps []pendopo.Component
	for _, c := range pendopo.Components {
		if c.Delivery {
			comps = append(comps, c)
		}
	}
	data := reportFormPage{Page: p, Region: reg, Key: newKey(), Categories: pendopo.ReportCategories, Services: services, Components: comps,
		Kinds: []pendopo.ReportKind{pendopo.ReportComplaint, pendopo.ReportAspiration, pendopo.ReportInfoRequest}}
	data.In.Kind, data.In.Privacy = pendopo.ReportComplaint, pendopo.PrivacyPublic
	return data, nil
}

// KindTitle names a report kind.
func (p Page) KindTitle(k pendopo.ReportKind) string {
	for _, rk := range pendopo.ReportKinds {
		if rk.Kind == k {
			return p.Tx(rk.Title)
		}
	}
	return string(k)
}

// CategoryTitle names a report category.
func (p Page) CategoryTitle(code string) string {
	if c, ok := pendopo.ReportCategoryByCode(code); ok {
		return p.Tx(c.Title)
	}
	return code
}

// ReportStatusLabel names a report status.
func (p Page) ReportStatusLabel(s pendopo.ReportStatus) string { return p.T("rstatus." + string(s)) }

// IsReportNumber tells a history line's target that is another report
// (a merge, a forwarding to another region), to link to it.
func (p Page) IsReportNumber(s string) bool {
	_, err := pendopo.ParseTrackingNumber(s)
	return err == nil
}

func (s *Server) reportForm(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	data, err := s.reportFormData(r, reg)
	if err != nil {
		return err
	}
	if c := r.URL.Query().Get("kategori"); c != "" {
		data.In.Category = c
	}
	if id, ok := parseID(r.URL.Query().Get("layanan")); ok {
		data.In.ServiceID = id
	}
	s.rd.render(w, r, http.StatusOK, "report_form", data)
	return nil
}

// reportSubmit files a report from the form, with its photos.
func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	if !s.reportLimit.Allow(clientIP(r), time.Now()) {
		return errTooMany
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxReportPost)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return pendopo.Errorf(pendopo.KindTooLarge, pendopo.T("Kiriman terlalu besar; maksimal 5 foto, masing-masing 5 MB.", "The upload is too large; at most 5 photos of 5 MB each."))
		}
		if !errors.Is(err, http.ErrNotMultipart) {
			return pendopo.Errorf(pendopo.KindInvalid, pendopo.T("Formulir tidak terbaca; coba kirim lagi.", "The form could not be read; send it again."))
		}
	}
	defer func() {
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
	}()
	if err := middleware.CheckText(r); err != nil {
		return err
	}
	f := r.PostForm
	in := pendopo.ReportInput{Kind: pendopo.ReportKind(f.Get("kind")), Title: f.Get("title"), Description: f.Get("description"),
		Category: f.Get("category"), Component: f.Get("component"), Privacy: pendopo.Privacy(f.Get("privacy")),
		Contact: f.Get("contact"), Name: f.Get("name"), Location: pendopo.ReportLocation{Address: f.Get("address")}}
	in.ServiceID, _ = strconv.ParseInt(f.Get("service_id"), 10, 64)
	var probs pendopo.Problems
	latS, lngS := strings.TrimSpace(f.Get("lat")), strings.TrimSpace(f.Get("lng"))
	if latS != "" || lngS != "" {
		lat, err1 := strconv.ParseFloat(strings.ReplaceAll(latS, ",", "."), 64)
		lng, err2 := strconv.ParseFloat(strings.ReplaceAll(lngS, ",", "."), 64)
		if err1 != nil || err2 != nil {
			probs.Add("location", pendopo.T("Tulis lintang dan bujur sebagai angka, misalnya -6.99 dan 110.42.", "Write latitude and longitude as numbers, such as -6.99 and 110.42."))
		} else {
			in.Location.Lat, in.Location.Lng = &lat, &lng
		}
	}
	who := current(r).actorOrAnonymous(r)
	// A field people never see: bots fill it, and get a receipt for
	// nothing.
	if f.Get("website") != "" {
		http.Redirect(w, r, "/daerah/"+reg.Code+"/laporan?pesan=terkirim", http.StatusSeeOther)
		return nil
	}
	var rep pendopo.Report
	err = probs.Err()
	if err == nil && f.Get("tetap") == "" && in.Category != "" {
		// The same problem may be reported already: offer to follow it.
		similar, serr := s.app.SimilarReports(r.Context(), reg.Code, in)
		if serr != nil {
			return serr
		}
		if len(similar) > 0 {
			data, derr := s.reportFormData(r, reg)
			if derr != nil {
				return derr
			}
			data.In, data.Lat, data.Lng, data.Similar, data.Confirm = in, latS, lngS, similar, true
			data.Key = f.Get("key")
			s.rd.render(w, r, http.StatusOK, "report_form", data)
			return nil
		}
	}
	if err == nil {
		rep, err = s.app.SubmitReport(r.Context(), who, reg.Code, in, f.Get("key"))
	}
	if err == nil && r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["photo"] {
			if fh.Size == 0 {
				continue
			}
			ph, ferr := fh.Open()
			if ferr != nil {
				return ferr
			}
			_, perr := s.app.AddReportPhoto(r.Context(), who, rep.Number, in.Contact, ph)
			ph.Close()
			if perr != nil {
				// The report is filed; the photo's problem is shown on its page.
				s.log.Info("report photo refused", "report", rep.Number, "err", perr)
			}
		}
	}
	if err != nil {
		data, derr := s.reportFormData(r, reg)
		if derr != nil {
			return derr
		}
		if data.Form, err = formErrors(err, data.Lang); err != nil {
			return err
		}
		data.In, data.Lat, data.Lng = in, latS, lngS
		s.rd.render(w, r, http.StatusUnprocessableEntity, "report_form", data)
		return nil
	}
	if who.UserID == 0 {
		s.setReporterPass(w, rep.Number, in.Contact)
	}
	http.Redirect(w, r, "/laporan/"+rep.Number+"?pesan=terkirim", http.StatusSeeOther)
	return nil
}

// reporterCookie carries, sealed, the report number and contact of a
// reporter without an account, so that the contact never sits in a link.
const reporterCookie = "pendopo_pelapor"

func (s *Server) setReporterPass(w http.ResponseWriter, number, contact string) {
	http.SetCookie(w, &http.Cookie{Name: reporterCookie, Value: s.app.ReporterPass(number, contact), Path: "/laporan/",
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 30 * 24 * 3600})
}

// reporterContact is the contact proven for report number by the cookie.
func (s *Server) reporterContact(r *http.Request, number string) string {
	c, err := r.Cookie(reporterCookie)
	if err != nil {
		return ""
	}
	n, contact, ok := s.app.OpenReporterPass(c.Value)
	if !ok {
		return ""
	}
	if want, err := pendopo.ParseTrackingNumber(number); err != nil || want != n {
		return ""
	}
	return contact
}

// reportCheck lets a reporter without an account open their report with
// its number and the contact they gave.
func (s *Server) reportCheck(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	if !s.reportLimit.Allow(clientIP(r), time.Now()) {
		return errTooMany
	}
	number, contact := strings.TrimSpace(r.PostFormValue("number")), strings.TrimSpace(r.PostFormValue("contact"))
	v, err := s.app.ReportFor(r.Context(), app.Actor{IP: clientIP(r)}, number, contact)
	if err != nil || !v.Mine {
		return pendopo.Errorf(pendopo.KindNotFound, pendopo.T("Tidak ada laporan dengan nomor dan kontak itu.", "No report has that number and contact."))
	}
	s.setReporterPass(w, v.Number, contact)
	http.Redirect(w, r, "/laporan/"+v.Number, http.StatusSeeOther)
	return nil
}

// actorOrAnonymous is the signed-in person, or an anonymous actor.
func (s *session) actorOrAnonymous(r *http.Request) app.Actor {
	if s == nil {
		return app.Actor{IP: clientIP(r)}
	}
	return s.Actor
}

type reportPage struct {
	Page
	Form
	V         *app.ReportView
	Contact   string
	Submitted bool
	Agencies  []pendopo.Agency
}

// AgencyName names an agency of the report's region.
func (p reportPage) AgencyName(slug string) string {
	for _, a := range p.Agencies {
		if a.Slug == slug {
			return a.Name
		}
	}
	return slug
}

func (s *Server) reportData(r *http.Request, v *app.ReportView, contact string) (reportPage, error) {
	reg, err := s.app.Region(r.Context(), v.Region)
	if err != nil {
		return reportPage{}, err
	}
	p := s.regionPage(r, reg, "")
	p.Title, p.Noindex = v.Title+" · "+v.Number, v.Privacy != pendopo.PrivacyPublic
	p.Crumbs = append(regionCrumbs(p, reg, nil), Crumb{p.T("report.crumb"), "/daerah/" + reg.Code + "/laporan"}, Crumb{v.Number, ""})
	agencies, _, err := s.app.Agencies(r.Context(), reg.Code, pendopo.Page{PerPage: pendopo.MaxPerPage})
	if err != nil {
		return reportPage{}, err
	}
	return reportPage{Page: p, V: v, Contact: contact, Agencies: agencies}, nil
}

// reportView is a report's page: public for public and anonymous reports,
// the reporter's own (with reply, rating, reopening) when they are
// recognised, confidential ones only for them.
func (s *Server) reportView(w http.ResponseWriter, r *http.Request) error {
	contact := s.reporterContact(r, r.PathValue("number"))
	v, err := s.app.ReportFor(r.Context(), current(r).actorOrAnonymous(r), r.PathValue("number"), contact)
	if err != nil {
		return err
	}
	if !v.Mine {
		contact = ""
	}
	data, err := s.reportData(r, v, contact)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("pesan") {
	case "terkirim":
		data.Submitted = v.Mine
	case "ok":
		data.Notice = data.T("report.saved")
	}
	if v.Mine || v.Privacy != pendopo.PrivacyPublic {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	s.rd.render(w, r, http.StatusOK, "report", data)
	return nil
}

// reportReporterAct is the reporter's reply, rating or reopening.
func (s *Server) reportReporterAct(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 16<<10); err != nil {
		return err
	}
	number := r.PathValue("number")
	contact := s.reporterContact(r, number)
	action := pendopo.ReportAction(r.PostFormValue("action"))
	switch action {
	case pendopo.ActReportReply, pendopo.ActReportRate, pendopo.ActReportReopen:
	default:
		return pendopo.Errorf(pendopo.KindInvalid, pendopo.T("Pilih tindakan.", "Choose an action."))
	}
	rating, _ := strconv.Atoi(r.PostFormValue("rating"))
	who := current(r).actorOrAnonymous(r)
	_, err := s.app.ActOnReport(r.Context(), who, number, app.ReportAct{Action: action, Note: r.PostFormValue("note"), Rating: rating, Contact: contact})
	back := "/laporan/" + number
	if err != nil {
		form, ferr := formErrors(err, s.rd.page(r, "").Lang)
		if ferr != nil {
			return ferr
		}
		v, verr := s.app.ReportFor(r.Context(), who, number, contact)
		if verr != nil {
			return verr
		}
		data, derr := s.reportData(r, v, contact)
		if derr != nil {
			return derr
		}
		data.Form = form
		s.rd.render(w, r, http.StatusUnprocessableEntity, "report", data)
		return nil
	}
	http.Redirect(w, r, back+"?pesan=ok", http.StatusSeeOther)
	return nil
}

type reportListPage struct {
	Page
	Region     pendopo.Region
	Reports    []app.PublicReport
	Pager      pager
	Category   string
	Status     string
	Kind       string
	Notice     string
	Categories []pendopo.ReportCategory
	Map        *reportMap
}

// reportList is a region's public reports: a list that needs no map
// tiles, with filters.
func (s *Server) reportList(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := pendopo.ReportFilter{Region: reg.Code, Page: pendopo.Page{Page: pageNum(r), PerPage: listPage}, NoTotal: true}
	if c := q.Get("kategori"); c != "" {
		if _, ok := pendopo.ReportCategoryByCode(c); ok {
			f.Category = c
		}
	}
	switch q.Get("status") {
	case "terbuka":
		f.Statuses = []pendopo.ReportStatus{pendopo.ReportReceived, pendopo.ReportVerified, pendopo.ReportDisposed, pendopo.ReportFollowed}
	case "selesai":
		f.Statuses = []pendopo.ReportStatus{pendopo.ReportDone}
	}
	for _, k := range pendopo.ReportKinds {
		if string(k.Kind) == q.Get("jenis") {
			f.Kind = k.Kind
		}
	}
	list, total, err := s.app.PublicReports(r.Context(), f)
	if err != nil {
		return err
	}
	p := s.regionPage(r, reg, "")
	p.Title = p.T("report.list_title", reg.Name)
	p.Crumbs = append(regionCrumbs(p, reg, nil), Crumb{p.T("report.crumb"), ""})
	data := reportListPage{Page: p, Region: reg, Reports: list, Pager: newUncountedPager(r, f.Page.Page, listPage, total),
		Category: f.Category, Status: q.Get("status"), Kind: string(f.Kind), Categories: pendopo.ReportCategories}
	if q.Get("pesan") == "terkirim" {
		data.Notice = p.T("report.received")
	}
	if b, err := s.app.RegionBounds(r.Context(), reg.Code); err != nil {
		return err
	} else if b != nil {
		data.Map = newReportMap(*b, list, s.cfg.MapTiles)
	}
	s.rd.render(w, r, http.StatusOK, "reports", data)
	return nil
}

// reportPhoto sends a report's photo to those who may see the report.
func (s *Server) reportPhoto(w http.ResponseWriter, r *http.Request) error {
	rc, p, err := s.app.ReportPhoto(r.Context(), current(r).actorOrAnonymous(r), r.PathValue("number"), s.reporterContact(r, r.PathValue("number")), r.PathValue("addr"))
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", p.Media)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("Content-Length", strconv.FormatInt(p.Size, 10))
	_, err = io.Copy(w, rc)
	return err
}

// myReports lists the signed-in person's reports, anonymous ones too.
func (s *Server) myReports(w http.ResponseWriter, r *http.Request) error {
	page := pageNum(r)
	list, total, err := s.app.MyReports(r.Context(), current(r).Actor, pendopo.Page{Page: page, PerPage: 20})
	if err != nil {
		return err
	}
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("report.mine"), true
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.T("nav.account"), "/akun"}, {p.Title, ""}}
	s.rd.render(w, r, http.StatusOK, "my_reports", struct {
		Page
		List  []pendopo.Report
		Pager pager
	}{p, list, newPager(r, page, 20, total)})
	return nil
}
