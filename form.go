package pendopo

import (
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
	{FieldText, T("Teks singkat", "Short text")},
	{FieldLongText, T("Teks panjang", "Long text")},
	{FieldNumber, T("Angka", "Number")},
	{FieldDate, T("Tanggal", "Date")},
	{FieldChoice, T("Pilih satu", "One choice")},
	{FieldMulti, T("Pilih beberapa", "Several choices")},
	{FieldNIK, T("NIK", "NIK")},
	{FieldPhone, T("Nomor ponsel", "Mobile number")},
	{FieldEmail, T("Email", "Email")},
	{FieldAddress, T("Alamat", "Address")},
	{FieldFile, T("Unggah berkas", "File upload")},
	{FieldConsent, T("Persetujuan", "Consent")},
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
		p.Add("form.fields", T("Formulir maksimal 60 isian.", "A form has at most 60 fields."))
	}
	seen := map[string]bool{}
	for i, fd := range f.Fields {
		at := fmt.Sprintf("form.fields[%d]", i)
		if !fieldKeyRE.MatchString(fd.Key) {
			p.Add(at+".key", T("Kode isian memakai huruf kecil, angka, dan garis bawah, diawali huruf.", "A field key uses lower-case letters, digits and underscores, starting with a letter."))
		} else if seen[fd.Key] {
			p.Add(at+".key", T("Kode isian "+fd.Key+" dipakai dua kali.", "The field key "+fd.Key+" is used twice."))
		}
		seen[fd.Key] = true
		if strings.TrimSpace(fd.Label.Indonesian) == "" || len(fd.Label.Indonesian) > 200 || !ValidText(fd.Label.Indonesian) || !ValidText(fd.Label.English) {
			p.Add(at+".label", T("Setiap isian perlu label (maksimal 200 karakter).", "Every field needs a label (at most 200 characters)."))
		}
		if _, ok := fieldTitle(fd.Type); !ok {
			p.Add(at+".type", T("Jenis isian tidak dikenal.", "Unknown field type."))
		}
		if fd.Type == FieldChoice || fd.Type == FieldMulti {
			if len(fd.Options) < 2 || len(fd.Options) > 50 {
				p.Add(at+".options", T("Pilihan perlu 2 sampai 50 butir.", "A choice needs 2 to 50 options."))
			}
			opts := map[string]bool{}
			for _, o := range fd.Options {
				if strings.TrimSpace(o) == "" || opts[o] || !ValidText(o) || len(o) > 200 {
					p.Add(at+".options", T("Butir pilihan tidak boleh kosong atau kembar.", "Options may not be empty or repeated."))
					break
				}
				opts[o] = true
			}
		}
		if fd.Type == FieldFile {
			if len(fd.Accept) == 0 {
				p.Add(at+".accept", T("Pilih jenis berkas yang diterima.", "Choose the file types accepted."))
			}
			for _, a := range fd.Accept {
				if a != MediaPDF && a != MediaJPEG && a != MediaPNG {
					p.Add(at+".accept", T("Berkas yang diterima hanya PDF, JPEG, atau PNG.", "Only PDF, JPEG or PNG files are accepted."))
					break
				}
			}
			if fd.MaxBytes < 0 || fd.MaxBytes > MaxUploadBytes {
				p.Add(at+".max_bytes", T("Ukuran berkas maksimal 10 MB.", "Files are at most 10 MB."))
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
		Label: T("Saya menyatakan data dan berkas yang saya kirim benar.", "I declare that the data and files I send are true.")})
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
				msg := T("Isian ini wajib diisi.", "This field is required.")
				if fd.Type == FieldFile {
					msg = T("Unggah berkas ini.", "Upload this file.")
				}
				if fd.Type == FieldConsent {
					msg = T("Centang pernyataan ini untuk mengirim.", "Tick this statement to send.")
				}
				p.Add(at, msg)
			}
			continue
		}
		if fd.Type != FieldMulti && fd.Type != FieldFile && len(kept) > 1 {
			p.Add(at, T("Isian ini hanya satu nilai.", "This field takes one value."))
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
			return T("Isian memuat karakter yang tidak sah.", "The answer has characters that are not allowed."), false
		}
		limit := 500
		if fd.Type == FieldLongText {
			limit = 5000
		}
		if utf8.RuneCountInString(v) > limit {
			return T(fmt.Sprintf("Isian maksimal %d karakter.", limit), fmt.Sprintf("At most %d characters.", limit)), false
		}
	}
	v := vals[0]
	switch fd.Type {
	case FieldNumber:
		if _, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64); err != nil {
			return T("Tulis angka, misalnya 12 atau 2,5.", "Write a number, for example 12 or 2.5."), false
		}
	case FieldDate:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return T("Tulis tanggal seperti 2026-11-27.", "Write a date like 2026-11-27."), false
		}
	case FieldChoice, FieldMulti:
		for _, x := range vals {
			found := false
			for _, o := range fd.Options {
				found = found || o == x
			}
			if !found {
				return T("Pilih salah satu pilihan yang ada.", "Pick one of the options given."), false
			}
		}
	case FieldNIK:
		if _, err := CheckNIK(strings.Join(strings.Fields(v), ""), knownRegion, now); err != nil {
			return T("NIK tidak valid: 16 angka sesuai KTP atau Kartu Keluarga.", "Not a valid NIK: 16 digits as on the ID or family card."), false
		}
	case FieldPhone:
		if _, ok := NormalizePhone(v); !ok {
			return T("Tulis nomor ponsel Indonesia, misalnya 0812 3456 7890.", "Write an Indonesian mobile number, for example 0812 3456 7890."), false
		}
	case FieldEmail:
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return T("Tulis alamat email yang valid.", "Write a valid email address."), false
		}
	case FieldAddress:
		street, region, ok := strings.Cut(v, "|")
		if !ok || strings.TrimSpace(street) == "" || !knownRegion(region) || len(region) != 5 {
			return T("Tulis alamat lalu pilih kabupaten/kota.", "Write the address and choose the regency or city."), false
		}
	case FieldFile:
		for _, x := range vals {
			if !contentAddressRE.MatchString(x) {
				return T("Unggah berkasnya lagi.", "Upload the file again."), false
			}
		}
	case FieldConsent:
		if v != "1" && v != "ya" && v != "on" { // "on" is what a checkbox without a value sends
			return T("Centang pernyataan ini untuk mengirim.", "Tick this statement to send."), false
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
