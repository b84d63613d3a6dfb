package document

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pendopo/pendopo"
)

// Template is the admin-editable layout of a service's output document.
// It is stored in the service content (JSON), so it is versioned with the
// service. Placeholders are written {key}; braces have no other meaning and
// cannot be escaped.
type Template struct {
	Title string `json:"title"` // e.g. "SURAT KETERANGAN DOMISILI"; may contain placeholders
	Body  string `json:"body"`  // paragraphs separated by blank lines; placeholders {key}
}

// Limits on a template, in characters.
const (
	MaxTitle = 200
	MaxBody  = 5000
)

// BuiltinPlaceholders are the placeholders every template may use besides
// the keys of its form's fields: the tracking number, the issue date, the
// service, region, agency and applicant names. Builtins.Values fills them.
var BuiltinPlaceholders = []string{"nomor", "tanggal", "layanan", "daerah", "instansi", "pemohon"}

// Builtins are the values of the built-in placeholders of one document.
type Builtins struct {
	Number    string    // nomor: the application's tracking number
	IssuedAt  time.Time // tanggal: in the region's time zone (pendopo.RegionZone)
	Service   string    // layanan
	Region    string    // daerah, such as "Kota Semarang"
	Agency    string    // instansi
	Applicant string    // pemohon
}

// Values returns the values for Template.Fill: the form answers by field
// key plus the built-in placeholders, which win over a form field of the
// same key so that {nomor} always means the tracking number.
func (b Builtins) Values(answers map[string]string) map[string]string {
	v := make(map[string]string, len(answers)+len(BuiltinPlaceholders))
	for k, a := range answers {
		v[k] = a
	}
	v["nomor"] = b.Number
	v["tanggal"] = LongDate(b.IssuedAt)
	v["layanan"] = b.Service
	v["daerah"] = b.Region
	v["instansi"] = b.Agency
	v["pemohon"] = b.Applicant
	return v
}

var monthsID = [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// LongDate writes t the way Indonesian letters date themselves, such as
// "27 November 2026", in t's own location.
func LongDate(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + monthsID[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DefaultTemplate is a plain Indonesian statement letter for product (the
// document's name, such as "Surat Keterangan Domisili") that uses only the
// built-in placeholders, for admins to start from.
func DefaultTemplate(product string) Template {
	product = strings.Join(strings.Fields(strings.NewReplacer("{", "(", "}", ")").Replace(product)), " ")
	if product == "" {
		product = "Surat Keterangan"
	}
	return Template{
		Title: strings.ToUpper(product),
		Body: "Yang bertanda tangan di bawah ini, atas nama {instansi} {daerah}, menerangkan bahwa:\n\n" +
			"{pemohon}\n\n" +
			"telah mengajukan permohonan {layanan} dengan nomor permohonan {nomor}. " +
			"Permohonan tersebut telah diperiksa dan disetujui sesuai ketentuan yang berlaku.\n\n" +
			"Demikian " + product + " ini diterbitkan pada tanggal {tanggal} untuk dipergunakan sebagaimana mestinya.",
	}
}

// keyRE is the form of a placeholder's key; it matches the form field keys
// of pendopo.FormField.
var keyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Validate checks a template before it is saved: both parts are present
// and within MaxTitle and MaxBody characters, every brace belongs to a
// {key}, and every key is built in or known (a form field key; known may
// be nil). It returns a *pendopo.Error listing the problems under the
// fields "output.title" and "output.body".
func (t Template) Validate(known func(key string) bool) error {
	var p pendopo.Problems
	check := func(field, s string, max int, empty pendopo.Text) {
		if strings.TrimSpace(s) == "" {
			p.Add(field, empty)
			return
		}
		if n := utf8.RuneCountInString(s); n > max {
			p.Add(field, pendopo.M("document.too_long_characters_at_most", strconv.Itoa(n), strconv.Itoa(max)))
		}
		seen := map[string]bool{}
		for _, seg := range split(s) {
			switch {
			case seg.bad:
				p.Add(field, pendopo.M("document.braces_only_mark_placeholders_such"))
				return
			case seg.key && !seen[seg.text]:
				seen[seg.text] = true
				if !isBuiltin(seg.text) && (known == nil || !keyRE.MatchString(seg.text) || !known(seg.text)) {
					p.Add(field, pendopo.M("document.unknown_placeholder_use_form_field", seg.text, builtinList()))
				}
			}
		}
	}
	check("output.title", t.Title, MaxTitle, pendopo.M("document.the_document_title_required"))
	check("output.body", t.Body, MaxBody, pendopo.M("document.the_document_body_required"))
	return p.Err()
}

func isBuiltin(key string) bool {
	for _, b := range BuiltinPlaceholders {
		if key == b {
			return true
		}
	}
	return false
}

func builtinList() string { return "{" + strings.Join(BuiltinPlaceholders, "}, {") + "}" }

// Fill replaces each {key} in the title and body with its value. Values
// are plain text: they are put in once and never searched for
// placeholders, runs of white space in them (line breaks too) become one
// space, and other control characters are dropped. A key without a value
// (an optional field left empty) becomes "-", as on a paper form. Braces
// that do not form a placeholder are kept as they are.
func (t Template) Fill(values map[string]string) (title, body string) {
	fill := func(s string) string {
		var b strings.Builder
		for _, seg := range split(s) {
			if !seg.key {
				b.WriteString(seg.text)
				continue
			}
			v := strings.Join(strings.FieldsFunc(values[seg.text], func(r rune) bool {
				return unicode.IsSpace(r) || unicode.IsControl(r)
			}), " ")
			if v == "" {
				v = "-"
			}
			b.WriteString(v)
		}
		return b.String()
	}
	return fill(t.Title), fill(t.Body)
}

// segment is a piece of template text: literal text, a placeholder's key,
// or (bad) literal text that holds a brace without its partner.
type segment struct {
	text     string
	key, bad bool
}

// split cuts s into literal text and {key} placeholders. A "{" closed
// before the next "{" makes a placeholder; any other brace is literal
// text marked bad.
func split(s string) []segment {
	var segs []segment
	for s != "" {
		i := strings.IndexAny(s, "{}")
		if i < 0 {
			segs = append(segs, segment{text: s})
			break
		}
		if i > 0 {
			segs = append(segs, segment{text: s[:i]})
		}
		s = s[i:]
		end := strings.IndexAny(s[1:], "{}")
		if s[0] == '}' || end < 0 || s[1+end] == '{' {
			segs = append(segs, segment{text: s[:1], bad: true})
			s = s[1:]
			continue
		}
		segs = append(segs, segment{text: s[1 : 1+end], key: true})
		s = s[2+end:]
	}
	return segs
}
