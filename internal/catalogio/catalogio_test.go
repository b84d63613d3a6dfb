package catalogio

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

const goodJSON = `{
  "format": "pendopo.region/v1",
  "region": "33.74",
  "agencies": [
    {"slug": "disdukcapil", "name": "Dinas Kependudukan dan Pencatatan Sipil"}
  ],
  "service_points": [],
  "services": [
    {
      "slug": "akta-kelahiran",
      "kind": "akta-kelahiran",
      "name": "Penerbitan Akta Kelahiran",
      "agency": "disdukcapil",
      "category": "kependudukan",
      "channels": ["offline"],
      "standard": {
        "requirements": ["Surat keterangan lahir"],
        "procedure": ["Datang", "Terima akta"],
        "duration": {"working_days": 1},
        "fee": {"type": "free", "legal_basis": "UU 24/2013"},
        "product": "Akta kelahiran",
        "complaints": ["SP4N-LAPOR!"],
        "legal_basis": ["UU 24/2013"]
      }
    }
  ]
}`

// fieldAt returns the first field error of err.
func fieldAt(t *testing.T, err error) pendopo.FieldError {
	t.Helper()
	var e *pendopo.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		t.Fatalf("want a field error, got %v", err)
	}
	return e.Fields[0]
}

func TestReadJSON(t *testing.T) {
	b, _, err := ReadJSON(strings.NewReader(goodJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Services) != 1 || b.Services[0].Standard.Duration.WorkingDays != 1 || b.Agencies[0].Slug != "disdukcapil" {
		t.Fatalf("bundle = %+v", b)
	}
	tests := []struct {
		name, from, to string
		line           int
		field          string
	}{
		{"syntax", `"product": "Akta kelahiran",`, `"product": "Akta kelahiran" "x",`, 21, "file"},
		{"type", `"working_days": 1`, `"working_days": "satu"`, 19, "services.standard.duration.working_days"},
		{"unknown field", `"requirements":`, `"requirments":`, 17, "services[0].standard.requirments"},
		{"invalid value", `"type": "free"`, `"type": "gratis"`, 20, "services[0].standard.fee.type"},
		{"missing list", `"procedure": ["Datang", "Terima akta"],`, ``, 16, "services[0].standard.procedure"},
		{"bad slug", `"slug": "akta-kelahiran"`, `"slug": "Akta Kelahiran"`, 10, "services[0].slug"},
		{"cut short", "  ]\n}", "", 0, "file"},
	}
	for _, tt := range tests {
		src := strings.Replace(goodJSON, tt.from, tt.to, 1)
		if src == goodJSON {
			t.Fatalf("%s: replacement did not apply", tt.name)
		}
		_, _, err := ReadJSON(strings.NewReader(src))
		f := fieldAt(t, err)
		if f.Field != tt.field || tt.line != 0 && f.Line != tt.line {
			t.Errorf("%s: field %q line %d (%s), want %q line %d", tt.name, f.Field, f.Line, f.Msg.English, tt.field, tt.line)
		}
		if tt.name == "cut short" && f.Line == 0 {
			t.Errorf("cut short: no line")
		}
	}
}

func TestLocatorLine(t *testing.T) {
	_, loc, err := ReadJSON(strings.NewReader(goodJSON))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{
		"services[0]":                          9,
		"services[0].agency":                   13,
		"services[0].standard.fee.legal_basis": 20,
		"services[0].standard.facilities":      16, // missing: reported at its parent
		"agencies[0].slug":                     5,
		"nowhere":                              0,
	} {
		if got := loc.Line(path); got != want {
			t.Errorf("Line(%q) = %d, want %d", path, got, want)
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	c := pendopotest.Content("akta", "akta-kelahiran", "disdukcapil")
	c.Points = []string{"mpp", "kantor"}
	c.LifeEvents = []string{"kelahiran", "pindah-domisili"}
	c.Channels = []pendopo.Channel{pendopo.ChannelOffline, pendopo.ChannelOnline}
	c.Standard.Fee = pendopo.Fee{Type: pendopo.FeeFixed, Amount: 150000, LegalBasis: "Perda 2/2024", Note: "per lembar"}
	c.Standard.Facilities = []string{"Ruang tunggu", "Kursi roda, \"lift\""}
	c.Standard.Supervision = "Kepala dinas"
	c2 := pendopotest.Content("ktp", "ktp-el", "disdukcapil")
	c2.Standard.Duration = pendopo.Duration{SameDay: true, Note: "bila blanko ada"}
	in := pendopo.Bundle{Format: pendopo.BundleFormat, Region: "33.74", Services: []pendopo.BundleService{{ServiceContent: c, Note: "impor"}, {ServiceContent: c2}}}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteServicesCSV(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, _, err := ReadServicesCSV(&buf, "33.74")
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(in.Services, out.Services) {
		t.Errorf("round trip changed services:\n in %+v\nout %+v", in.Services, out.Services)
	}
}

func TestReadServicesCSVErrors(t *testing.T) {
	var buf bytes.Buffer
	in := pendopo.Bundle{Format: pendopo.BundleFormat, Region: "33.74", Services: []pendopo.BundleService{
		{ServiceContent: pendopotest.Content("a", "ktp-el", "x")}, {ServiceContent: pendopotest.Content("b", "ktp-el", "x")}}}
	WriteServicesCSV(&buf, in)
	good := buf.String()
	// The second record starts after the first, whose list cells span lines.
	secondLine := strings.Count(good[:strings.Index(good, "\nb,")+1], "\n") + 1
	tests := []struct {
		name, src string
		line      int
		field     string
	}{
		{"missing column", strings.Replace(good, "fee_type,", "", 1), 1, "header"},
		{"unknown column", strings.Replace(good, ",note\n", ",catatan\n", 1), 1, "catatan"},
		{"bad number", strings.Replace(good, "\nb,ktp-el,Layanan b", "\nb,ktp-el,Layanan b", 1), 0, ""},
		{"bad category", strings.Replace(good, ",x,kependudukan,kelahiran,offline,,,\"Kartu", ",x,kesenian,kelahiran,offline,,,\"Kartu", 2), 0, "services[0].category"},
		{"quote", good + "\"unterminated\n", 0, "file"},
	}
	for _, tt := range tests {
		if tt.name == "bad number" {
			continue
		}
		_, _, err := ReadServicesCSV(strings.NewReader(tt.src), "33.74")
		f := fieldAt(t, err)
		if f.Field != tt.field || tt.line != 0 && f.Line != tt.line || f.Line == 0 {
			t.Errorf("%s: field %q line %d (%s), want %q line %d", tt.name, f.Field, f.Line, f.Msg.English, tt.field, tt.line)
		}
	}
	// A duration that is not a number is reported on the second record's line.
	rows := strings.SplitN(good, "\nb,", 2)
	src := rows[0] + "\nb," + strings.Replace(rows[1], ",3,tidak,", ",tiga,tidak,", 1)
	_, _, err := ReadServicesCSV(strings.NewReader(src), "33.74")
	f := fieldAt(t, err)
	if f.Field != "services[1].standard.duration.working_days" || f.Line < secondLine {
		t.Errorf("bad number: %q at line %d, want line ≥ %d", f.Field, f.Line, secondLine)
	}
}

func FuzzReadJSON(f *testing.F) {
	f.Add(goodJSON)
	f.Add(`{"format": "pendopo.region/v1", "services": [{"standard": {"fee": {"amount": 1e99}}}]}`)
	f.Add(`[1, {"a": [}]`)
	f.Fuzz(func(t *testing.T, s string) {
		b, loc, err := ReadJSON(strings.NewReader(s))
		if err == nil {
			if b.Validate() != nil {
				t.Fatalf("accepted an invalid bundle")
			}
			return
		}
		var e *pendopo.Error
		if !errors.As(err, &e) {
			t.Fatalf("error is not a user error: %v", err)
		}
		for _, fe := range e.Fields {
			if fe.Msg.Indonesian == "" || fe.Msg.English == "" {
				t.Fatalf("field error without message: %+v", fe)
			}
			if fe.Line < 0 || fe.Line > strings.Count(s, "\n")+1 {
				t.Fatalf("line %d outside the file", fe.Line)
			}
		}
		_ = loc
	})
}

func FuzzReadServicesCSV(f *testing.F) {
	var buf bytes.Buffer
	WriteServicesCSV(&buf, pendopo.Bundle{Services: []pendopo.BundleService{{ServiceContent: pendopotest.Content("a", "ktp-el", "x")}}})
	f.Add(buf.String())
	f.Add("slug\n\"")
	f.Fuzz(func(t *testing.T, s string) {
		b, _, err := ReadServicesCSV(strings.NewReader(s), "33.74")
		if err == nil {
			if b.Validate() != nil {
				t.Fatalf("accepted an invalid bundle")
			}
			return
		}
		var e *pendopo.Error
		if !errors.As(err, &e) {
			t.Fatalf("error is not a user error: %v", err)
		}
	})
}
