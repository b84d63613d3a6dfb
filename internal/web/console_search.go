package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// searchLogPage is the console's view of what people searched and did not
// find, with the one-click way to make a query find a service.
type searchLogPage struct {
	Page
	Form
	// Code is the region shown, "" for the whole country.
	Code string
	Rows []searchLogRow
	// Services are the region's services a query can be made to find;
	// Kinds the national kinds, for national queries.
	Services []pendopo.ServiceSummary
	Kinds    []pendopo.ServiceKind
	Days     int
}

type searchLogRow struct {
	pendopo.SearchCount
	RegionName string
}

func (s *Server) adminSearchLog(w http.ResponseWriter, r *http.Request) error {
	data, err := s.searchLogData(r, r.PathValue("code"), Form{Notice: notice(s.rd.page(r, ""), r.URL.Query().Get("pesan"))})
	if err != nil {
		return err
	}
	s.rd.render(w, r, http.StatusOK, "admin_searchlog", data)
	return nil
}

func (s *Server) searchLogData(r *http.Request, code string, fm Form) (searchLogPage, error) {
	ctx := r.Context()
	who := current(r).Actor
	rows, err := s.app.SearchLog(ctx, who, code, app.SearchLogShown)
	if err != nil {
		return searchLogPage{}, err
	}
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("searchlog.title"), true
	data := searchLogPage{Page: p, Form: fm, Code: code, Days: app.SearchLogDays}
	names := map[string]string{}
	for _, c := range rows {
		if _, ok := names[c.Region]; !ok && c.Region != "" {
			if reg, err := s.app.Region(ctx, c.Region); err == nil {
				names[c.Region] = reg.Name
			}
		}
		data.Rows = append(data.Rows, searchLogRow{SearchCount: c, RegionName: names[c.Region]})
	}
	if code != "" {
		reg, err := s.app.Region(ctx, code)
		if err != nil {
			return searchLogPage{}, err
		}
		data.Theme = &reg
		data.Services = s.app.RegionServices(code)
		slices.SortFunc(data.Services, func(a, b pendopo.ServiceSummary) int { return strings.Compare(a.Name, b.Name) })
		data.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + code}, {p.Title, ""}}
	} else {
		for _, k := range s.app.Kinds() {
			data.Kinds = append(data.Kinds, k)
		}
		slices.SortFunc(data.Kinds, func(a, b pendopo.ServiceKind) int { return strings.Compare(a.Name.Indonesian, b.Name.Indonesian) })
		data.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {p.Title, ""}}
	}
	return data, nil
}

// adminLearnSynonym makes a logged query find the chosen service (or, for
// a national query, the chosen kind).
func (s *Server) adminLearnSynonym(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	code := r.PathValue("code")
	id, _ := parseID(r.PostFormValue("layanan"))
	err := s.app.LearnSynonym(r.Context(), current(r).Actor, code, r.PostFormValue("q"), id, r.PostFormValue("jenis"))
	back := "/admin/pencarian"
	if code != "" {
		back = "/admin/daerah/" + url.PathEscape(code) + "/pencarian"
	}
	return s.settle(w, r, err, back+"?pesan=sinonim", "admin_searchlog", func(fm Form) (any, error) {
		return s.searchLogData(r, code, fm)
	})
}
