package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/notify"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// TestSignInLockedTellsWhen: a locked sign-in says when to come back, on
// the page and in the API.
func TestSignInLockedTellsWhen(t *testing.T) {
	p := portaltest.NewPortal(t)
	var last portaltest.Response
	for range 6 {
		last = p.PostForm(t, "/masuk", url.Values{"login": {"nasional@pendopo.test"}, "password": {"tebak-tebakan"}}, "")
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") != "900" {
		t.Errorf("locked page: %d, Retry-After %q", last.StatusCode, last.Header.Get("Retry-After"))
	}
	var res portaltest.Response
	for range 6 {
		r := httptest.NewRequest("POST", "/api/v1/sessions", strings.NewReader(`{"login":"admin@semarangkota.test","password":"tebak-tebakan"}`))
		r.Header.Set("Content-Type", "application/json")
		res = p.Do(t, r)
	}
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "900" {
		t.Errorf("locked API: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

// TestMessagesDoNotHoldTheAnswer: registering (new or taken login) and
// asking for a reset code answer while the mail server still holds the
// message.
func TestMessagesDoNotHoldTheAnswer(t *testing.T) {
	slow := &heldSender{release: make(chan struct{})}
	p := portaltest.NewPortal(t, func(c *app.Config) { c.Mail = slow })
	for _, login := range []string{"baru@contoh.test", "admin@semarangkota.test"} {
		res := p.PostForm(t, "/daftar", url.Values{"name": {"Sari Wulandari"}, "login": {login}, "password": {"lumpia enak sekali"}, "setuju": {"1"}}, "")
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("register %s: %d", login, res.StatusCode)
		}
	}
	for _, login := range []string{"admin@semarangkota.test", "siapa@contoh.test"} {
		if res := p.PostForm(t, "/lupa-sandi", url.Values{"login": {login}}, ""); res.StatusCode != http.StatusSeeOther {
			t.Errorf("reset %s: %d", login, res.StatusCode)
		}
	}
	close(slow.release)
	p.App.Outbox().WaitDetached()
	if slow.sent() != 3 {
		t.Errorf("%d messages sent, want 3", slow.sent())
	}
}

// heldSender holds every message until release is closed.
type heldSender struct {
	release chan struct{}
	mu      sync.Mutex
	n       int
}

func (s *heldSender) Send(ctx context.Context, m notify.Message) error {
	select {
	case <-s.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	return nil
}

func (s *heldSender) sent() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}
