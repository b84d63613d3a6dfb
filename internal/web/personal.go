package web

import (
	"net/http"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// Personal-data rights (UU 27/2022): who read a person's data, the
// download of all of it, and what deleting the account did.

// accessPerPage is how many readings /akun/akses shows at a time.
const accessPerPage = 20

// accountAccess lists who read the signed-in person's data.
func (s *Server) accountAccess(w http.ResponseWriter, r *http.Request) error {
	page := pageNum(r)
	list, total, err := s.app.WhoReadMyData(r.Context(), current(r).Actor, pendopo.Page{Page: page, PerPage: accessPerPage})
	if err != nil {
		return err
	}
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("access.title"), true
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.T("nav.account"), "/akun"}, {p.Title, ""}}
	s.rd.render(w, r, http.StatusOK, "account_access", struct {
		Page
		List  []app.Access
		Pager pager
	}{p, list, newPager(r, page, accessPerPage, total)})
	return nil
}
