package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
)

// sessionCookie carries the secret of a signed-in session; the database
// keeps only its hash, so that sessions work across instances.
const sessionCookie = "pendopo_sesi"

type sessionKey struct{}

// session is the signed-in person of a request.
type session struct {
	Actor  pendopo.Actor
	User   pendopo.User
	secret string
}

// Officer reports whether the person holds a role and may open the console.
func (s *session) Officer() bool { return s != nil && s.Actor.Officer() }

// May reports whether the person may do act (a pendopo.Action) in region,
// so that the console shows only the links that will work.
func (s *session) May(act, region string) bool {
	if s == nil {
		return false
	}
	_, ok := s.Actor.Can(pendopo.Action(act), pendopo.Scope{Region: region})
	return ok
}

// MayInAgency reports whether the person may do act in region, or in an
// agency of it where they hold a role (an officer drafting in their own
// agency, say).
func (s *session) MayInAgency(act, region string) bool {
	if s.May(act, region) {
		return true
	}
	for _, r := range s.Actor.Roles {
		if r.Region == region && r.Allows(pendopo.Action(act), pendopo.Scope{Region: region, Agency: r.Agency}) {
			return true
		}
	}
	return false
}

// Name is what the header shows.
func (s *session) Name() string {
	if s.User.Name != "" {
		return s.User.Name
	}
	return s.User.Contact()
}

// clientIP is the address of the request's client.
func clientIP(r *http.Request) string { return httpx.ClientIP(r) }

// withSession reads the session cookie into the request context. A cookie
// whose session ended is removed.
func (s *Server) withSession(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			who, u, err := s.app.SessionActor(r.Context(), c.Value, clientIP(r))
			if err == nil {
				r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, &session{Actor: who, User: u, secret: c.Value}))
				// Pages of a signed-in person name them; shared caches
				// must not keep them.
				w.Header().Set("Cache-Control", "private, no-cache")
			} else if pendopo.KindOf(err) == pendopo.KindUnauthorized {
				s.clearSession(w)
			}
		}
		h.ServeHTTP(w, r)
	})
}

// current returns the signed-in person, or nil.
func current(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey{}).(*session)
	return s
}

// actor returns who makes the request: the signed-in person, or an
// anonymous actor with the client's address.
func actor(r *http.Request) pendopo.Actor {
	if s := current(r); s != nil {
		return s.Actor
	}
	return pendopo.Actor{IP: clientIP(r)}
}

func (s *Server) setSession(w http.ResponseWriter, secret string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(app.SessionMax.Seconds())})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// requireUser sends visitors who are not signed in to the sign-in page.
func (s *Server) requireUser(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if current(r) == nil {
			http.Redirect(w, r, "/masuk?kembali="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return nil
		}
		w.Header().Set("Cache-Control", "no-store")
		return h(w, r)
	}
}

var errNotOfficer = pendopo.Errorf(pendopo.KindForbidden, pendopo.M("web.this_page_for_officers_your"))

// requireOfficer lets only signed-in people with a role through.
func (s *Server) requireOfficer(h handlerFunc) handlerFunc {
	return s.requireUser(func(w http.ResponseWriter, r *http.Request) error {
		if !current(r).Officer() {
			return errNotOfficer
		}
		return h(w, r)
	})
}
