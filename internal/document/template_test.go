package document

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
)

func TestFill(t *testing.T) {
	values := map[string]string{
		"nomor":   "3374-2611-K7Q2M9-X",
		"pemohon": "Siti {nomor} Aminah",
		"alamat":  "Jl. Pandanaran 1\r\n\tRT 02/RW 05\x00",
		"kosong":  "  ",
	}
	tests := []struct {
		name              string
		tpl               Template
		wantTitle, wantBd string
	}{
		{"plain", Template{"JUDUL", "Isi."}, "JUDUL", "Isi."},
		{"placeholders", Template{"SURAT {nomor}", "Nomor {nomor}, atas nama {pemohon}."},
			"SURAT 3374-2611-K7Q2M9-X", "Nomor 3374-2611-K7Q2M9-X, atas nama Siti {nomor} Aminah."},
		{"value white space and controls", Template{"T", "Alamat: {alamat}."}, "T", "Alamat: Jl. Pandanaran 1 RT 02/RW 05."},
		{"missing and blank values", Template{"T", "{rt} / {kosong}"}, "T", "- / -"},
		{"paragraphs kept", Template{"T", "Satu {nomor}.\n\nDua."}, "T", "Satu 3374-2611-K7Q2M9-X.\n\nDua."},
		{"stray braces kept", Template{"T", "a } b { c {nomor"}, "T", "a } b { c {nomor"},
		{"nested braces", Template{"T", "{{nomor}}"}, "T", "{3374-2611-K7Q2M9-X}"},
		{"unicode around", Template{"T", "é{nomor}é"}, "T", "é3374-2611-K7Q2M9-Xé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, body := tt.tpl.Fill(values)
			if title != tt.wantTitle || body != tt.wantBd {
				t.Fatalf("Fill = %q, %q; want %q, %q", title, body, tt.wantTitle, tt.wantBd)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	known := func(key string) bool { return key == "alamat" || key == "nama_usaha" }
	tests := []struct {
		name  string
		tpl   Template
		known func(string) bool
		want  []string // fields with problems, in order
	}{
		{"default", DefaultTemplate("Surat Keterangan Domisili"), nil, nil},
		{"form keys", Template{"SKU {nama_usaha}", "Beralamat di {alamat}, {tanggal}."}, known, nil},
		{"form key without form", Template{"T", "{alamat}"}, nil, []string{"output.body"}},
		{"unknown", Template{"T {judul}", "{alamat} {rt} {rw} {rt}"}, known, []string{"output.title", "output.body", "output.body"}},
		{"key not in key form", Template{"T", "{Nomor} { nomor } {}"}, func(string) bool { return true }, []string{"output.body", "output.body", "output.body"}},
		{"unclosed", Template{"T", "Nomor {nomor"}, nil, []string{"output.body"}},
		{"unopened", Template{"T", "Nomor nomor}"}, nil, []string{"output.body"}},
		{"nested", Template{"{{nomor}}", "Isi"}, nil, []string{"output.title"}},
		{"empty", Template{" ", "\n\n"}, nil, []string{"output.title", "output.body"}},
		{"title at limit", Template{strings.Repeat("é", MaxTitle), "Isi"}, nil, nil},
		{"too long", Template{strings.Repeat("é", MaxTitle+1), strings.Repeat("a", MaxBody+1)}, nil, []string{"output.title", "output.body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.tpl.Validate(tt.known)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var e *pendopo.Error
			if !errors.As(err, &e) || e.Kind != pendopo.KindInvalid {
				t.Fatalf("Validate = %v, want an invalid *pendopo.Error", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
				if f.Msg.Indonesian == "" || f.Msg.English == "" || f.Msg.Indonesian == f.Msg.English {
					t.Errorf("message not in both languages: %+v", f.Msg)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("problems in %v, want %v: %v", got, tt.want, err)
			}
		})
	}
}

func TestDefaultTemplate(t *testing.T) {
	for _, product := range []string{"Surat Keterangan Usaha", "  Izin {khusus}  ", ""} {
		tpl := DefaultTemplate(product)
		if err := tpl.Validate(nil); err != nil {
			t.Errorf("DefaultTemplate(%q): %v", product, err)
		}
		_, body := tpl.Fill(Builtins{Number: "N", IssuedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
			Service: "S", Region: "R", Agency: "A", Applicant: "P"}.Values(nil))
		if strings.ContainsAny(body, "{}") || !strings.Contains(body, "2 Januari 2026") {
			t.Errorf("DefaultTemplate(%q) filled: %q", product, body)
		}
	}
}

func TestBuiltinsWin(t *testing.T) {
	v := Builtins{Number: "3374-2611-K7Q2M9-X", Applicant: "Siti"}.Values(map[string]string{"nomor": "palsu", "alamat": "Jl. A"})
	if v["nomor"] != "3374-2611-K7Q2M9-X" || v["alamat"] != "Jl. A" || v["pemohon"] != "Siti" {
		t.Fatalf("Values = %v", v)
	}
	for _, k := range BuiltinPlaceholders {
		if _, ok := v[k]; !ok {
			t.Errorf("Values lacks %q", k)
		}
	}
}

func TestLongDate(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, time.November, 27, 9, 0, 0, 0, pendopo.WIB), "27 November 2026"},
		{time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC), "1 Januari 2027"},
		{time.Date(2026, time.August, 17, 23, 30, 0, 0, pendopo.WIT), "17 Agustus 2026"},
	}
	for _, tt := range tests {
		if got := LongDate(tt.t); got != tt.want {
			t.Errorf("LongDate(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}
