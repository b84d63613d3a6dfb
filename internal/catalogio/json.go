// Package catalogio reads and writes region bundles as JSON, and their
// services as CSV, for `pendopo import` and `pendopo export`. Readers
// report errors with the line of the offending field.
package catalogio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

// MaxFileBytes bounds an imported file.
const MaxFileBytes = 32 << 20

// Locator finds the line of a field path ("services[3].standard.fee") in
// the file a bundle was read from.
type Locator struct {
	lines map[string]int
	keys  []keyPos // every object key in file order
}

// Line returns the line of path, or of its nearest enclosing field that
// the file has (a missing field is reported at its parent), or 0.
func (l *Locator) Line(path string) int {
	if l == nil {
		return 0
	}
	for path != "" {
		if n, ok := l.lines[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// Annotate fills the Line of every field error in err from l.
func (l *Locator) Annotate(err error) error {
	var e *pendopo.Error
	if l == nil || !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]pendopo.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if f.Line == 0 {
			f.Line = l.Line(f.Field)
		}
		out.Fields[i] = f
	}
	return &out
}

// ReadJSON reads a bundle. Syntax errors, values of the wrong type and
// unknown fields are reported with their line; so are validation problems.
func ReadJSON(r io.Reader) (pendopo.Bundle, *Locator, error) {
	var b pendopo.Bundle
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return b, nil, err
	}
	if len(data) > MaxFileBytes {
		return b, nil, pendopo.Errorf(pendopo.KindTooLarge, pendopo.M("catalogio.file_larger_than_mb", MaxFileBytes>>20))
	}
	loc, err := locate(data)
	if err != nil {
		return b, nil, err
	}
	if unknown := loc.unknownKeys(reflect.TypeFor[pendopo.Bundle]()); len(unknown) > 0 {
		return b, loc, &pendopo.Error{Kind: pendopo.KindInvalid, Msg: pendopo.M("catalogio.the_file_has_unknown_fields"), Fields: unknown}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return b, loc, decodeError(data, loc, err)
	}
	if err := b.Validate(); err != nil {
		return b, loc, loc.Annotate(err)
	}
	return b, loc, nil
}

// decodeError turns an encoding/json error into a located user error.
func decodeError(data []byte, loc *Locator, err error) error {
	var (
		typ *json.UnmarshalTypeError
		syn *json.SyntaxError
	)
	fe := pendopo.FieldError{Field: "file"}
	switch {
	case errors.As(err, &syn):
		fe.Line = lineAt(data, int(syn.Offset))
		fe.Msg = pendopo.M("catalogio.invalid_json", syn.Error())
	case errors.As(err, &typ):
		fe.Field = jsonPath(typ.Field)
		fe.Line = lineAt(data, int(typ.Offset))
		fe.Msg = pendopo.M("catalogio.wrong_type_expected_found", typeName(typ.Type.Kind().String(), true), typ.Value, typeName(typ.Type.Kind().String(), false))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		fe.Field = name
		fe.Line = loc.firstKey(name)
		fe.Msg = pendopo.M("catalogio.unknown_field_check_its_spelling", strconv.Quote(name))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		fe.Line = lineAt(data, len(data))
		fe.Msg = pendopo.M("catalogio.the_file_empty_cut_short")
	default:
		fe.Msg = pendopo.M("catalogio.cannot_read_json", err.Error())
	}
	return &pendopo.Error{Kind: pendopo.KindBadRequest, Msg: pendopo.M("catalogio.the_file_cannot_be_read"), Fields: []pendopo.FieldError{fe}}
}

// jsonPath drops the Go names of embedded structs from a path that
// encoding/json reports ("services.ServiceContent.name" → "services.name").
func jsonPath(p string) string {
	parts := strings.Split(p, ".")
	out := parts[:0]
	for _, s := range parts {
		if s != "" && (s[0] < 'A' || s[0] > 'Z') {
			out = append(out, s)
		}
	}
	return strings.Join(out, ".")
}

func typeName(kind string, id bool) string {
	names := map[string][2]string{
		"string": {"teks", "text"}, "int": {"bilangan bulat", "a whole number"}, "int64": {"bilangan bulat", "a whole number"},
		"bool": {"true/false", "true/false"}, "slice": {"daftar [..]", "a list [..]"}, "struct": {"objek {..}", "an object {..}"},
		"float64": {"angka", "a number"}, "ptr": {"angka", "a number"},
	}
	n, ok := names[kind]
	if !ok {
		return kind
	}
	if id {
		return n[0]
	}
	return n[1]
}

func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// locate walks the JSON tokens once and records the line of every field
// path. A syntax error found here is reported with its line.
func locate(data []byte) (*Locator, error) {
	loc := &Locator{lines: map[string]int{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		path  string
		array bool
		index int
		key   string // object: the key whose value comes next
		inKey bool   // object: key is set and its value comes next
	}
	var stack []frame
	// valuePath names the value that starts now and records its line.
	valuePath := func(off int) string {
		if len(stack) == 0 {
			return ""
		}
		f := &stack[len(stack)-1]
		var p string
		if f.array {
			p = fmt.Sprintf("%s[%d]", f.path, f.index)
			f.index++
		} else {
			p = f.key
			if f.path != "" {
				p = f.path + "." + f.key
			}
			f.inKey = false
		}
		if _, ok := loc.lines[p]; !ok {
			loc.lines[p] = lineAt(data, off)
		}
		return p
	}
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			return loc, nil
		}
		if err != nil {
			return nil, decodeError(data, loc, err)
		}
		// The token starts after any whitespace and separators.
		start := before
		for start < len(data) && strings.ContainsRune(" \t\r\n,:", rune(data[start])) {
			start++
		}
		if len(stack) > 0 {
			f := &stack[len(stack)-1]
			if !f.array && !f.inKey {
				if d, ok := tok.(json.Delim); ok && d == '}' {
					stack = stack[:len(stack)-1]
					continue
				}
				// A key.
				f.key, _ = tok.(string)
				f.inKey = true
				p := f.key
				if f.path != "" {
					p = f.path + "." + f.key
				}
				if _, ok := loc.lines[p]; !ok {
					loc.lines[p] = lineAt(data, start)
				}
				loc.keys = append(loc.keys, keyPos{f.key, f.path, lineAt(data, start)})
				continue
			}
		}
		switch d, _ := tok.(json.Delim); d {
		case '{', '[':
			p := valuePath(start)
			stack = append(stack, frame{path: p, array: d == '['})
		case '}', ']':
			stack = stack[:len(stack)-1]
		default:
			valuePath(start)
		}
	}
}

type keyPos struct {
	key    string
	parent string // path of the object holding the key
	line   int
}

// firstKey returns the line of the first occurrence of key, or 0.
func (l *Locator) firstKey(key string) int {
	if l == nil {
		return 0
	}
	for _, k := range l.keys {
		if k.key == key {
			return k.line
		}
	}
	return 0
}

// unknownKeys reports every key of the file that the type of the value at
// its place does not have, so that a misspelt field ("requirments") is not
// silently ignored.
func (l *Locator) unknownKeys(root reflect.Type) []pendopo.FieldError {
	var out []pendopo.FieldError
	for _, k := range l.keys {
		t := typeAt(root, k.parent)
		if t == nil || t.Kind() != reflect.Struct {
			continue
		}
		if !hasJSONField(t, k.key) {
			field := k.key
			if k.parent != "" {
				field = k.parent + "." + k.key
			}
			out = append(out, pendopo.FieldError{Field: field, Line: k.line,
				Msg: pendopo.M("catalogio.unknown_field_check_its_spelling", strconv.Quote(k.key))})
		}
	}
	return out
}

// typeAt follows a field path ("services[3].standard") through Go types.
func typeAt(t reflect.Type, path string) reflect.Type {
	for _, part := range strings.FieldsFunc(path, func(r rune) bool { return r == '.' }) {
		name, _, _ := strings.Cut(part, "[")
		t = deref(t)
		if t.Kind() != reflect.Struct {
			return nil
		}
		f, ok := jsonField(t, name)
		if !ok {
			return nil
		}
		t = deref(f.Type)
		for range strings.Count(part, "[") {
			if t.Kind() != reflect.Slice {
				return nil
			}
			t = deref(t.Elem())
		}
	}
	return deref(t)
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func hasJSONField(t reflect.Type, name string) bool {
	_, ok := jsonField(t, name)
	return ok
}

// jsonField finds the field that encoding/json decodes key name into,
// looking into embedded structs.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" {
			continue
		}
		if f.Anonymous && tag == "" {
			if sf, ok := jsonField(deref(f.Type), name); ok {
				return sf, true
			}
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		if strings.EqualFold(tag, name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// WriteJSON writes a bundle as indented JSON.
func WriteJSON(w io.Writer, b pendopo.Bundle) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}
