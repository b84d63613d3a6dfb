package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/httpx"
)

// Form is the common part of pages with a form: field errors and a notice.
type Form struct {
	Errors map[string]string
	// Notice is a message after a successful action.
	Notice string
	// Problem is the overall message of a failed submission.
	Problem string
}

// Err returns the error of a field, or of any item of a list field.
func (f Form) Err(field string) string {
	if m, ok := f.Errors[field]; ok {
		return m
	}
	for k, m := range f.Errors {
		if strings.HasPrefix(k, field+"[") || strings.HasPrefix(k, field+".") {
			return m
		}
	}
	return ""
}

// formErrors turns a validation error into per-field messages in lang; any
// other error is returned for the error page.
func formErrors(err error, lang string) (Form, error) {
	var e *pendopo.Error
	if !errors.As(err, &e) || e.Kind == pendopo.KindInternal || e.Kind == pendopo.KindForbidden || e.Kind == pendopo.KindNotFound {
		return Form{}, err
	}
	p := Page{Lang: lang}
	f := Form{Errors: map[string]string{}, Problem: p.Tx(e.Msg)}
	for _, fe := range e.Fields {
		if _, dup := f.Errors[fe.Field]; !dup {
			f.Errors[fe.Field] = p.Tx(fe.Msg)
		}
	}
	return f, nil
}

// parseForm reads a posted form of at most limit bytes.
func parseForm(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		return tooLargeOr(err)
	}
	return httpx.CheckText(r)
}

func tooLargeOr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return pendopo.Errorf(pendopo.KindTooLarge, pendopo.M("web.the_form_too_large_logo"))
	}
	return pendopo.Errorf(pendopo.KindBadRequest, pendopo.M("web.the_form_could_not_be_2"))
}

// settle ends a posted form, the last step of the cycle every form page
// follows: GET shows the form; POST reads it (parseForm), calls the use
// case and hands its error here. No error redirects (303) to next, where
// a ?pesan= notice says what happened. A person's mistake shows page name
// again with 422 and each field's message: show builds the page's data
// with the Form and what was posted. Any other error, or one of show's,
// goes to the error page.
func (s *Server) settle(w http.ResponseWriter, r *http.Request, err error, next, name string, show func(Form) (any, error)) error {
	if err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	fm, err := formErrors(err, httpx.Lang(r.Context()))
	if err != nil {
		return err
	}
	data, err := show(fm)
	if err != nil {
		return err
	}
	s.rd.render(w, r, http.StatusUnprocessableEntity, name, data)
	return nil
}
