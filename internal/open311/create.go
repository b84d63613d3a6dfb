package open311

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/httpx"
)

// maxFormBytes bounds a POST: a 4,000-character description fully
// percent-encoded is under 50 KB.
const maxFormBytes = 256 << 10

// titleLength is how much of the description becomes the title when none
// is given.
const titleLength = 80

type createdOut struct {
	ID      string `json:"service_request_id" xml:"service_request_id"`
	Notice  opt    `json:"service_notice" xml:"service_notice"`
	Account opt    `json:"account_id" xml:"account_id"`
	// Key is Pendopo's extension: the reporter's key, the one time it is
	// given out (it is also sent to the email or phone). Only with it can
	// the reporter act on the report; the client hands it to them.
	Key opt `json:"reporter_key" xml:"reporter_key"`
}

var errForm = pendopo.Errorf(pendopo.KindBadRequest, pendopo.M("open311.send_application_x_www_form"))

// parseForm reads a POST body of at most maxFormBytes; uploaded files are
// not taken (media_url is the specification's way to point at media).
func parseForm(w http.ResponseWriter, r *http.Request) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return errForm
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return errForm
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	switch mt {
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	case "multipart/form-data":
		err = r.ParseMultipartForm(maxFormBytes)
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
	default:
		return errForm
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return problem("description", pendopo.M("open311.the_form_too_large"))
	}
	if err != nil {
		return errForm
	}
	return httpx.CheckText(r)
}

// coordinate reads lat or long; empty is none.
func coordinate(r *http.Request, name string) (*float64, error) {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, problem(name, pendopo.M("open311.write_wgs84_decimal_degrees_such"))
	}
	return &f, nil
}

// titleOf makes a title of the description's first words.
func titleOf(description string) string {
	t := strings.Join(strings.Fields(description), " ")
	if utf8.RuneCountInString(t) <= titleLength {
		return t
	}
	runes := []rune(t)[:titleLength]
	if i := strings.LastIndexByte(string(runes), ' '); i > titleLength/2 {
		return strings.TrimSpace(string(runes)[:i]) + "…"
	}
	return strings.TrimSpace(string(runes)) + "…"
}

// create files a report. The api_key authorises the integration only: the
// report is filed as by a person without an account, whose email or
// phone receives its updates and the reporter's key (returned once as
// reporter_key as well), and its privacy is what they chose.
func (s *server) create(c *call) (reply, error) {
	ctx, r := c.r.Context(), c.r
	if err := parseForm(c.w, r); err != nil {
		return reply{}, err
	}
	token, err := s.authenticate(c, true)
	if err != nil {
		return reply{}, err
	}
	region := strings.TrimSpace(r.FormValue("jurisdiction_id"))
	if region == "" {
		return reply{}, problem("jurisdiction_id", pendopo.M("open311.write_kemendagri_code_region_such"))
	}
	if err := s.jurisdiction(ctx, region); err != nil {
		return reply{}, err
	}
	if !(pendopo.Token{Region: token.Region}).CanWrite(region) {
		return reply{}, pendopo.Errorf(pendopo.KindForbidden, pendopo.M("open311.this_api_key_for_another"))
	}
	code := strings.TrimSpace(r.FormValue("service_code"))
	if code == "" {
		return reply{}, problem("service_code", pendopo.M("open311.choose_service_code_from_services"))
	}
	if _, ok := pendopo.ReportCategoryByCode(code); !ok {
		return reply{}, errUnknownService(code)
	}
	description := strings.TrimSpace(r.FormValue("description"))
	if utf8.RuneCountInString(description) > pendopo.MaxReportDescription {
		return reply{}, problem("description", pendopo.M("open311.a_description_at_most_4"))
	}
	in := pendopo.ReportInput{Kind: pendopo.ReportComplaint, Category: code, Description: description, Privacy: pendopo.PrivacyPublic,
		Title: strings.TrimSpace(r.FormValue("title"))}
	derived := in.Title == ""
	if derived {
		in.Title = titleOf(description)
	}
	if v := strings.TrimSpace(r.FormValue("kind")); v != "" {
		in.Kind = pendopo.ReportKind(v)
	}
	if v := strings.TrimSpace(r.FormValue("privacy")); v != "" {
		in.Privacy = pendopo.Privacy(v)
	}
	if in.Location.Lat, err = coordinate(r, "lat"); err != nil {
		return reply{}, err
	}
	if in.Location.Lng, err = coordinate(r, "long"); err != nil {
		return reply{}, err
	}
	in.Location.Address = strings.TrimSpace(r.FormValue("address_string"))
	in.Contact = strings.TrimSpace(r.FormValue("email"))
	if in.Contact == "" {
		in.Contact = strings.TrimSpace(r.FormValue("phone"))
	}
	in.Name = strings.TrimSpace(strings.TrimSpace(r.FormValue("first_name")) + " " + strings.TrimSpace(r.FormValue("last_name")))
	// A retry of the same request by the same integration and device,
	// about the same thing, returns the first report.
	h := sha256.Sum256([]byte(strings.Join([]string{"open311", r.FormValue("api_key"), r.FormValue("device_id"),
		region, code, description}, "\x00")))
	key := "open311:" + hex.EncodeToString(h[:16])
	// Filed as by a person without an account; the audit trail names the
	// integration that sent it.
	who := pendopo.Actor{Name: token.Name, TokenID: token.TokenID, Region: token.Region, IP: httpx.ClientIP(r)}
	rep, err := s.app.SubmitReport(ctx, who, region, in, key)
	if err != nil && derived {
		err = withoutTitle(err)
	}
	if err != nil {
		return reply{}, err
	}
	return reply{root: "service_requests", item: "request",
		list: []any{createdOut{ID: rep.Number, Notice: opt(notice(rep.Report).In(httpx.Lang(ctx))), Key: opt(rep.Secret)}}}, nil
}

// notice tells what happens next to a filed report.
func notice(r pendopo.Report) pendopo.Text {
	t := pendopo.M("open311.the_report_was_received_will", r.Due.String())
	if r.Due == 0 {
		t = pendopo.M("open311.the_report_was_received")
	}
	switch {
	case r.Flagged:
		t.Indonesian += " Laporan ini diperiksa moderator sebelum tampil untuk publik."
		t.English += " A moderator checks it before the public sees it."
	case r.Privacy == pendopo.PrivacyConfidential:
		t.Indonesian += " Isinya rahasia dan tidak tampil untuk publik."
		t.English += " It is confidential and not shown to the public."
	case r.Privacy == pendopo.PrivacyAnonymous:
		t.Indonesian += " Identitas pelapor tidak ditampilkan kepada siapa pun."
		t.English += " The reporter's identity is shown to nobody."
	}
	return t
}

// withoutTitle drops the complaint about a title the client did not
// send, which was made of the description: the description's own
// complaint says what to fix.
func withoutTitle(err error) error {
	var e *pendopo.Error
	if !errors.As(err, &e) || e.Kind != pendopo.KindInvalid {
		return err
	}
	var kept []pendopo.FieldError
	for _, f := range e.Fields {
		if f.Field != "title" {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 {
		return problem("title", pendopo.M("open311.the_description_too_short_make"))
	}
	return &pendopo.Error{Kind: e.Kind, Msg: e.Msg, Fields: kept}
}
