package pendopo

import (
	"context"
	"time"
)

// Store is the persistent state of Pendopo. internal/store implements it
// for SQLite and PostgreSQL; both pass the same contract suite
// (internal/store/storetest). A missing row is ErrNotFound and a unique
// violation ErrConflict, each wrapped with context.
type Store interface {
	// InTx runs fn in one transaction: every write in fn lands, or none.
	InTx(ctx context.Context, fn func(Store) error) error
	// Batch runs independent units of work in one transaction with one
	// commit: a failing unit is left out (the others run again without
	// it) and its error returned in errs. Units may run more than once.
	// err means the commit failed and nothing landed. This is how
	// concurrent writes share an fsync.
	Batch(ctx context.Context, fns []func(Store) error) (errs []error, err error)

	RegionStore
	AgencyStore
	ServiceStore
	TokenStore
	AccountStore
	AuditStore
	ApplicationStore
	ReportStore
	StatStore
	SurveyStore
	OutboxStore
	NotificationStore
	BrandingStore
	ErasureStore
	SecretStore
	PhotoStore
	SearchLogStore

	// Setting reads a named setting; a missing one is ErrNotFound.
	Setting(ctx context.Context, key string) (string, error)
	// PutSetting stores a named setting.
	PutSetting(ctx context.Context, key, value string) error
	// SwapSetting replaces a named setting only if it still holds old ("" for
	// one not made yet), and reports whether it did: of two changes made
	// at once, one wins and the other sees it lost.
	SwapSetting(ctx context.Context, key, old, value string) (bool, error)
	// Stats counts what the national landing page shows.
	Stats(ctx context.Context) (Stats, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	Close() error
}

// PhotoStore finds the photos the public and reporters see (of reports
// and of program updates) by their address in the blob store, to clean
// those stored before photos were cleaned on upload.
type PhotoStore interface {
	// PhotoAddrs lists, in order, up to limit distinct addresses of report
	// and program update photos after after.
	PhotoAddrs(ctx context.Context, after string, limit int) ([]string, error)
	// ReplacePhoto points every report and program update photo at old to
	// the cleaned file (addr, media, size), or removes those photos when
	// addr is "". It returns how many it changed.
	ReplacePhoto(ctx context.Context, old, addr, media string, size int64) (int64, error)
}

// RegionFilter selects regions; empty fields do not filter.
type RegionFilter struct {
	Level  RegionLevel
	Parent string
	Page   Page
}

// RegionStore keeps regions and their profiles.
type RegionStore interface {
	Regions(ctx context.Context, f RegionFilter) (regions []Region, total int, err error)
	Region(ctx context.Context, code string) (Region, error)
	// SeedRegions inserts the regions that are missing and leaves existing
	// ones (and their edited profiles) alone; it returns how many it added.
	SeedRegions(ctx context.Context, regions []Region, at time.Time) (int, error)
	// UpdateRegion changes a region's display name and profile. A nil logo
	// keeps the current one; an empty Logo removes it.
	UpdateRegion(ctx context.Context, code, name string, p RegionProfile, logo *Logo, at time.Time) (Region, error)
	RegionLogo(ctx context.Context, code string) (Logo, error)
	// RegionsChangedAt is the latest time any region was added or edited,
	// so that instances can tell when to reload their list of regions.
	RegionsChangedAt(ctx context.Context) (time.Time, error)
}

// AgencyStore keeps agencies and service points.
type AgencyStore interface {
	Agencies(ctx context.Context, region string, p Page) ([]Agency, int, error)
	Agency(ctx context.Context, region, slug string) (Agency, error)
	// SaveAgency inserts an agency or, when one with the same region and
	// slug exists, updates it.
	SaveAgency(ctx context.Context, a Agency, at time.Time) (Agency, error)
	ServicePoints(ctx context.Context, region string) ([]ServicePoint, error)
	// SaveServicePoint inserts or updates by region and slug.
	SaveServicePoint(ctx context.Context, p ServicePoint, at time.Time) (ServicePoint, error)
}

// ServiceFilter selects services; empty fields do not filter.
type ServiceFilter struct {
	Region    string
	Agency    string // agency slug, with Region
	Category  string
	LifeEvent string
	Kind      string
	// Drafts includes services that were never published; lists for the
	// public leave it false.
	Drafts bool
	Sort   ServiceSort
	Desc   bool
	Page   Page
}

// ServiceSort orders a service list.
type ServiceSort string

// Sort orders.
const (
	SortName         ServiceSort = "name"
	SortRegion       ServiceSort = "region"
	SortDuration     ServiceSort = "duration"
	SortFee          ServiceSort = "fee"
	SortRequirements ServiceSort = "requirements"
	SortUpdated      ServiceSort = "updated"
)

// Valid reports whether s is a known order.
func (s ServiceSort) Valid() bool {
	switch s {
	case SortName, SortRegion, SortDuration, SortFee, SortRequirements, SortUpdated:
		return true
	}
	return false
}

// Change says who changes something, when and why; every new version and
// every publication carries one.
type Change struct {
	Author string
	Note   string
	At     time.Time
}

// ServiceStore keeps services and their versions.
type ServiceStore interface {
	// Service returns a service with the content of its published version,
	// or of its latest draft when it was never published.
	Service(ctx context.Context, id int64) (Service, error)
	ServiceBySlug(ctx context.Context, region, slug string) (Service, error)
	Services(ctx context.Context, f ServiceFilter) ([]ServiceSummary, int, error)
	// RegionServices returns all services of a region with their content,
	// ordered by slug, for export.
	RegionServices(ctx context.Context, region string) ([]Service, error)
	// CreateService stores version 1 of a new service, published at once
	// when publish is true. The content must be valid and its agency and
	// points must exist in region.
	CreateService(ctx context.Context, region string, c ServiceContent, ch Change, publish bool) (Service, error)
	// UpdateService stores the content as a new version. When baseVersion
	// is not 0 and the latest version differs, it fails with ErrConflict so
	// that two editors cannot overwrite each other.
	UpdateService(ctx context.Context, id int64, c ServiceContent, ch Change, publish bool, baseVersion int) (Service, error)
	// PublishService makes version n the public one and marks the service reviewed.
	PublishService(ctx context.Context, id int64, n int, ch Change) (Service, error)
	// MarkReviewed records that the published standard was checked and is still right.
	MarkReviewed(ctx context.Context, id int64, ch Change) (Service, error)
	// Versions lists a service's versions, newest first, without content.
	Versions(ctx context.Context, id int64) ([]Version, error)
	Version(ctx context.Context, id int64, n int) (Version, error)
	// SubmitVersion marks version n as put forward for review by by;
	// ErrNotFound when there is no such version, ErrConflict when it is
	// already published.
	SubmitVersion(ctx context.Context, id int64, n int, by string, at time.Time) error
	// ReturnVersion takes a submitted version back out of review.
	ReturnVersion(ctx context.Context, id int64, n int) error
	// PendingVersions lists a region's (a province's includes its
	// kabupaten/kota) submitted versions newer than their service's public
	// version, oldest first.
	PendingVersions(ctx context.Context, region string) ([]PendingVersion, error)

	ServiceKinds(ctx context.Context) ([]ServiceKind, error)
	// SeedServiceKinds inserts or updates the national kinds.
	SeedServiceKinds(ctx context.Context, kinds []ServiceKind) error

	// Changes returns, in order, up to limit services whose public
	// content changed after sequence number after, for keeping search
	// indexes and caches in step across instances.
	Changes(ctx context.Context, after int64, limit int) ([]ServiceDoc, error)
}

// ServiceDoc is a service as search indexes it: its published content with
// the names of its region and agency. A doc with Published false was
// withdrawn and must leave the index.
type ServiceDoc struct {
	Seq         int64
	ID          int64
	RegionCode  string
	RegionName  string
	AgencySlug  string
	AgencyName  string
	AgencyShort string
	Published   bool
	Version     int
	UpdatedAt   time.Time
	ReviewedAt  time.Time
	Content     ServiceContent
}

// Token is an API token for writes. Only a hash of its secret is stored.
type Token struct {
	ID   int64
	Name string
	// Region limits the token to one region (and, for a province, its
	// kabupaten/kota); empty means national.
	Region     string
	Hash       string
	CreatedAt  time.Time
	CreatedBy  string
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// CanWrite reports whether the token may change region code.
func (t Token) CanWrite(code string) bool {
	return t.RevokedAt.IsZero() && Covers(t.Region, code)
}

// TokenStore keeps API tokens.
type TokenStore interface {
	CreateToken(ctx context.Context, t Token) (Token, error)
	TokenByHash(ctx context.Context, hash string) (Token, error)
	Tokens(ctx context.Context) ([]Token, error)
	RevokeToken(ctx context.Context, id int64, at time.Time) error
	TouchToken(ctx context.Context, id int64, at time.Time) error
}

// Stats are the national figures of the landing page.
type Stats struct {
	Regions            int `json:"regions"`
	RegionsWithCatalog int `json:"regions_with_catalog"`
	Agencies           int `json:"agencies"`
	Services           int `json:"services"`
	Kinds              int `json:"kinds"`
}

// Credentials are what signing in checks.
type Credentials struct {
	UserID       int64
	PasswordHash string
}

// Session is a signed-in browser. Only a hash of its cookie is stored.
type Session struct {
	// Hash is the SHA-256 of the session's secret; it never leaves the
	// server, not even in a person's data export.
	Hash       string    `json:"-"`
	UserID     int64     `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
}

// Code purposes.
const (
	CodeConfirm = "confirm"
	CodeReset   = "reset"
)

// AuthCode is a one-time code sent to a user; only its hash is stored.
type AuthCode struct {
	UserID    int64
	Purpose   string
	Hash      string
	ExpiresAt time.Time
	CreatedAt time.Time
}

// MaxCodeAttempts is how many wrong guesses void a one-time code.
const MaxCodeAttempts = 5

// Invitation asks someone to become an officer with a role; only a hash of
// its link's secret is stored.
type Invitation struct {
	ID         int64     `json:"id"`
	Hash       string    `json:"-"`
	Email      string    `json:"email"`
	Name       string    `json:"name"`
	Role       Role      `json:"role"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	AcceptedAt time.Time `json:"accepted_at"`
	AcceptedBy int64     `json:"accepted_by,omitempty"`
}

// Pending reports whether the invitation can still be accepted at now: not
// accepted yet and not expired. now is the app's clock, never the wall
// clock, so that a page and the acceptance agree.
func (i Invitation) Pending(now time.Time) bool {
	return i.AcceptedAt.IsZero() && now.Before(i.ExpiresAt)
}

// UserFilter selects officers; empty fields do not filter.
type UserFilter struct {
	// Region keeps users with a role in the region (or, for a province,
	// in its kabupaten/kota).
	Region string
}

// AccountStore keeps people, their roles and their sign-in state.
type AccountStore interface {
	// CreateUser stores a user; a taken email or phone is ErrConflict.
	CreateUser(ctx context.Context, u User, passwordHash string, at time.Time) (User, error)
	// User returns a user with their roles; erased users are not found.
	User(ctx context.Context, id int64) (User, error)
	// Credentials finds the sign-in data by email or phone (one is empty).
	Credentials(ctx context.Context, email, phone string) (Credentials, error)
	UpdateUserName(ctx context.Context, id int64, name string, at time.Time) error
	// UserNIK returns the encrypted NIK, nil when none.
	UserNIK(ctx context.Context, id int64) ([]byte, error)
	// SetUserNIK stores an encrypted NIK; nil removes it.
	SetUserNIK(ctx context.Context, id int64, enc []byte, at time.Time) error
	SetPassword(ctx context.Context, id int64, hash string, at time.Time) error
	ConfirmUser(ctx context.Context, id int64, at time.Time) error
	// EraseUser removes a user's personal data and everything that signs
	// them in or reaches them: name, contact, NIK, password, roles,
	// sessions, codes, single sign-on links, notifications, queued
	// messages, failed sign-ins counted against their contact and the
	// contact on invitations they were sent. The id stays so that records
	// kept keep a reference without identity.
	EraseUser(ctx context.Context, id int64, at time.Time) error
	Users(ctx context.Context, f UserFilter) ([]User, error)
	GrantRole(ctx context.Context, userID int64, r Role, by string, at time.Time) error
	// RevokeRole removes a role; removing one the user does not hold is ErrNotFound.
	RevokeRole(ctx context.Context, userID int64, r Role) error
	// JoinedRegions lists, by code, the regions that have joined Pendopo:
	// those where an account that was not erased holds JoiningRole for
	// exactly that region.
	JoinedRegions(ctx context.Context) ([]string, error)

	CreateSession(ctx context.Context, s Session) error
	// Session returns a session that has not expired at now.
	Session(ctx context.Context, hash string, now time.Time) (Session, error)
	TouchSession(ctx context.Context, hash string, seen, expires time.Time) error
	DeleteSession(ctx context.Context, hash string) error
	// DeleteSessions ends all sessions of a user but keep (which may be "").
	DeleteSessions(ctx context.Context, userID int64, keep string) error
	Sessions(ctx context.Context, userID int64) ([]Session, error)

	CreateCode(ctx context.Context, c AuthCode) error
	// ConsumeCode uses a code once. A wrong code counts against the user's
	// newest code of that purpose, voided after MaxCodeAttempts; an
	// unknown, used, expired or voided code is ErrNotFound.
	ConsumeCode(ctx context.Context, userID int64, purpose, hash string, now time.Time) error

	CreateInvitation(ctx context.Context, inv Invitation) (Invitation, error)
	InvitationByHash(ctx context.Context, hash string) (Invitation, error)
	AcceptInvitation(ctx context.Context, id, userID int64, at time.Time) error
	// CancelInvitation makes a pending invitation expire at at; one that
	// was accepted or no longer pending is ErrNotFound.
	CancelInvitation(ctx context.Context, id int64, at time.Time) error
	Invitations(ctx context.Context, region string) ([]Invitation, error)

	// LoginFailures counts the attempts of key ("acct:12", "ip:…") after
	// since, for reports and tests; limits count and record at once with
	// CountAttempt, since counting first and recording later races.
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, key string) error
	// CountAttempt records an attempt under each of keys at at, atomically
	// with counting them: counts[i] is the number of attempts under keys[i]
	// after since, before this one, and when allow(counts) is false nothing
	// is recorded. Concurrent calls that share a key see each other's
	// attempts. Attempts at or before since are deleted, so a key must be
	// counted over one window. It returns the recorded attempts' ids.
	CountAttempt(ctx context.Context, keys []string, since, at time.Time, allow func(counts []int) bool) (ids []int64, ok bool, err error)
	// ForgetAttempts deletes attempts CountAttempt recorded.
	ForgetAttempts(ctx context.Context, ids []int64) error

	// Identity finds the user linked to a single-sign-on subject.
	Identity(ctx context.Context, provider, subject string) (int64, error)
	LinkIdentity(ctx context.Context, provider, subject string, userID int64) error
}
