package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

// adminTokensPage lists the API tokens an admin manages, with the form to
// make one.
type adminTokensPage struct {
	Page
	Form
	Tokens []pendopo.Token
	// Regions are the regions a non-national admin may make tokens for.
	Regions  []pendopo.Region
	National bool
	// Name and Region are what the form holds.
	Name, Region string
	// Secret is the token just made, shown once.
	Secret string
}

func (s *Server) adminTokensData(r *http.Request) (adminTokensPage, error) {
	ctx := r.Context()
	who := current(r).Actor
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("tokens.title"), true
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {p.Title, ""}}
	data := adminTokensPage{Page: p, National: who.National(), Region: r.URL.Query().Get("daerah")}
	if _, ok := who.Can(pendopo.ActManageTokens, pendopo.Scope{}); !ok || !data.National {
		data.National = false
		for _, code := range who.Regions() {
			if _, ok := who.Can(pendopo.ActManageTokens, pendopo.Scope{Region: code}); ok {
				if reg, err := s.app.Region(ctx, code); err == nil {
					data.Regions = append(data.Regions, reg)
				}
			}
		}
		if len(data.Regions) == 0 {
			return data, errNotYourRegion
		}
	}
	var err error
	data.Tokens, err = s.app.Tokens(ctx, who)
	return data, err
}

func (s *Server) adminTokens(w http.ResponseWriter, r *http.Request) error {
	data, err := s.adminTokensData(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("pesan") == "dicabut" {
		data.Notice = data.T("tokens.revoked")
	}
	s.rd.render(w, r, http.StatusOK, "admin_tokens", data)
	return nil
}

func (s *Server) adminTokenCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	data, err := s.adminTokensData(r)
	if err != nil {
		return err
	}
	data.Name, data.Region = r.PostFormValue("name"), strings.TrimSpace(r.PostFormValue("region"))
	t, secret, err := s.app.CreateToken(r.Context(), current(r).Actor, data.Name, data.Region)
	if err != nil {
		fm, err2 := formErrors(err, data.Lang)
		if err2 != nil {
			return err2
		}
		data.Form = fm
		s.rd.render(w, r, http.StatusUnprocessableEntity, "admin_tokens", data)
		return nil
	}
	fresh, err := s.adminTokensData(r)
	if err != nil {
		return err
	}
	fresh.Secret, fresh.Notice = secret, fresh.T("tokens.created", t.Name)
	w.Header().Set("Cache-Control", "no-store")
	s.rd.render(w, r, http.StatusOK, "admin_tokens", fresh)
	return nil
}

func (s *Server) adminTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := s.app.RevokeToken(r.Context(), current(r).Actor, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/token?pesan=dicabut", http.StatusSeeOther)
	return nil
}
