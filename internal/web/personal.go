package web

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
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

// deletePage asks a person to confirm deleting their account, saying what
// happens to each of their records.
type deletePage struct {
	authPage
	Plan app.Erasure
}

func (s *Server) deletePageData(r *http.Request) (deletePage, error) {
	plan, err := s.app.ErasurePlan(r.Context(), current(r).Actor)
	return deletePage{authPage: s.authPage(r, "delete.title"), Plan: plan}, err
}

func (s *Server) deleteAccountForm(w http.ResponseWriter, r *http.Request) error {
	data, err := s.deletePageData(r)
	if err != nil {
		return err
	}
	s.rd.render(w, r, http.StatusOK, "delete_account", data)
	return nil
}

func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	data, err := s.deletePageData(r)
	if err != nil {
		return err
	}
	done, err := s.app.DeleteAccount(r.Context(), current(r).Actor, r.PostFormValue("password"))
	if err != nil {
		kind := pendopo.KindOf(err)
		if kind == pendopo.KindInternal || kind == pendopo.KindNotFound {
			return err
		}
		if fm, err2 := formErrors(err, data.Lang); err2 == nil {
			data.Form = fm
		} else {
			data.Form = Form{Problem: data.Tx(httpx.UserError(err).Msg)}
		}
		s.rd.render(w, r, httpx.Status(kind), "delete_account", data)
		return nil
	}
	s.clearSession(w)
	q := url.Values{}
	for k, n := range map[string]int{"draf": done.Drafts, "dicabut": done.Withdrawn, "dibersihkan": done.Cleared,
		"arsip": done.Archived, "laporan": done.Reports, "berkas": done.Files} {
		q.Set(k, strconv.Itoa(n))
	}
	http.Redirect(w, r, "/akun/dihapus?"+q.Encode(), http.StatusSeeOther)
	return nil
}

// accountDeleted says what deleting the account did. The counts come in
// the address from the deletion's redirect: the account is gone, so
// there is nothing left to read them from, and they name nobody.
func (s *Server) accountDeleted(w http.ResponseWriter, r *http.Request) error {
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("deleted.title"), true
	q := r.URL.Query()
	n := func(k string) int {
		v, err := strconv.Atoi(q.Get(k))
		if err != nil || v < 0 || v > 1e6 {
			return 0
		}
		return v
	}
	s.rd.render(w, r, http.StatusOK, "account_deleted", struct {
		Page
		Done app.Erasure
	}{p, app.Erasure{Drafts: n("draf"), Withdrawn: n("dicabut"), Cleared: n("dibersihkan"), Archived: n("arsip"),
		Reports: n("laporan"), Files: n("berkas")}})
	return nil
}
