// Package pendopo holds the domain of the Pendopo e-government platform:
// its types, its pure rules and the storage interfaces the rest of the
// program is written against. It imports only the standard library.
//
// Glossary (code in English, user interface in Bahasa Indonesia):
//
//	Region        daerah: a provinsi, kabupaten or kota, keyed by its Kemendagri code ("33.74")
//	Agency        perangkat daerah (OPD): a dinas, badan or bagian of a region
//	ServicePoint  unit layanan: an office or counter where a service is delivered
//	Service       layanan: one public service of a region, described by its Standard
//	Standard      standar pelayanan: the 14 components of UU 25/2009 Pasal 21
//	ServiceKind   jenis layanan: a national code ("ktp-el") that makes services comparable across regions
//	Category      kategori: the sector a service belongs to
//	LifeEvent     peristiwa kehidupan: a moment in a citizen's life that needs services (kelahiran, pindah domisili)
//	Version       versi: an immutable snapshot of a service's content, with author and change note
//	Survey        survei kepuasan masyarakat (SKM); a SurveyResponse is one respondent's answers
//	Unsur         unsur pelayanan: one of the 9 elements of a service the SKM rates from 1 to 4
//	IKM           indeks kepuasan masyarakat: the SKM's index, 25–100, with a quality category A–D
package pendopo

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Text is a message in both interface languages: Bahasa Indonesia first,
// English second. Domain rules return Text so that the web and API layers
// can answer in the user's language without knowing the rule.
//
// A Text is either a catalog message, made by M from a key of the catalogs
// in locales/ (Key and Args say which, so that a third language can be
// rendered from its own file), or content written in two languages by
// people or data files, made by T.
type Text struct {
	Indonesian string `json:"id"`
	English    string `json:"en"`
	Key        string `json:"-"`
	// args are M's arguments; behind a pointer so that Texts stay
	// comparable with ==.
	args *[]any
}

// Args returns the arguments the catalog message was formatted with.
func (t Text) Args() []any {
	if t.args == nil {
		return nil
	}
	return *t.args
}

// T builds a Text from content written in Indonesian and English, such as
// a form label an officer typed or a name from a data file. Messages of
// the program itself come from the catalogs: use M.
func T(id, en string) Text { return Text{Indonesian: id, English: en} }

// In returns the text in lang ("en" or anything else for Indonesian).
func (t Text) In(lang string) string {
	if lang == "en" && t.English != "" {
		return t.English
	}
	return t.Indonesian
}

// IsZero reports whether t holds no text.
func (t Text) IsZero() bool { return t == Text{} }

// ErrorKind classifies an Error; one table in each adapter maps kinds to
// HTTP statuses.
type ErrorKind string

// Error kinds.
const (
	KindInvalid      ErrorKind = "invalid"      // input failed validation (422)
	KindBadRequest   ErrorKind = "bad_request"  // input could not be parsed (400)
	KindNotFound     ErrorKind = "not_found"    // no such thing (404)
	KindConflict     ErrorKind = "conflict"     // already exists or changed meanwhile (409)
	KindTooLarge     ErrorKind = "too_large"    // body or file over its limit (413)
	KindUnauthorized ErrorKind = "unauthorized" // no or bad credentials (401)
	KindForbidden    ErrorKind = "forbidden"    // credentials lack the right (403)
	KindUnsupported  ErrorKind = "unsupported"  // media type not accepted (415)
	KindRateLimited  ErrorKind = "rate_limited" // too many attempts, try later (429)
	KindUnavailable  ErrorKind = "unavailable"  // a service we depend on is down, try later (503)
	KindInternal     ErrorKind = "internal"     // anything else; details go to the log only
)

// Sentinel errors returned by stores; wrap them with context.
var (
	ErrNotFound = &Error{Kind: KindNotFound, Msg: M("rule.not_found")}
	ErrConflict = &Error{Kind: KindConflict, Msg: M("rule.already_exists_was_changed_meanwhile")}
)

// FieldError names one invalid input field and says what is wrong with it.
type FieldError struct {
	Field string `json:"field"`
	Msg   Text   `json:"message"`
	// Line is the 1-based line of an imported file where the field sits, or 0.
	Line int `json:"line,omitempty"`
}

// Error is an error that is safe to show to users: its Msg is written for
// them, its Kind decides the status. Fields lists per-field problems of a
// KindInvalid error. RetryAfter, when set on a KindRateLimited or
// KindUnavailable error, is how long the client should wait before trying
// again (sent as the Retry-After header).
type Error struct {
	Kind       ErrorKind
	Msg        Text
	Fields     []FieldError
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	b.WriteString(": ")
	b.WriteString(e.Msg.English)
	for _, f := range e.Fields {
		b.WriteString("; ")
		if f.Line > 0 {
			fmt.Fprintf(&b, "line %d: ", f.Line)
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Msg.English)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrNotFound) true for any Error of the same kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind
}

// Errorf returns an Error of kind with a user-safe message.
func Errorf(kind ErrorKind, msg Text) *Error { return &Error{Kind: kind, Msg: msg} }

// KindOf returns the kind of err, KindInternal when err is not an *Error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// Problems collects field errors during validation.
type Problems []FieldError

// Add records that field is invalid.
func (p *Problems) Add(field string, msg Text) { *p = append(*p, FieldError{Field: field, Msg: msg}) }

// Err returns nil when there are no problems, else a KindInvalid Error.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Msg: M("rule.please_check_marked_fields"), Fields: p}
}

// Page asks for one page of a list; Page starts at 1.
type Page struct {
	Page    int
	PerPage int
}

// Default and maximum page sizes for lists.
const (
	DefaultPerPage = 100
	MaxPerPage     = 1000
)

// Normalize fills defaults and caps the page size.
func (p Page) Normalize() Page {
	if p.Page < 1 {
		p.Page = 1
	}
	if p.PerPage < 1 {
		p.PerPage = DefaultPerPage
	}
	if p.PerPage > MaxPerPage {
		p.PerPage = MaxPerPage
	}
	return p
}

// Offset is the number of rows before this page.
func (p Page) Offset() int { p = p.Normalize(); return (p.Page - 1) * p.PerPage }
