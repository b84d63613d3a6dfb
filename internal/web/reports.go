package web

import (
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/geo"
	"github.com/pendopo/pendopo/internal/httpx"
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
	// Map is the region's map to tap a pin on (nil when the boundaries
	// do not know the region); Districts its kecamatan, to choose from
	// without a pin.
	Map       *reportMap
	Districts []app.District
}

func (s *Server) reportFormData(w http.ResponseWriter, r *http.Request, reg pendopo.Region) (reportFormPage, error) {
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
	data := reportFormPage{Page: p, Region: reg, Key: formKey(w), Categories: pendopo.ReportCategories, Services: services, Components: comps,
		Kinds: []pendopo.ReportKind{pendopo.ReportComplaint, pendopo.ReportAspiration, pendopo.ReportInfoRequest}}
	data.In.Kind, data.In.Privacy = pendopo.ReportComplaint, pendopo.PrivacyPublic
	data.Map = s.regionMap(reg.Code, nil)
	data.Districts = s.app.Districts(reg.Code)
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

// reportElsewherePage explains that a region has not joined Pendopo and
// where its citizens report instead: SP4N-LAPOR!, choosing the region by
// name, and the province's own form when the province has joined.
type reportElsewherePage struct {
	Page
	Region pendopo.Region
	// Province is the region's province when it takes reports.
	Province *pendopo.Region
	LaporURL string
}

// reportElsewhere shows, with status, where to report instead when reg
// has not joined; it reports false, having shown nothing, when reg has.
func (s *Server) reportElsewhere(w http.ResponseWriter, r *http.Request, reg pendopo.Region, status int) (bool, error) {
	ctx := r.Context()
	joined, err := s.app.Joined(ctx, reg.Code)
	if err != nil || joined {
		return false, err
	}
	p := s.regionPage(r, reg, "")
	p.Title = p.T("report.elsewhere_title", reg.Name)
	var parent *pendopo.Region
	data := reportElsewherePage{Region: reg, LaporURL: pendopo.LaporURL}
	if reg.ParentCode != "" {
		prov, err := s.app.Region(ctx, reg.ParentCode)
		if err != nil {
			return false, err
		}
		parent = &prov
		if ok, err := s.app.Joined(ctx, prov.Code); err != nil {
			return false, err
		} else if ok {
			data.Province = &prov
		}
	}
	p.Crumbs = append(regionCrumbs(p, reg, parent), Crumb{p.T("report.new"), ""})
	data.Page = p
	s.rd.render(w, r, status, "report_elsewhere", data)
	return true, nil
}

func (s *Server) reportForm(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	if shown, err := s.reportElsewhere(w, r, reg, http.StatusOK); shown || err != nil {
		return err
	}
	data, err := s.reportFormData(w, r, reg)
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
	// A region that has not joined refuses before reading the upload:
	// the page says where to report instead.
	if shown, err := s.reportElsewhere(w, r, reg, http.StatusConflict); shown || err != nil {
		return err
	}
	if !s.reportLimit.Allow(clientIP(r), s.app.Now()) {
		return errTooMany
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxReportPost)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return pendopo.Errorf(pendopo.KindTooLarge, pendopo.M("web.the_upload_too_large_at"))
		}
		if !errors.Is(err, http.ErrNotMultipart) {
			return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("web.the_form_could_not_be"))
		}
	}
	defer func() {
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
	}()
	if err := httpx.CheckText(r); err != nil {
		return err
	}
	f := r.PostForm
	in := pendopo.ReportInput{Kind: pendopo.ReportKind(f.Get("kind")), Title: f.Get("title"), Description: f.Get("description"),
		Category: f.Get("category"), Component: f.Get("component"), Privacy: pendopo.Privacy(f.Get("privacy")),
		Contact: f.Get("contact"), Name: f.Get("name"), Location: pendopo.ReportLocation{Address: f.Get("address")},
		District: f.Get("district")}
	in.ServiceID, _ = strconv.ParseInt(f.Get("service_id"), 10, 64)
	var probs pendopo.Problems
	latS, lngS := strings.TrimSpace(f.Get("lat")), strings.TrimSpace(f.Get("lng"))
	if latS != "" || lngS != "" {
		lat, ok1 := parseDegrees(latS)
		lng, ok2 := parseDegrees(lngS)
		if !ok1 || !ok2 {
			probs.Add("location", pendopo.M("web.write_latitude_longitude_as_numbers"))
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
	var rep app.FiledReport
	err = probs.Err()
	if err == nil && f.Get("tetap") == "" && in.Category != "" {
		// The same problem may be reported already: offer to follow it.
		similar, serr := s.app.SimilarReports(r.Context(), reg.Code, in)
		if serr != nil {
			return serr
		}
		if len(similar) > 0 {
			data, derr := s.reportFormData(w, r, reg)
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
	refused := 0
	if err == nil && r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["photo"] {
			if fh.Size == 0 {
				continue
			}
			ph, ferr := fh.Open()
			if ferr != nil {
				return ferr
			}
			_, perr := s.app.AddReportPhoto(r.Context(), who, rep.Number, rep.Secret, ph)
			ph.Close()
			if perr != nil {
				// The report is filed; its page says a photo was refused.
				refused++
				s.log.Info("report photo refused", "report", rep.Number, "err", perr)
			}
		}
	}
	if err != nil {
		data, derr := s.reportFormData(w, r, reg)
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
	if rep.Secret != "" {
		s.setReporterPass(w, rep.Number, rep.Secret)
	}
	next := "/laporan/" + rep.Number + "?pesan=terkirim"
	if refused > 0 {
		next += "&foto=" + strconv.Itoa(refused)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// reporterCookie carries, sealed, a report's number and the key given for
// it by a reporter without an account, so that the key never sits in a
// link. Its path is the whole site: the report's survey reads it too.
const reporterCookie = "pendopo_pelapor"

func (s *Server) setReporterPass(w http.ResponseWriter, number, secret string) {
	http.SetCookie(w, &http.Cookie{Name: reporterCookie, Value: s.app.ReporterPass(number, secret), Path: "/",
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 30 * 24 * 3600})
	// The pass of before keys lived under /laporan/, where browsers would
	// send it first.
	http.SetCookie(w, &http.Cookie{Name: reporterCookie, Path: "/laporan/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// reporterSecret is the reporter's key a pass cookie holds for report
// number, or "". Whether it is the right key is for app to say.
func (s *Server) reporterSecret(r *http.Request, number string) string {
	want, err := pendopo.ParseTrackingNumber(number)
	if err != nil {
		return ""
	}
	for _, c := range r.CookiesNamed(reporterCookie) {
		// A pass from before keys holds a contact: never a key.
		if n, secret, ok := s.app.OpenReporterPass(c.Value); ok && n == want && app.WellFormedReporterKey(secret) {
			return secret
		}
	}
	return ""
}

// reportCheck opens a report with its number and the reporter's key on
// another device. It answers every request alike, a 303 to the report's
// page with a sealed pass whether or not the key is right, and looks
// nothing up: the report's page then shows the reporter's view only for
// the right key. Neither a number nor a contact proves a reporter.
func (s *Server) reportCheck(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	if !s.reportLimit.Allow(clientIP(r), s.app.Now()) {
		return errTooMany
	}
	s.openWithKey(w, r, r.PostFormValue("number"), r.PostFormValue("kunci"))
	return nil
}

// openWithKey stores a report's number and a key in the reporter's pass
// and sends the browser to the report, without the key in the address.
func (s *Server) openWithKey(w http.ResponseWriter, r *http.Request, number, secret string) {
	number = strings.ToUpper(strings.TrimSpace(number))
	if n, err := pendopo.ParseTrackingNumber(number); err == nil {
		number = n
	}
	s.setReporterPass(w, number, strings.TrimSpace(secret))
	http.Redirect(w, r, "/laporan/"+url.PathEscape(number)+"?pesan=cek", http.StatusSeeOther)
}

type reportKeyPage struct {
	Page
	Form
	Number, Contact string
	Sent            bool
}

// reportKeyForm offers to open a report with its key and, for a lost key
// (or a report filed before keys), to send a new one to the contact
// given with the report.
func (s *Server) reportKeyForm(w http.ResponseWriter, r *http.Request) error {
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("rkey.title"), true
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.Title, ""}}
	data := reportKeyPage{Page: p, Number: r.URL.Query().Get("nomor"), Sent: r.URL.Query().Get("pesan") == "dikirim"}
	w.Header().Set("Cache-Control", "private, no-store")
	s.rd.render(w, r, http.StatusOK, "report_key", data)
	return nil
}

// reportKeyRequest sends a new key to the contact stored with a report
// when the contact given is that one. The answer is the same either way:
// the key goes only to the stored contact, so that nobody learns from it
// whether they guessed who filed.
func (s *Server) reportKeyRequest(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	if !s.reportLimit.Allow(clientIP(r), s.app.Now()) {
		return errTooMany
	}
	number, contact := r.PostFormValue("number"), r.PostFormValue("contact")
	err := s.app.RequestReporterKey(r.Context(), pendopo.Actor{IP: clientIP(r)}, number, contact)
	return s.settle(w, r, err, "/laporan/kunci?pesan=dikirim", "report_key", func(fm Form) (any, error) {
		p := s.rd.page(r, "")
		p.Title, p.Noindex = p.T("rkey.title"), true
		p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.Title, ""}}
		return reportKeyPage{Page: p, Form: fm, Number: number, Contact: contact}, nil
	})
}

// actorOrAnonymous is the signed-in person, or an anonymous actor.
func (s *session) actorOrAnonymous(r *http.Request) pendopo.Actor {
	if s == nil {
		return pendopo.Actor{IP: clientIP(r)}
	}
	return s.Actor
}

type reportPage struct {
	Page
	Form
	V         *app.ReportView
	Submitted bool
	// Secret is the reporter's key, shown on the receipt; KeyLink opens
	// the report with it.
	Secret, KeyLink string
	// Checked says the page follows an attempt to open it with a key;
	// RefusedPhotos counts photos sent with the report that were refused.
	Checked       bool
	RefusedPhotos int
	Agencies      []pendopo.Agency
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

func (s *Server) reportData(r *http.Request, v *app.ReportView) (reportPage, error) {
	reg, err := s.app.Region(r.Context(), v.Region)
	if err != nil {
		return reportPage{}, err
	}
	p := s.regionPage(r, reg, "")
	// A public or anonymous report's page is public, as on the map; the
	// reporter's own view and a confidential report are not indexed.
	p.Title, p.Noindex = v.Title+" · "+v.Number, v.Mine || v.Privacy == pendopo.PrivacyConfidential
	p.Crumbs = append(regionCrumbs(p, reg, nil), Crumb{p.T("report.crumb"), "/daerah/" + reg.Code + "/laporan"}, Crumb{v.Number, ""})
	agencies, _, err := s.app.Agencies(r.Context(), reg.Code, pendopo.Page{PerPage: pendopo.MaxPerPage})
	if err != nil {
		return reportPage{}, err
	}
	return reportPage{Page: p, V: v, Agencies: agencies}, nil
}

// reportView is a report's page: public for public and anonymous reports,
// the reporter's own (with reply, rating, reopening) when they are
// recognised, confidential ones only for them.
func (s *Server) reportView(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	if key := r.URL.Query().Get("kunci"); key != "" {
		// The link sent to the reporter: keep the key in the pass, out of
		// the address bar, the history and any Referer.
		if !s.reportLimit.Allow(clientIP(r), s.app.Now()) {
			return errTooMany
		}
		s.openWithKey(w, r, number, key)
		return nil
	}
	secret := s.reporterSecret(r, number)
	v, err := s.app.ReportFor(r.Context(), current(r).actorOrAnonymous(r), number, secret)
	var merged *app.MergedError
	if errors.As(err, &merged) {
		http.Redirect(w, r, "/laporan/"+url.PathEscape(merged.Into), http.StatusMovedPermanently)
		return nil
	}
	if err != nil {
		return err
	}
	data, err := s.reportData(r, v)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("pesan") {
	case "terkirim":
		data.Submitted = v.Mine
		if v.ByKey {
			data.Secret, data.KeyLink = secret, s.baseURL(r)+app.ReporterLink(v.Number, secret)
		}
		data.RefusedPhotos, _ = strconv.Atoi(r.URL.Query().Get("foto"))
	case "ok":
		data.Notice = data.T("report.saved")
	case "cek":
		data.Checked = true
		if v.Mine {
			data.Notice = data.T("rkey.opened")
		}
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
	secret := s.reporterSecret(r, number)
	action := pendopo.ReportAction(r.PostFormValue("action"))
	switch action {
	case pendopo.ActReportReply, pendopo.ActReportRate, pendopo.ActReportReopen:
	default:
		return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("web.choose_action"))
	}
	rating, _ := strconv.Atoi(r.PostFormValue("rating"))
	who := current(r).actorOrAnonymous(r)
	_, err := s.app.ActOnReport(r.Context(), who, number, app.ReportAct{Action: action, Note: r.PostFormValue("note"), Rating: rating, Secret: secret})
	back := "/laporan/" + number
	if err != nil {
		form, ferr := formErrors(err, s.rd.page(r, "").Lang)
		if ferr != nil {
			return ferr
		}
		v, verr := s.app.ReportFor(r.Context(), who, number, secret)
		if verr != nil {
			return verr
		}
		data, derr := s.reportData(r, v)
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

// parseDegrees reads a latitude or longitude as people type it on a
// phone: a comma or a point for decimals, a minus sign or a hyphen, or
// the hemisphere written after it as map apps show it ("6,99 LS",
// "110.42 BT", "6.99 S"), spaces around.
func parseDegrees(s string) (float64, bool) {
	s = strings.ToUpper(strings.NewReplacer("−", "-", "–", "-", "°", "", ",", ".", " ", "").Replace(s))
	neg := false
	for _, h := range []struct {
		suffix string
		neg    bool
	}{{"LS", true}, {"BB", true}, {"LU", false}, {"BT", false}, {"S", true}, {"W", true}, {"N", false}, {"E", false}} {
		if t, ok := strings.CutSuffix(s, h.suffix); ok {
			s, neg = t, h.neg
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || len(s) > 20 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	if neg {
		v = -math.Abs(v)
	}
	return v, true
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
	// Joined tells whether the region takes reports; else its button
	// explains where to report instead.
	Joined bool
}

// regionMap is the map of a region with shipped boundaries, with its
// neighbours of the same province; nil for a region without. The map
// before its pins is drawn once per region and kept.
func (s *Server) regionMap(code string, list []app.PublicReport) *reportMap {
	if f, ok := s.frames.Load(code); ok {
		return f.(*mapFrame).with(list)
	}
	atlas := geo.Default()
	area, ok := atlas.Area(code)
	if !ok {
		return nil
	}
	var near []*geo.Area
	if i := strings.LastIndexByte(code, '.'); i > 0 {
		near = atlas.Parts(code[:i])
	}
	fr := newMapFrame(area, atlas.Parts(code), near, pendopo.Bounds{}, s.cfg.MapTiles)
	fr.base.Province = !strings.Contains(code, ".")
	f, _ := s.frames.LoadOrStore(code, fr)
	return f.(*mapFrame).with(list)
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
	if data.Joined, err = s.app.Joined(r.Context(), reg.Code); err != nil {
		return err
	}
	data.Map = s.regionMap(reg.Code, list)
	if data.Map == nil {
		// A region without a shipped boundary: its admin's box, if any.
		b, err := s.app.RegionBounds(r.Context(), reg.Code)
		if err != nil {
			return err
		}
		if b != nil {
			data.Map = newReportMap(nil, nil, nil, *b, list, s.cfg.MapTiles)
		}
	}
	s.rd.render(w, r, http.StatusOK, "reports", data)
	return nil
}

// reportPhoto sends a report's photo to those who may see the report.
func (s *Server) reportPhoto(w http.ResponseWriter, r *http.Request) error {
	rc, p, err := s.app.ReportPhoto(r.Context(), current(r).actorOrAnonymous(r), r.PathValue("number"), s.reporterSecret(r, r.PathValue("number")), r.PathValue("addr"))
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
