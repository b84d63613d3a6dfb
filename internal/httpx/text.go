package httpx

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/pendopo/pendopo"
)

// ErrBadText answers a request whose address or form holds a NUL
// character or bytes that are not UTF-8: no page or service needs them,
// and PostgreSQL cannot store them.
var ErrBadText = pendopo.Errorf(pendopo.KindBadRequest, pendopo.M("httpx.the_address_form_holds_character"))

// CheckText refuses, with ErrBadText, a request whose path or query, or
// whose form values and file names once its body is parsed, hold a NUL
// character or invalid UTF-8. Every surface (pages, API, Open311) calls
// it when a request arrives and again after parsing a form, so that such
// text never reaches the database.
func CheckText(r *http.Request) error {
	if err := CheckPath(r); err != nil {
		return err
	}
	// What handlers read: r.URL.Query() keeps the pairs that decode.
	if q, _ := url.ParseQuery(r.URL.RawQuery); !goodValues(q) {
		return ErrBadText
	}
	if r.PostForm != nil && !goodValues(r.PostForm) {
		return ErrBadText
	}
	if m := r.MultipartForm; m != nil {
		if !goodValues(m.Value) {
			return ErrBadText
		}
		for field, files := range m.File {
			if !goodText(field) {
				return ErrBadText
			}
			for _, f := range files {
				if !goodText(f.Filename) {
					return ErrBadText
				}
			}
		}
	}
	return nil
}

// CheckPath is CheckText for the path alone, for surfaces that check
// their query parameters one by one.
func CheckPath(r *http.Request) error {
	if !goodText(r.URL.Path) {
		return ErrBadText
	}
	return nil
}

func goodValues(v map[string][]string) bool {
	for k, list := range v {
		if !goodText(k) {
			return false
		}
		for _, s := range list {
			if !goodText(s) {
				return false
			}
		}
	}
	return true
}

func goodText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}
