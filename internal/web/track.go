package web

import (
	"net/http"
	"net/url"
	"strings"
)

type trackPage struct {
	Page
	Form
	Number string
}

// track answers "Lacak permohonan atau laporan": a tracking number typed
// from a receipt or a message goes to its report's page, or to the
// application's page, which asks its applicant to sign in. A number that
// is malformed or mistyped is shown again with the reason.
func (s *Server) track(w http.ResponseWriter, r *http.Request) error {
	p := s.rd.page(r, "")
	p.Title = p.T("track.title")
	p.Description = p.T("track.lead")
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.Title, ""}}
	data := trackPage{Page: p, Number: strings.TrimSpace(r.URL.Query().Get("nomor"))}
	if data.Number == "" {
		s.rd.render(w, r, http.StatusOK, "track", data)
		return nil
	}
	if !s.trackLimit.Allow(clientIP(r), s.app.Now()) {
		return errTooMany
	}
	number, report, err := s.app.Track(r.Context(), data.Number)
	if err != nil {
		f, ferr := formErrors(err, p.Lang)
		if ferr != nil {
			return ferr
		}
		// The summary says what to do; the reason stands by the field and
		// in the summary's link to it.
		f.Errors["nomor"], f.Problem = f.Problem, p.T("form.problem")
		data.Form = f
		data.Noindex = true
		s.rd.render(w, r, http.StatusUnprocessableEntity, "track", data)
		return nil
	}
	to := "/permohonan/" + url.PathEscape(number)
	if report {
		to = "/laporan/" + url.PathEscape(number)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
