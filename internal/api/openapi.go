package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
)

// The OpenAPI 3.1 document is generated from the route table and the Go
// types of requests and responses, once at start-up.

type document struct {
	OpenAPI    string                           `json:"openapi"`
	Info       docInfo                          `json:"info"`
	Servers    []docServer                      `json:"servers"`
	Paths      map[string]map[string]*operation `json:"paths"`
	Components components                       `json:"components"`
}

type docInfo struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description"`
}

type docServer struct {
	URL string `json:"url"`
}

type components struct {
	Schemas         map[string]*schema        `json:"schemas"`
	Responses       map[string]*response      `json:"responses"`
	SecuritySchemes map[string]securityScheme `json:"securitySchemes"`
}

type securityScheme struct {
	Type        string `json:"type"`
	Scheme      string `json:"scheme"`
	Description string `json:"description"`
}

type operation struct {
	OperationID string                `json:"operationId"`
	Summary     string                `json:"summary"`
	Description string                `json:"description,omitempty"`
	Parameters  []parameter           `json:"parameters,omitempty"`
	RequestBody *requestBody          `json:"requestBody,omitempty"`
	Responses   map[string]*response  `json:"responses"`
	Security    []map[string][]string `json:"security,omitempty"`
}

type parameter struct {
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Description string  `json:"description,omitempty"`
	Required    bool    `json:"required,omitempty"`
	Schema      *schema `json:"schema"`
}

type requestBody struct {
	Required bool                 `json:"required"`
	Content  map[string]mediaType `json:"content"`
}

type mediaType struct {
	Schema *schema `json:"schema,omitempty"`
}

type response struct {
	Ref         string               `json:"$ref,omitempty"`
	Description string               `json:"description,omitempty"`
	Headers     map[string]header    `json:"headers,omitempty"`
	Content     map[string]mediaType `json:"content,omitempty"`
}

type header struct {
	Description string  `json:"description"`
	Schema      *schema `json:"schema"`
}

// schema is the subset of JSON Schema 2020-12 that the document uses.
type schema struct {
	Ref                  string             `json:"$ref,omitempty"`
	Type                 string             `json:"type,omitempty"`
	Format               string             `json:"format,omitempty"`
	Description          string             `json:"description,omitempty"`
	Enum                 []string           `json:"enum,omitempty"`
	Pattern              string             `json:"pattern,omitempty"`
	Minimum              *int               `json:"minimum,omitempty"`
	Maximum              *int               `json:"maximum,omitempty"`
	Items                *schema            `json:"items,omitempty"`
	Properties           map[string]*schema `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	AdditionalProperties *schema            `json:"additionalProperties,omitempty"`
	AnyOf                []*schema          `json:"anyOf,omitempty"`
}

const (
	securityName = "token"
	errorRef     = "#/components/responses/Error"
)

// pathParams describes the path parameters that routes use.
var pathParams = map[string]parameter{
	"code": {Description: "Kemendagri code of a province (\"33\") or kabupaten/kota (\"33.74\").",
		Schema: &schema{Type: "string", Pattern: `^[1-9][0-9](\.[0-9]{2})?$`}},
	"slug": {Description: "Lowercase, hyphenated identifier within the region.", Schema: &schema{Type: "string", Pattern: `^[a-z0-9]+(-[a-z0-9]+)*$`}},
	"id":   {Description: "Service id.", Schema: &schema{Type: "integer", Format: "int64", Minimum: ptr(1)}},
	"n":    {Description: "Version number, from 1.", Schema: &schema{Type: "integer", Minimum: ptr(1)}},
	"number": {Description: "Tracking number of an application, such as 3374-2611-K7Q2M9-X; case and look-alike letters are forgiven.",
		Schema: &schema{Type: "string"}},
	"field":    {Description: "Key of a file field of the application's form.", Schema: &schema{Type: "string", Pattern: `^[a-z][a-z0-9_]{0,39}$`}},
	"document": {Description: "Verification code printed under a document's QR code, such as ABCD-EFGH-JKMN.", Schema: &schema{Type: "string"}},
}

func ptr(n int) *int { return &n }

// enums lists the values of the domain's string types.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[pendopo.RegionLevel](): {string(pendopo.LevelProvinsi), string(pendopo.LevelKabupaten), string(pendopo.LevelKota)},
	reflect.TypeFor[pendopo.FeeType]():     {string(pendopo.FeeFree), string(pendopo.FeeFixed), string(pendopo.FeeVariable)},
	reflect.TypeFor[pendopo.Channel]():     {string(pendopo.ChannelOffline), string(pendopo.ChannelOnline)},
	reflect.TypeFor[pendopo.ErrorKind](): {
		string(pendopo.KindInvalid), string(pendopo.KindBadRequest), string(pendopo.KindNotFound), string(pendopo.KindConflict),
		string(pendopo.KindTooLarge), string(pendopo.KindUnauthorized), string(pendopo.KindForbidden), string(pendopo.KindUnsupported),
		string(pendopo.KindInternal),
	},
}

var pathParamRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// marshalDocument builds the OpenAPI document of routes and returns it as
// indented JSON, the bytes that /api/v1/openapi.json serves and the golden
// file holds.
func marshalDocument(routes []route) (_ []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	doc := buildDocument(routes)
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func buildDocument(routes []route) *document {
	g := &schemaGen{defs: map[string]*schema{}, names: map[string]reflect.Type{}}
	doc := &document{
		OpenAPI: "3.1.0",
		Info: docInfo{Title: "Pendopo API", Version: "1", Description: "Public service standards (standar pelayanan) of Indonesian regional governments. " +
			"Reads are public; writes need a token created with `pendopo token create`. Errors are JSON in the language of Accept-Language (Indonesian by default)."},
		Servers: []docServer{{URL: "/"}},
		Paths:   map[string]map[string]*operation{},
		Components: components{
			Schemas: g.defs,
			Responses: map[string]*response{"Error": {Description: "An error, with its message in the user's language.",
				Content: map[string]mediaType{"application/json": {Schema: g.of(reflect.TypeFor[ErrorResponse]())}}}},
			SecuritySchemes: map[string]securityScheme{securityName: {Type: "http", Scheme: "bearer",
				Description: "An API token: `Authorization: Bearer pdp_…`. Region tokens may change only their region (a province's, also its kabupaten/kota)."}},
		},
	}
	for _, rt := range routes {
		op := &operation{OperationID: rt.id, Summary: rt.summary, Description: rt.doc, Responses: map[string]*response{}}
		for _, m := range pathParamRE.FindAllStringSubmatch(rt.pattern, -1) {
			p, ok := pathParams[m[1]]
			if !ok {
				panic("route " + rt.id + ": undocumented path parameter " + m[1])
			}
			p.Name, p.In, p.Required = m[1], "path", true
			op.Parameters = append(op.Parameters, p)
		}
		for _, q := range rt.query {
			s := &schema{Type: q.typ, Enum: q.enum}
			if q.typ == "integer" {
				s.Minimum = ptr(q.min)
				if q.max > 0 {
					s.Maximum = ptr(q.max)
				}
			}
			op.Parameters = append(op.Parameters, parameter{Name: q.name, In: "query", Description: q.doc, Required: q.required, Schema: s})
		}
		if b := rt.body; b != nil {
			rb := &requestBody{Required: !b.optional, Content: map[string]mediaType{}}
			for _, m := range b.media {
				mt := mediaType{}
				if b.typ != nil {
					mt.Schema = g.of(b.typ)
				}
				rb.Content[m] = mt
			}
			op.RequestBody = rb
		}
		ok := &response{Description: http.StatusText(rt.status), Content: map[string]mediaType{"application/json": {Schema: g.of(rt.resp)}}}
		if rt.status == http.StatusCreated {
			ok.Headers = map[string]header{"Location": {Description: "The address of what was created.", Schema: &schema{Type: "string"}}}
		}
		op.Responses[strconv.Itoa(rt.status)] = ok
		op.Responses["4XX"] = &response{Ref: errorRef}
		op.Responses["5XX"] = &response{Ref: errorRef}
		switch rt.auth {
		case authRequired:
			op.Security = []map[string][]string{{securityName: {}}}
		case authOptional:
			op.Security = []map[string][]string{{}, {securityName: {}}}
		}
		item := doc.Paths[rt.pattern]
		if item == nil {
			item = map[string]*operation{}
			doc.Paths[rt.pattern] = item
		}
		m := strings.ToLower(rt.method)
		if item[m] != nil {
			panic("route " + rt.id + ": duplicate " + rt.method + " " + rt.pattern)
		}
		item[m] = op
	}
	return doc
}

// schemaGen derives JSON schemas from Go types the way encoding/json
// writes them: named structs go to components/schemas and are referred
// to; embedded structs are flattened; omitempty fields are not required.
type schemaGen struct {
	defs  map[string]*schema
	names map[string]reflect.Type
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
	dayType  = reflect.TypeFor[pendopo.Day]()
)

func (g *schemaGen) of(t reflect.Type) *schema {
	if t == timeType {
		return &schema{Type: "string", Format: "date-time"}
	}
	if t == rawType {
		return &schema{} // any JSON
	}
	if e, ok := enums[t]; ok {
		return &schema{Type: "string", Enum: e}
	}
	if t == dayType {
		return &schema{Type: "string", Format: "date"}
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		return &schema{Type: "string", Format: "byte"} // base64
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.of(t.Elem())
	case reflect.String:
		return &schema{Type: "string"}
	case reflect.Bool:
		return &schema{Type: "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32:
		return &schema{Type: "integer"}
	case reflect.Int64:
		return &schema{Type: "integer", Format: "int64"}
	case reflect.Float32, reflect.Float64:
		return &schema{Type: "number"}
	case reflect.Slice, reflect.Array:
		return &schema{Type: "array", Items: g.of(t.Elem())}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic("schema: map key of " + t.String() + " is not a string")
		}
		return &schema{Type: "object", AdditionalProperties: g.of(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		return g.ref(t)
	}
	panic("schema: cannot describe " + t.String())
}

// ref puts a named struct into the components and refers to it.
func (g *schemaGen) ref(t reflect.Type) *schema {
	name := schemaName(t)
	if prev, ok := g.names[name]; ok && prev != t {
		panic("schema: " + prev.String() + " and " + t.String() + " are both named " + name)
	}
	if _, ok := g.names[name]; !ok {
		g.names[name] = t
		g.defs[name] = g.object(t)
	}
	return &schema{Ref: "#/components/schemas/" + name}
}

func (g *schemaGen) object(t reflect.Type) *schema {
	s := &schema{Type: "object", Properties: map[string]*schema{}}
	for _, f := range jsonFields(t) {
		p := g.of(f.typ)
		if f.typ.Kind() == reflect.Pointer && !f.omitEmpty {
			p = &schema{AnyOf: []*schema{p, {Type: "null"}}}
		}
		s.Properties[f.name] = p
		if !f.omitEmpty {
			s.Required = append(s.Required, f.name)
		}
	}
	return s
}

// schemaName names a type in components/schemas; an instance of a generic
// type is named after its arguments ("List[…api.SearchHit]" → "SearchHitList").
func schemaName(t reflect.Type) string {
	name := t.Name()
	base, args, generic := strings.Cut(name, "[")
	if !generic {
		return name
	}
	var b strings.Builder
	for _, a := range strings.Split(strings.TrimSuffix(args, "]"), ",") {
		b.WriteString(a[strings.LastIndex(a, ".")+1:])
	}
	return b.String() + base
}

type jsonField struct {
	name      string
	typ       reflect.Type
	index     []int // for reflect.Value.FieldByIndex
	omitEmpty bool
	depth     int
	tagged    bool
}

// jsonFields lists the fields encoding/json writes for struct type t, in
// its order, applying its rules for embedded structs: the shallowest field
// of a name wins, a tagged one among equals, and otherwise none.
func jsonFields(t reflect.Type) []jsonField {
	var all []jsonField
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			at := append(slices.Clip(index), i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := f.Type
			if f.Anonymous && name == "" {
				et := ft
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if et.Kind() == reflect.Struct {
					walk(et, at)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			jf := jsonField{name: name, typ: ft, index: at, depth: len(index), tagged: name != ""}
			if name == "" {
				jf.name = f.Name
			}
			for _, o := range strings.Split(opts, ",") {
				if o == "omitempty" || o == "omitzero" {
					jf.omitEmpty = true
				}
			}
			all = append(all, jf)
		}
	}
	walk(t, nil)
	var out []jsonField
	for i, f := range all {
		win, tie := true, false
		for j, o := range all {
			if o.name != f.name || i == j {
				continue
			}
			switch {
			case o.depth < f.depth:
				win = false
			case o.depth == f.depth && o.tagged && !f.tagged:
				win = false
			case o.depth == f.depth && o.tagged == f.tagged:
				tie = true
			}
		}
		if win && !tie {
			out = append(out, f)
		}
	}
	return out
}
