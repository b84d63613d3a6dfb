package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
)

// authPage is the data of the sign-in, registration, confirmation and
// reset pages: what was typed (never the password) and the outcome.
type authPage struct {
	Page
	Form
	Name, Login, Back string
	// Unconfirmed offers the confirmation page after a sign-in.
	Unconfirmed bool
	// SSO labels the single sign-on button; empty when it is off.
	SSO string
}

func (s *Server) authPage(r *http.Request, titleKey string) authPage {
	p := s.rd.page(r, "")
	// The plain forms may be found by search engines; an address that
	// carries a login or a way back is someone's and is not indexed.
	p.Title, p.Noindex = p.T(titleKey), r.URL.RawQuery != ""
	q := r.URL.Query()
	return authPage{Page: p, Login: q.Get("login"), Back: safeBack(q.Get("kembali"), ""), SSO: s.app.SSOName()}
}

// failForm renders a form page again with the problems of err: invalid
// fields, a wrong password, an unconfirmed account or too many attempts.
// Errors that are not the user's to fix go to the error page.
func (s *Server) failForm(w http.ResponseWriter, r *http.Request, name string, data *authPage, err error) error {
	kind := pendopo.KindOf(err)
	if kind == pendopo.KindInternal || kind == pendopo.KindNotFound {
		return err
	}
	if fm, err2 := formErrors(err, data.Lang); err2 == nil {
		data.Form = fm
	} else {
		data.Form = Form{Problem: data.Tx(httpx.UserError(err).Msg)}
	}
	httpx.SetRetryAfter(w.Header(), httpx.UserError(err))
	s.rd.render(w, r, httpx.Status(kind), name, data)
	return nil
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if current(r) != nil {
		http.Redirect(w, r, safeBack(r.URL.Query().Get("kembali"), "/akun"), http.StatusSeeOther)
		return nil
	}
	data := s.authPage(r, "login.title")
	switch {
	case r.URL.Query().Get("terkonfirmasi") == "1":
		data.Notice = data.T("login.confirmed")
	case r.URL.Query().Get("sandi") == "baru":
		data.Notice = data.T("login.password_reset")
	}
	s.rd.render(w, r, http.StatusOK, "login", data)
	return nil
}

// ssoCookie carries a single sign-on in progress, sealed by the app.
const ssoCookie = "pendopo_sso"

// ssoStart sends the browser to the single sign-on provider.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	to, cookie, err := s.app.SSOStart(r.Context(), safeBack(q.Get("kembali"), ""), q.Get("undangan"))
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: cookie, Path: "/masuk/sso", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: 600})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// ssoReturn finishes a single sign-on when the provider sends the browser
// back.
func (s *Server) ssoReturn(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: "/masuk/sso", HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	w.Header().Set("Cache-Control", "no-store")
	data := s.authPage(r, "login.title")
	data.Back = ""
	q := r.URL.Query()
	if q.Get("error") != "" {
		data.Form = Form{Problem: data.T("login.sso_cancelled")}
		s.rd.render(w, r, http.StatusUnauthorized, "login", data)
		return nil
	}
	c, err := r.Cookie(ssoCookie)
	value := ""
	if err == nil {
		value = c.Value
	}
	res, err := s.app.SSOFinish(r.Context(), value, q.Get("state"), q.Get("code"), clientIP(r), r.UserAgent())
	if err != nil {
		return s.failForm(w, r, "login", &data, err)
	}
	s.setSession(w, res.Secret)
	http.Redirect(w, r, safeBack(res.Back, "/admin"), http.StatusSeeOther)
	return nil
}

// oldLogin sends the console's former sign-in address to the new one.
func (s *Server) oldLogin(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/masuk?kembali="+url.QueryEscape(safeBack(r.URL.Query().Get("kembali"), "/admin")), http.StatusMovedPermanently)
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 8<<10); err != nil {
		return err
	}
	data := s.authPage(r, "login.title")
	data.Login, data.Back = strings.TrimSpace(r.PostFormValue("login")), safeBack(r.PostFormValue("kembali"), "")
	secret, u, err := s.app.Login(r.Context(), data.Login, r.PostFormValue("password"), clientIP(r), r.UserAgent())
	if err != nil {
		data.Unconfirmed = pendopo.KindOf(err) == pendopo.KindForbidden
		return s.failForm(w, r, "login", &data, err)
	}
	s.setSession(w, secret)
	back := data.Back
	if back == "" {
		back = "/akun"
		if len(u.Roles) > 0 {
			back = "/admin"
		}
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if sess := current(r); sess != nil {
		if err := s.app.Logout(r.Context(), sess.secret, clientIP(r)); err != nil {
			return err
		}
	}
	s.clearSession(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) error {
	s.rd.render(w, r, http.StatusOK, "register", s.authPage(r, "register.title"))
	return nil
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 8<<10); err != nil {
		return err
	}
	data := s.authPage(r, "register.title")
	data.Name, data.Login = r.PostFormValue("name"), strings.TrimSpace(r.PostFormValue("login"))
	if r.PostFormValue("setuju") != "1" {
		data.Form = Form{Problem: data.T("form.problem"), Errors: map[string]string{"setuju": data.T("register.consent_needed")}}
		s.rd.render(w, r, http.StatusUnprocessableEntity, "register", data)
		return nil
	}
	contact, err := s.app.Register(r.Context(), app.Registration{Name: data.Name, Login: data.Login, Password: r.PostFormValue("password")}, clientIP(r))
	if err != nil {
		return s.failForm(w, r, "register", &data, err)
	}
	http.Redirect(w, r, "/konfirmasi?dikirim=1&login="+url.QueryEscape(contact), http.StatusSeeOther)
	return nil
}

func (s *Server) confirmForm(w http.ResponseWriter, r *http.Request) error {
	data := s.authPage(r, "confirm.title")
	switch {
	case r.URL.Query().Get("dikirim") == "1":
		data.Notice = data.T("confirm.sent", data.Login)
	case r.URL.Query().Get("dikirim") == "ulang":
		data.Notice = data.T("confirm.resent")
	}
	s.rd.render(w, r, http.StatusOK, "confirm", data)
	return nil
}

func (s *Server) confirm(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	data := s.authPage(r, "confirm.title")
	data.Login = strings.TrimSpace(r.PostFormValue("login"))
	if _, err := s.app.Confirm(r.Context(), data.Login, r.PostFormValue("code"), clientIP(r)); err != nil {
		return s.failForm(w, r, "confirm", &data, err)
	}
	http.Redirect(w, r, "/masuk?terkonfirmasi=1&login="+url.QueryEscape(data.Login), http.StatusSeeOther)
	return nil
}

func (s *Server) resendCode(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	login := strings.TrimSpace(r.PostFormValue("login"))
	if err := s.app.ResendCode(r.Context(), login, clientIP(r)); err != nil {
		data := s.authPage(r, "confirm.title")
		data.Login = login
		return s.failForm(w, r, "confirm", &data, err)
	}
	http.Redirect(w, r, "/konfirmasi?dikirim=ulang&login="+url.QueryEscape(login), http.StatusSeeOther)
	return nil
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) error {
	s.rd.render(w, r, http.StatusOK, "forgot", s.authPage(r, "forgot.title"))
	return nil
}

func (s *Server) forgot(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	data := s.authPage(r, "forgot.title")
	data.Login = strings.TrimSpace(r.PostFormValue("login"))
	if err := s.app.RequestPasswordReset(r.Context(), data.Login, clientIP(r)); err != nil {
		return s.failForm(w, r, "forgot", &data, err)
	}
	http.Redirect(w, r, "/atur-ulang-sandi?login="+url.QueryEscape(data.Login), http.StatusSeeOther)
	return nil
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) error {
	data := s.authPage(r, "reset.title")
	if data.Login != "" {
		data.Notice = data.T("reset.sent")
	}
	s.rd.render(w, r, http.StatusOK, "reset", data)
	return nil
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	data := s.authPage(r, "reset.title")
	data.Login = strings.TrimSpace(r.PostFormValue("login"))
	if err := s.app.ResetPassword(r.Context(), data.Login, r.PostFormValue("code"), r.PostFormValue("password"), clientIP(r)); err != nil {
		return s.failForm(w, r, "reset", &data, err)
	}
	http.Redirect(w, r, "/masuk?sandi=baru&login="+url.QueryEscape(data.Login), http.StatusSeeOther)
	return nil
}

// invitationPage is the page that accepts an officer invitation.
type invitationPage struct {
	authPage
	Invitation pendopo.Invitation
	Secret     string
	RoleName   string
	Where      string
	// HasAccount asks for the existing account's password instead of a new one.
	HasAccount bool
}

func (s *Server) invitationData(r *http.Request) (invitationPage, error) {
	inv, err := s.app.Invitation(r.Context(), r.PathValue("secret"))
	if err != nil {
		return invitationPage{}, err
	}
	data := invitationPage{authPage: s.authPage(r, "invite.title"), Invitation: inv, Secret: r.PathValue("secret")}
	data.RoleName = data.Tx(inv.Role.Kind.Title())
	data.Where = inv.Role.Region
	if reg, err := s.app.Region(r.Context(), inv.Role.Region); err == nil {
		data.Where = reg.Name
	}
	if inv.Role.Agency != "" {
		if ag, err := s.app.Agency(r.Context(), inv.Role.Region, inv.Role.Agency); err == nil {
			data.Where = ag.Name + ", " + data.Where
		}
	}
	data.HasAccount = s.app.HasAccount(r.Context(), inv.Email)
	data.Name = inv.Name
	return data, nil
}

func (s *Server) invitationForm(w http.ResponseWriter, r *http.Request) error {
	data, err := s.invitationData(r)
	if err != nil {
		return err
	}
	s.rd.render(w, r, http.StatusOK, "invitation", data)
	return nil
}

func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 8<<10); err != nil {
		return err
	}
	data, err := s.invitationData(r)
	if err != nil {
		return err
	}
	data.Name = r.PostFormValue("name")
	secret, err := s.app.AcceptInvitation(r.Context(), r.PathValue("secret"), data.Name, r.PostFormValue("password"), clientIP(r), r.UserAgent())
	if err != nil {
		fm, err2 := formErrors(err, data.Lang)
		if err2 != nil {
			return err2
		}
		data.Form = fm
		s.rd.render(w, r, http.StatusUnprocessableEntity, "invitation", data)
		return nil
	}
	s.setSession(w, secret)
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
	return nil
}

func (s *Server) privacy(w http.ResponseWriter, r *http.Request) error {
	p := s.rd.page(r, "")
	p.Title = p.T("privacy.title")
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.Title, ""}}
	s.rd.render(w, r, http.StatusOK, "privacy", p)
	return nil
}

// Device names the browser and system of a session's user agent in a few
// words ("Chrome, Android"), or the raw text when it is not recognised.
func (accountPage) Device(ua string) string {
	if ua == "" {
		return "—"
	}
	browser := ""
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"}, {"Firefox/", "Firefox"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + ", " + system
	case browser != "" || system != "":
		return browser + system
	}
	if len(ua) > 60 {
		return ua[:60] + "…"
	}
	return ua
}

// accountPage is a person's own account page.
type accountPage struct {
	Page
	Form
	User       pendopo.User
	MaskedNIK  string
	Sessions   []pendopo.Session
	CurrentSID string
	NameValue  string
	// Roles names the officer roles the person holds.
	Roles []string
}

func (s *Server) accountPageData(r *http.Request) (accountPage, error) {
	sess := current(r)
	p := s.rd.page(r, "")
	p.Title, p.Noindex = p.T("account.title"), true
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.Title, ""}}
	data := accountPage{Page: p, User: sess.User, NameValue: sess.User.Name, CurrentSID: app.SessionID(sess.secret)}
	var err error
	if data.MaskedNIK, err = s.app.MaskedNIK(r.Context(), sess.User.ID); err != nil {
		return data, err
	}
	if data.Sessions, err = s.app.Sessions(r.Context(), sess.Actor); err != nil {
		return data, err
	}
	for _, role := range sess.User.Roles {
		where := role.Region
		if reg, err := s.app.Region(r.Context(), role.Region); err == nil {
			where = reg.Name
		}
		if role.Agency != "" {
			name := role.Agency
			if ag, err := s.app.Agency(r.Context(), role.Region, role.Agency); err == nil {
				name = ag.Name
			}
			where = name + " · " + where
		}
		data.Roles = append(data.Roles, strings.TrimSuffix(p.Tx(role.Kind.Title())+" — "+where, " — "))
	}
	return data, nil
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	data, err := s.accountPageData(r)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("pesan") {
	case "tersimpan":
		data.Notice = data.T("admin.notice.tersimpan")
	case "keluar":
		data.Notice = data.T("account.logged_out_elsewhere")
	case "sandi":
		data.Notice = data.T("account.password_changed")
	}
	if w := r.URL.Query().Get("peringatan"); w == "nik" {
		data.Notice = data.T("account.nik_warning")
	}
	s.rd.render(w, r, http.StatusOK, "account", data)
	return nil
}

// accountAction runs an account change from a form and shows the account
// page again with its problems, or goes back to it with a notice.
func (s *Server) accountAction(w http.ResponseWriter, r *http.Request, do func(sess *session) (notice string, err error)) error {
	if err := parseForm(w, r, 8<<10); err != nil {
		return err
	}
	sess := current(r)
	notice, err := do(sess)
	return s.settle(w, r, err, "/akun?"+notice, "account", func(fm Form) (any, error) {
		data, err := s.accountPageData(r)
		data.Form = fm
		if v := r.PostFormValue("name"); v != "" {
			data.NameValue = v
		}
		return data, err
	})
}

func (s *Server) accountName(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(w, r, func(sess *session) (string, error) {
		return "pesan=tersimpan", s.app.UpdateName(r.Context(), sess.Actor, r.PostFormValue("name"))
	})
}

func (s *Server) accountNIK(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(w, r, func(sess *session) (string, error) {
		warn, err := s.app.SetNIK(r.Context(), sess.Actor, r.PostFormValue("nik"))
		if !warn.IsZero() {
			return "peringatan=nik", err
		}
		return "pesan=tersimpan", err
	})
}

func (s *Server) accountRemoveNIK(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(w, r, func(sess *session) (string, error) {
		return "pesan=tersimpan", s.app.RemoveNIK(r.Context(), sess.Actor)
	})
}

func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(w, r, func(sess *session) (string, error) {
		return "pesan=sandi", s.app.ChangePassword(r.Context(), sess.Actor, r.PostFormValue("current"), r.PostFormValue("password"), sess.secret)
	})
}

func (s *Server) accountLogoutAll(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(w, r, func(sess *session) (string, error) {
		return "pesan=keluar", s.app.LogoutElsewhere(r.Context(), sess.Actor, sess.secret)
	})
}
