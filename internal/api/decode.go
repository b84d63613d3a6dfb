package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pendopo/pendopo"
)

// decodeJSON decodes one JSON value from data into v. Anything it cannot
// take is a KindBadRequest error naming the field and its line: malformed
// JSON, a value of the wrong type, a field v does not have, or data after
// the value. Validation is left to app.
func decodeJSON(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return badBody(pendopo.FieldError{Field: "body", Msg: pendopo.M("api.the_request_body_empty_send")})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(data, err)
	}
	if off := dec.InputOffset(); len(bytes.TrimSpace(data[off:])) > 0 {
		return badBody(pendopo.FieldError{Field: "body", Line: lineAt(data, int(off)+1),
			Msg: pendopo.M("api.there_more_data_after_json")})
	}
	return nil
}

func badBody(f pendopo.FieldError) error {
	return &pendopo.Error{Kind: pendopo.KindBadRequest, Msg: pendopo.M("api.the_request_body_cannot_be"), Fields: []pendopo.FieldError{f}}
}

// decodeError turns an encoding/json error into a user error.
func decodeError(data []byte, err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	f := pendopo.FieldError{Field: "body"}
	switch {
	case errors.As(err, &syn):
		f.Line = lineAt(data, int(syn.Offset))
		f.Msg = pendopo.M("api.invalid_json", syn.Error())
	case errors.As(err, &typ):
		f.Line = lineAt(data, int(typ.Offset))
		if p := jsonPath(typ.Field); p != "" {
			f.Field = p
		}
		f.Msg = pendopo.M("api.wrong_type_expected_found", typeName(typ, "id"), typ.Value, typeName(typ, "en"))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		f.Field = name
		f.Msg = pendopo.M("api.unknown_field_check_its_spelling", strconv.Quote(name))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		f.Line = lineAt(data, len(data))
		f.Msg = pendopo.M("api.the_json_cut_short")
	default:
		f.Msg = pendopo.M("api.cannot_read_json", err.Error())
	}
	return badBody(f)
}

// jsonPath drops the Go names of embedded structs from a path that
// encoding/json reports ("ServiceRequest.ServiceContent.name" → "name").
func jsonPath(p string) string {
	var out []string
	for _, s := range strings.Split(p, ".") {
		if s != "" && (s[0] < 'A' || s[0] > 'Z') {
			out = append(out, s)
		}
	}
	return strings.Join(out, ".")
}

func typeName(e *json.UnmarshalTypeError, lang string) string {
	names := map[string]pendopo.Text{
		"string": pendopo.M("api.text"), "int": pendopo.M("api.a_whole_number"),
		"int64": pendopo.M("api.a_whole_number"), "float64": pendopo.M("api.a_number"),
		"bool": pendopo.M("api.true_false"), "slice": pendopo.M("api.a_list"),
		"struct": pendopo.M("api.an_object"), "map": pendopo.M("api.an_object"),
	}
	t := e.Type
	for t.Kind().String() == "ptr" {
		t = t.Elem()
	}
	if n, ok := names[t.Kind().String()]; ok {
		return n.In(lang)
	}
	return t.Kind().String()
}

func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// errNUL is the message for text with a NUL character, which PostgreSQL
// cannot store and no public service standard needs.
var errNUL = pendopo.M("api.text_may_not_contain_nul")

// errText is the message for a query parameter that is not valid text.
var errText = pendopo.M("api.must_be_utf_8_text")

// checkText refuses every string in v that holds a NUL character, naming
// its JSON path.
func checkText(v any) error {
	var probs pendopo.Problems
	walkStrings(reflect.ValueOf(v), "", func(path, s string) {
		if strings.ContainsRune(s, 0) {
			probs.Add(path, errNUL)
		}
	})
	return probs.Err()
}

// walkStrings calls fn with each string in v and its JSON path.
func walkStrings(v reflect.Value, path string, fn func(path, s string)) {
	join := func(name string) string {
		if path == "" {
			return name
		}
		return path + "." + name
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, fn)
		}
	case reflect.String:
		fn(path, v.String())
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			k := fmt.Sprint(it.Key().Interface())
			fn(join(k), k)
			walkStrings(it.Value(), join(k), fn)
		}
	case reflect.Struct:
		for _, f := range jsonFields(v.Type()) {
			if fv, err := v.FieldByIndexErr(f.index); err == nil {
				walkStrings(fv, join(f.name), fn)
			}
		}
	}
}

// param is a query parameter of a route.
type param struct {
	name string
	typ  string // "string", "integer" or "boolean"
	doc  string
	enum []string
	// min and max bound an integer; max 0 means unbounded.
	min, max int
	required bool
}

// maxPage bounds page numbers so that offsets stay far from overflow.
const maxPage = 1_000_000

// Query parameters shared by several routes.
var (
	pageParam    = param{name: "page", typ: "integer", min: 1, max: maxPage, doc: "Page number, from 1."}
	perPageParam = param{name: "per_page", typ: "integer", min: 1, max: pendopo.MaxPerPage,
		doc: fmt.Sprintf("Items per page: default %d, at most %d.", pendopo.DefaultPerPage, pendopo.MaxPerPage)}
	orderParam = param{name: "order", typ: "string", enum: []string{"asc", "desc"}, doc: "Sort order; asc by default."}
)

// paged lists the parameters of a paginated list, after extra ones.
func paged(extra ...param) []param { return append(extra, pageParam, perPageParam) }

// checkQuery checks the declared query parameters that are present: an
// integer must be a whole number within bounds, a boolean true or false,
// and an enum one of its values. Unknown parameters are ignored.
func checkQuery(params []param, q url.Values) error {
	var probs pendopo.Problems
	for _, p := range params {
		v, present := q[p.name]
		if !present || len(v) == 0 || v[0] == "" {
			if p.required {
				probs.Add(p.name, pendopo.M("api.this_parameter_required"))
			}
			continue
		}
		s := v[0]
		if strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
			probs.Add(p.name, errText)
			continue
		}
		switch p.typ {
		case "integer":
			n, err := strconv.Atoi(s)
			switch {
			case err != nil || n < p.min:
				probs.Add(p.name, pendopo.M("api.must_be_whole_number_at", p.min))
			case p.max > 0 && n > p.max:
				probs.Add(p.name, pendopo.M("api.at_most", p.max))
			}
		case "boolean":
			if _, err := strconv.ParseBool(s); err != nil {
				probs.Add(p.name, pendopo.M("api.must_be_true_false"))
			}
		}
		if len(p.enum) > 0 && !slices.Contains(p.enum, s) {
			probs.Add(p.name, pendopo.M("api.unknown_value_choose_one", strings.Join(p.enum, ", ")))
		}
	}
	if len(probs) == 0 {
		return nil
	}
	return &pendopo.Error{Kind: pendopo.KindBadRequest, Msg: pendopo.M("api.invalid_query_parameters"), Fields: probs}
}
