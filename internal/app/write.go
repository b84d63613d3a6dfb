package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/search"
)

// Actor is who asks for a change: an API token for now, the command line,
// and people once accounts exist.
type Actor struct {
	// Name is recorded as the author of versions.
	Name string
	// Region limits the actor to one region (a province includes its
	// kabupaten/kota); empty means national.
	Region string
}

// System is the actor of the command line and demo loader: national.
var System = Actor{Name: "sistem"}

// CanWrite reports whether a may change region code.
func (a Actor) CanWrite(code string) bool {
	return pendopo.Token{Region: a.Region}.CanWrite(code)
}

// National reports whether a is not limited to a region.
func (a Actor) National() bool { return a.Region == "" }

var errForbidden = pendopo.Errorf(pendopo.KindForbidden, pendopo.T("Token Anda tidak berhak mengubah data daerah ini.", "Your token may not change this region."))

func (a Actor) must(code string) error {
	if !a.CanWrite(code) {
		return fmt.Errorf("%s writing %s: %w", a.Name, code, errForbidden)
	}
	return nil
}

// UpdateRegion changes a region's display name and profile; logo nil keeps
// the logo, an empty logo removes it.
func (a *App) UpdateRegion(ctx context.Context, who Actor, code, name string, p pendopo.RegionProfile, logo *pendopo.Logo) (pendopo.Region, error) {
	r, err := a.Region(ctx, code)
	if err != nil {
		return r, err
	}
	if err := who.must(code); err != nil {
		return r, err
	}
	var probs pendopo.Problems
	name = strings.TrimSpace(name)
	if name == "" {
		name = r.Name
	}
	if !pendopo.ValidText(name) {
		probs.Add("name", pendopo.T("Berisi karakter yang tidak valid.", "Contains invalid characters."))
	} else if len([]rune(name)) > 120 {
		probs.Add("name", pendopo.T("Nama terlalu panjang (maksimal 120 karakter).", "Name too long (at most 120 characters)."))
	}
	if err := p.Validate(); err != nil {
		probs = append(probs, err.(*pendopo.Error).Fields...)
	}
	if logo != nil && len(logo.Data) > 0 {
		if err := checkLogo(logo); err != nil {
			probs = append(probs, err.(*pendopo.Error).Fields...)
		}
	}
	if err := probs.Err(); err != nil {
		return r, err
	}
	r, err = a.store.UpdateRegion(ctx, code, name, p, logo, a.now())
	if err != nil {
		return r, err
	}
	if err := a.loadRegions(ctx, true); err != nil {
		return r, err
	}
	return r, a.Sync(ctx)
}

// MaxLogoBytes bounds a region logo.
const MaxLogoBytes = 256 << 10

// checkLogo accepts PNG, JPEG, WebP and SVG images, judged by content, and
// sets the content type.
func checkLogo(l *pendopo.Logo) error {
	var p pendopo.Problems
	if len(l.Data) > MaxLogoBytes {
		p.Add("logo", pendopo.T(fmt.Sprintf("Logo terlalu besar: %d KB, maksimal %d KB.", len(l.Data)>>10, MaxLogoBytes>>10),
			fmt.Sprintf("Logo too large: %d KB, at most %d KB.", len(l.Data)>>10, MaxLogoBytes>>10)))
		return p.Err()
	}
	switch ct := http.DetectContentType(l.Data); ct {
	case "image/png", "image/jpeg", "image/webp":
		l.ContentType = ct
		return nil
	}
	if isSVG(l.Data) {
		l.ContentType = "image/svg+xml"
		return nil
	}
	p.Add("logo", pendopo.T("Logo harus berupa gambar PNG, JPEG, WebP atau SVG.", "The logo must be a PNG, JPEG, WebP or SVG image."))
	return p.Err()
}

// isSVG reports whether b is an XML document whose root is <svg>. SVG logos
// are shown through <img> and served with a sandboxing policy, so scripts
// inside them never run.
func isSVG(b []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == "svg"
		}
	}
}

// RegionLogo returns a region's logo.
func (a *App) RegionLogo(ctx context.Context, code string) (pendopo.Logo, error) {
	if !pendopo.ValidRegionCode(code) {
		return pendopo.Logo{}, fmt.Errorf("logo %q: %w", code, pendopo.ErrNotFound)
	}
	return a.store.RegionLogo(ctx, code)
}

// SaveAgency creates or updates an agency of a region.
func (a *App) SaveAgency(ctx context.Context, who Actor, ag pendopo.Agency) (pendopo.Agency, error) {
	if _, err := a.Region(ctx, ag.RegionCode); err != nil {
		return ag, err
	}
	if err := who.must(ag.RegionCode); err != nil {
		return ag, err
	}
	if err := ag.Validate(); err != nil {
		return ag, err
	}
	out, err := a.store.SaveAgency(ctx, ag, a.now())
	if err != nil {
		return out, err
	}
	a.stats.Store(nil) // the agency count changed
	return out, a.Sync(ctx)
}

// Agencies lists a region's agencies.
func (a *App) Agencies(ctx context.Context, region string, p pendopo.Page) ([]pendopo.Agency, int, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, 0, err
	}
	return a.store.Agencies(ctx, region, p)
}

// Agency returns an agency of a region.
func (a *App) Agency(ctx context.Context, region, slug string) (pendopo.Agency, error) {
	return a.store.Agency(ctx, region, slug)
}

// ServicePoints lists a region's service points.
func (a *App) ServicePoints(ctx context.Context, region string) ([]pendopo.ServicePoint, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, err
	}
	return a.store.ServicePoints(ctx, region)
}

// SaveServicePoint creates or updates a service point.
func (a *App) SaveServicePoint(ctx context.Context, who Actor, p pendopo.ServicePoint) (pendopo.ServicePoint, error) {
	if _, err := a.Region(ctx, p.RegionCode); err != nil {
		return p, err
	}
	if err := who.must(p.RegionCode); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	out, err := a.store.SaveServicePoint(ctx, p, a.now())
	if errors.Is(err, pendopo.ErrNotFound) {
		return out, invalidParam("agency", "Perangkat daerah tidak ada di daerah ini.", "No such agency in this region.")
	}
	if err != nil {
		return out, err
	}
	return out, a.Sync(ctx)
}

// ServiceWrite is a requested change of a service's content.
type ServiceWrite struct {
	Content pendopo.ServiceContent
	Note    string
	// Publish makes the new version public at once; otherwise it is a draft.
	Publish bool
	// BaseVersion is the version the editor started from; when it is not 0
	// and another version was saved meanwhile, the write is refused.
	BaseVersion int
}

func (w *ServiceWrite) validate() error {
	w.Note = strings.TrimSpace(w.Note)
	err := w.Content.Validate()
	if len([]rune(w.Note)) > 500 || !pendopo.ValidText(w.Note) {
		var p pendopo.Problems
		if err != nil {
			p = err.(*pendopo.Error).Fields
		}
		p.Add("note", pendopo.T("Catatan perubahan maksimal 500 karakter.", "The change note has at most 500 characters."))
		return p.Err()
	}
	return err
}

// CreateService adds a service to a region.
func (a *App) CreateService(ctx context.Context, who Actor, region string, w ServiceWrite) (pendopo.Service, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return pendopo.Service{}, err
	}
	if err := who.must(region); err != nil {
		return pendopo.Service{}, err
	}
	if err := w.validate(); err != nil {
		return pendopo.Service{}, err
	}
	s, err := a.store.CreateService(ctx, region, w.Content, a.change(who, w.Note), w.Publish)
	if err != nil {
		return s, err
	}
	return s, a.Sync(ctx)
}

func (a *App) change(who Actor, note string) pendopo.Change {
	return pendopo.Change{Author: who.Name, Note: note, At: a.now()}
}

// ServiceForEdit returns a service with the content of its latest version,
// draft or not, for an actor allowed to edit it.
func (a *App) ServiceForEdit(ctx context.Context, who Actor, id int64) (pendopo.Service, error) {
	s, err := a.store.Service(ctx, id)
	if err != nil {
		return s, err
	}
	if err := who.must(s.RegionCode); err != nil {
		return s, err
	}
	if s.LatestVersion != s.Version && s.Version != 0 {
		v, err := a.store.Version(ctx, id, s.LatestVersion)
		if err != nil {
			return s, err
		}
		s.ServiceContent = v.Content
	}
	return s, nil
}

// UpdateService stores a new version of a service.
func (a *App) UpdateService(ctx context.Context, who Actor, id int64, w ServiceWrite) (pendopo.Service, error) {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return cur, err
	}
	if err := who.must(cur.RegionCode); err != nil {
		return cur, err
	}
	if err := w.validate(); err != nil {
		return cur, err
	}
	s, err := a.store.UpdateService(ctx, id, w.Content, a.change(who, w.Note), w.Publish, w.BaseVersion)
	if err != nil {
		return s, err
	}
	return s, a.Sync(ctx)
}

// PublishService makes version n of a service public; n 0 means the latest.
func (a *App) PublishService(ctx context.Context, who Actor, id int64, n int, note string) (pendopo.Service, error) {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return cur, err
	}
	if err := who.must(cur.RegionCode); err != nil {
		return cur, err
	}
	if n == 0 {
		n = cur.LatestVersion
	}
	if _, err := a.store.Version(ctx, id, n); errors.Is(err, pendopo.ErrNotFound) {
		return cur, invalidParam("version", "Versi itu tidak ada.", "No such version.")
	}
	s, err := a.store.PublishService(ctx, id, n, a.change(who, note))
	if err != nil {
		return s, err
	}
	return s, a.Sync(ctx)
}

// ReviewService records that a service's published standard was checked
// and is still right, which clears the "needs review" flag.
func (a *App) ReviewService(ctx context.Context, who Actor, id int64) (pendopo.Service, error) {
	cur, err := a.store.Service(ctx, id)
	if err != nil {
		return cur, err
	}
	if err := who.must(cur.RegionCode); err != nil {
		return cur, err
	}
	s, err := a.store.MarkReviewed(ctx, id, a.change(who, ""))
	if err != nil {
		return s, err
	}
	a.views.drop(id)
	return s, a.Sync(ctx)
}

// Versions lists a service's versions for an actor allowed to edit it.
func (a *App) Versions(ctx context.Context, who Actor, id int64) ([]pendopo.Version, error) {
	s, err := a.store.Service(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := who.must(s.RegionCode); err != nil {
		return nil, err
	}
	return a.store.Versions(ctx, id)
}

// AdminServices lists a region's services including drafts.
func (a *App) AdminServices(ctx context.Context, who Actor, region string, p pendopo.Page) ([]pendopo.ServiceSummary, int, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, 0, err
	}
	if err := who.must(region); err != nil {
		return nil, 0, err
	}
	return a.store.Services(ctx, pendopo.ServiceFilter{Region: region, Drafts: true, Page: p})
}

// Synonyms returns the admins' synonym rules (the national defaults are
// search.DefaultSynonyms).
func (a *App) Synonyms(ctx context.Context) (string, error) {
	s, err := a.store.Setting(ctx, SynonymsSetting)
	if errors.Is(err, pendopo.ErrNotFound) {
		return "", nil
	}
	return s, err
}

// SetSynonyms replaces the admins' synonym rules; only national actors may,
// because search is national. Errors name the line.
func (a *App) SetSynonyms(ctx context.Context, who Actor, rules string) error {
	if !who.National() {
		return errForbidden
	}
	rules = strings.ReplaceAll(rules, "\r\n", "\n")
	if !pendopo.ValidText(rules) {
		return invalidParam("synonyms", "Daftar sinonim berisi karakter yang tidak valid.", "The synonym list contains invalid characters.")
	}
	if len(rules) > 64<<10 {
		return invalidParam("synonyms", "Daftar sinonim maksimal 64 KB.", "The synonym list is at most 64 KB.")
	}
	if _, err := search.ParseSynonyms(rules); err != nil {
		return err
	}
	if err := a.store.PutSetting(ctx, SynonymsSetting, rules); err != nil {
		return err
	}
	return a.Sync(ctx)
}

// TokenPrefix starts every API token, so that leaked tokens are easy to
// recognise in logs and by secret scanners.
const TokenPrefix = "pdp_"

// CreateToken makes an API token and returns it with its secret, which is
// shown once and stored only as a hash.
func (a *App) CreateToken(ctx context.Context, name, region string) (pendopo.Token, string, error) {
	var p pendopo.Problems
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 80 || !pendopo.ValidText(name) {
		p.Add("name", pendopo.T("Nama token wajib diisi (maksimal 80 karakter).", "A token name is required (at most 80 characters)."))
	}
	if region != "" {
		if _, err := a.Region(ctx, region); err != nil {
			p.Add("region", pendopo.T("Daerah tidak dikenal.", "Unknown region."))
		}
	}
	if err := p.Err(); err != nil {
		return pendopo.Token{}, "", err
	}
	b := make([]byte, 24)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		return pendopo.Token{}, "", err
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t, err := a.store.CreateToken(ctx, pendopo.Token{Name: name, Region: region, Hash: hashToken(secret), CreatedAt: a.now()})
	return t, secret, err
}

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

var errBadToken = pendopo.Errorf(pendopo.KindUnauthorized, pendopo.T("Token tidak dikenal atau sudah dicabut.", "Unknown or revoked token."))

// Authenticate turns a token secret into an actor.
func (a *App) Authenticate(ctx context.Context, secret string) (Actor, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return Actor{}, errBadToken
	}
	t, err := a.store.TokenByHash(ctx, hashToken(secret))
	if errors.Is(err, pendopo.ErrNotFound) || err == nil && !t.RevokedAt.IsZero() {
		return Actor{}, errBadToken
	}
	if err != nil {
		return Actor{}, err
	}
	// Recording use is worth at most one write a minute per token.
	if now := a.now(); now.Sub(t.LastUsedAt) > 60e9 {
		if err := a.store.TouchToken(ctx, t.ID, now); err != nil {
			a.log.Warn("record token use", "token", t.ID, "err", err)
		}
	}
	return Actor{Name: "token:" + t.Name, Region: t.Region}, nil
}

// Tokens lists API tokens.
func (a *App) Tokens(ctx context.Context) ([]pendopo.Token, error) { return a.store.Tokens(ctx) }

// RevokeToken revokes an API token.
func (a *App) RevokeToken(ctx context.Context, id int64) error {
	return a.store.RevokeToken(ctx, id, a.now())
}
