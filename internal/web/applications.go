package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
)

// Citizens' pages of online applications: start from a service, fill the
// form with uploads, review, submit, follow; and the public verification
// of issued documents.

// maxApplyPost bounds a posted application form: every file field at its
// limit would be more, but a form carries a few documents at a time.
const maxApplyPost = 32 << 20

type applyStartPage struct {
	Page
	Form
	Service *app.ServiceView
	Key     string
	ForName string
	// Staff is true when the person may file at a counter for someone.
	Staff bool
	// Drafts are the person's drafts of this service, to resume.
	Drafts []pendopo.Application
}

func newKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) onlineService(r *http.Request) (*app.ServiceView, error) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return nil, errNotFound
	}
	v, err := s.app.ServiceView(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if v.Service.Apply == nil {
		return nil, errNotFound
	}
	return v, nil
}

func (s *Server) applyStartData(r *http.Request, v *app.ServiceView) applyStartPage {
	p := s.regionPage(r, v.Region, "")
	p.Title, p.Noindex = p.T("apply.start_title", v.Service.Name), true
	p.Crumbs = append(regionCrumbs(p, v.Region, v.Parent), Crumb{v.Service.Name, fmt.Sprintf("/layanan/%d", v.Service.ID)}, Crumb{p.T("apply.crumb"), ""})
	_, staff := current(r).Actor.Can(pendopo.ActHandleApplication, pendopo.Scope{Region: v.Region.Code, Agency: v.Service.AgencySlug})
	drafts, _ := s.app.Drafts(r.Context(), current(r).Actor, v.Service.ID)
	return applyStartPage{Page: p, Service: v, Key: newKey(), Staff: staff, Drafts: drafts}
}

// applyStart shows what applying takes and starts a draft.
func (s *Server) applyStart(w http.ResponseWriter, r *http.Request) error {
	v, err := s.onlineService(r)
	if err != nil {
		return err
	}
	s.rd.render(w, r, http.StatusOK, "apply_start", s.applyStartData(r, v))
	return nil
}

var errTooMany = pendopo.Errorf(pendopo.KindRateLimited, pendopo.M("web.too_many_requests_short_time"))

func (s *Server) applyCreate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.onlineService(r)
	if err != nil {
		return err
	}
	if !s.startLimit.Allow(strconv.FormatInt(current(r).User.ID, 10), s.app.Now()) {
		return errTooMany
	}
	if err := parseForm(w, r, 8<<10); err != nil {
		return err
	}
	a, err := s.app.StartApplication(r.Context(), current(r).Actor, v.Service.ID, r.PostFormValue("key"), r.PostFormValue("for_name"))
	return s.settle(w, r, err, "/permohonan/"+a.Number+"/isi", "apply_start", func(fm Form) (any, error) {
		data := s.applyStartData(r, v)
		data.ForName, data.Form = r.PostFormValue("for_name"), fm
		return data, nil
	})
}

// applicationPage is the data of the application pages.
type applicationPage struct {
	Page
	Form
	V *app.ApplicationView
	// Values are what the form shows: the saved answers, or what was
	// just posted when it had problems.
	Values map[string][]string
	// Files names uploaded files by address.
	Files   map[string]pendopo.Upload
	Regions []regionGroup
	// Colleagues are who may take over the step (officer view).
	Colleagues []pendopo.User
	// Waiting says who must act on the current step when the viewing
	// officer may not ("Menunggu Kepala OPD").
	Waiting   string
	Submitted bool
}

// regionGroup is a province with its kabupaten/kota, for address pickers.
type regionGroup struct {
	Name  string
	Items []pendopo.Region
}

// Answer returns the shown values of a field.
func (p applicationPage) Answer(key string) []string { return p.Values[key] }

// First returns the first shown value of a field.
func (p applicationPage) First(key string) string {
	if v := p.Values[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Has reports whether value is among a field's values.
func (p applicationPage) Has(key, value string) bool {
	for _, v := range p.Values[key] {
		if v == value {
			return true
		}
	}
	return false
}

// Street and Place split an address answer.
func (p applicationPage) Street(key string) string {
	st, _, _ := strings.Cut(p.First(key), "|")
	return st
}

func (p applicationPage) Place(key string) string {
	_, code, _ := strings.Cut(p.First(key), "|")
	return code
}

// Shown is how an answer reads on the summary: addresses with the
// region's name, NIKs masked for the applicant.
func (p applicationPage) Shown(fd pendopo.FormField) string {
	vals := p.V.Answers[fd.Key]
	if len(vals) == 0 {
		return ""
	}
	switch fd.Type {
	case pendopo.FieldAddress:
		st, code, _ := strings.Cut(vals[0], "|")
		for _, g := range p.Regions {
			for _, r := range g.Items {
				if r.Code == code {
					return st + ", " + r.Name
				}
			}
		}
		return st
	case pendopo.FieldNIK:
		if p.V.Applicant {
			return pendopo.MaskNIK(vals[0])
		}
	case pendopo.FieldConsent:
		return p.T("apply.consented")
	case pendopo.FieldDate:
		if d, err := pendopo.ParseDay(vals[0]); err == nil {
			return p.DayLabel(d)
		}
	}
	return strings.Join(vals, ", ")
}

// applyFieldData is the data of the "apply-field" partial.
type applyFieldData struct {
	P applicationPage
	F pendopo.FormField
}

// FileHint says what a file field takes.
func (p applicationPage) FileHint(f pendopo.FormField) string {
	var types []string
	for _, a := range f.Accept {
		switch a {
		case pendopo.MediaPDF:
			types = append(types, "PDF")
		case pendopo.MediaJPEG:
			types = append(types, "JPG")
		case pendopo.MediaPNG:
			types = append(types, "PNG")
		}
	}
	limit := f.MaxBytes
	if limit == 0 {
		limit = pendopo.MaxUploadBytes
	}
	hint := p.T("apply.file_hint", strings.Join(types, ", "), p.Size(limit))
	if h := p.Tx(f.Help); h != "" {
		hint = h + " " + hint
	}
	return hint
}

// Accept is the accept attribute of a file input.
func (p applicationPage) Accept(f pendopo.FormField) string {
	var out []string
	for _, a := range f.Accept {
		switch a {
		case pendopo.MediaPDF:
			out = append(out, a, ".pdf")
		case pendopo.MediaJPEG:
			out = append(out, a, ".jpg", ".jpeg")
		case pendopo.MediaPNG:
			out = append(out, a, ".png")
		}
	}
	return strings.Join(out, ",")
}

// StepName names workflow step i.
func (p applicationPage) StepName(i int) string {
	if steps := p.V.Content.Apply.Workflow.Steps; i < len(steps) {
		return p.Tx(steps[i].Name)
	}
	return ""
}

// StatusLabel names an application status.
func (p applicationPage) StatusLabel(st pendopo.ApplicationStatus) string {
	return p.T("status." + string(st))
}

// ActionLabel names a timeline action.
func (p applicationPage) ActionLabel(a pendopo.ApplicationAction) string {
	return p.T("action." + string(a))
}

// RoleLabel names a role.
func (p applicationPage) RoleLabel(k pendopo.RoleKind) string { return p.Tx(k.Title()) }

func (s *Server) regionGroups(r *http.Request) []regionGroup {
	var out []regionGroup
	for _, reg := range s.app.LiveRegions() {
		if reg.Level == pendopo.LevelProvinsi {
			out = append(out, regionGroup{Name: reg.Name})
		} else if len(out) > 0 {
			out[len(out)-1].Items = append(out[len(out)-1].Items, reg)
		}
	}
	return out
}

func (s *Server) applicationData(r *http.Request, v *app.ApplicationView, title string) applicationPage {
	p := s.regionPage(r, v.Region, "")
	p.Title, p.Noindex = title+" · "+v.Number, true
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.T("apply.mine"), "/permohonan"}, {v.Number, "/permohonan/" + v.Number}}
	data := applicationPage{Page: p, V: v, Values: v.Answers, Files: map[string]pendopo.Upload{}}
	for _, u := range v.Uploads {
		data.Files[u.Addr] = u
	}
	for _, fd := range v.Content.Apply.Form.Fields {
		if fd.Type == pendopo.FieldAddress {
			data.Regions = s.regionGroups(r)
			break
		}
	}
	return data
}

func (s *Server) loadApplication(r *http.Request) (*app.ApplicationView, error) {
	return s.app.Application(r.Context(), current(r).Actor, r.PathValue("number"))
}

// myApplications lists the signed-in person's applications.
func (s *Server) myApplications(w http.ResponseWriter, r *http.Request) error {
	page := pageNum(r)
	list, total, err := s.app.MyApplications(r.Context(), current(r).Actor, pendopo.Page{Page: page, PerPage: 20})
	if err != nil {
		return err
	}
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("apply.mine"), true
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.Title, ""}}
	s.rd.render(w, r, http.StatusOK, "applications", struct {
		Page
		List  []pendopo.Application
		Pager pager
	}{p, list, newPager(r, page, 20, total)})
	return nil
}

// applicationStatus is the applicant's page of one application: where it
// stands, its clock, its timeline, and what they can do next. Just after
// submitting it is the receipt.
func (s *Server) applicationStatus(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	if !v.Applicant {
		http.Redirect(w, r, "/admin/permohonan/"+v.Number, http.StatusSeeOther)
		return nil
	}
	data := s.applicationData(r, v, v.ServiceName)
	data.Crumbs = data.Crumbs[:len(data.Crumbs)-1]
	data.Crumbs = append(data.Crumbs, Crumb{v.Number, ""})
	switch r.URL.Query().Get("pesan") {
	case "terkirim":
		data.Submitted = true
	case "dikirim-ulang":
		data.Notice = data.T("apply.resubmitted")
	case "dibatalkan":
		data.Notice = data.T("apply.withdrawn")
	}
	s.rd.render(w, r, http.StatusOK, "application", data)
	return nil
}

// applyForm shows the form of a draft or returned application.
func (s *Server) applyForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	if !v.Editable() {
		http.Redirect(w, r, "/permohonan/"+v.Number, http.StatusSeeOther)
		return nil
	}
	data := s.applicationData(r, v, v.ServiceName)
	if r.URL.Query().Get("pesan") == "tersimpan" {
		data.Notice = data.T("apply.saved")
	}
	s.rd.render(w, r, http.StatusOK, "apply_form", data)
	return nil
}

// applySave stores the posted answers and files; "lanjut" goes on to the
// review page.
func (s *Server) applySave(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	if !v.Editable() {
		return errNotEditable
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxApplyPost)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return pendopo.Errorf(pendopo.KindTooLarge, pendopo.M("web.the_upload_too_large_send"))
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
	who := current(r).Actor
	var problems pendopo.Problems
	values := map[string][]string{}
	for _, fd := range v.Content.Apply.Form.Fields {
		switch fd.Type {
		case pendopo.FieldFile:
			if r.MultipartForm == nil {
				continue
			}
			for _, fh := range r.MultipartForm.File[fd.Key] {
				if fh.Size == 0 {
					continue
				}
				f, err := fh.Open()
				if err != nil {
					return err
				}
				_, err = s.app.Upload(r.Context(), who, v.Number, fd.Key, fh.Filename, f)
				f.Close()
				if err != nil {
					var e *pendopo.Error
					if !errors.As(err, &e) || len(e.Fields) == 0 {
						return err
					}
					problems = append(problems, e.Fields...)
				}
			}
		case pendopo.FieldAddress:
			street, place := strings.TrimSpace(r.PostFormValue(fd.Key+"__jalan")), r.PostFormValue(fd.Key+"__wilayah")
			if street != "" || place != "" {
				values[fd.Key] = []string{pendopo.Address(street, place)}
			}
		default:
			values[fd.Key] = r.PostForm[fd.Key]
		}
	}
	if _, err := s.app.SaveAnswers(r.Context(), who, v.Number, values); err != nil {
		var e *pendopo.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			return err
		}
		problems = append(problems, e.Fields...)
	}
	if len(problems) > 0 {
		// The summary lists the problems in the order of the form.
		pos := map[string]int{}
		for i, fd := range v.Content.Apply.Form.Fields {
			pos["answers."+fd.Key] = i
		}
		slices.SortStableFunc(problems, func(a, b pendopo.FieldError) int { return pos[a.Field] - pos[b.Field] })
		fresh, err := s.loadApplication(r)
		if err != nil {
			return err
		}
		data := s.applicationData(r, fresh, fresh.ServiceName)
		for k, vals := range values {
			data.Values[k] = vals
		}
		if data.Form, err = formErrors(problems.Err(), data.Lang); err != nil {
			return err
		}
		s.rd.render(w, r, http.StatusUnprocessableEntity, "apply_form", data)
		return nil
	}
	if r.PostFormValue("lanjut") != "" {
		http.Redirect(w, r, "/permohonan/"+v.Number+"/periksa", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/permohonan/"+v.Number+"/isi?pesan=tersimpan", http.StatusSeeOther)
	return nil
}

var errNotEditable = pendopo.Errorf(pendopo.KindConflict, pendopo.M("web.this_application_being_processed_cannot"))

// applyReview shows everything before sending, with what is missing.
func (s *Server) applyReview(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	if !v.Editable() {
		http.Redirect(w, r, "/permohonan/"+v.Number, http.StatusSeeOther)
		return nil
	}
	data := s.applicationData(r, v, v.ServiceName)
	if _, err := pendopo.ReadAnswers(v.Content.Apply.Form, v.Answers, true, func(string) bool { return true }, s.app.Now()); err != nil {
		if data.Form, err = formErrors(err, data.Lang); err != nil {
			return err
		}
	}
	s.rd.render(w, r, http.StatusOK, "apply_review", data)
	return nil
}

// applyAct is the applicant's buttons: submit, resubmit, withdraw.
func (s *Server) applyAct(action pendopo.ApplicationAction, notice string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := parseForm(w, r, 8<<10); err != nil {
			return err
		}
		number := r.PathValue("number")
		_, err := s.app.Act(r.Context(), current(r).Actor, number, app.ApplicationAct{Action: action})
		if err != nil {
			var e *pendopo.Error
			if errors.As(err, &e) && e.Kind == pendopo.KindInvalid && len(e.Fields) > 0 {
				// Something is missing: back to the review, which lists it.
				http.Redirect(w, r, "/permohonan/"+number+"/periksa", http.StatusSeeOther)
				return nil
			}
			return err
		}
		http.Redirect(w, r, "/permohonan/"+number+"?pesan="+notice, http.StatusSeeOther)
		return nil
	}
}

// applicationFile sends an uploaded file to its applicant or to staff.
func (s *Server) applicationFile(w http.ResponseWriter, r *http.Request) error {
	rc, u, err := s.app.OpenUpload(r.Context(), current(r).Actor, r.PathValue("number"), r.PathValue("addr"))
	if err != nil {
		return err
	}
	defer rc.Close()
	sendFile(w, u.Media, u.Name, u.Size, rc)
	return nil
}

// applicationDocument sends the issued PDF.
func (s *Server) applicationDocument(w http.ResponseWriter, r *http.Request) error {
	rc, d, err := s.app.DocumentPDF(r.Context(), current(r).Actor, r.PathValue("number"))
	if err != nil {
		return err
	}
	defer rc.Close()
	sendFile(w, pendopo.MediaPDF, "dokumen-"+d.Code+".pdf", -1, rc)
	return nil
}

// sendFile writes a private file as a download: never cached by shared
// caches, never sniffed into something else.
func sendFile(w http.ResponseWriter, media, name string, size int64, r io.Reader) {
	h := w.Header()
	h.Set("Content-Type", media)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if size >= 0 {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	io.Copy(w, r)
}

// verifyPage is the public verification of issued documents.
type verifyPage struct {
	Page
	Form
	Code   string
	Result *app.Verification
	// Checked is true once a code or file was checked.
	Checked bool
	// ByFile is true when the result is about an uploaded file.
	ByFile bool
}

func (s *Server) verifyData(r *http.Request) verifyPage {
	p := s.rd.page(r, "")
	p.Title = p.T("verify.title")
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.Title, ""}}
	return verifyPage{Page: p}
}

func (s *Server) verifyForm(w http.ResponseWriter, r *http.Request) error {
	data := s.verifyData(r)
	if c := strings.TrimSpace(r.URL.Query().Get("kode")); c != "" {
		http.Redirect(w, r, "/verifikasi/"+strings.ToUpper(strings.Join(strings.Fields(c), "")), http.StatusSeeOther)
		return nil
	}
	s.rd.render(w, r, http.StatusOK, "verify", data)
	return nil
}

func (s *Server) verifyCode(w http.ResponseWriter, r *http.Request) error {
	data := s.verifyData(r)
	data.Code = r.PathValue("code")
	res, err := s.app.VerifyCode(r.Context(), data.Code)
	if err != nil {
		if data.Form, err = formErrors(err, data.Lang); err != nil {
			return err
		}
		s.rd.render(w, r, http.StatusUnprocessableEntity, "verify", data)
		return nil
	}
	data.Result, data.Checked = res, true
	status := http.StatusOK
	if !res.Found {
		status = http.StatusNotFound
	}
	s.rd.render(w, r, status, "verify", data)
	return nil
}

// verifyUpload checks an uploaded PDF.
func (s *Server) verifyUpload(w http.ResponseWriter, r *http.Request) error {
	if !s.verifyLimit.Allow(clientIP(r), s.app.Now()) {
		return errTooMany
	}
	data := s.verifyData(r)
	r.Body = http.MaxBytesReader(w, r.Body, pendopo.MaxUploadBytes+64<<10)
	var res *app.Verification
	err := r.ParseMultipartForm(1 << 20)
	if err == nil {
		defer r.MultipartForm.RemoveAll()
		f, _, ferr := r.FormFile("berkas")
		if ferr != nil {
			err = pendopo.Errorf(pendopo.KindInvalid, pendopo.M("web.choose_pdf_document_check"))
		} else {
			res, err = s.app.VerifyPDF(r.Context(), f)
			f.Close()
		}
	} else {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = pendopo.Errorf(pendopo.KindTooLarge, pendopo.M("web.the_file_too_large_at"))
		} else {
			err = pendopo.Errorf(pendopo.KindInvalid, pendopo.M("web.choose_pdf_document_check"))
		}
	}
	if err != nil {
		if data.Form, err = formErrors(err, data.Lang); err != nil {
			return err
		}
		data.Form.Errors = map[string]string{"berkas": data.Form.Problem}
		s.rd.render(w, r, http.StatusUnprocessableEntity, "verify", data)
		return nil
	}
	data.Result, data.Checked, data.ByFile = res, true, true
	s.rd.render(w, r, http.StatusOK, "verify", data)
	return nil
}

// onlineServices lists a region's services that take applications here.
func (s *Server) onlineServices(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	list, err := s.app.OnlineServices(r.Context(), reg.Code)
	if err != nil {
		return err
	}
	p := s.regionPage(r, reg, "")
	p.Title = p.T("apply.online_title", reg.Name)
	p.Crumbs = append(regionCrumbs(p, reg, nil), Crumb{p.T("apply.online_crumb"), ""})
	s.rd.render(w, r, http.StatusOK, "online", struct {
		Page
		Region   pendopo.Region
		Services []pendopo.Service
	}{p, reg, list})
	return nil
}

// inbox lists the signed-in person's notifications.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	page := pageNum(r)
	in, err := s.app.Inbox(r.Context(), current(r).Actor, pendopo.Page{Page: page, PerPage: 20})
	if err != nil {
		return err
	}
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("inbox.title"), true
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.T("nav.account"), "/akun"}, {p.Title, ""}}
	s.rd.render(w, r, http.StatusOK, "inbox", struct {
		Page
		Inbox app.Inbox
		Pager pager
	}{p, in, newPager(r, page, 20, in.Total)})
	return nil
}

// inboxRead marks what the person saw as read.
func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 1<<10); err != nil {
		return err
	}
	seen, err := time.Parse(time.RFC3339Nano, r.PostFormValue("seen"))
	if err != nil {
		seen = s.app.Now()
	}
	if err := s.app.MarkRead(r.Context(), current(r).Actor, seen); err != nil {
		return err
	}
	http.Redirect(w, r, "/akun/pemberitahuan", http.StatusSeeOther)
	return nil
}
