package document

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
)

func sample() Document {
	tpl := DefaultTemplate("Surat Keterangan Domisili")
	b := Builtins{
		Number:    "3374-2611-K7Q2M9-X",
		IssuedAt:  time.Date(2026, time.November, 27, 10, 30, 0, 0, pendopo.WIB),
		Service:   "Surat Keterangan Domisili",
		Region:    "Kota Semarang",
		Agency:    "Dinas Kependudukan dan Pencatatan Sipil",
		Applicant: "José Santoso",
	}
	title, body := tpl.Fill(b.Values(nil))
	return Document{
		Code:      "ABCD-EFGH-JKMN",
		VerifyURL: "https://layanan.semarangkota.go.id/verifikasi/ABCD-EFGH-JKMN",
		Region:    "Pemerintah Kota Semarang",
		Agency:    "Dinas Kependudukan dan Pencatatan Sipil",
		Title:     title,
		Body:      body,
		Number:    b.Number,
		IssuedAt:  b.IssuedAt,
		Place:     "Semarang",
		Signer:    "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Semarang",
		KeyID:     "k2026-01",
	}
}

// long is sample with a body that runs over the first page.
func long() Document {
	d := sample()
	d.Body = strings.Repeat("Paragraf panjang untuk menguji pindah halaman, dengan huruf é, ü dan tanda “kutip” serta karakter 中文 yang tidak ada di Windows-1252. ", 8)
	d.Body = strings.Repeat(d.Body+"\n\n", 6)
	return d
}

func TestRender(t *testing.T) {
	for name, d := range map[string]Document{"short": sample(), "long": long()} {
		t.Run(name, func(t *testing.T) {
			a, err := Render(d)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Render(d)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatal("two renderings of one document differ")
			}
			if !bytes.HasPrefix(a, []byte("%PDF-")) {
				t.Fatalf("output starts with %q", a[:8])
			}
			if code, ok := CodeOf(a); !ok || code != d.Code {
				t.Fatalf("CodeOf = %q, %v; want %q", code, ok, d.Code)
			}

			// Change one byte of the first page's compressed content, where
			// the body is: the code is still found, the digest changes.
			i := bytes.Index(a, []byte("stream\n"))
			if i < 0 {
				t.Fatal("no content stream")
			}
			altered := bytes.Clone(a)
			altered[i+len("stream\n")+20] ^= 0x20
			if code, ok := CodeOf(altered); !ok || code != d.Code {
				t.Fatalf("CodeOf(altered) = %q, %v; want %q", code, ok, d.Code)
			}
			if Digest(altered) == Digest(a) {
				t.Fatal("altered file has the same digest")
			}
		})
	}
}

func TestRenderDiffers(t *testing.T) {
	base, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	d := sample()
	d.Body += " Tambahan."
	other, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if Digest(base) == Digest(other) {
		t.Fatal("different bodies rendered to the same bytes")
	}
}

func TestRenderRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Document)
	}{
		{"no code", func(d *Document) { d.Code = "" }},
		{"code not printed form", func(d *Document) { d.Code = "abcdefghjkmn" }},
		{"relative URL", func(d *Document) { d.VerifyURL = "/verifikasi/ABCD-EFGH-JKMN" }},
		{"URL without the code", func(d *Document) { d.VerifyURL = "https://example.go.id/verifikasi/" }},
		{"no date", func(d *Document) { d.IssuedAt = time.Time{} }},
		{"no key", func(d *Document) { d.KeyID = " " }},
		{"no title", func(d *Document) { d.Title = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sample()
			tt.change(&d)
			if _, err := Render(d); err == nil {
				t.Fatal("Render accepted the document")
			}
		})
	}
}

func TestCodeOfNone(t *testing.T) {
	for _, in := range []string{"", "%PDF-1.3\n", "/Keywords (pendopo-verify:)", "/Keywords (pendopo-verify:ABCD-EFGH-JKM)", "pendopo-verify:ABCD-EFGH-JKMN2"} {
		if code, ok := CodeOf([]byte(in)); ok {
			t.Errorf("CodeOf(%q) = %q, true", in, code)
		}
	}
	// The first well-formed code wins.
	if code, ok := CodeOf([]byte("pendopo-verify:XX pendopo-verify:abcd-efgh-jkmn) pendopo-verify:2345-6789-ABCD")); !ok || code != "ABCD-EFGH-JKMN" {
		t.Errorf("CodeOf = %q, %v", code, ok)
	}
}

func TestSignVerify(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	otherPub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := Render(sample())
	if err != nil {
		t.Fatal(err)
	}
	digest := Digest(pdf)
	sig := Sign(priv, digest)
	flipped := digest
	flipped[7] ^= 0x01
	tests := []struct {
		name   string
		pub    ed25519.PublicKey
		digest [32]byte
		sig    []byte
		want   bool
	}{
		{"round trip", pub, digest, sig, true},
		{"flipped digest bit", pub, flipped, sig, false},
		{"wrong key", otherPub, digest, sig, false},
		{"short key", pub[:16], digest, sig, false},
		{"no key", nil, digest, sig, false},
		{"truncated signature", pub, digest, sig[:63], false},
		{"plain signature of the digest", pub, digest, ed25519.Sign(priv, digest[:]), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.pub, tt.digest, tt.sig); got != tt.want {
				t.Fatalf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

var codeForm = regexp.MustCompile(`^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$`)

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := NewCode()
		if !codeForm.MatchString(c) {
			t.Fatalf("NewCode() = %q", c)
		}
		if p, err := ParseCode(c); err != nil || p != c {
			t.Fatalf("ParseCode(%q) = %q, %v", c, p, err)
		}
		if seen[c] {
			t.Fatalf("NewCode repeated %q", c)
		}
		seen[c] = true
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in, want string
		err      error // errCodeForm or errCodeLookAlike when want is ""
	}{
		{"ABCD-EFGH-JKMN", "ABCD-EFGH-JKMN", nil},
		{"abcd-efgh-jkmn", "ABCD-EFGH-JKMN", nil},
		{"ABCDEFGHJKMN", "ABCD-EFGH-JKMN", nil},
		{" abcd efgh jkmn\n", "ABCD-EFGH-JKMN", nil},
		{"AB-CD-EF-GH-JK-MN", "ABCD-EFGH-JKMN", nil},
		{"2345\u2013\u00a06789\u2011ZZZZ", "2345-6789-ZZZZ", nil}, // en dash, no-break space, non-breaking hyphen
		{"ABCD-EFGH-JKM0", "", errCodeLookAlike},
		{"oBCD-EFGH-JKMN", "", errCodeLookAlike},
		{"ABCD-EFGH-JKM1", "", errCodeLookAlike},
		{"ABCD-EFGH-JKMl", "", errCodeLookAlike},
		{"ABCD-EFGH-JKMU", "", errCodeLookAlike},
		{"ABCD-EFGH-JKMNI", "", errCodeLookAlike},
		{"", "", errCodeForm},
		{"ABCD-EFGH-JKM", "", errCodeForm},
		{"ABCD-EFGH-JKMNP", "", errCodeForm},
		{"ABCD_EFGH_JKMN", "", errCodeForm},
		{"ÀBCD-EFGH-JKMN", "", errCodeForm},
		{"https://x/verifikasi/ABCD-EFGH-JKMN", "", errCodeForm},
		{strings.Repeat(" ", 60) + "ABCDEFGHJKMN", "", errCodeForm},
	}
	for _, tt := range tests {
		got, err := ParseCode(tt.in)
		if got != tt.want || err != tt.err {
			t.Errorf("ParseCode(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
		if err != nil && pendopo.KindOf(err) != pendopo.KindInvalid {
			t.Errorf("ParseCode(%q) error kind %q", tt.in, pendopo.KindOf(err))
		}
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"ABCD-EFGH-JKMN", "abcd efgh jkmn", "O0I1LU", "2345\u20136789ZZZZ", "", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			var e *pendopo.Error
			if c != "" || !errors.As(err, &e) {
				t.Fatalf("ParseCode(%q) = %q, %v", s, c, err)
			}
			return
		}
		if !codeForm.MatchString(c) {
			t.Fatalf("ParseCode(%q) = %q, not a printed code", s, c)
		}
		if again, err := ParseCode(c); err != nil || again != c {
			t.Fatalf("ParseCode(%q) = %q, %v; not a fixed point", c, again, err)
		}
	})
}

// TestRenderReadable renders documents to images and text with poppler and
// zbar, as a phone and a person would read them: the QR must decode to
// exactly the verification URL, and the text must hold the title, number
// and code.
func TestRenderReadable(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "zbarimg", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("PENDOPO_TEST_REQUIRE_PDFTOOLS") != "" {
				t.Fatalf("%s not on PATH, and PENDOPO_TEST_REQUIRE_PDFTOOLS is set", tool)
			}
			t.Skipf("%s not on PATH (apt-get install poppler-utils zbar-tools)", tool)
		}
	}
	demo := long()
	demo.Demo = true
	for name, d := range map[string]Document{"short": sample(), "long": long(), "demo": demo} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			pdf, err := Render(d)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, "doc.pdf")
			if err := os.WriteFile(file, pdf, 0o600); err != nil {
				t.Fatal(err)
			}
			run := func(name string, args ...string) string {
				t.Helper()
				var stdout, stderr bytes.Buffer
				cmd := exec.Command(name, args...)
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("%s: %v\n%s", name, err, stderr.String())
				}
				return stdout.String()
			}

			run("pdftoppm", "-r", "150", "-png", file, filepath.Join(dir, "page"))
			pages, err := filepath.Glob(filepath.Join(dir, "page-*.png"))
			if err != nil || len(pages) == 0 {
				t.Fatalf("pdftoppm made no pages: %v", err)
			}
			// The QR is on the last page only.
			last := pages[len(pages)-1]
			if got := strings.TrimSpace(run("zbarimg", "--raw", "-q", last)); got != d.VerifyURL {
				t.Fatalf("QR decodes to %q, want %q", got, d.VerifyURL)
			}

			text := run("pdftotext", "-layout", file, "-")
			for _, want := range []string{d.Title, "Nomor: " + d.Number, d.Code, "Ditandatangani secara elektronik dengan kunci " + d.KeyID} {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext lacks %q:\n%s", want, text)
				}
			}
			if name == "short" && !strings.Contains(text, "José Santoso") {
				t.Errorf("pdftotext lacks the accented name:\n%s", text)
			}
			if name == "long" && len(pages) < 2 {
				t.Errorf("long document has %d page", len(pages))
			}
			// A demo portal's document says so on every page; a real
			// one nowhere.
			if marks := strings.Count(text, "CONTOH / DEMO"); d.Demo && marks != len(pages) || !d.Demo && marks != 0 {
				t.Errorf("%d demo marks on %d pages", marks, len(pages))
			}
		})
	}
}

func BenchmarkRender(b *testing.B) {
	d := sample()
	var size int
	for b.Loop() {
		pdf, err := Render(d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
