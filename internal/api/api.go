// Package api is Pendopo's JSON API, version 1, under /api/v1/. Its
// routes are one table (routes.go) from which both the request router and
// the OpenAPI 3.1 document (/api/v1/openapi.json) are made, so the
// document cannot drift from what the server does. Handlers parse the
// request, call internal/app and render; authorization, validation and
// transactions live in app.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
)

// Body size limits.
const (
	maxJSONBytes = 1 << 20
	maxLogoBytes = app.MaxLogoBytes + 1
)

// server is the API handler: the route table served by a ServeMux.
type server struct {
	app  *app.App
	log  *slog.Logger
	mux  *http.ServeMux
	doc  []byte // the OpenAPI document, marshalled once
	rts  []route
	meth []string // the methods the routes use, for 405 answers
}

// New returns the handler of /api/v1/. It builds the OpenAPI document from
// the route table at once and panics if the table cannot be described,
// which is a programming error caught by the tests. The caller wraps the
// handler in httpx.Chain, which provides request ids and languages.
func New(a *app.App, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	s := &server{app: a, log: log, mux: http.NewServeMux()}
	s.rts = s.routes()
	doc, err := marshalDocument(s.rts)
	if err != nil {
		panic(fmt.Sprintf("api: OpenAPI document: %v", err))
	}
	s.doc = doc
	for i := range s.rts {
		rt := &s.rts[i]
		s.mux.Handle(rt.method+" "+rt.pattern, s.handler(rt))
		if !slices.Contains(s.meth, rt.method) {
			s.meth = append(s.meth, rt.method)
		}
	}
	return s
}

// ServeHTTP routes a request, answering unknown paths and methods with
// JSON errors instead of the mux's plain text.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	var allow []string
	for _, m := range s.meth {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := s.mux.Handler(probe); p != "" {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	if len(allow) == 0 {
		s.fail(w, r, errNoRoute)
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.fail(w, r, errMethod)
}

var (
	errNoRoute    = pendopo.Errorf(pendopo.KindNotFound, pendopo.M("api.no_such_api_address_list"))
	errMethod     = &pendopo.Error{Kind: pendopo.KindBadRequest, Msg: pendopo.M("api.this_http_method_not_supported")}
	errNoToken    = pendopo.Errorf(pendopo.KindUnauthorized, pendopo.M("api.this_request_needs_api_token"))
	errBadSession = pendopo.Errorf(pendopo.KindUnauthorized, pendopo.M("api.unknown_expired_session_sign_again"))
	errScheme     = pendopo.Errorf(pendopo.KindUnauthorized, pendopo.M("api.the_authorization_header_must_look"))
)

// authMode says whether a route needs a token.
type authMode int

const (
	authNone     authMode = iota // public; a token is ignored
	authOptional                 // public; a valid token may show more
	authRequired                 // a valid token is required
)

// route is one row of the route table: how to serve it and how to
// document it.
type route struct {
	method  string
	pattern string // path with {name} parameters, as ServeMux and OpenAPI write it
	id      string // OpenAPI operationId
	summary string
	doc     string // longer description, optional
	auth    authMode
	query   []param
	body    *bodySpec
	resp    reflect.Type
	status  int
	// encode writes the response; nil means compact JSON.
	encode func(io.Writer, any) error
	serve  func(*call) (any, error)
}

// bodySpec describes a request body.
type bodySpec struct {
	typ      reflect.Type // JSON schema source; nil for a raw body
	media    []string     // accepted media types
	limit    int64
	optional bool // an empty body is allowed
}

var jsonMedia = []string{"application/json"}

// get declares a public read.
func get[Resp any](pattern, id, summary string, fn func(*call) (Resp, error)) route {
	return route{method: http.MethodGet, pattern: pattern, id: id, summary: summary, resp: reflect.TypeFor[Resp](), status: http.StatusOK,
		serve: func(c *call) (any, error) { return fn(c) }}
}

// send declares a write with a JSON body decoded into Req; it needs a token.
func send[Req, Resp any](method, pattern, id, summary string, fn func(*call, Req) (Resp, error)) route {
	return route{method: method, pattern: pattern, id: id, summary: summary, auth: authRequired, resp: reflect.TypeFor[Resp](), status: http.StatusOK,
		body: &bodySpec{typ: reflect.TypeFor[Req](), media: jsonMedia, limit: maxJSONBytes},
		serve: func(c *call) (any, error) {
			var req Req
			if err := c.decode(&req); err != nil {
				return nil, err
			}
			return fn(c, req)
		}}
}

// act declares a write that reads no JSON body (or reads it itself); it
// needs a token.
func act[Resp any](method, pattern, id, summary string, fn func(*call) (Resp, error)) route {
	return route{method: method, pattern: pattern, id: id, summary: summary, auth: authRequired, resp: reflect.TypeFor[Resp](), status: http.StatusOK,
		serve: func(c *call) (any, error) { return fn(c) }}
}

// with declares the query parameters a route reads.
func (rt route) with(params ...param) route { rt.query = append(rt.query, params...); return rt }

// describe adds a longer description.
func (rt route) describe(doc string) route { rt.doc = doc; return rt }

// returns sets the success status.
func (rt route) returns(status int) route { rt.status = status; return rt }

// authenticate sets how the route treats tokens.
func (rt route) authenticate(m authMode) route { rt.auth = m; return rt }

// accepts sets the request body of a route that reads it itself.
func (rt route) accepts(b bodySpec) route { rt.body = &b; return rt }

// optionalBody lets a JSON body be left out.
func (rt route) optionalBody() route { b := *rt.body; b.optional = true; rt.body = &b; return rt }

// encodeWith sets how the response is written.
func (rt route) encodeWith(fn func(io.Writer, any) error) route { rt.encode = fn; return rt }

// call is one request to one route.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	route *route
	// who is the token's actor; authed says whether a valid token was sent.
	who    pendopo.Actor
	authed bool
}

func (c *call) ctx() context.Context { return c.r.Context() }

// path returns a path parameter.
func (c *call) path(name string) string { return c.r.PathValue(name) }

// query returns a query parameter, which the route must declare (and
// which serve has checked); reading an undeclared one is a programming
// error that would leave the OpenAPI document wrong.
func (c *call) query(name string) string {
	if !slices.ContainsFunc(c.route.query, func(p param) bool { return p.name == name }) {
		panic("api: route " + c.route.id + " reads undeclared query parameter " + name)
	}
	return c.r.URL.Query().Get(name)
}

// intQuery returns an integer query parameter, or def when it is absent.
func (c *call) intQuery(name string, def int) int {
	v := c.query(name)
	if v == "" {
		return def
	}
	n, _ := strconv.Atoi(v) // checked by checkQuery
	return n
}

// page returns the page asked for by page and per_page.
func (c *call) page() pendopo.Page {
	return pendopo.Page{Page: c.intQuery("page", 1), PerPage: c.intQuery("per_page", pendopo.DefaultPerPage)}.Normalize()
}

// handler adapts a route to http.Handler: authentication, query and body
// checks, the route's function, then rendering.
func (s *server) handler(rt *route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{w: w, r: r, route: rt}
		v, err := s.run(c)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(c, v)
	})
}

func (s *server) run(c *call) (any, error) {
	rt := c.route
	if rt.auth != authNone {
		if err := s.authenticateCall(c); err != nil {
			return nil, err
		}
	}
	if err := httpx.CheckPath(c.r); err != nil {
		return nil, err
	}
	if err := checkQuery(rt.query, c.r.URL.Query()); err != nil {
		return nil, err
	}
	if rt.body != nil {
		if err := checkBody(c.r, rt.body); err != nil {
			return nil, err
		}
		c.r.Body = http.MaxBytesReader(c.w, c.r.Body, rt.body.limit)
	}
	return rt.serve(c)
}

// authenticateCall reads the bearer token, if any.
func (s *server) authenticateCall(c *call) error {
	h := c.r.Header.Get("Authorization")
	if h == "" {
		if c.route.auth == authRequired {
			return errNoToken
		}
		return nil
	}
	scheme, secret, _ := strings.Cut(strings.TrimSpace(h), " ")
	secret = strings.TrimSpace(secret)
	if !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return errScheme
	}
	var (
		who pendopo.Actor
		err error
	)
	if strings.HasPrefix(secret, app.TokenPrefix) {
		who, err = s.app.Authenticate(c.ctx(), secret)
	} else {
		// A person's session from POST /api/v1/sessions.
		who, _, err = s.app.SessionActor(c.ctx(), secret, httpx.ClientIP(c.r))
		if pendopo.KindOf(err) == pendopo.KindUnauthorized {
			err = errBadSession
		}
	}
	if err != nil {
		return err
	}
	c.who, c.authed = who, true
	return nil
}

// checkBody checks the media type of a request body.
func checkBody(r *http.Request, b *bodySpec) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" && r.ContentLength == 0 {
		return nil // no body at all: the route says whether that is fine
	}
	mt, params, err := mime.ParseMediaType(ct)
	ok := err == nil && slices.Contains(b.media, mt)
	if cs, has := params["charset"]; has && !strings.EqualFold(cs, "utf-8") {
		ok = false
	}
	if !ok {
		want := strings.Join(b.media, ", ")
		return pendopo.Errorf(pendopo.KindUnsupported, pendopo.M("api.the_content_type_must_be", want))
	}
	return nil
}

// decode reads the request body as JSON into v; see decodeJSON.
func (c *call) decode(v any) error {
	data, err := readBody(c.r.Body)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 && c.route.body.optional {
		return nil
	}
	if err := decodeJSON(data, v); err != nil {
		return err
	}
	return checkText(v)
}

// readBody reads a whole body; a body over its limit is KindTooLarge.
func readBody(body io.Reader) ([]byte, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		if httpx.UserError(err).Kind == pendopo.KindTooLarge {
			return nil, err
		}
		return nil, &pendopo.Error{Kind: pendopo.KindBadRequest, Msg: pendopo.M("api.the_request_body_could_not")}
	}
	return data, nil
}

// render writes a successful response.
func (s *server) render(c *call, v any) {
	var buf bytes.Buffer
	var err error
	if c.route.encode != nil {
		err = c.route.encode(&buf, v)
	} else {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		err = enc.Encode(v)
	}
	if err != nil {
		s.fail(c.w, c.r, fmt.Errorf("encode %s: %w", c.route.id, err))
		return
	}
	h := c.w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if c.route.auth == authOptional {
		h.Add("Vary", "Authorization")
	}
	switch {
	case c.route.method == http.MethodGet && !c.authed && c.route.auth != authRequired:
		h.Set("Cache-Control", "public, max-age=60")
	default:
		h.Set("Cache-Control", "no-store")
	}
	c.w.WriteHeader(c.route.status)
	c.w.Write(buf.Bytes())
}

// fail renders err as an ErrorResponse in the user's language. Errors that
// are not *pendopo.Error are logged and shown only as a generic message.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	e := httpx.UserError(err)
	status := httpx.Status(e.Kind)
	if e.Kind == pendopo.KindInternal {
		s.log.ErrorContext(ctx, "api request failed", "request_id", httpx.RequestID(ctx), "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if err == errMethod {
		status = http.StatusMethodNotAllowed
	}
	lang := httpx.Lang(ctx)
	body := ErrorResponse{Error: ErrorDetail{Code: e.Kind, Message: e.Msg.In(lang), RequestID: httpx.RequestID(ctx)}}
	for _, f := range e.Fields {
		body.Error.Fields = append(body.Error.Fields, FieldError{Field: f.Field, Message: f.Msg.In(lang), Line: f.Line})
	}
	h := w.Header()
	httpx.SetRetryAfter(h, e)
	if status == http.StatusUnauthorized {
		challenge := `Bearer realm="pendopo"`
		if r.Header.Get("Authorization") != "" {
			challenge += `, error="invalid_token"`
		}
		h.Set("WWW-Authenticate", challenge)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Del("Location")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(body)
}
