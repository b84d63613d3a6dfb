package pendopo

import (
	"strings"
	"testing"
	"time"
)

var formNow = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func anyRegion(code string) bool { return code == "33.74" || code == "33" }

func testForm() Form {
	return Form{Fields: []FormField{
		{Key: "nama", Label: T("Nama", "Name"), Type: FieldText, Required: true},
		{Key: "alasan", Label: T("Alasan", "Reason"), Type: FieldLongText},
		{Key: "jumlah", Label: T("Jumlah", "Amount"), Type: FieldNumber},
		{Key: "tanggal", Label: T("Tanggal", "Date"), Type: FieldDate},
		{Key: "jenis", Label: T("Jenis", "Kind"), Type: FieldChoice, Options: []string{"Baru", "Perpanjangan"}, Required: true},
		{Key: "tujuan", Label: T("Tujuan", "Purpose"), Type: FieldMulti, Options: []string{"Kerja", "Sekolah", "Lainnya"}},
		{Key: "nik", Label: T("NIK", "NIK"), Type: FieldNIK, Required: true},
		{Key: "hp", Label: T("HP", "Phone"), Type: FieldPhone},
		{Key: "email", Label: T("Email", "Email"), Type: FieldEmail},
		{Key: "alamat", Label: T("Alamat", "Address"), Type: FieldAddress},
		{Key: "ktp", Label: T("KTP", "ID card"), Type: FieldFile, Required: true, Accept: []string{MediaPDF, MediaJPEG}},
		{Key: "setuju", Label: T("Setuju", "Agree"), Type: FieldConsent, Required: true},
	}}
}

func TestFormValidate(t *testing.T) {
	if err := testForm().Validate(); err != nil {
		t.Fatalf("valid form refused: %v", err)
	}
	tests := []struct {
		name  string
		field FormField
		want  string
	}{
		{"bad key", FormField{Key: "Nama Lengkap", Label: T("x", ""), Type: FieldText}, "key"},
		{"duplicate key", FormField{Key: "nama", Label: T("x", ""), Type: FieldText}, "key"},
		{"no label", FormField{Key: "x", Type: FieldText}, "label"},
		{"unknown type", FormField{Key: "x", Label: T("x", ""), Type: "warna"}, "type"},
		{"one option", FormField{Key: "x", Label: T("x", ""), Type: FieldChoice, Options: []string{"a"}}, "options"},
		{"repeated option", FormField{Key: "x", Label: T("x", ""), Type: FieldChoice, Options: []string{"a", "a"}}, "options"},
		{"file without types", FormField{Key: "x", Label: T("x", ""), Type: FieldFile}, "accept"},
		{"executable file", FormField{Key: "x", Label: T("x", ""), Type: FieldFile, Accept: []string{"application/x-msdownload"}}, "accept"},
		{"huge file", FormField{Key: "x", Label: T("x", ""), Type: FieldFile, Accept: []string{MediaPDF}, MaxBytes: 1 << 30}, "max_bytes"},
	}
	for _, tt := range tests {
		f := testForm()
		f.Fields = append(f.Fields, tt.field)
		err := f.Validate()
		e, ok := err.(*Error)
		if !ok || len(e.Fields) == 0 || !strings.HasSuffix(e.Fields[0].Field, tt.want) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestDefaultForm(t *testing.T) {
	f := DefaultForm(Standard{Requirements: []string{"KTP-el asli", "Kartu Keluarga", strings.Repeat("panjang ", 40)}})
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(f.Fields) != 4 || f.Fields[0].Type != FieldFile || !f.Fields[0].Required || f.Fields[3].Type != FieldConsent {
		t.Errorf("default form: %+v", f.Fields)
	}
}

func TestReadAnswers(t *testing.T) {
	addr := strings.Repeat("a", 64)
	good := map[string][]string{
		"nama": {" Sari "}, "alasan": {""}, "jumlah": {"2,5"}, "tanggal": {"2026-12-01"}, "jenis": {"Baru"}, "tujuan": {"Kerja", "Sekolah"},
		"nik": {"3374 0117 0845 0001"}, "hp": {"0812-3456-7890"}, "email": {"Sari@Contoh.ID"}, "alamat": {Address("Jl. Pemuda 1", "33.74")},
		"ktp": {addr}, "setuju": {"1"}, "tidak_ditanya": {"disimpan?"},
	}
	a, err := ReadAnswers(testForm(), good, true, anyRegion, formNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"nama": "Sari", "jumlah": "2.5", "nik": "3374011708450001", "hp": "+6281234567890", "email": "sari@contoh.id", "setuju": "1"}
	for k, v := range want {
		if len(a[k]) != 1 || a[k][0] != v {
			t.Errorf("%s = %q, want %q", k, a[k], v)
		}
	}
	if _, ok := a["tidak_ditanya"]; ok || len(a["tujuan"]) != 2 || a["alasan"] != nil {
		t.Errorf("answers: %v", a)
	}
	// A draft may leave required fields empty; a submission may not.
	partial := map[string][]string{"nama": {"Sari"}}
	if _, err := ReadAnswers(testForm(), partial, false, anyRegion, formNow); err != nil {
		t.Errorf("draft: %v", err)
	}
	_, err = ReadAnswers(testForm(), partial, true, anyRegion, formNow)
	if e, ok := err.(*Error); !ok || len(e.Fields) != 4 {
		t.Errorf("submission with required fields missing: %v", err)
	}
	bad := []struct{ key, value string }{
		{"jumlah", "dua"}, {"tanggal", "27/11/2026"}, {"jenis", "Lama"}, {"tujuan", "Liburan"}, {"nik", "1234"},
		{"hp", "12345"}, {"email", "sari@"}, {"alamat", "Jl. Pemuda"}, {"alamat", "Jl. Pemuda|99.99"}, {"ktp", "../../etc/passwd"},
		{"setuju", "tidak"}, {"nama", strings.Repeat("x", 501)}, {"nama", "a\x00b"},
	}
	for _, b := range bad {
		v := map[string][]string{}
		for k, x := range good {
			v[k] = x
		}
		v[b.key] = []string{b.value}
		_, err := ReadAnswers(testForm(), v, true, anyRegion, formNow)
		if e, ok := err.(*Error); !ok || len(e.Fields) != 1 || e.Fields[0].Field != "answers."+b.key {
			t.Errorf("%s=%q: %v", b.key, b.value, err)
		}
	}
	two := map[string][]string{"nama": {"a", "b"}}
	if _, err := ReadAnswers(testForm(), two, false, anyRegion, formNow); err == nil {
		t.Error("two values for a single field accepted")
	}
}

// FuzzReadAnswers: whatever a form post carries, the parser neither
// panics nor keeps a value the form did not ask for or that breaks its
// field's rules.
func FuzzReadAnswers(f *testing.F) {
	f.Add("nama", "Sari", "jumlah", "2,5", true)
	f.Add("nik", "3374011708450001", "alamat", "Jl|33.74", false)
	f.Add("tujuan", "Kerja", "ktp", strings.Repeat("0", 64), true)
	form := testForm()
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string, final bool) {
		vals := map[string][]string{k1: {v1}, k2: {v2, v1}}
		a, err := ReadAnswers(form, vals, final, anyRegion, formNow)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("not a user error: %v", err)
			}
			return
		}
		for k, vs := range a {
			var fd *FormField
			for i := range form.Fields {
				if form.Fields[i].Key == k {
					fd = &form.Fields[i]
				}
			}
			if fd == nil {
				t.Fatalf("kept unknown key %q", k)
			}
			if _, ok := checkAnswer(*fd, vs, anyRegion, formNow); !ok && fd.Type != FieldNumber {
				t.Fatalf("kept %q=%q that its rules refuse", k, vs)
			}
		}
	})
}
