package web

import (
	"net/http"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/figures"
)

// The e-gov index: a public ranking of every region (or of one
// province's), and the oversight view that lists who lags and on what.

type rankingPage struct {
	Page
	Province   *pendopo.Region
	Provinces  []pendopo.Region
	Period     figures.Period
	Started    []figures.RegionIndex
	NotStarted []pendopo.Region
	Components []pendopo.EgovComponent
}

// ranking is the public ranking, national or of the province in the path.
func (s *Server) ranking(w http.ResponseWriter, r *http.Request) error {
	province := r.PathValue("code")
	p, err := s.period(r, "11")
	if err != nil {
		return err
	}
	list, err := s.app.Figures().EgovRanking(r.Context(), province, p)
	if err != nil {
		return err
	}
	page := s.rd.page(r, "")
	data := rankingPage{Page: page, Period: p, Components: pendopo.EgovComponents}
	provinces, _, err := s.app.Regions(r.Context(), pendopo.RegionFilter{Level: pendopo.LevelProvinsi, Page: pendopo.Page{PerPage: 100}})
	if err != nil {
		return err
	}
	data.Provinces = provinces
	data.Title = page.T("rank.title")
	data.Crumbs = []Crumb{{page.T("nav.home"), "/"}, {page.T("rank.crumb"), ""}}
	if province != "" {
		reg, _ := s.app.Region(r.Context(), province)
		data.Province = &reg
		data.Title = page.T("rank.title_province", reg.Name)
		data.Crumbs = []Crumb{{page.T("nav.home"), "/"}, {page.T("rank.crumb"), "/indeks"}, {reg.Name, ""}}
	}
	for _, x := range list {
		if x.Started {
			data.Started = append(data.Started, x)
		} else {
			data.NotStarted = append(data.NotStarted, x.Region)
		}
	}
	s.rd.render(w, r, http.StatusOK, "ranking", data)
	return nil
}

type oversightPage struct {
	Page
	O         *figures.Oversight
	Provinces []pendopo.Region
}

// oversight is the console view for overseers: the national view, or a
// province's (?provinsi=, and always their own for a province overseer).
func (s *Server) oversight(w http.ResponseWriter, r *http.Request) error {
	who := current(r).Actor
	province := r.URL.Query().Get("provinsi")
	if province == "" && !who.National() {
		if regions := who.Regions(); len(regions) > 0 {
			province = regions[0][:2]
		}
	}
	p, err := s.period(r, "11")
	if err != nil {
		return err
	}
	o, err := s.app.Figures().Oversight(r.Context(), who, province, p)
	if err != nil {
		return err
	}
	page := s.rd.page(r, "")
	page.Title, page.Noindex = page.T("oversight.title"), true
	if o.Province != nil {
		page.Title = page.T("oversight.title_province", o.Province.Name)
	}
	page.Crumbs = []Crumb{{page.T("admin.title"), "/admin"}, {page.T("oversight.crumb"), ""}}
	data := oversightPage{Page: page, O: o}
	if who.National() {
		data.Provinces, _, _ = s.app.Regions(r.Context(), pendopo.RegionFilter{Level: pendopo.LevelProvinsi, Page: pendopo.Page{PerPage: 100}})
	}
	w.Header().Set("Cache-Control", "private, no-store")
	s.rd.render(w, r, http.StatusOK, "admin_oversight", data)
	return nil
}
