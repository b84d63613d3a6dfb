package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
)

// People's routes: a citizen or an officer signs in for a session token
// and, with it, applies for services and works on applications with the
// same rights as on the pages. Integration tokens do not act for people.

// LoginRequest signs a person in.
type LoginRequest struct {
	// Login is the email address or Indonesian mobile number.
	Login    string `json:"login"`
	Password string `json:"password"`
}

// SessionResponse carries a session token: send it as
// "Authorization: Bearer <token>". It ends after 7 days without use, 30
// days at most, at sign-out, or when the person signs out everywhere.
type SessionResponse struct {
	Token string `json:"token"`
	Name  string `json:"name"`
}

// StartApplicationRequest starts a draft.
type StartApplicationRequest struct {
	// Key makes the request idempotent: the same key again returns the
	// same draft. Any string of up to 100 characters.
	Key string `json:"key"`
	// ForName is the person the application is for when it is not the
	// signed-in person (a family member; at a counter, a citizen served
	// by an officer, recorded as assisted service).
	ForName string `json:"for_name,omitempty"`
}

// AnswersRequest saves answers by form field key; file fields are set by
// uploading.
type AnswersRequest struct {
	Answers map[string][]string `json:"answers"`
}

// ActionRequest acts on an application. The applicant may submit,
// resubmit and withdraw; staff approve, return (note required), reject
// (note required) and reassign (assignee required).
type ActionRequest struct {
	Action pendopo.ApplicationAction `json:"action"`
	Note   string                    `json:"note,omitempty"`
	// Rev is the revision the client last read; when it is not 0 and the
	// application changed since, the action fails with 409.
	Rev      int   `json:"rev,omitempty"`
	Assignee int64 `json:"assignee,omitempty"`
}

// ApplicationDetail is an application with its clock, timeline and
// files. Staff see who acted; applicants see the role.
type ApplicationDetail struct {
	pendopo.Application
	Assisted bool `json:"assisted"`
	// StepName is the workflow step in progress or returned from.
	StepName pendopo.Text       `json:"step_name"`
	Steps    int                `json:"steps"`
	Clock    ApplicationClock   `json:"clock"`
	Events   []ApplicationEvent `json:"events"`
	Uploads  []pendopo.Upload   `json:"uploads"`
	// CanAct is true when the caller may act on the current step.
	CanAct bool `json:"can_act"`
	// DocumentURL downloads the issued PDF (with the session token).
	DocumentURL string `json:"document_url,omitempty"`
}

// ApplicationClock says where an application stands against its
// deadline, in working days.
type ApplicationClock struct {
	Deadline pendopo.Day `json:"deadline,omitzero"`
	DaysLeft int         `json:"days_left"`
	Overdue  bool        `json:"overdue"`
	DueToday bool        `json:"due_today"`
	Running  bool        `json:"running"`
}

// ApplicationEvent is one line of the timeline.
type ApplicationEvent struct {
	At        time.Time                 `json:"at"`
	Action    pendopo.ApplicationAction `json:"action"`
	Status    pendopo.ApplicationStatus `json:"status"`
	Step      int                       `json:"step"`
	ActorRole pendopo.RoleKind          `json:"actor_role,omitempty"`
	// ActorName is shown to staff only.
	ActorName string `json:"actor_name,omitempty"`
	Note      string `json:"note,omitempty"`
}

// ApplicationItem is an application in a list.
type ApplicationItem struct {
	Number        string                    `json:"number"`
	ServiceName   string                    `json:"service_name"`
	ApplicantName string                    `json:"applicant_name"`
	Status        pendopo.ApplicationStatus `json:"status"`
	Step          int                       `json:"step"`
	StepName      pendopo.Text              `json:"step_name,omitzero"`
	Deadline      pendopo.Day               `json:"deadline,omitzero"`
	Clock         *ApplicationClock         `json:"clock,omitempty"`
	Mine          bool                      `json:"mine,omitempty"`
	UpdatedAt     time.Time                 `json:"updated_at"`
}

// VerificationResult is what the public learns about a document.
type VerificationResult struct {
	Found     bool   `json:"found"`
	Authentic bool   `json:"authentic"`
	Code      string `json:"code,omitempty"`
	Title     string `json:"title,omitempty"`
	Region    string `json:"region,omitempty"`
	Agency    string `json:"agency,omitempty"`
	Service   string `json:"service,omitempty"`
	// Applicant is the applicant's initials.
	Applicant string    `json:"applicant,omitempty"`
	IssuedAt  time.Time `json:"issued_at,omitzero"`
	KeyID     string    `json:"key_id,omitempty"`
	// SHA256 (hex), Signature and PublicKey (base64) let anyone check the
	// Ed25519 signature over "pendopo-document-v1:" + the digest.
	SHA256    []byte `json:"sha256,omitempty"`
	Signature []byte `json:"signature,omitempty"`
	PublicKey []byte `json:"public_key,omitempty"`
}

var errPersonOnly = pendopo.Errorf(pendopo.KindForbidden, pendopo.M("api.applications_are_handled_by_people"))

// person checks that the caller is a signed-in person.
func person(c *call) (pendopo.Actor, error) {
	if c.who.UserID == 0 {
		return pendopo.Actor{}, errPersonOnly
	}
	return c.who, nil
}

func (s *server) login(c *call, req LoginRequest) (SessionResponse, error) {
	secret, u, err := s.app.Login(c.ctx(), req.Login, req.Password, httpx.ClientIP(c.r), c.r.UserAgent())
	if err != nil {
		return SessionResponse{}, err
	}
	return SessionResponse{Token: secret, Name: u.Name}, nil
}

func (s *server) logout(c *call) (struct{}, error) {
	if _, err := person(c); err != nil {
		return struct{}{}, err
	}
	_, secret, _ := strings.Cut(strings.TrimSpace(c.r.Header.Get("Authorization")), " ")
	return struct{}{}, s.app.Logout(c.ctx(), strings.TrimSpace(secret), httpx.ClientIP(c.r))
}

func (s *server) startApplication(c *call, req StartApplicationRequest) (ApplicationDetail, error) {
	who, err := person(c)
	if err != nil {
		return ApplicationDetail{}, err
	}
	id, err := serviceID(c)
	if err != nil {
		return ApplicationDetail{}, err
	}
	if len(req.Key) > 100 {
		return ApplicationDetail{}, fieldErr("key", pendopo.M("api.the_key_at_most_100"))
	}
	a, err := s.app.StartApplication(c.ctx(), who, id, req.Key, req.ForName)
	if err != nil {
		return ApplicationDetail{}, err
	}
	c.w.Header().Set("Location", "/api/v1/applications/"+a.Number)
	return s.applicationDetail(c, a.Number)
}

func (s *server) applicationDetail(c *call, number string) (ApplicationDetail, error) {
	v, err := s.app.Application(c.ctx(), c.who, number)
	if err != nil {
		return ApplicationDetail{}, err
	}
	d := ApplicationDetail{Application: v.Application, Assisted: v.AssistedBy != 0, StepName: v.CurrentStep().Name,
		Steps: len(v.Content.Apply.Workflow.Steps), CanAct: v.CanAct, Uploads: v.Uploads,
		Clock: ApplicationClock(v.Clock)}
	if d.Uploads == nil {
		d.Uploads = []pendopo.Upload{}
	}
	for _, e := range v.Events {
		ev := ApplicationEvent{At: e.At, Action: e.Action, Status: e.Status, Step: e.Step, ActorRole: e.ActorRole, Note: e.Note}
		if !v.Applicant {
			ev.ActorName = e.ActorName
		}
		d.Events = append(d.Events, ev)
	}
	if v.Document != "" {
		d.DocumentURL = "/permohonan/" + v.Number + "/dokumen.pdf"
	}
	return d, nil
}

func (s *server) getApplication(c *call) (ApplicationDetail, error) {
	if _, err := person(c); err != nil {
		return ApplicationDetail{}, err
	}
	return s.applicationDetail(c, c.path("number"))
}

func (s *server) listMyApplications(c *call) (List[ApplicationItem], error) {
	who, err := person(c)
	if err != nil {
		return List[ApplicationItem]{}, err
	}
	p := c.page()
	apps, total, err := s.app.MyApplications(c.ctx(), who, p)
	if err != nil {
		return List[ApplicationItem]{}, err
	}
	out := List[ApplicationItem]{Items: []ApplicationItem{}, Total: total, Page: p.Page, PerPage: p.PerPage}
	for _, a := range apps {
		out.Items = append(out.Items, ApplicationItem{Number: a.Number, ServiceName: a.ServiceName, ApplicantName: a.ApplicantName,
			Status: a.Status, Step: a.Step, Deadline: a.Deadline, UpdatedAt: a.UpdatedAt})
	}
	return out, nil
}

func (s *server) saveAnswers(c *call, req AnswersRequest) (ApplicationDetail, error) {
	who, err := person(c)
	if err != nil {
		return ApplicationDetail{}, err
	}
	if _, err := s.app.SaveAnswers(c.ctx(), who, c.path("number"), req.Answers); err != nil {
		return ApplicationDetail{}, err
	}
	return s.applicationDetail(c, c.path("number"))
}

func (s *server) uploadFile(c *call) (pendopo.Upload, error) {
	who, err := person(c)
	if err != nil {
		return pendopo.Upload{}, err
	}
	return s.app.Upload(c.ctx(), who, c.path("number"), c.path("field"), c.query("name"), c.r.Body)
}

func (s *server) actOnApplication(c *call, req ActionRequest) (ApplicationDetail, error) {
	who, err := person(c)
	if err != nil {
		return ApplicationDetail{}, err
	}
	act := app.ApplicationAct{Action: req.Action, Note: req.Note, Rev: req.Rev, Assignee: req.Assignee}
	if _, err := s.app.Act(c.ctx(), who, c.path("number"), act); err != nil {
		return ApplicationDetail{}, err
	}
	return s.applicationDetail(c, c.path("number"))
}

func (s *server) listQueue(c *call) (List[ApplicationItem], error) {
	who, err := person(c)
	if err != nil {
		return List[ApplicationItem]{}, err
	}
	p := c.page()
	agency := c.query("agency")
	for _, r := range who.Roles {
		if agency == "" && r.Region == c.path("code") {
			agency = r.Agency // the caller's own agency
		}
	}
	if agency == "" {
		return List[ApplicationItem]{}, fieldErr("agency", pendopo.M("api.name_agency"))
	}
	items, total, err := s.app.Queue(c.ctx(), who, c.path("code"), agency, c.query("overdue") == "true", p)
	if err != nil {
		return List[ApplicationItem]{}, err
	}
	out := List[ApplicationItem]{Items: []ApplicationItem{}, Total: total, Page: p.Page, PerPage: p.PerPage}
	for _, it := range items {
		clock := ApplicationClock(it.Clock)
		out.Items = append(out.Items, ApplicationItem{Number: it.Number, ServiceName: it.ServiceName, ApplicantName: it.ApplicantName,
			Status: it.Status, Step: it.Application.Step, StepName: it.Step.Name, Deadline: it.Deadline, Clock: &clock, Mine: it.Mine, UpdatedAt: it.UpdatedAt})
	}
	return out, nil
}

func (s *server) verify(c *call) (VerificationResult, error) {
	v, err := s.app.VerifyCode(c.ctx(), c.path("document"))
	if err != nil {
		return VerificationResult{}, err
	}
	if !v.Found {
		return VerificationResult{}, nil // "is this genuine?": no such document
	}
	return VerificationResult{Found: true, Authentic: v.Authentic, Code: v.Document.Code, Title: v.Document.Title, Region: v.Region.Name,
		Agency: v.Agency, Service: v.Service, Applicant: v.Applicant, IssuedAt: v.Document.IssuedAt, KeyID: v.Document.KeyID,
		SHA256: v.Document.Digest, Signature: v.Document.Signature, PublicKey: v.Key.Public}, nil
}

// uploadMedia are the file types uploads take, judged again by content.
var uploadMedia = []string{pendopo.MediaPDF, pendopo.MediaJPEG, pendopo.MediaPNG, "application/octet-stream"}

func (s *server) applicationRoutes() []route {
	const v1 = "/api/v1"
	return []route{
		send(http.MethodPost, v1+"/sessions", "createSession", "Sign a person in", s.login).
			authenticate(authNone).returns(http.StatusCreated).
			describe("For citizens' and officers' apps. Returns a session token for `Authorization: Bearer`. Failed sign-ins are throttled like on the pages (429)."),
		act(http.MethodDelete, v1+"/sessions/current", "deleteSession", "Sign out", s.logout),
		send(http.MethodPost, v1+"/services/{id}/applications", "startApplication", "Start an application for a service", s.startApplication).
			returns(http.StatusCreated).
			describe("Needs a person's session. Idempotent by key. The service must take applications (its content has `apply`)."),
		get(v1+"/applications", "listMyApplications", "List the signed-in person's applications", s.listMyApplications).
			authenticate(authRequired).with(paged()...),
		get(v1+"/applications/{number}", "getApplication", "Get an application with its clock, timeline and files", s.getApplication).
			authenticate(authRequired).
			describe("For its applicant and the agency's staff; anyone else gets 404, so that numbers cannot be probed."),
		send(http.MethodPut, v1+"/applications/{number}/answers", "saveApplicationAnswers", "Save answers of a draft or returned application", s.saveAnswers).
			describe("Checked against the form of the service version the application was made under; required fields may stay empty until submitting."),
		act(http.MethodPut, v1+"/applications/{number}/files/{field}", "uploadApplicationFile", "Upload the file of a file field", s.uploadFile).
			accepts(bodySpec{media: uploadMedia, limit: pendopo.MaxUploadBytes + 1}).
			with(param{name: "name", typ: "string", doc: "The file's name, as shown to the officer."}).
			describe("The body is the file. Its type is judged by its content (PDF, JPEG or PNG, as the field allows), never by its name; 415 otherwise, 413 over the field's limit."),
		send(http.MethodPost, v1+"/applications/{number}/actions", "actOnApplication", "Submit, resubmit, withdraw, approve, return, reject or reassign", s.actOnApplication).
			describe("Submitting twice is harmless. With rev, an action on a changed application fails with 409: of two officers acting at once exactly one wins."),
		get(v1+"/regions/{code}/applications", "listApplicationQueue", "An agency's applications in progress, soonest deadline first", s.listQueue).
			authenticate(authRequired).with(paged(
			param{name: "agency", typ: "string", doc: "The agency's slug; by default the caller's own agency in the region."},
			param{name: "overdue", typ: "boolean", doc: "Only applications past their deadline."},
		)...),
		get(v1+"/verify/{document}", "verifyDocument", "Check an issued document by its verification code", s.verify).
			describe("Public. Shows only what proves the document: title, issuer, initials, date and the signature data. An unknown code answers found: false."),
	}
}

// fieldErr is a KindInvalid error on one request field.
func fieldErr(field string, msg pendopo.Text) error {
	var p pendopo.Problems
	p.Add(field, msg)
	return p.Err()
}
