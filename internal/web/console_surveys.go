package web

import (
	"net/http"
	"strconv"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// The console's survey pages: the service points' presence codes of the
// day with their printable sheets (staff of the points' agencies and the
// region admin), and the walk-in responses held for the region admin to
// accept or reject.

type surveyDeskPage struct {
	Page
	Form
	Code string
	Desk app.SurveyDesk
}

func (s *Server) surveyDeskData(r *http.Request) (surveyDeskPage, error) {
	desk, err := s.app.SurveyDesk(r.Context(), current(r).Actor, r.PathValue("code"))
	if err != nil {
		return surveyDeskPage{}, err
	}
	p := s.regionPage(r, desk.Region, "")
	p.Title, p.Noindex = p.T("sdesk.title")+" · "+desk.Region.Name, true
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {desk.Region.Name, "/admin/daerah/" + desk.Region.Code}, {p.T("sdesk.title"), ""}}
	return surveyDeskPage{Page: p, Code: desk.Region.Code, Desk: desk}, nil
}

// consoleSurveys is the region's survey desk.
func (s *Server) consoleSurveys(w http.ResponseWriter, r *http.Request) error {
	data, err := s.surveyDeskData(r)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("pesan") {
	case "diterima":
		data.Notice = data.T("sdesk.accepted", r.URL.Query().Get("n"))
	case "ditolak":
		data.Notice = data.T("sdesk.rejected", r.URL.Query().Get("n"))
	}
	w.Header().Set("Cache-Control", "private, no-store")
	s.rd.render(w, r, http.StatusOK, "admin_surveys", data)
	return nil
}

// consoleSurveyDecide accepts or rejects a group of held responses.
func (s *Server) consoleSurveyDecide(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	code := r.PathValue("code")
	point, _ := strconv.ParseInt(r.PostFormValue("point"), 10, 64)
	day, derr := pendopo.ParseDay(r.PostFormValue("day"))
	accept := r.PostFormValue("action") == "terima"
	if _, ok := current(r).Actor.Can(pendopo.ActReviewSurveys, pendopo.Scope{Region: code}); !ok {
		return errForbiddenPage // before saying what is wrong with the form
	}
	if !accept && r.PostFormValue("action") != "tolak" || derr != nil {
		return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("web.choose_group_responses_decision"))
	}
	n, err := s.app.DecideHeldSurveys(r.Context(), current(r).Actor, code, point, day, accept)
	if err != nil {
		return err
	}
	msg := "ditolak"
	if accept {
		msg = "diterima"
	}
	http.Redirect(w, r, "/admin/daerah/"+code+"/survei?pesan="+msg+"&n="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}

type surveySheetPage struct {
	Page
	Region pendopo.Region
	Code   app.PresenceCode
	Link   string
	QR     string
}

// consoleSurveySheet is a service point's printable sheet of the day: the
// QR code that opens the survey with the day's presence code, the code
// itself to type, and the day it is valid for.
func (s *Server) consoleSurveySheet(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	unit := r.URL.Query().Get("unit")
	pc, err := s.app.SurveyCode(r.Context(), current(r).Actor, reg.Code, unit)
	if err != nil {
		return err
	}
	p := s.regionPage(r, reg, "")
	p.Title, p.Noindex = p.T("sdesk.sheet_title"), true
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + reg.Code},
		{p.T("sdesk.title"), "/admin/daerah/" + reg.Code + "/survei"}, {p.T("sdesk.sheet_title"), ""}}
	qr := "/daerah/" + reg.Code + "/survei/qr.png"
	if unit != "" {
		qr += "?unit=" + unit
	}
	w.Header().Set("Cache-Control", "private, no-store")
	s.rd.render(w, r, http.StatusOK, "survey_sheet", surveySheetPage{Page: p, Region: reg, Code: pc, Link: s.baseURL(r) + pc.Path, QR: qr})
	return nil
}

// surveyQR is a PNG QR code of a walk-in survey's link with the day's
// presence code, to print and put up at the service point: scanning it
// at the counter opens the survey ready to answer. Since it holds the
// code, it is for the point's staff only, and never cached.
func (s *Server) surveyQR(w http.ResponseWriter, r *http.Request) error {
	pc, err := s.app.SurveyCode(r.Context(), current(r).Actor, r.PathValue("code"), r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(s.baseURL(r)+pc.Path, qrcode.Medium, 512)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Cache-Control", "private, no-store")
	_, err = w.Write(png)
	return err
}
