package pendopo

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// FieldType is the kind of input an application form asks for.
type FieldType string

// Field types.
const (
	FieldText     FieldType = "text"
	FieldLongText FieldType = "long_text"
	FieldNumber   FieldType = "number"
	FieldDate     FieldType = "date"
	FieldChoice   FieldType = "choice"
	FieldMulti    FieldType = "multi_choice"
	FieldNIK      FieldType = "nik"
	FieldPhone    FieldType = "phone"
	FieldEmail    FieldType = "email"
	FieldAddress  FieldType = "address" // street and the kabupaten/kota
	FieldFile     FieldType = "file"
	FieldConsent  FieldType = "consent"
)

// FieldTypes lists the field types with their names, for the form editor.
var FieldTypes = []struct {
	Type  FieldType
	Title Text
}{
	{FieldText, M("rule.short_text")},
	{FieldLongText, M("rule.long_text")},
	{FieldNumber, M("rule.number")},
	{FieldDate, M("rule.date")},
	{FieldChoice, M("rule.one_choice")},
	{FieldMulti, M("rule.several_choices")},
	{FieldNIK, M("rule.nik")},
	{FieldPhone, M("rule.mobile_number")},
	{FieldEmail, M("rule.email")},
	{FieldAddress, M("rule.address")},
	{FieldFile, M("rule.file_upload")},
	{FieldConsent, M("rule.consent")},
}

// File types an upload field may accept, judged by content.
const (
	MediaPDF  = "application/pdf"
	MediaJPEG = "image/jpeg"
	MediaPNG  = "image/png"
)

// MaxUploadBytes bounds every uploaded file.
const MaxUploadBytes = 10 << 20

// FormField is one question of an application form.
type FormField struct {
	// Key names the answer; lower case letters, digits and underscores.
	Key      string    `json:"key"`
	Label    Text      `json:"label"`
	Help     Text      `json:"help,omitzero"`
	Type     FieldType `json:"type"`
	Required bool      `json:"required"`
	// Options are the choices of choice and multi_choice fields.
	Options []string `json:"options,omitempty"`
	// Accept lists the media types of a file field; MaxBytes bounds its
	// size (0 means MaxUploadBytes).
	Accept   []string `json:"accept,omitempty"`
	MaxBytes int64    `json:"max_bytes,omitempty"`
}

// Form is a service's application form. It is part of the service's
// content, so it is versioned with it and an application keeps the form
// of the version it was made under.
type Form struct {
	Fields []FormField `json:"fields"`
}

var fieldKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Validate checks a form definition: keys unique and well formed, labels
// present, choices for choice fields, known file types.
func (f Form) Validate() error {
	var p Problems
	if len(f.Fields) > 60 {
		p.Add("form.fields", M("rule.a_form_has_at_most"))
	}
	seen := map[string]bool{}
	for i, fd := range f.Fields {
		at := fmt.Sprintf("form.fields[%d]", i)
		if !fieldKeyRE.MatchString(fd.Key) {
			p.Add(at+".key", M("rule.a_field_key_uses_lower"))
		} else if seen[fd.Key] {
			p.Add(at+".key", M("rule.the_field_key_used_twice", fd.Key))
		}
		seen[fd.Key] = true
		if strings.TrimSpace(fd.Label.Indonesian) == "" || len(fd.Label.Indonesian) > 200 || !ValidText(fd.Label.Indonesian) || !ValidText(fd.Label.English) {
			p.Add(at+".label", M("rule.every_field_needs_label_at"))
		}
		if _, ok := fieldTitle(fd.Type); !ok {
			p.Add(at+".type", M("rule.unknown_field_type"))
		}
		if fd.Type == FieldChoice || fd.Type == FieldMulti {
			if len(fd.Options) < 2 || len(fd.Options) > 50 {
				p.Add(at+".options", M("rule.a_choice_needs_2_50"))
			}
			opts := map[string]bool{}
			for _, o := range fd.Options {
				if strings.TrimSpace(o) == "" || opts[o] || !ValidText(o) || len(o) > 200 {
					p.Add(at+".options", M("rule.options_may_not_be_empty"))
					break
				}
				opts[o] = true
			}
		}
		if fd.Type == FieldFile {
			if len(fd.Accept) == 0 {
				p.Add(at+".accept", M("rule.choose_file_types_accepted"))
			}
			for _, a := range fd.Accept {
				if a != MediaPDF && a != MediaJPEG && a != MediaPNG {
					p.Add(at+".accept", M("rule.only_pdf_jpeg_png_files"))
					break
				}
			}
			if fd.MaxBytes < 0 || fd.MaxBytes > MaxUploadBytes {
				p.Add(at+".max_bytes", M("rule.files_are_at_most_10"))
			}
		}
	}
	return p.Err()
}

func fieldTitle(t FieldType) (Text, bool) {
	for _, ft := range FieldTypes {
		if ft.Type == t {
			return ft.Title, true
		}
	}
	return Text{}, false
}

// DefaultForm derives a first form from a service's requirements: one
// upload per required document, and the applicant's consent. Admins edit
// it from there.
func DefaultForm(st Standard) Form {
	var f Form
	for i, req := range st.Requirements {
		label := req
		if r := []rune(label); len(r) > 200 {
			label = string(r[:200])
		}
		f.Fields = append(f.Fields, FormField{Key: fmt.Sprintf("syarat_%d", i+1), Label: T(label, label), Type: FieldFile, Required: true,
			Accept: []string{MediaPDF, MediaJPEG, MediaPNG}})
	}
	f.Fields = append(f.Fields, FormField{Key: "persetujuan", Type: FieldConsent, Required: true,
		Label: M("rule.i_declare_that_data_files")})
	return f
}

// Answers are what an applicant entered, by field key; file fields hold
// the content addresses of uploaded files, multi-choice fields several
// values, the others one.
type Answers map[string][]string

// Address is the value of an address field: the street part and the
// kabupaten/kota code, stored as "street|code".
func Address(street, region string) string { return strings.TrimSpace(street) + "|" + region }

// ReadAnswers checks what an applicant typed into form (values by field
// key, as a form post carries them) and returns the answers to keep.
// Files are not read here; their fields carry the addresses the upload
// step returned. final checks that required fields are filled, which a
// draft may leave for later. knownRegion tells kabupaten/kota codes.
func ReadAnswers(form Form, values map[string][]string, final bool, knownRegion func(string) bool, now time.Time) (Answers, error) {
	var p Problems
	out := Answers{}
	for _, fd := range form.Fields {
		vals := values[fd.Key]
		var kept []string
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				kept = append(kept, v)
			}
		}
		at := "answers." + fd.Key
		if len(kept) == 0 {
			if final && fd.Required {
				msg := M("rule.this_field_required")
				if fd.Type == FieldFile {
					msg = M("rule.upload_this_file")
				}
				if fd.Type == FieldConsent {
					msg = M("rule.tick_this_statement_send")
				}
				p.Add(at, msg)
			}
			continue
		}
		if fd.Type != FieldMulti && fd.Type != FieldFile && len(kept) > 1 {
			p.Add(at, M("rule.this_field_takes_one_value"))
			continue
		}
		if msg, ok := checkAnswer(fd, kept, knownRegion, now); !ok {
			p.Add(at, msg)
			continue
		}
		out[fd.Key] = normalizeAnswer(fd, kept)
	}
	// Keys the form does not ask for are never stored.
	return out, p.Err()
}

// checkAnswer says what is wrong with the values of one field.
func checkAnswer(fd FormField, vals []string, knownRegion func(string) bool, now time.Time) (Text, bool) {
	for _, v := range vals {
		if !utf8.ValidString(v) || !ValidText(v) {
			return M("rule.the_answer_has_characters_that"), false
		}
		limit := 500
		if fd.Type == FieldLongText {
			limit = 5000
		}
		if utf8.RuneCountInString(v) > limit {
			return M("rule.at_most_characters", limit), false
		}
	}
	v := vals[0]
	switch fd.Type {
	case FieldNumber:
		if _, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64); err != nil {
			return M("rule.write_number_for_example_12"), false
		}
	case FieldDate:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return M("rule.write_date_like_2026_11"), false
		}
	case FieldChoice, FieldMulti:
		for _, x := range vals {
			found := false
			for _, o := range fd.Options {
				found = found || o == x
			}
			if !found {
				return M("rule.pick_one_options_given"), false
			}
		}
	case FieldNIK:
		if _, err := CheckNIK(strings.Join(strings.Fields(v), ""), knownRegion, now); err != nil {
			// The checker knows what is wrong (the length, the date of
			// birth, the serial): say that, not only "not valid".
			var e *Error
			if errors.As(err, &e) && len(e.Fields) > 0 {
				return e.Fields[0].Msg, false
			}
			return M("rule.not_valid_nik_16_digits"), false
		}
	case FieldPhone:
		if _, ok := NormalizePhone(v); !ok {
			return M("rule.write_indonesian_mobile_number_for"), false
		}
	case FieldEmail:
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return M("rule.write_valid_email_address"), false
		}
	case FieldAddress:
		street, region, ok := strings.Cut(v, "|")
		if !ok || strings.TrimSpace(street) == "" || !knownRegion(region) || len(region) != 5 {
			return M("rule.write_address_choose_regency_city"), false
		}
	case FieldFile:
		for _, x := range vals {
			if !contentAddressRE.MatchString(x) {
				return M("rule.upload_file_again"), false
			}
		}
	case FieldConsent:
		if v != "1" && v != "ya" && v != "on" { // "on" is what a checkbox without a value sends
			return M("rule.tick_this_statement_send"), false
		}
	}
	return Text{}, true
}

// contentAddressRE matches the address of a stored file: the SHA-256 of
// its content in hex.
var contentAddressRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

func normalizeAnswer(fd FormField, vals []string) []string {
	switch fd.Type {
	case FieldPhone:
		p, _ := NormalizePhone(vals[0])
		return []string{p}
	case FieldNIK:
		return []string{strings.Join(strings.Fields(vals[0]), "")}
	case FieldNumber:
		return []string{strings.ReplaceAll(vals[0], ",", ".")}
	case FieldEmail:
		return []string{strings.ToLower(vals[0])}
	case FieldConsent:
		return []string{"1"}
	}
	return vals
}
