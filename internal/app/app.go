// Package app holds Pendopo's use cases, shared by the web pages, the JSON
// API and the command line: reading the catalog, searching it, changing it
// with authorization, importing and exporting. Handlers call app; app calls
// the store and the search index.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unique"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/data"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/figures"
	"github.com/pendopo/pendopo/internal/notify"
	"github.com/pendopo/pendopo/internal/ratelimit"
	"github.com/pendopo/pendopo/internal/search"
)

// App is the catalog application. Create it with New.
type App struct {
	store pendopo.Store
	now   func() time.Time
	log   *slog.Logger

	index *search.Index
	kinds map[string]pendopo.ServiceKind
	// others are other institutions' services, for search answers.
	others map[string]pendopo.OtherService
	// searches counts what people search, for the search log.
	searches searchLog

	syncMu  sync.Mutex
	lastSeq int64
	synText string // the region admins' synonym rules last loaded
	// stamp is the store's ChangeStamp when Sync last read it.
	stamp uint64
	// dataVersion counts the changes Sync has applied (see DataVersion).
	dataVersion atomic.Uint64

	views   *viewCache
	regions atomic.Pointer[regionCache]
	// joined is the set of regions that have joined, kept briefly.
	joined atomic.Pointer[joinedSet]

	passwords PasswordParams
	// hashes bounds the password hashes running at once.
	hashes *hashGate
	sealer *sealer
	health health // readiness: the key's check value and the write probe
	sso    *sso
	// dummyHash is checked against when an account does not exist, so that
	// a failed sign-in takes as long either way.
	dummyHash string
	baseURL   string
	demo      bool
	blobs     blob.Store
	// group batches concurrent applications' writes into shared commits.
	group         groupCommit
	noGroupCommit bool
	writers       int // batches that may commit at once
	// calMu guards the caches of calendars and service versions.
	calMu     sync.Mutex
	calendars map[string]cachedCalendar
	versions  map[[2]int64]pendopo.Version
	staff     map[string]cachedStaff
	online    map[string]cachedOnline
	// stats are the national figures, counted again after each change.
	stats atomic.Pointer[pendopo.Stats]

	// out queues and sends people's messages and notifications.
	out *notify.Outbox
	// reportLimit counts reports per reporter (account or contact);
	// keyRequests requests for a new reporter's key per report.
	reportLimit ratelimit.Limiter
	keyRequests ratelimit.Limiter
	// figs counts and caches the public figures.
	figs     *figures.Board
	auditLog auditLog
	// newNumber makes tracking numbers; tests replace it to force a
	// collision.
	newNumber func(region string, t time.Time) string
}

// Config configures New.
type Config struct {
	Store pendopo.Store
	// Now is the clock; tests inject a fixed one. Defaults to time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// CacheSize bounds the number of service pages kept assembled in memory.
	CacheSize int
	// SearchCache bounds the number of search results kept; 0 means the
	// default, a negative number none.
	SearchCache int
	// SecretKey (32 bytes) encrypts personal data at rest, such as NIKs.
	// Every instance sharing a database needs the same key.
	SecretKey []byte
	// Mail sends email, SMS sends to phones (SMS or WhatsApp gateways);
	// both default to writing messages to the log.
	Mail, SMS notify.Sender
	// Passwords are the argon2id costs; zero means DefaultPasswordParams.
	Passwords PasswordParams
	// HashMemory is the memory, in bytes, that password hashes may use
	// together: it bounds how many run at once (each takes
	// Passwords.MemoryK), to the CPUs but one (Passwords.Threads each) and at
	// least one; more wait briefly, then get a KindUnavailable error.
	// Zero means DefaultHashMemory.
	HashMemory int64
	// PasswordHashes, when above zero, is that bound itself instead.
	PasswordHashes int
	// BaseURL is the portal's address for links in messages, such as
	// invitations, and for single sign-on's redirect URI.
	BaseURL string
	// Demo marks a demo portal: its issued documents say so on every page.
	Demo bool
	// SSO turns on single sign-on for officers when its Issuer is set.
	SSO SSOConfig
	// Blobs keeps uploaded files and issued documents; without it uploads
	// are refused.
	Blobs blob.Store
}

// New prepares the database (regions and service kinds are seeded when
// missing) and builds the search index from the catalog.
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now // wallclock: the app's clock itself
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.CacheSize == 0 {
		cfg.CacheSize = 2048
	}
	if cfg.SearchCache == 0 {
		cfg.SearchCache = 4096
	}
	syn, err := search.ParseSynonyms(search.DefaultSynonyms)
	if err != nil {
		return nil, fmt.Errorf("default synonyms: %w", err)
	}
	if cfg.Mail == nil {
		cfg.Mail = notify.LogSender{Log: cfg.Logger}
	}
	if cfg.SMS == nil {
		cfg.SMS = notify.LogSender{Log: cfg.Logger}
	}
	if cfg.Passwords == (PasswordParams{}) {
		cfg.Passwords = DefaultPasswordParams
	}
	if cfg.SecretKey == nil {
		return nil, errors.New("app: a 32-byte secret key is needed to protect personal data")
	}
	sl, err := newSealer(cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	// Before anything is written: a key that is not the database's would
	// seal new data under it and fail to open the old.
	if err := CheckSecretKey(ctx, cfg.Store, cfg.SecretKey); err != nil {
		return nil, err
	}
	dummy := dummyPasswordHash(cfg.Passwords)
	if cfg.HashMemory <= 0 {
		cfg.HashMemory = DefaultHashMemory
	}
	slots := cfg.PasswordHashes
	if slots <= 0 {
		slots = hashSlots(cfg.HashMemory, cfg.Passwords, runtime.GOMAXPROCS(0))
	}
	gate := newHashGate(slots, hashQueue*slots, hashWait)
	if int64(cfg.Passwords.MemoryK)<<10 >= hashTidyFrom {
		gate.tidy = newHashTidy()
	}
	a := &App{store: cfg.Store, now: cfg.Now, log: cfg.Logger, index: search.NewIndex(syn), views: newViewCache(cfg.CacheSize),
		passwords: cfg.Passwords, hashes: gate, sealer: sl, dummyHash: dummy, baseURL: strings.TrimRight(cfg.BaseURL, "/"), demo: cfg.Demo, blobs: cfg.Blobs, writers: 1,
		reportLimit: ratelimit.Limiter{N: ReportsPerHour, Window: time.Hour}, newNumber: pendopo.NewTrackingNumber,
		health:      health{keyCheck: KeyCheck(cfg.SecretKey)},
		keyRequests: ratelimit.Limiter{N: reporterKeyRequestsPerDay, Window: keyRequestWindow}}
	a.figs = figures.New(cfg.Store, regionBook{a}, a.index, func() time.Time { return a.now() })
	a.out = notify.New(cfg.Store, func() time.Time { return a.now() }, a.log, cfg.Mail, cfg.SMS, a.baseURL)
	if wc, ok := cfg.Store.(interface{ WriteConcurrency() int }); ok {
		a.writers = max(1, wc.WriteConcurrency())
	}
	a.index.SetResultCache(max(0, cfg.SearchCache))
	a.log.Debug("password hashes at once", "slots", slots, "memory_each_kib", cfg.Passwords.MemoryK)
	if cfg.SSO.Issuer != "" {
		if cfg.SSO.ClientID == "" {
			return nil, errors.New("app: single sign-on needs a client ID")
		}
		if cfg.SSO.Name == "" {
			cfg.SSO.Name = "SSO"
		}
		a.sso = &sso{cfg: cfg.SSO, redirect: a.baseURL + SSOCallbackPath}
	}
	regions, err := data.Regions()
	if err != nil {
		return nil, err
	}
	n, err := a.store.SeedRegions(ctx, regions, a.now())
	if err != nil {
		return nil, err
	}
	if n > 0 {
		a.log.Info("loaded regions", "added", n)
	}
	kinds, err := data.ServiceKinds()
	if err != nil {
		return nil, err
	}
	if err := a.store.SeedServiceKinds(ctx, kinds); err != nil {
		return nil, err
	}
	if err := a.loadKinds(ctx); err != nil {
		return nil, err
	}
	if err := a.loadLexicon(); err != nil {
		return nil, err
	}
	if err := a.loadRegions(ctx, true); err != nil {
		return nil, err
	}
	start := time.Now() // wallclock: measures how long indexing took
	if err := a.Sync(ctx); err != nil {
		return nil, err
	}
	a.index.Trim()
	a.log.Info("search index ready", "services", a.index.Len(), "took", time.Since(start).Round(time.Millisecond)) // wallclock: measures a duration
	return a, nil
}

// Store returns the store under the app, for the demo loader and for
// tests, which seed and inspect data below the use cases. The pages, the
// API, Open311 and the commands go through the use cases instead
// (TestStoreBehindUseCases); a command that must work below them opens
// the store itself.
func (a *App) Store() pendopo.Store { return a.store }

// Now returns the app's clock time.
func (a *App) Now() time.Time { return a.now() }

func (a *App) loadKinds(ctx context.Context) error {
	kinds, err := a.store.ServiceKinds(ctx)
	if err != nil {
		return err
	}
	m := make(map[string]pendopo.ServiceKind, len(kinds))
	for _, k := range kinds {
		m[k.Code] = k
	}
	a.kinds = m
	return nil
}

// Kinds returns the national service kinds by code.
func (a *App) Kinds() map[string]pendopo.ServiceKind { return a.kinds }

// Kind returns one national service kind.
func (a *App) Kind(code string) (pendopo.ServiceKind, error) {
	k, ok := a.kinds[code]
	if !ok {
		return k, fmt.Errorf("kind %q: %w", code, pendopo.ErrNotFound)
	}
	return k, nil
}

// Follow keeps the search index and page cache in step with changes made
// by other instances, checking every interval until ctx ends.
func (a *App) Follow(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := a.Sync(ctx); err != nil && !errors.Is(err, context.Canceled) {
				a.log.Error("follow catalog changes", "err", err)
			}
		}
	}
}

// Sync applies catalog changes since the last call to the search index and
// the page cache, and reloads the synonym list if it changed. Writes made
// through App call it before they return, so a change is searchable at once.
func (a *App) Sync(ctx context.Context) error {
	a.syncMu.Lock()
	defer a.syncMu.Unlock()
	if err := a.syncSynonyms(ctx); err != nil {
		return err
	}
	if err := a.loadRegions(ctx, false); err != nil {
		return err
	}
	changed := a.stats.Load() == nil
	if cs, ok := a.store.(interface {
		ChangeStamp(context.Context) (uint64, error)
	}); ok {
		// Another instance (or a command beside this server) wrote:
		// reports, figures or branding that pages read straight from the
		// database may have changed, so what was assembled from them is
		// out of date here too.
		stamp, err := cs.ChangeStamp(ctx)
		if err != nil {
			return err
		}
		if stamp != a.stamp {
			a.stamp, changed = stamp, true
		}
	}
	for {
		docs, err := a.store.Changes(ctx, a.lastSeq, 2000)
		if err != nil {
			return err
		}
		if len(docs) == 0 {
			break
		}
		changed = true
		for _, d := range docs {
			a.views.drop(d.ID)
			if d.Published {
				a.index.Put(a.searchDoc(d))
			} else {
				a.index.Delete(d.ID)
			}
			a.lastSeq = max(a.lastSeq, d.Seq)
		}
	}
	if changed {
		st, err := a.store.Stats(ctx)
		if err != nil {
			return err
		}
		a.stats.Store(&st)
		a.dataVersion.Add(1)
	}
	return nil
}

// DataVersion changes whenever Sync applies a change to the catalog, the
// regions or the synonyms, whether it was made here or by another
// instance, and when Sync finds that another instance wrote anything else
// a page may show: a page assembled at one version is out of date at
// another.
func (a *App) DataVersion() uint64 { return a.dataVersion.Load() }

// Writes counts the writes this process made to the database, when the
// store counts them (zero otherwise): anything read before a write may
// be out of date after it. Writes by other instances are not counted.
func (a *App) Writes() uint64 {
	if wc, ok := a.store.(interface{ Writes() uint64 }); ok {
		return wc.Writes()
	}
	return 0
}

// SynonymsSetting names the setting that holds admins' synonym rules.
const SynonymsSetting = "synonyms"

func (a *App) syncSynonyms(ctx context.Context) error {
	text, err := a.store.Setting(ctx, SynonymsSetting)
	if err != nil && !errors.Is(err, pendopo.ErrNotFound) {
		return err
	}
	if text == a.synText {
		return nil
	}
	syn, err := search.ParseSynonyms(search.DefaultSynonyms, text)
	if err != nil {
		// Saved rules were validated; a failure means the defaults and the
		// saved rules no longer fit together. Keep searching with the old list.
		a.log.Error("synonym list in the database is invalid", "err", err)
		a.synText = text
		return nil
	}
	a.index.SetSynonyms(syn)
	a.synText = text
	a.dataVersion.Add(1)
	return nil
}

// searchDoc turns a changed service into what the index needs.
func (a *App) searchDoc(d pendopo.ServiceDoc) search.Doc {
	c := d.Content
	kind := a.kinds[c.Kind]
	doc := search.Doc{Weight: kind.Weight, Service: summaryOf(d, c)}
	doc.Text[search.FieldName] = c.Name
	doc.Text[search.FieldKind] = kind.Name.Indonesian + " " + c.Kind
	doc.Text[search.FieldSummary] = c.Summary + " " + c.Standard.Product
	doc.Text[search.FieldAgency] = d.AgencyName + " " + d.AgencyShort
	tax := ""
	if cat, ok := pendopo.CategoryByCode(c.Category); ok {
		tax = cat.Title.Indonesian
	}
	for _, e := range c.LifeEvents {
		if ev, ok := pendopo.LifeEventByCode(e); ok {
			tax += " " + ev.Title.Indonesian
		}
	}
	doc.Text[search.FieldTaxonomy] = tax
	body := make([]byte, 0, 512)
	for _, l := range [][]string{c.Standard.Requirements, c.Standard.Procedure} {
		for _, s := range l {
			body = append(body, s...)
			body = append(body, '\n')
		}
	}
	doc.Text[search.FieldBody] = string(body)
	return doc
}

// summaryOf is what a search hit shows. The index holds one per service,
// so strings that repeat across services (region, agency, kind) are
// interned, and the notes of the duration and fee, which lists do not
// show, are left out.
func summaryOf(d pendopo.ServiceDoc, c pendopo.ServiceContent) pendopo.ServiceSummary {
	in := func(s string) string { return unique.Make(s).Value() }
	dur := c.Standard.Duration
	dur.Note = ""
	fee := pendopo.Fee{Type: c.Standard.Fee.Type, Amount: c.Standard.Fee.Amount}
	events := make([]string, len(c.LifeEvents))
	for i, e := range c.LifeEvents {
		events[i] = in(e)
	}
	return pendopo.ServiceSummary{
		ID: d.ID, RegionCode: in(d.RegionCode), RegionName: in(d.RegionName), Slug: c.Slug, Kind: in(c.Kind), Name: c.Name,
		Summary: c.Summary, AgencySlug: in(d.AgencySlug), AgencyName: in(d.AgencyName), Category: in(c.Category),
		LifeEvents: events, Channels: slices.Clip(c.Channels), Duration: dur, Fee: fee,
		Requirements: len(c.Standard.Requirements), Version: d.Version, UpdatedAt: d.UpdatedAt, ReviewedAt: d.ReviewedAt,
		Complete: c.Standard.Complete(), Online: c.Apply != nil,
	}
}

// SetClock replaces the app's clock and returns a function that puts the
// one before back (defer a.SetClock(fixed)()). Only loaders that write
// history (the demo) and tests use it, before the app serves anyone.
func (a *App) SetClock(now func() time.Time) (restore func()) {
	old := a.now
	a.now = now
	return func() { a.now = old }
}

// SetTrackingNumbers replaces the maker of tracking numbers and returns a
// function that puts the one before back; tests use it to make a number
// collide.
func (a *App) SetTrackingNumbers(fn func(region string, t time.Time) string) (restore func()) {
	old := a.newNumber
	a.newNumber = fn
	return func() { a.newNumber = old }
}

// SetBlobs replaces the file store and returns the one before; tests use
// it to simulate a failing disk.
func (a *App) SetBlobs(b blob.Store) blob.Store {
	old := a.blobs
	a.blobs = b
	return old
}

// SetMail replaces the email sender and returns the one before, for tests
// that send through a real SMTP server.
func (a *App) SetMail(s notify.Sender) notify.Sender { return a.out.SetMail(s) }

// Figures is the board of public figures: dashboards, the e-gov
// ranking, oversight and open data's counts.
func (a *App) Figures() *figures.Board { return a.figs }

// Outbox is the app's outbox: the worker that delivers it, and the work
// done after answers that serve and tests wait for.
func (a *App) Outbox() *notify.Outbox { return a.out }
