package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
)

// Survey pages: a citizen rates the service once after an application is
// completed or a report answered; people served at a counter answer from
// the service point's QR code (or its link and the presence code of the
// day shown at the counter), once a day per device.

// deviceCookie holds a random id for walk-in surveys, kept a year; only
// its keyed hash is stored.
const deviceCookie = "pendopo_perangkat"

type surveyPage struct {
	Page
	Subject app.SurveySubject
	Unsurs  []pendopo.Unsur
	Answers map[pendopo.UnsurID]int
	Comment string
	Action  string
	Form    Form
	Done    bool
	// Services are offered on a walk-in survey without a service.
	Services []pendopo.ServiceSummary
	// Code is the presence code a walk-in respondent brought (from the
	// QR code), kept in the form; without it, the form asks for it.
	Code string
}

// Err is the error of a form field, for the templates.
func (p surveyPage) Err(name string) string { return p.Form.Err(name) }

// Answer is the value chosen for an unsur (0 for none).
func (p surveyPage) Answer(id pendopo.UnsurID) int { return p.Answers[id] }

func (s *Server) surveyPageFor(r *http.Request, subj app.SurveySubject, action string) surveyPage {
	p := s.regionPage(r, subj.Region, "")
	// The region's walk-in survey page explains itself and may be indexed;
	// a service point's page of the day and an applicant's or reporter's
	// survey are not for search engines.
	p.Title, p.Noindex = p.T("survey.title"), !strings.HasPrefix(r.URL.Path, "/daerah/") || r.URL.RawQuery != ""
	p.Crumbs = append(regionCrumbs(p, subj.Region, nil), Crumb{p.T("survey.crumb"), ""})
	return surveyPage{Page: p, Subject: subj, Unsurs: pendopo.Unsurs[:], Action: action}
}

// readSurvey takes the answers (unsur ids as field names, values 1–4;
// an empty choice is skipped) and the comment.
func readSurvey(r *http.Request) (map[pendopo.UnsurID]int, string) {
	answers := map[pendopo.UnsurID]int{}
	for _, u := range pendopo.Unsurs {
		if v := r.PostFormValue(string(u.ID)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -1 // reported by Validate as not one of the four answers
			}
			answers[u.ID] = n
		}
	}
	return answers, r.PostFormValue("komentar")
}

func (s *Server) surveyFor(r *http.Request) (app.SurveySubject, string, error) {
	ctx := r.Context()
	n := r.PathValue("number")
	switch {
	case strings.HasPrefix(r.URL.Path, "/survei/permohonan/"):
		subj, err := s.app.SurveyForApplication(ctx, actor(r), n)
		return subj, "/survei/permohonan/" + n, err
	case strings.HasPrefix(r.URL.Path, "/survei/laporan/"):
		subj, err := s.app.SurveyForReport(ctx, current(r).actorOrAnonymous(r), n, s.reporterSecret(r, n))
		return subj, "/survei/laporan/" + n, err
	}
	code := r.PathValue("code")
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	service, _ := strconv.ParseInt(q.Get("layanan"), 10, 64)
	subj, err := s.app.SurveyForVisit(ctx, code, q.Get("unit"), service)
	subj.Code, subj.Address = strings.TrimSpace(q.Get("kode")), clientIP(r)
	action := "/daerah/" + code + "/survei"
	return subj, action, err
}

// surveyForm shows the nine questions.
func (s *Server) surveyForm(w http.ResponseWriter, r *http.Request) error {
	subj, action, err := s.surveyFor(r)
	if err != nil {
		return err
	}
	data := s.surveyPageFor(r, subj, action)
	if subj.Channel == pendopo.SurveyWalkIn && subj.ServiceID == 0 {
		data.Services = s.app.RegionServiceList(subj.Region.Code, subj.Agency)
	}
	data.Code = subj.Code
	data.Done = r.URL.Query().Get("pesan") == "terima-kasih"
	w.Header().Set("Cache-Control", "private, no-store")
	s.rd.render(w, r, http.StatusOK, "survey", data)
	return nil
}

// surveySubmit stores a response and thanks the respondent.
func (s *Server) surveySubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 16<<10); err != nil {
		return err
	}
	if r.PostFormValue("website") != "" {
		// The honeypot: a bot gets the thanks and nothing is kept.
		http.Redirect(w, r, r.URL.Path+"?pesan=terima-kasih", http.StatusSeeOther)
		return nil
	}
	if !s.surveyLimit.Allow(clientIP(r), s.app.Now()) {
		return errTooMany
	}
	subj, action, err := s.surveyFor(r)
	if err != nil {
		return err
	}
	device := ""
	if subj.Channel == pendopo.SurveyWalkIn {
		device = s.device(w, r)
	}
	answers, comment := readSurvey(r)
	if _, err := s.app.SubmitSurvey(r.Context(), subj, answers, comment, device); err != nil {
		form, ferr := formErrors(err, httpx.Lang(r.Context()))
		if ferr != nil {
			return ferr
		}
		data := s.surveyPageFor(r, subj, action)
		data.Answers, data.Comment, data.Form = answers, comment, form
		if subj.Channel == pendopo.SurveyWalkIn && data.Form.Err("kode") == "" {
			data.Code = subj.Code
		}
		if subj.Channel == pendopo.SurveyWalkIn && subj.ServiceID == 0 {
			data.Services = s.app.RegionServiceList(subj.Region.Code, subj.Agency)
		}
		status := http.StatusUnprocessableEntity
		if pendopo.KindOf(err) == pendopo.KindConflict {
			status = http.StatusConflict
		}
		s.rd.render(w, r, status, "survey", data)
		return nil
	}
	back := action + "?pesan=terima-kasih"
	if subj.Channel == pendopo.SurveyWalkIn && subj.Point != nil {
		back += "&unit=" + subj.Point.Slug
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// device returns the browser's survey device id, setting one first.
func (s *Server) device(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(deviceCookie); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	b := make([]byte, 16)
	rand.Read(b)
	v := hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: v, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	return v
}
