// Package open311 serves citizen reports as an Open311 GeoReport v2
// endpoint under /open311/v2/ (http://wiki.open311.org/GeoReport_v2), so
// that apps and systems written for Open311 can read and file reports:
// report categories are services, reports are service requests, a
// region's Kemendagri code is the jurisdiction_id and the tracking
// number is the service_request_id. It also serves mySociety's
// servicerequestupdates extension and the page/page_size paging one.
//
// Every resource answers in XML or JSON by its extension (requests.xml,
// requests.json). Handlers parse the request, call internal/app and
// render; privacy is enforced there. Errors take the specification's
// form, a list of code and description, in the user's language.
package open311

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
)

// Prefix is where the endpoint is mounted.
const Prefix = "/open311/v2/"

// Specification identifies GeoReport v2 in the discovery document.
const Specification = "http://wiki.open311.org/GeoReport_v2"

// server is the Open311 handler.
type server struct {
	app *app.App
	log *slog.Logger
}

// New returns the handler of /open311/v2/. The caller wraps it in
// httpx.Chain, which provides request ids, the user's language and
// panic recovery.
func New(a *app.App, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return &server{app: a, log: log}
}

// call is one request to one resource.
type call struct {
	w http.ResponseWriter
	r *http.Request
	// json is the format asked for by the extension; XML otherwise.
	json bool
	// arg is the path parameter: a service code, a request id or a token.
	arg string
	// keyed is true when the request carried an api_key, which makes the
	// answer private.
	keyed bool
}

// reply is a successful answer: a list written as an XML root element
// holding one item element per entry (a JSON array), or one object.
type reply struct {
	root, item string
	list       []any
	one        any
	// next is the page after this one of a paged list, sent as a Link
	// header (RFC 8288) with rel="next"; 0 when this is the last page.
	// Counting every match of a busy region costs too much to send a
	// total.
	next int
}

// resource is one row of the route table.
type resource struct {
	method string
	name   string // the first path segment, without the extension
	arg    bool   // whether a second segment (the parameter) follows
	serve  func(*server, *call) (reply, error)
}

// resources is the route table.
var resources = []resource{
	{http.MethodGet, "discovery", false, (*server).discovery},
	{http.MethodGet, "services", false, (*server).services},
	{http.MethodGet, "services", true, (*server).definition},
	{http.MethodGet, "requests", false, (*server).requests},
	{http.MethodPost, "requests", false, (*server).create},
	{http.MethodGet, "requests", true, (*server).request},
	{http.MethodGet, "tokens", true, (*server).token},
	{http.MethodGet, "servicerequestupdates", false, (*server).updates},
}

var (
	errNoResource = pendopo.Errorf(pendopo.KindNotFound, pendopo.M("open311.no_such_open311_address_list"))
	errMethod     = pendopo.Errorf(pendopo.KindBadRequest, pendopo.M("open311.this_http_method_not_supported"))
)

// ServeHTTP finds the resource by path and method; the extension picks
// the format of the answer, errors included.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r}
	rest, ext, _ := cutLast(strings.TrimPrefix(r.URL.Path, Prefix), ".")
	c.json = ext == "json"
	if err := httpx.CheckText(r); err != nil {
		s.fail(c, err)
		return
	}
	name, arg, hasArg := strings.Cut(rest, "/")
	if ext != "json" && ext != "xml" || strings.Contains(arg, "/") || hasArg && arg == "" {
		s.fail(c, errNoResource)
		return
	}
	c.arg = arg
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	var allow []string
	for i := range resources {
		rs := &resources[i]
		if rs.name != name || rs.arg != hasArg {
			continue
		}
		if rs.method == method {
			s.serve(c, rs)
			return
		}
		allow = append(allow, rs.method)
	}
	if len(allow) == 0 {
		s.fail(c, errNoResource)
		return
	}
	if slices.Contains(allow, http.MethodGet) {
		allow = append(allow, http.MethodHead)
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.fail(c, errMethod)
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

var (
	errBadKey = pendopo.Errorf(pendopo.KindForbidden, pendopo.M("open311.unknown_revoked_api_key"))
	errNoKey  = pendopo.Errorf(pendopo.KindForbidden, pendopo.M("open311.filing_report_needs_api_key"))
)

// authenticate checks an api_key, when the request carries one (in the
// form of a POST or the query); required says whether one must be there.
func (s *server) authenticate(c *call, required bool) (pendopo.Actor, error) {
	key := strings.TrimSpace(c.r.FormValue("api_key"))
	if key == "" {
		if required {
			return pendopo.Actor{}, errNoKey
		}
		return pendopo.Actor{}, nil
	}
	c.keyed = true
	who, err := s.app.Authenticate(c.r.Context(), key)
	if pendopo.KindOf(err) == pendopo.KindUnauthorized {
		return who, errBadKey
	}
	return who, err
}

// serve runs a resource and renders its answer.
func (s *server) serve(c *call, rs *resource) {
	if rs.method == http.MethodGet {
		// A key is not needed to read, but a wrong one is still an error,
		// so that an integration learns its key is bad before it posts.
		if _, err := s.authenticate(c, false); err != nil {
			s.fail(c, err)
			return
		}
	}
	rep, err := rs.serve(s, c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := encode(&buf, c.json, rep); err != nil {
		s.fail(c, err)
		return
	}
	h := c.w.Header()
	setType(h, c.json)
	if rep.next > 0 {
		u := *c.r.URL
		q := u.Query()
		q.Set("page", strconv.Itoa(rep.next))
		u.RawQuery = q.Encode()
		h.Set("Link", "<"+s.base(c.r)+u.RequestURI()+`>; rel="next"`)
	}
	switch {
	case rs.method == http.MethodGet && !c.keyed:
		h.Set("Cache-Control", "public, max-age=60")
		// Public data: browser apps on other origins may read it.
		h.Set("Access-Control-Allow-Origin", "*")
	default:
		h.Set("Cache-Control", "no-store")
	}
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(buf.Bytes())
}

func setType(h http.Header, isJSON bool) {
	if isJSON {
		h.Set("Content-Type", "application/json; charset=utf-8")
	} else {
		h.Set("Content-Type", "text/xml; charset=utf-8")
	}
}

// encode writes a reply as JSON or as XML with its declaration.
func encode(buf *bytes.Buffer, isJSON bool, rep reply) error {
	if isJSON {
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false)
		if rep.one != nil {
			return enc.Encode(rep.one)
		}
		if rep.list == nil {
			rep.list = []any{}
		}
		return enc.Encode(rep.list)
	}
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(buf)
	enc.Indent("", "  ")
	if rep.one != nil {
		if err := enc.EncodeElement(rep.one, xml.StartElement{Name: xml.Name{Local: rep.root}}); err != nil {
			return err
		}
	} else {
		root := xml.StartElement{Name: xml.Name{Local: rep.root}}
		if err := enc.EncodeToken(root); err != nil {
			return err
		}
		for _, v := range rep.list {
			if err := enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: rep.item}}); err != nil {
				return err
			}
		}
		if err := enc.EncodeToken(root.End()); err != nil {
			return err
		}
	}
	if err := enc.Close(); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return nil
}

// errorOut is one entry of the specification's error list.
type errorOut struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

// openField names a field of the domain's validation as Open311 calls it.
var openField = map[string]string{
	"category":         "service_code",
	"location":         "lat/long",
	"location.address": "address_string",
	"contact":          "email/phone",
	"name":             "first_name/last_name",
}

// status is the HTTP status of an error kind under the specification:
// 404 for what does not exist, 403 for a missing or wrong api_key, and
// 400 for any other request that cannot be fulfilled; the kinds that are
// not the client's fault keep their status from httpx.Status.
func status(err error, kind pendopo.ErrorKind) int {
	switch {
	case err == errMethod:
		return http.StatusMethodNotAllowed
	case kind == pendopo.KindUnauthorized || kind == pendopo.KindForbidden:
		return http.StatusForbidden
	}
	st := httpx.Status(kind)
	switch st {
	case http.StatusNotFound, http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusInternalServerError:
		return st
	}
	return http.StatusBadRequest
}

// fail renders err as the specification's error list in the user's
// language, one entry per invalid field. Errors that are not
// *pendopo.Error are logged and shown only as a generic message.
func (s *server) fail(c *call, err error) {
	ctx := c.r.Context()
	e := httpx.UserError(err)
	st := status(err, e.Kind)
	if e.Kind == pendopo.KindInternal {
		s.log.ErrorContext(ctx, "open311 request failed", "request_id", httpx.RequestID(ctx), "method", c.r.Method,
			"path", c.r.URL.Path, "err", err)
	}
	lang := httpx.Lang(ctx)
	var list []any
	for _, f := range e.Fields {
		name := f.Field
		if n, ok := openField[name]; ok {
			name = n
		}
		list = append(list, errorOut{Code: st, Description: name + ": " + f.Msg.In(lang)})
	}
	if len(list) == 0 {
		list = []any{errorOut{Code: st, Description: e.Msg.In(lang)}}
	}
	var buf bytes.Buffer
	if err := encode(&buf, c.json, reply{root: "errors", item: "error", list: list}); err != nil {
		s.log.ErrorContext(ctx, "open311 error rendering failed", "err", err)
	}
	h := c.w.Header()
	setType(h, c.json)
	h.Set("Cache-Control", "no-store")
	h.Del("Link")
	httpx.SetRetryAfter(h, e)
	if c.r.Method == http.MethodGet || c.r.Method == http.MethodHead {
		h.Set("Access-Control-Allow-Origin", "*") // so that browser apps can show the error
	}
	c.w.WriteHeader(st)
	c.w.Write(buf.Bytes())
}

// problem is a 400 naming the field at fault.
func problem(field string, msg pendopo.Text) error {
	var p pendopo.Problems
	p.Add(field, msg)
	return p.Err()
}

// notFound is a 404 whose message names what was not found.
func notFound(msg pendopo.Text) error { return pendopo.Errorf(pendopo.KindNotFound, msg) }

// isNotFound reports whether err means that something does not exist.
func isNotFound(err error) bool { return errors.Is(err, pendopo.ErrNotFound) }
