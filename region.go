package pendopo

import (
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// RegionLevel is the tier of a region in Indonesian government.
type RegionLevel string

// Region levels, as the Kemendagri code list names them.
const (
	LevelProvinsi  RegionLevel = "provinsi"
	LevelKabupaten RegionLevel = "kabupaten"
	LevelKota      RegionLevel = "kota"
)

// Valid reports whether l is one of the three levels.
func (l RegionLevel) Valid() bool {
	return l == LevelProvinsi || l == LevelKabupaten || l == LevelKota
}

// Label names the level for people.
func (l RegionLevel) Label() Text {
	switch l {
	case LevelProvinsi:
		return M("rule.province")
	case LevelKabupaten:
		return M("rule.regency")
	case LevelKota:
		return M("rule.city")
	}
	return T(string(l), string(l))
}

var regionCodeRE = regexp.MustCompile(`^[1-9][0-9](\.[0-9]{2})?$`)

// ValidRegionCode reports whether code has the dotted Kemendagri form of a
// province ("33") or a kabupaten/kota ("33.74").
func ValidRegionCode(code string) bool { return regionCodeRE.MatchString(code) }

// Covers reports whether something scoped to region scope (an account's
// role, an API token, a holiday, a list filter) reaches region code: the
// national scope "" reaches every region, a region reaches itself, and a
// province ("33") reaches its kabupaten and kota ("33.74"), whose codes
// start with its own and a dot. It is the one statement of that rule; SQL
// that filters by region (region = ? OR region LIKE 'scope.%') mirrors it,
// and the store contract suite checks that both agree.
func Covers(scope, code string) bool {
	return scope == "" || code == scope ||
		len(code) > len(scope) && code[len(scope)] == '.' && code[:len(scope)] == scope
}

// LevelFromCode derives the level from the coding rule: after the province,
// 01-69 are kabupaten and 71-99 are kota.
func LevelFromCode(code string) (RegionLevel, bool) {
	if !ValidRegionCode(code) {
		return "", false
	}
	if len(code) == 2 {
		return LevelProvinsi, true
	}
	n, _ := strconv.Atoi(code[3:])
	switch {
	case n >= 1 && n <= 69:
		return LevelKabupaten, true
	case n >= 71 && n <= 99:
		return LevelKota, true
	}
	return "", false
}

// Region is a province, regency or city with its public profile.
type Region struct {
	Code       string        `json:"code"`
	Name       string        `json:"name"`
	Level      RegionLevel   `json:"level"`
	ParentCode string        `json:"parent_code,omitempty"`
	Profile    RegionProfile `json:"profile"`
	// ServiceCount is the number of published services; filled by lists.
	ServiceCount int       `json:"service_count"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// RegionProfile is what a region's admins say about it; the portal uses the
// colour and logo on the region's pages.
type RegionProfile struct {
	Tagline     string `json:"tagline"`
	Description string `json:"description"`
	Color       string `json:"color"` // "#rrggbb", dark enough for white text
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Address     string `json:"address"`
	Website     string `json:"website"`
	// LogoHash identifies the current logo image; empty when there is none.
	LogoHash string `json:"logo_hash,omitempty"`
}

// Logo is a region's logo image.
type Logo struct {
	ContentType string
	Data        []byte
	Hash        string
}

// DefaultColor is used for regions whose admins have not chosen one.
const DefaultColor = "#0b5d5b"

// Validate checks a profile and normalises its fields.
func (p *RegionProfile) Validate() error {
	var probs Problems
	trim(&p.Tagline, &p.Description, &p.Color, &p.Phone, &p.Email, &p.Address, &p.Website)
	maxLen(&probs, "tagline", p.Tagline, 160)
	maxLen(&probs, "description", p.Description, 2000)
	maxLen(&probs, "phone", p.Phone, 60)
	maxLen(&probs, "address", p.Address, 300)
	if p.Color != "" {
		p.Color = strings.ToLower(p.Color)
		if r, ok := ContrastWithWhite(p.Color); !ok {
			probs.Add("color", M("rule.colour_must_look_like_rrggbb"))
		} else if r < 4.5 {
			probs.Add("color", M("rule.colour_too_light_contrast_with", r))
		}
	}
	validEmail(&probs, "email", p.Email)
	validURL(&probs, "website", p.Website)
	return probs.Err()
}

// ContrastWithWhite returns the WCAG 2.1 contrast ratio between the colour
// hex ("#rrggbb") and white; ok is false when hex is malformed.
func ContrastWithWhite(hex string) (ratio float64, ok bool) {
	if len(hex) != 7 || hex[0] != '#' {
		return 0, false
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 0, false
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
	return 1.05 / (l + 0.05), true
}

// Agency is a perangkat daerah (OPD) of a region.
type Agency struct {
	ID          int64  `json:"id,omitempty"`
	RegionCode  string `json:"region,omitempty"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	ShortName   string `json:"short_name"`
	Description string `json:"description"`
	Address     string `json:"address"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Website     string `json:"website"`
	// ServiceCount is the number of published services; filled by lists.
	ServiceCount int `json:"service_count,omitempty"`
}

// Validate checks an agency and normalises its fields.
func (a *Agency) Validate() error {
	var probs Problems
	trim(&a.Slug, &a.Name, &a.ShortName, &a.Description, &a.Address, &a.Phone, &a.Email, &a.Website)
	validSlug(&probs, "slug", a.Slug)
	required(&probs, "name", a.Name)
	maxLen(&probs, "name", a.Name, 200)
	maxLen(&probs, "short_name", a.ShortName, 60)
	maxLen(&probs, "description", a.Description, 2000)
	maxLen(&probs, "address", a.Address, 300)
	maxLen(&probs, "phone", a.Phone, 60)
	validEmail(&probs, "email", a.Email)
	validURL(&probs, "website", a.Website)
	return probs.Err()
}

// Label is the short name when there is one, else the name.
func (a Agency) Label() string {
	if a.ShortName != "" {
		return a.ShortName
	}
	return a.Name
}

// ServicePoint is a unit layanan: a place where citizens are served.
type ServicePoint struct {
	ID         int64    `json:"id,omitempty"`
	RegionCode string   `json:"region,omitempty"`
	Slug       string   `json:"slug"`
	Name       string   `json:"name"`
	AgencySlug string   `json:"agency,omitempty"`
	Address    string   `json:"address"`
	Hours      string   `json:"hours"`
	Phone      string   `json:"phone"`
	Email      string   `json:"email"`
	Lat        *float64 `json:"lat,omitempty"`
	Lng        *float64 `json:"lng,omitempty"`
}

// Validate checks a service point and normalises its fields.
func (p *ServicePoint) Validate() error {
	var probs Problems
	trim(&p.Slug, &p.Name, &p.AgencySlug, &p.Address, &p.Hours, &p.Phone, &p.Email)
	validSlug(&probs, "slug", p.Slug)
	required(&probs, "name", p.Name)
	maxLen(&probs, "name", p.Name, 200)
	maxLen(&probs, "address", p.Address, 300)
	maxLen(&probs, "hours", p.Hours, 300)
	maxLen(&probs, "phone", p.Phone, 60)
	validEmail(&probs, "email", p.Email)
	if (p.Lat == nil) != (p.Lng == nil) {
		probs.Add("lat", M("rule.give_latitude_longitude_together"))
	}
	// Indonesia spans roughly 6°N to 11°S and 95°E to 141°E.
	if p.Lat != nil && (*p.Lat < -12 || *p.Lat > 7 || math.IsNaN(*p.Lat)) {
		probs.Add("lat", M("rule.latitude_must_lie_indonesia_between"))
	}
	if p.Lng != nil && (*p.Lng < 94 || *p.Lng > 142 || math.IsNaN(*p.Lng)) {
		probs.Add("lng", M("rule.longitude_must_lie_indonesia_between"))
	}
	return probs.Err()
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a lowercase, hyphenated identifier of at
// most 80 characters.
func ValidSlug(s string) bool { return len(s) <= 80 && slugRE.MatchString(s) }

func validSlug(p *Problems, field, s string) {
	if s == "" {
		p.Add(field, M("rule.required"))
	} else if !ValidSlug(s) {
		p.Add(field, M("rule.use_lowercase_letters_digits_hyphens"))
	}
}

func required(p *Problems, field, s string) {
	if strings.TrimSpace(s) == "" {
		p.Add(field, M("rule.required"))
	}
}

// maxLen checks that s is at most n characters of valid text: UTF-8
// without NUL or other control characters except tab and newline.
func maxLen(p *Problems, field, s string, n int) {
	if !ValidText(s) {
		p.Add(field, M("rule.contains_invalid_characters"))
		return
	}
	if l := len([]rune(s)); l > n {
		p.Add(field, M("rule.too_long_characters_at_most", l, n))
	}
}

// ValidText reports whether s is valid UTF-8 without control characters
// other than tab and line breaks, which no database or page should get.
func ValidText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0x7f {
			return false
		}
	}
	return true
}

func validEmail(p *Problems, field, s string) {
	if s == "" {
		return
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		p.Add(field, M("rule.not_valid_email_address"))
	}
}

func validURL(p *Problems, field, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		p.Add(field, M("rule.web_address_must_start_with"))
	}
}

func trim(ss ...*string) {
	for _, s := range ss {
		*s = strings.TrimSpace(*s)
	}
}
