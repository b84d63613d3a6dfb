package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/pendopo/pendopo"
)

// adminDiffPage compares two versions of a service and offers the review
// actions on the newer one.
type adminDiffPage struct {
	Page
	Form
	Service    pendopo.Service
	From, To   pendopo.Version
	Fields     []fieldDiff
	Unchanged  []string
	CanPublish bool
	CanSubmit  bool
	// Versions are the version numbers to choose from.
	Versions []int
}

func (s *Server) adminDiffData(r *http.Request) (adminDiffPage, error) {
	ctx := r.Context()
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return adminDiffPage{}, errNotFound
	}
	who := current(r).Actor
	svc, err := s.app.ServiceForEdit(ctx, who, id)
	if err != nil {
		return adminDiffPage{}, err
	}
	versions, err := s.app.Versions(ctx, who, id)
	if err != nil {
		return adminDiffPage{}, err
	}
	q := r.URL.Query()
	to, _ := strconv.Atoi(q.Get("ke"))
	if to == 0 {
		to = svc.LatestVersion
	}
	from, err := strconv.Atoi(q.Get("dari"))
	if err != nil || from == 0 {
		from = svc.Version
		if from == 0 || from == to {
			from = to - 1
		}
	}
	data := adminDiffPage{Service: svc}
	for _, v := range versions {
		data.Versions = append(data.Versions, v.Number)
		switch v.Number {
		case from:
			data.From = v
		case to:
			data.To = v
		}
	}
	if data.To.Number == 0 {
		return data, errNotFound
	}
	var fromContent pendopo.ServiceContent
	if from > 0 {
		if data.From.Number == 0 {
			return data, errNotFound
		}
		v, err := s.app.Version(ctx, who, id, from)
		if err != nil {
			return data, err
		}
		data.From, fromContent = v, v.Content
	}
	v, err := s.app.Version(ctx, who, id, to)
	if err != nil {
		return data, err
	}
	data.To = v
	reg, p, err := s.adminPage(r, svc.RegionCode)
	if err != nil {
		return data, err
	}
	p.Title = p.T("diff.title", svc.Name)
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + svc.RegionCode}, {svc.Name, fmt.Sprintf("/admin/layanan/%d", id)}, {p.T("diff.crumb"), ""}}
	data.Page = p
	for _, f := range contentDiff(p, fromContent, v.Content) {
		if f.Changed {
			data.Fields = append(data.Fields, f)
		} else {
			data.Unchanged = append(data.Unchanged, f.Title)
		}
	}
	scope := pendopo.Scope{Region: svc.RegionCode, Agency: svc.AgencySlug}
	newer := to > svc.Version && to == svc.LatestVersion
	_, pub := who.Can(pendopo.ActPublishService, scope)
	_, draft := who.Can(pendopo.ActDraftService, scope)
	data.CanPublish = pub && to != svc.Version
	data.CanSubmit = draft && !pub && newer && v.SubmittedAt.IsZero()
	return data, nil
}

func (s *Server) adminDiff(w http.ResponseWriter, r *http.Request) error {
	data, err := s.adminDiffData(r)
	if err != nil {
		return err
	}
	data.Notice = notice(data.Page, r.URL.Query().Get("pesan"))
	s.rd.render(w, r, http.StatusOK, "admin_diff", data)
	return nil
}

// reviewAction runs a submission or a return from the diff page, showing
// the page again with the problem when the note is missing.
func (s *Server) reviewAction(w http.ResponseWriter, r *http.Request, do func(id int64, n int, note string) error, msg string) error {
	if err := parseForm(w, r, 8<<10); err != nil {
		return err
	}
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return errNotFound
	}
	n, _ := strconv.Atoi(r.PostFormValue("version"))
	if err := do(id, n, r.PostFormValue("note")); err != nil {
		fm, err2 := formErrors(err, s.rd.page(r, "").Lang)
		if err2 != nil {
			return err2
		}
		q := r.URL.Query()
		q.Set("ke", strconv.Itoa(n))
		r.URL.RawQuery = q.Encode()
		data, err := s.adminDiffData(r)
		if err != nil {
			return err
		}
		data.Form = fm
		s.rd.render(w, r, http.StatusUnprocessableEntity, "admin_diff", data)
		return nil
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/layanan/%d?pesan=%s", id, msg), http.StatusSeeOther)
	return nil
}

func (s *Server) adminSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.reviewAction(w, r, func(id int64, n int, note string) error {
		return s.app.SubmitService(r.Context(), current(r).Actor, id, n, note)
	}, "diajukan")
}

func (s *Server) adminReturn(w http.ResponseWriter, r *http.Request) error {
	return s.reviewAction(w, r, func(id int64, n int, note string) error {
		return s.app.ReturnService(r.Context(), current(r).Actor, id, n, note)
	}, "dikembalikan")
}
