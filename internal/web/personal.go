package web

import (
	"mime"
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

// accountData sends everything Pendopo holds about the signed-in person
// as a zip, streamed: the index is read before the first byte, so that a
// failure there is an ordinary error page; a failure while files stream
// cuts the connection, so that the browser reports the download failed
// rather than keep half a zip.
func (s *Server) accountData(w http.ResponseWriter, r *http.Request) error {
	x, err := s.app.ExportMyData(r.Context(), current(r).Actor)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": x.FileName}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	return s.streamed(r, x.WriteZip(r.Context(), w))
}
