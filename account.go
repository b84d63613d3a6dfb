package pendopo

import (
	_ "embed"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// User is a person with an account: a citizen (warga), and an officer too
// when they hold roles.
type User struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	// Phone is in +62 form.
	Phone string `json:"phone,omitempty"`
	// NIK is the decrypted NIK when loaded for its owner; stores keep it
	// encrypted.
	NIK         string    `json:"-"`
	ConfirmedAt time.Time `json:"confirmed_at"`
	CreatedAt   time.Time `json:"created_at"`
	// Roles are the officer roles the user holds.
	Roles []Role `json:"roles"`
}

// Confirmed reports whether the user proved they own their email or phone.
func (u User) Confirmed() bool { return !u.ConfirmedAt.IsZero() }

// Contact is the email address or, failing that, the phone number.
func (u User) Contact() string {
	if u.Email != "" {
		return u.Email
	}
	return u.Phone
}

// NormalizeLogin turns what someone typed as their login into an email
// address (lowercased) or an Indonesian mobile number in +62 form; ok is
// false when it is neither.
func NormalizeLogin(s string) (email, phone string, ok bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "@") {
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s || len(s) > 200 {
			return "", "", false
		}
		return strings.ToLower(s), "", true
	}
	p, ok := NormalizePhone(s)
	return "", p, ok
}

// NormalizePhone turns an Indonesian mobile number written as 0812…,
// 62812…, +62 812-… or (0812) … into +62812…; ok is false for anything
// else. Mobile numbers start with 8 after the country code and have 9 to
// 12 digits after it.
func NormalizePhone(s string) (string, bool) {
	var digits strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return "", false
		}
	}
	d := digits.String()
	switch {
	case strings.HasPrefix(d, "62"):
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	}
	if !strings.HasPrefix(d, "8") || len(d) < 9 || len(d) > 12 {
		return "", false
	}
	return "+62" + d, true
}

//go:embed weak-passwords.txt
var weakPasswordList string

var weakPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(weakPasswordList, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}()

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// CheckPassword rejects passwords that are short, very long, known to be
// common (including Indonesian favourites such as "bismillah"), or made of
// the user's own login or name.
func CheckPassword(pw string, personal ...string) error {
	var p Problems
	n := utf8.RuneCountInString(pw)
	lower := strings.ToLower(pw)
	switch {
	case n < MinPasswordLength:
		p.Add("password", M("rule.the_password_needs_at_least"))
	case len(pw) > 200:
		p.Add("password", M("rule.the_password_has_at_most"))
	case weakPasswords[lower] || weakPasswords[strings.TrimRight(lower, "0123456789!.")] || repeats(lower):
		p.Add("password", M("rule.this_password_too_common_easy"))
	default:
		for _, s := range personal {
			s = strings.ToLower(strings.TrimSpace(s))
			if at := strings.IndexByte(s, '@'); at > 0 {
				s = s[:at]
			}
			if len(s) >= 4 && strings.Contains(lower, s) {
				p.Add("password", M("rule.the_password_must_not_contain"))
				break
			}
		}
	}
	return p.Err()
}

// repeats reports whether s is one character repeated or a plain run such
// as "12345678" or "abcdefgh".
func repeats(s string) bool {
	if len(s) < 2 {
		return true
	}
	same, up, down := true, true, true
	for i := 1; i < len(s); i++ {
		same = same && s[i] == s[0]
		up = up && s[i] == s[i-1]+1
		down = down && s[i] == s[i-1]-1
	}
	return same || up || down
}

// RoleKind is an officer role.
type RoleKind string

// Roles, from the widest to the narrowest scope.
const (
	// RoleNationalAdmin manages everything (Kemendagri or the platform operator).
	RoleNationalAdmin RoleKind = "national_admin"
	// RoleOverseer reads, never writes, across a province's regions or the
	// whole country (Region empty).
	RoleOverseer RoleKind = "overseer"
	// RoleRegionAdmin manages one region: profile, agencies, services,
	// users and tokens (usually Diskominfo).
	RoleRegionAdmin RoleKind = "region_admin"
	// RoleAgencyAdmin manages one agency's information, services and officers.
	RoleAgencyAdmin RoleKind = "agency_admin"
	// RoleSupervisor (kepala/pimpinan) reviews and publishes the agency's work.
	RoleSupervisor RoleKind = "supervisor"
	// RoleOfficer (petugas) drafts the agency's services.
	RoleOfficer RoleKind = "officer"
)

// RoleKinds lists the roles in order, with their names for people.
var RoleKinds = []struct {
	Kind  RoleKind
	Title Text
}{
	{RoleNationalAdmin, M("rule.national_admin")},
	{RoleOverseer, M("rule.overseer_read_only")},
	{RoleRegionAdmin, M("rule.region_admin")},
	{RoleAgencyAdmin, M("rule.agency_admin")},
	{RoleSupervisor, M("rule.supervisor_head")},
	{RoleOfficer, M("rule.officer")},
}

// Title names a role kind for people.
func (k RoleKind) Title() Text {
	for _, r := range RoleKinds {
		if r.Kind == k {
			return r.Title
		}
	}
	return T(string(k), string(k))
}

// Role is a role held where the person works: nationally (Region empty),
// in a region, or in one agency of a region.
type Role struct {
	Kind   RoleKind `json:"kind"`
	Region string   `json:"region,omitempty"`
	Agency string   `json:"agency,omitempty"` // agency slug within Region
}

// Validate checks that the role's scope fits its kind.
func (r Role) Validate() error {
	var p Problems
	switch r.Kind {
	case RoleNationalAdmin:
		if r.Region != "" || r.Agency != "" {
			p.Add("region", M("rule.a_national_admin_has_no"))
		}
	case RoleOverseer:
		if r.Region != "" && len(r.Region) != 2 || r.Agency != "" {
			p.Add("region", M("rule.an_overseer_covers_whole_country"))
		}
	case RoleRegionAdmin:
		if !ValidRegionCode(r.Region) || r.Agency != "" {
			p.Add("region", M("rule.a_region_admin_needs_region"))
		}
	case RoleAgencyAdmin, RoleSupervisor, RoleOfficer:
		if !ValidRegionCode(r.Region) || !ValidSlug(r.Agency) {
			p.Add("agency", M("rule.this_role_needs_region_agency"))
		}
	default:
		p.Add("kind", M("rule.unknown_role"))
	}
	return p.Err()
}

// Action is something an actor may be allowed to do; Authorize decides.
type Action string

// Actions on the catalog and the console.
const (
	ActEditRegion     Action = "region.edit"     // profile and branding
	ActEditAgency     Action = "agency.edit"     // an agency's information
	ActCreateAgency   Action = "agency.create"   // new agencies, service points
	ActEditPoints     Action = "points.edit"     // service points
	ActDraftService   Action = "service.draft"   // create services, save drafts, submit for review
	ActPublishService Action = "service.publish" // publish, roll back, mark reviewed
	ActEditSynonyms   Action = "synonyms.edit"   // national search synonyms
	ActLearnSearch    Action = "search.learn"    // read a region's search log, make a query find one of its services
	ActManageUsers    Action = "users.manage"    // invite officers, grant and revoke roles
	ActManageTokens   Action = "tokens.manage"   // API tokens
	ActViewAudit      Action = "audit.view"      // the audit trail
	ActViewConsole    Action = "console.view"    // open a region's console, read drafts
	ActImport         Action = "catalog.import"  // import a region bundle
	// Online applications. Viewing shows applicants' personal data, so
	// overseers (who see figures) do not have it.
	ActViewApplications  Action = "applications.view"   // an agency's applications and their files
	ActHandleApplication Action = "applications.handle" // act on steps, file at a counter on someone's behalf
	ActManageHolidays    Action = "holidays.manage"     // the region's own holidays
	// Citizen reports. The region's coordinator (its admin) verifies and
	// disposes; the agency the report went to follows it up.
	ActCoordinateReports Action = "reports.coordinate" // verify, reject, archive, dispose, forward, merge, moderate, routing
	ActHandleReports     Action = "reports.handle"     // answer, complete, extend, forward within the region
	// ActOversee opens the oversight view of the e-gov index: which regions
	// lag and on what, for the country (scope region "") or a province.
	ActOversee Action = "oversight.view"
	// Satisfaction surveys. A service point's daily presence code, which
	// lets walk-in respondents answer, is for the staff of its agency and
	// the region admin; held walk-in responses are the region admin's to
	// accept or reject, since they decide what the published IKM counts.
	ActSurveyCodes   Action = "surveys.codes"
	ActReviewSurveys Action = "surveys.review"
)

// Scope is what an action applies to: a region, and an agency within it.
type Scope struct {
	Region string
	Agency string
}

// ActsOnStep reports whether holding r lets someone act on a workflow
// step of its agency: an officer's step is open to the agency's
// officers, supervisors and agency admins, a supervisor's step to
// supervisors and agency admins, an agency admin's to agency admins.
func (r Role) ActsOnStep(st WorkflowStep) bool {
	rank := map[RoleKind]int{RoleOfficer: 1, RoleSupervisor: 2, RoleAgencyAdmin: 3}
	return rank[r.Kind] > 0 && rank[r.Kind] >= rank[st.Role]
}

// Allows reports whether holding role r permits action a on scope s. It is
// the one table of who may do what.
func (r Role) Allows(a Action, s Scope) bool {
	switch r.Kind {
	case RoleNationalAdmin:
		return true
	case RoleOverseer:
		// Read only: the console, the audit trail and the oversight view.
		return (a == ActViewConsole || a == ActViewAudit || a == ActOversee) && Covers(r.Region, s.Region)
	case RoleRegionAdmin:
		if s.Region != r.Region {
			return false
		}
		// Deciding on applications belongs to the agency's own staff.
		return a != ActEditSynonyms && a != ActHandleApplication
	case RoleAgencyAdmin, RoleSupervisor, RoleOfficer:
		if s.Region != r.Region {
			return false
		}
		ownAgency := s.Agency == r.Agency
		switch a {
		case ActViewConsole:
			return true
		case ActViewApplications, ActHandleApplication, ActHandleReports, ActSurveyCodes:
			return ownAgency
		case ActDraftService:
			return ownAgency
		case ActPublishService:
			return ownAgency && r.Kind != RoleOfficer
		case ActEditAgency, ActManageUsers, ActViewAudit:
			return ownAgency && r.Kind == RoleAgencyAdmin
		}
	}
	return false
}
