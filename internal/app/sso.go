package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/pendopo/pendopo"
)

// SSOConfig turns on single sign-on for officers through an OpenID Connect
// provider (the region's own identity server, say). Officers are matched
// to their local accounts, and so to the roles admins gave them, by the
// provider's verified email address; nobody gets a role from the
// provider itself.
type SSOConfig struct {
	// Issuer is the provider's issuer URL; its discovery document is at
	// Issuer + "/.well-known/openid-configuration".
	Issuer       string
	ClientID     string
	ClientSecret string
	// Name labels the sign-in button, such as "SSO Pemkot Semarang".
	Name string
}

// SSOCallbackPath is where the provider sends people back; register
// BaseURL + SSOCallbackPath as the client's redirect URI.
const SSOCallbackPath = "/masuk/sso/kembali"

// ssoFlowLifetime bounds how long a sign-in at the provider may take.
const ssoFlowLifetime = 10 * time.Minute

// sso is a configured provider, discovered on first use so that a
// provider that is down does not stop the portal from starting.
type sso struct {
	cfg      SSOConfig
	redirect string

	mu       sync.Mutex
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

var errSSOUnavailable = pendopo.Errorf(pendopo.KindUnavailable, pendopo.M("app.single_sign_on_not_available"))

func (s *sso) ready(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.oauth != nil {
		return s.oauth, s.verifier, nil
	}
	p, err := oidc.NewProvider(ctx, s.cfg.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("discover %s: %w", s.cfg.Issuer, err)
	}
	s.oauth = &oauth2.Config{ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: s.redirect, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	s.verifier = p.Verifier(&oidc.Config{ClientID: s.cfg.ClientID})
	return s.oauth, s.verifier, nil
}

// SSOName is the label of the single sign-on button, or "" when single
// sign-on is off.
func (a *App) SSOName() string {
	if a.sso == nil {
		return ""
	}
	return a.sso.cfg.Name
}

// ssoFlow is what the browser carries, sealed, between the start of a
// sign-in and the provider's answer.
type ssoFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Back     string `json:"b,omitempty"`
	Invite   string `json:"i,omitempty"`
	Expires  int64  `json:"e"`
}

const ssoContext = "sso-flow"

// SSOStart begins a sign-in: it returns the provider's address to send
// the browser to and a sealed value to keep in a cookie until it comes
// back. invite is the secret of an invitation to accept, or "".
func (a *App) SSOStart(ctx context.Context, back, invite string) (redirect, cookie string, err error) {
	if a.sso == nil {
		return "", "", pendopo.ErrNotFound
	}
	oc, _, err := a.sso.ready(ctx)
	if err != nil {
		a.log.Warn("single sign-on", "err", err)
		return "", "", errSSOUnavailable
	}
	f := ssoFlow{State: randomSecret(16), Nonce: randomSecret(16), Verifier: oauth2.GenerateVerifier(), Back: back, Invite: invite,
		Expires: a.now().Add(ssoFlowLifetime).Unix()}
	raw, _ := json.Marshal(f)
	cookie = base64.RawURLEncoding.EncodeToString(a.sealer.seal(string(raw), ssoContext))
	return oc.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), cookie, nil
}

var errSSOFailed = pendopo.Errorf(pendopo.KindUnauthorized, pendopo.M("app.single_sign_on_did_not"))

var errSSONoAccount = pendopo.Errorf(pendopo.KindForbidden, pendopo.M("app.your_single_sign_on_account"))

// SSOResult is a finished single sign-on.
type SSOResult struct {
	// Secret is the new session's secret.
	Secret string
	User   pendopo.User
	// Back is where the person was going.
	Back string
}

// SSOFinish checks the provider's answer (state, PKCE, the ID token's
// signature, audience, expiry and nonce) and signs the person in to the
// local account linked to the provider's subject. The first time, the
// account is found by the provider's verified email: an officer's
// existing account, or the account an invitation in the flow makes.
func (a *App) SSOFinish(ctx context.Context, cookie, state, code, ip, userAgent string) (SSOResult, error) {
	if a.sso == nil {
		return SSOResult{}, pendopo.ErrNotFound
	}
	enc, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil {
		return SSOResult{}, errSSOFailed
	}
	raw, err := a.sealer.open(enc, ssoContext)
	if err != nil {
		return SSOResult{}, errSSOFailed
	}
	var f ssoFlow
	if json.Unmarshal([]byte(raw), &f) != nil || f.State == "" || f.State != state || a.now().Unix() > f.Expires || code == "" {
		return SSOResult{}, errSSOFailed
	}
	oc, verifier, err := a.sso.ready(ctx)
	if err != nil {
		a.log.Warn("single sign-on", "err", err)
		return SSOResult{}, errSSOUnavailable
	}
	tok, err := oc.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		a.log.Warn("single sign-on: code exchange", "err", err)
		return SSOResult{}, errSSOFailed
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := verifier.Verify(ctx, rawID)
	if err != nil || idt.Nonce != f.Nonce {
		a.log.Warn("single sign-on: ID token refused", "err", err)
		return SSOResult{}, errSSOFailed
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified bool   `json:"email_verified"`
		Name          string `json:"name"`
		Username      string `json:"preferred_username"`
	}
	if err := idt.Claims(&claims); err != nil {
		return SSOResult{}, errSSOFailed
	}
	email, _, ok := pendopo.NormalizeLogin(claims.Email)
	if !claims.EmailVerified || !ok || email == "" {
		email = "" // an unverified address proves nothing
	}
	provider := a.sso.cfg.Issuer
	userID, err := a.store.Identity(ctx, provider, idt.Subject)
	linked := err == nil
	switch {
	case err != nil && !errors.Is(err, pendopo.ErrNotFound):
		return SSOResult{}, err
	case f.Invite != "":
		// An invitation is taken even by someone already linked.
		inv, err := a.Invitation(ctx, f.Invite)
		if err != nil {
			return SSOResult{}, err
		}
		if email != inv.Email {
			return SSOResult{}, pendopo.Errorf(pendopo.KindForbidden, pendopo.M("app.this_invitation_for_but_your", inv.Email))
		}
		existing := userID
		if !linked {
			if c, err := a.store.Credentials(ctx, email, ""); err == nil {
				existing = c.UserID
			}
		}
		name := claims.Name
		if name == "" {
			name = claims.Username
		}
		if name == "" {
			name = inv.Name
		}
		var link func(tx pendopo.Store, uid int64) error
		if !linked {
			link = func(tx pendopo.Store, uid int64) error { return tx.LinkIdentity(ctx, provider, idt.Subject, uid) }
		}
		userID, err = a.takeInvitation(ctx, inv, existing, pendopo.User{Name: name, Email: email}, "", ip, link)
		if err != nil {
			return SSOResult{}, err
		}
	case linked:
	default:
		// Officers with an account already link on first use; people
		// without a role are not let in through single sign-on.
		c, err := a.store.Credentials(ctx, email, "")
		if email == "" || errors.Is(err, pendopo.ErrNotFound) {
			return SSOResult{}, errSSONoAccount
		}
		if err != nil {
			return SSOResult{}, err
		}
		u, err := a.store.User(ctx, c.UserID)
		if err != nil {
			return SSOResult{}, err
		}
		if len(u.Roles) == 0 {
			return SSOResult{}, errSSONoAccount
		}
		e := pendopo.AuditEntry{Action: "user.sso_link", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10),
			Diff: pendopo.Diff(map[string]any{}, map[string]any{"provider": provider, "subject": idt.Subject})}
		who := pendopo.Actor{Name: u.Name + " (#" + strconv.FormatInt(u.ID, 10) + ")", UserID: u.ID, IP: ip}
		if err := a.audited(ctx, who, "officer", &e, func(tx pendopo.Store) error { return tx.LinkIdentity(ctx, provider, idt.Subject, u.ID) }); err != nil {
			return SSOResult{}, err
		}
		userID = u.ID
	}
	u, err := a.store.User(ctx, userID)
	if errors.Is(err, pendopo.ErrNotFound) {
		return SSOResult{}, errSSONoAccount
	}
	if err != nil {
		return SSOResult{}, err
	}
	secret, err := a.startSession(ctx, u.ID, ip, userAgent)
	if err != nil {
		return SSOResult{}, err
	}
	back := f.Back
	if back == "" || strings.HasPrefix(back, "/undangan/") {
		back = "/admin"
	}
	return SSOResult{Secret: secret, User: u, Back: back}, nil
}
