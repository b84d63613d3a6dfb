package app

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

// TokenPrefix starts every API token, so that leaked tokens are easy to
// recognise in logs and by secret scanners.
const TokenPrefix = "pdp_"

// CreateToken makes an API token for integrations, national or limited to a
// region, and returns it with its secret, which is shown once and stored
// only as a hash.
func (a *App) CreateToken(ctx context.Context, who pendopo.Actor, name, region string) (pendopo.Token, string, error) {
	var p pendopo.Problems
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 80 || !pendopo.ValidText(name) {
		p.Add("name", pendopo.M("app.a_token_name_required_at"))
	}
	if region != "" {
		if _, err := a.Region(ctx, region); err != nil {
			p.Add("region", pendopo.M("app.unknown_region"))
		}
	}
	if err := p.Err(); err != nil {
		return pendopo.Token{}, "", err
	}
	role, err := who.Authorize(pendopo.ActManageTokens, pendopo.Scope{Region: region})
	if err != nil {
		return pendopo.Token{}, "", err
	}
	if region == "" && !who.National() {
		return pendopo.Token{}, "", pendopo.ErrForbidden
	}
	secret := TokenPrefix + randomSecret(24)
	var t pendopo.Token
	e := pendopo.AuditEntry{Action: "token.create", Entity: "api_token", Region: region}
	err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		var err error
		t, err = tx.CreateToken(ctx, pendopo.Token{Name: name, Region: region, Hash: sha256Hex(secret), CreatedAt: a.now(), CreatedBy: who.Name})
		e.EntityID, e.Diff = strconv.FormatInt(t.ID, 10), pendopo.Diff(nil, map[string]string{"name": name, "region": region})
		return err
	})
	return t, secret, err
}

var errBadToken = pendopo.Errorf(pendopo.KindUnauthorized, pendopo.M("app.unknown_revoked_token"))

// Authenticate turns a token secret into an actor.
func (a *App) Authenticate(ctx context.Context, secret string) (pendopo.Actor, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return pendopo.Actor{}, errBadToken
	}
	t, err := a.store.TokenByHash(ctx, sha256Hex(secret))
	if errors.Is(err, pendopo.ErrNotFound) || err == nil && !t.RevokedAt.IsZero() {
		return pendopo.Actor{}, errBadToken
	}
	if err != nil {
		return pendopo.Actor{}, err
	}
	// Recording use is worth at most one write a minute per token.
	if now := a.now(); now.Sub(t.LastUsedAt) > 60e9 {
		if err := a.store.TouchToken(ctx, t.ID, now); err != nil {
			a.log.Warn("record token use", "token", t.ID, "err", err)
		}
	}
	return pendopo.Actor{Name: "token:" + t.Name, TokenID: t.ID, Region: t.Region}, nil
}

// Tokens lists the API tokens an actor may manage: all for national
// admins, a region's (and its kabupaten/kota's) for region admins.
func (a *App) Tokens(ctx context.Context, who pendopo.Actor) ([]pendopo.Token, error) {
	all, err := a.store.Tokens(ctx)
	if err != nil {
		return nil, err
	}
	var out []pendopo.Token
	for _, t := range all {
		if _, ok := who.Can(pendopo.ActManageTokens, pendopo.Scope{Region: t.Region}); ok && (t.Region != "" || who.National()) {
			out = append(out, t)
		}
	}
	return out, nil
}

// RevokeToken revokes an API token.
func (a *App) RevokeToken(ctx context.Context, who pendopo.Actor, id int64) error {
	var t *pendopo.Token
	all, err := a.store.Tokens(ctx)
	if err != nil {
		return err
	}
	for i := range all {
		if all[i].ID == id {
			t = &all[i]
		}
	}
	if t == nil {
		return pendopo.ErrNotFound
	}
	role, err := who.Authorize(pendopo.ActManageTokens, pendopo.Scope{Region: t.Region})
	if err != nil {
		return err
	}
	if t.Region == "" && !who.National() {
		return pendopo.ErrForbidden
	}
	e := pendopo.AuditEntry{Action: "token.revoke", Entity: "api_token", EntityID: strconv.FormatInt(id, 10), Region: t.Region}
	return a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.RevokeToken(ctx, id, a.now()) })
}
