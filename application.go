package pendopo

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Online is what a service needs so that citizens can apply for it in
// Pendopo: the form, the steps at the agency, whether cuti bersama count
// as working days for its clock, and the document it issues. It lives in
// the service's content, so every change is a new version and an
// application keeps the version it was made under.
type Online struct {
	Form       Form     `json:"form"`
	Workflow   Workflow `json:"workflow"`
	LeaveWorks bool     `json:"leave_works,omitempty"`
	Output     Output   `json:"output"`
}

// Output is the template of the document a completed application issues;
// {key} placeholders take form answers and the built-in values.
type Output struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Validate checks the form and the workflow; the output template is
// checked by the layer that fills it.
func (o *Online) Validate() error {
	var p Problems
	if err := o.Form.Validate(); err != nil {
		p = append(p, problemsOf(err)...)
	}
	if err := o.Workflow.Validate(); err != nil {
		p = append(p, problemsOf(err)...)
	}
	o.Output.Title = strings.TrimSpace(o.Output.Title)
	if o.Output.Title == "" || len(o.Output.Title) > 200 || !ValidText(o.Output.Title) {
		p.Add("output.title", M("rule.the_output_document_needs_title"))
	}
	if len(o.Output.Body) > 5000 || !ValidText(o.Output.Body) {
		p.Add("output.body", M("rule.the_output_document_text_at"))
	}
	return p.Err()
}

// problemsOf returns the field problems an error carries, or one general
// problem.
func problemsOf(err error) Problems {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields
	}
	return Problems{{Msg: T(err.Error(), err.Error())}}
}

// Application is a citizen's request for a service.
type Application struct {
	ID     int64  `json:"-"`
	Number string `json:"number"`
	Region string `json:"region"`
	// ServiceID and ServiceVersion name the service and the version whose
	// form, workflow and duration apply.
	ServiceID      int64  `json:"service_id"`
	ServiceVersion int    `json:"service_version"`
	ServiceName    string `json:"service_name"`
	Agency         string `json:"agency"`
	// ApplicantID is the account that follows the application;
	// ApplicantName the person it is for. AssistedBy is the officer who
	// filed it at a counter on the person's behalf (0 when they applied
	// themselves).
	ApplicantID   int64  `json:"-"`
	ApplicantName string `json:"applicant_name"`
	AssistedBy    int64  `json:"-"`
	ApplicationState
	Answers Answers `json:"answers"`
	// Sealed is Answers encrypted with the instance key, as stored: they
	// may hold NIKs and addresses.
	Sealed []byte `json:"-"`
	// Assignee is the officer a step was handed to; 0 means anyone with
	// the step's role at the agency.
	Assignee int64 `json:"-"`
	// Deadline is the last working day for the agency, set when the
	// application is complete and pushed back by the working days it
	// spent waiting on the applicant. 0 means no clock (a draft).
	Deadline Day `json:"deadline,omitzero"`
	// PausedSince is the day the application was returned, while it is.
	PausedSince Day `json:"-"`
	PausedDays  int `json:"paused_days"`
	// Rev counts changes; an update names the revision it read, so two
	// officers acting at once cannot both win.
	Rev         int       `json:"rev"`
	CreatedAt   time.Time `json:"created_at"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	// Document is the verification code of the issued document.
	Document string `json:"document,omitempty"`
	// Key makes creating a draft idempotent per applicant.
	Key string `json:"-"`
}

// ApplicationEvent is one line of an application's timeline.
type ApplicationEvent struct {
	ID            int64             `json:"-"`
	ApplicationID int64             `json:"-"`
	At            time.Time         `json:"at"`
	ActorID       int64             `json:"-"`
	ActorName     string            `json:"-"`
	ActorRole     RoleKind          `json:"actor_role,omitempty"` // empty for the applicant
	Action        ApplicationAction `json:"action"`
	Step          int               `json:"step"`
	Status        ApplicationStatus `json:"status"`
	Note          string            `json:"note,omitempty"`
}

// ApplicationFilter selects applications; zero fields do not filter.
type ApplicationFilter struct {
	ApplicantID int64
	Region      string
	Agency      string
	// Agencies keeps applications of any of these agencies.
	Agencies []string
	Statuses []ApplicationStatus
	// DueBy keeps applications whose deadline is on or before this day.
	DueBy Day
	// NewAfter keeps the applications nobody has acted on yet (at the
	// first step, handed to no one) whose deadline is after this day.
	NewAfter Day
	// ByDeadline orders by deadline (soonest first) instead of newest
	// first.
	ByDeadline bool
	// ByID orders by id, oldest first, keeps applications after AfterID
	// and counts nothing (the total is 0): a way to walk them all.
	ByID    bool
	AfterID int64
	Page    Page
}

// Upload is an uploaded file's record; the bytes live in the blob store.
type Upload struct {
	ID            int64     `json:"-"`
	ApplicationID int64     `json:"-"`
	Field         string    `json:"field"`
	Addr          string    `json:"addr"`
	Media         string    `json:"media"`
	Size          int64     `json:"size"`
	Name          string    `json:"name"`
	UploadedBy    int64     `json:"-"`
	CreatedAt     time.Time `json:"created_at"`
}

// IssuedDocument records an output document: its code, the SHA-256 of
// the exact PDF and the region key's Ed25519 signature over it.
type IssuedDocument struct {
	Code          string    `json:"code"`
	ApplicationID int64     `json:"-"`
	Region        string    `json:"region"`
	Title         string    `json:"title"`
	Digest        []byte    `json:"sha256"`
	Signature     []byte    `json:"signature"`
	KeyID         string    `json:"key_id"`
	Blob          string    `json:"-"`
	IssuedAt      time.Time `json:"issued_at"`
}

// SigningKey is a region's Ed25519 key. The private half is sealed with
// the instance's secret key; retired keys no longer sign but still verify.
type SigningKey struct {
	ID        string    `json:"id"`
	Region    string    `json:"region"`
	Public    []byte    `json:"public_key"`
	Sealed    []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	RetiredAt time.Time `json:"retired_at,omitzero"`
}

// ApplicationStore keeps applications, their timelines, uploads, issued
// documents, signing keys and regional holidays.
type ApplicationStore interface {
	// CreateApplication stores a new draft. A second draft with the same
	// applicant and Key returns the first one and ErrConflict is never
	// raised for it: creating is idempotent.
	CreateApplication(ctx context.Context, a Application) (Application, error)
	Application(ctx context.Context, id int64) (Application, error)
	ApplicationByNumber(ctx context.Context, number string) (Application, error)
	// UpdateApplication writes a's state, answers, clock and assignee when
	// the stored revision is still a.Rev, and returns it with Rev+1;
	// otherwise ErrConflict.
	UpdateApplication(ctx context.Context, a Application) (Application, error)
	Applications(ctx context.Context, f ApplicationFilter) ([]Application, int, error)
	// ApplicationWork counts a region's applications in progress per
	// agency as WorkCount says, on day f.Today; new ones are at the first
	// step and handed to no one. Agencies with nothing are left out.
	ApplicationWork(ctx context.Context, f WorkFilter) ([]WorkCount, error)
	AddApplicationEvent(ctx context.Context, e ApplicationEvent) error
	ApplicationEvents(ctx context.Context, applicationID int64) ([]ApplicationEvent, error)

	SaveUpload(ctx context.Context, u Upload) (Upload, error)
	Uploads(ctx context.Context, applicationID int64) ([]Upload, error)

	SaveDocument(ctx context.Context, d IssuedDocument) error
	Document(ctx context.Context, code string) (IssuedDocument, error)
	DocumentByDigest(ctx context.Context, digest []byte) (IssuedDocument, error)

	SaveSigningKey(ctx context.Context, k SigningKey) error
	// SigningKeys lists a region's keys, newest first.
	SigningKeys(ctx context.Context, region string) ([]SigningKey, error)
	RetireSigningKey(ctx context.Context, id string, at time.Time) error

	// RegionHolidays lists the holidays a region admin added for region
	// (not its province's); region "" lists imported national ones.
	RegionHolidays(ctx context.Context, region string) ([]Holiday, error)
	// AllRegionHolidays lists every added holiday: the regions' and the
	// national ones of later years imported by an admin.
	AllRegionHolidays(ctx context.Context) ([]Holiday, error)
	// AddRegionHoliday adds or renames a holiday; Region "" is national.
	AddRegionHoliday(ctx context.Context, h Holiday) error
	DeleteRegionHoliday(ctx context.Context, region string, d Day) error
}
