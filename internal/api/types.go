package api

import (
	"time"

	"github.com/pendopo/pendopo"
)

// The types below are what the API reads and writes. The OpenAPI document
// derives its schemas from them by reflection, so a field added here shows
// up in the document (and in the golden file) at once.

// List is one page of a list: its items, the number of items on all pages,
// and the page that was asked for.
type List[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// ErrorResponse is the body of every answer with a 4xx or 5xx status.
type ErrorResponse struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong, in the user's language.
type ErrorDetail struct {
	// Code is the error kind: invalid, bad_request, not_found, conflict,
	// too_large, unauthorized, forbidden, unsupported or internal.
	Code    pendopo.ErrorKind `json:"code"`
	Message string            `json:"message"`
	// Fields lists problems of single fields of the request.
	Fields []FieldError `json:"fields,omitempty"`
	// RequestID identifies the request in the server's logs.
	RequestID string `json:"request_id"`
}

// FieldError names one field of the request and what is wrong with it.
type FieldError struct {
	// Field is a JSON path into the request body ("standard.fee.amount"),
	// or the name of a query parameter.
	Field   string `json:"field"`
	Message string `json:"message"`
	// Line is the line of the request body where the field sits, when known.
	Line int `json:"line,omitempty"`
}

// ServiceDetail is a service with everything a client needs to show it:
// all 14 components of its standard, its national kind, the names of its
// region and agency, and the address of its public page.
type ServiceDetail struct {
	pendopo.Service
	// KindName names the national kind in both languages.
	KindName   pendopo.Text `json:"kind_name"`
	RegionName string       `json:"region_name"`
	AgencyName string       `json:"agency_name"`
	// Published reports whether the service has a public version.
	Published bool `json:"published"`
	// NeedsReview is true when the standard was not reviewed for 12 months.
	NeedsReview bool `json:"needs_review"`
	// DeliveryComponents are the keys of standard that the public sees
	// (PermenPAN-RB 15/2014); the other eight are internal.
	DeliveryComponents []string `json:"delivery_components"`
	// URL is the service's public HTML page.
	URL string `json:"url"`
}

// ServiceItem is a service in a list.
type ServiceItem struct {
	pendopo.ServiceSummary
	URL string `json:"url"`
}

// SearchHit is one search result with its relevance score.
type SearchHit struct {
	pendopo.ServiceSummary
	Score float64 `json:"score"`
	URL   string  `json:"url"`
}

// SearchResults is one page of search results.
type SearchResults struct {
	List[SearchHit]
	// Query is the query as searched: whitespace folded, cut to 256 bytes.
	Query string `json:"query"`
	// Corrections maps misspelt words of the query to the words searched
	// instead ("kelahrian" → "kelahiran").
	Corrections map[string]string `json:"corrections"`
	// Answers are what the query may mean beside the region's services: a
	// problem to report, or a service another institution provides. Only
	// on the first page.
	Answers []SearchAnswer `json:"answers"`
}

// SearchAnswer is a search answer that is not a region's service.
type SearchAnswer struct {
	// Type is "report" (report the problem to the region) or "elsewhere"
	// (another institution provides the service).
	Type string `json:"type"`
	// Code is the report category's code or the other service's.
	Code  string       `json:"code"`
	Title pendopo.Text `json:"title"`
	// Provider is who provides an "elsewhere" service.
	Provider *pendopo.Text `json:"provider,omitempty"`
	// URL is the provider's official site, or the region's report form
	// with the category chosen (when the search named a region).
	URL string `json:"url,omitempty"`
	// First is true when the answer is likelier than any service: show it
	// before the services.
	First bool `json:"first"`
}

// Comparison is one national service kind across regions.
type Comparison struct {
	Kind  pendopo.ServiceKind `json:"kind"`
	Sort  string              `json:"sort"`
	Order string              `json:"order"`
	Stats ComparisonStats     `json:"stats"`
	// Items has one row per published service of the kind.
	Items []ComparisonRow `json:"items"`
}

// ComparisonStats sums up a comparison; durations are in working days,
// 0 meaning the same day, and are 0 when there are no services.
type ComparisonStats struct {
	Services    int `json:"services"`
	Regions     int `json:"regions"`
	FastestDays int `json:"fastest_days"`
	SlowestDays int `json:"slowest_days"`
	// MedianDays is the mean of the middle two for an even count.
	MedianDays float64 `json:"median_days"`
	// Free counts the services without a fee.
	Free int `json:"free"`
}

// ComparisonRow is one region's service in a comparison.
type ComparisonRow struct {
	Region     string `json:"region"`
	RegionName string `json:"region_name"`
	ServiceID  int64  `json:"service_id"`
	Name       string `json:"name"`
	// DurationDays is the duration in working days, 0 for the same day.
	DurationDays      int              `json:"duration_days"`
	Duration          pendopo.Duration `json:"duration"`
	Fee               pendopo.Fee      `json:"fee"`
	RequirementsCount int              `json:"requirements_count"`
	UpdatedAt         time.Time        `json:"updated_at"`
	URL               string           `json:"url"`
}

// VersionInfo describes one version of a service without its content.
type VersionInfo struct {
	ServiceID int64     `json:"service_id"`
	Version   int       `json:"version"`
	Author    string    `json:"author"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
	Published bool      `json:"published"`
}

// Synonyms are the search synonym rules that admins maintain.
type Synonyms struct {
	// Rules are the admins' rules, one per line ("ktp, kartu tanda penduduk"
	// or "akte => akta").
	Rules string `json:"rules"`
	// Defaults are the national rules shipped with Pendopo, read-only.
	Defaults string `json:"defaults"`
}

// RegionRequest changes a region's display name and profile. The logo is
// changed through its own endpoint; profile.logo_hash is ignored.
type RegionRequest struct {
	// Name is the display name; empty keeps the current one.
	Name    string                 `json:"name,omitempty"`
	Profile *pendopo.RegionProfile `json:"profile"`
}

// AgencyRequest creates or updates an agency; its slug is in the path.
type AgencyRequest struct {
	Name        string `json:"name"`
	ShortName   string `json:"short_name,omitempty"`
	Description string `json:"description,omitempty"`
	Address     string `json:"address,omitempty"`
	Phone       string `json:"phone,omitempty"`
	Email       string `json:"email,omitempty"`
	Website     string `json:"website,omitempty"`
}

// ServicePointRequest creates or updates a service point; its slug is in
// the path.
type ServicePointRequest struct {
	Name string `json:"name"`
	// Agency is the slug of the agency that runs the point, if any.
	Agency  string   `json:"agency,omitempty"`
	Address string   `json:"address,omitempty"`
	Hours   string   `json:"hours,omitempty"`
	Phone   string   `json:"phone,omitempty"`
	Email   string   `json:"email,omitempty"`
	Lat     *float64 `json:"lat,omitempty"`
	Lng     *float64 `json:"lng,omitempty"`
}

// ServiceRequest creates a service: its content with a change note, and
// whether to publish it at once (else it is a draft).
type ServiceRequest struct {
	pendopo.ServiceContent
	Note    string `json:"note,omitempty"`
	Publish bool   `json:"publish,omitempty"`
}

// ServiceUpdateRequest stores a new version of a service. BaseVersion is
// the version the editor started from; when another version was saved
// meanwhile, the write fails with 409 so that no one's change is lost.
type ServiceUpdateRequest struct {
	ServiceRequest
	BaseVersion int `json:"base_version,omitempty"`
}

// PublishRequest makes a version public; version 0 or omitted means the latest.
type PublishRequest struct {
	Version int    `json:"version,omitempty"`
	Note    string `json:"note,omitempty"`
}

// SynonymsRequest replaces the admins' synonym rules.
type SynonymsRequest struct {
	Rules string `json:"rules"`
}
