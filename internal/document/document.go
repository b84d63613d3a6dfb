// Package document issues the output documents of online applications,
// such as a Surat Keterangan Domisili, as PDFs that anyone can check.
//
// Every document carries a verification code, printed and encoded in a QR
// code that points at the public verification page, and written into the
// PDF's Info dictionary so that an uploaded file can be matched to its
// record (CodeOf). The issuer keeps the SHA-256 of the exact bytes it
// handed out (Digest) and an Ed25519 signature over it (Sign): a file is
// genuine when its digest equals the stored one and the signature verifies
// (Verify). Render is deterministic, but the digest must be taken from the
// bytes issued, not from a later re-rendering: a new Go or fpdf version
// may compress the same page differently.
package document

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"github.com/pendopo/pendopo"
	"github.com/skip2/go-qrcode"
)

// Document is one issued output document, ready to be rendered.
type Document struct {
	Code      string // verification code (NewCode), shown and encoded in the QR
	VerifyURL string // absolute URL https://host/verifikasi/{code}; the QR encodes exactly this
	Region    string // region name for the letterhead, e.g. "Pemerintah Kota Semarang"
	Agency    string // agency name under it
	Title     string // already filled (Template.Fill)
	Body      string // already filled; paragraphs separated by blank lines
	Number    string // tracking number
	IssuedAt  time.Time
	// Place is where the document is issued, printed before the date
	// ("Semarang, 27 November 2026"); when empty only the date is printed.
	Place  string
	Signer string // role title such as "Kepala Dinas ..."; no personal signature image
	KeyID  string // id of the signing key, printed in the footer
	// Demo marks a document of a demo portal: "CONTOH / DEMO" across
	// every page, so that it cannot pass for a real one.
	Demo bool
}

// DemoMark is printed across every page of a demo portal's documents.
const DemoMark = "CONTOH / DEMO - TIDAK BERLAKU"

// keywordPrefix marks the verification code in the PDF's Info Keywords.
const keywordPrefix = "pendopo-verify:"

// Page geometry in millimetres (A4 portrait).
const (
	marginLeft   = 25.0
	marginRight  = 20.0
	marginTop    = 18.0
	marginBottom = 24.0 // room for the footer
	qrSize       = 30.0
	lineHeight   = 5.8
	signerWidth  = 80.0
)

// check reports the programming mistakes Render refuses: the document is
// assembled by the program, not typed by a user.
func (d Document) check() error {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"Code", d.Code}, {"VerifyURL", d.VerifyURL}, {"Region", d.Region}, {"Title", d.Title},
		{"Body", d.Body}, {"Number", d.Number}, {"Signer", d.Signer}, {"KeyID", d.KeyID},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if d.IssuedAt.IsZero() {
		missing = append(missing, "IssuedAt")
	}
	if len(missing) > 0 {
		return fmt.Errorf("document: missing %s", strings.Join(missing, ", "))
	}
	if c, err := ParseCode(d.Code); err != nil || c != d.Code {
		return fmt.Errorf("document: code %q is not in printed form", d.Code)
	}
	u, err := url.Parse(d.VerifyURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		len(d.VerifyURL) > 300 || !strings.Contains(d.VerifyURL, d.Code) {
		return fmt.Errorf("document: verification URL %q is not an absolute http(s) URL of at most 300 bytes holding the code", d.VerifyURL)
	}
	return nil
}

// Render lays d out as a one- or more-page A4 PDF: letterhead, title,
// number, body, place and date with the signer, and on the last page a QR
// code of VerifyURL with the code and URL in text. Equal documents give
// equal bytes: the file's dates are IssuedAt, the printed date is
// IssuedAt in its own location, and nothing is random. Characters outside
// Windows-1252 print as ".". Errors are programming mistakes: a missing
// field, a malformed code or URL.
func Render(d Document) ([]byte, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	qr, err := qrcode.Encode(d.VerifyURL, qrcode.Medium, 256)
	if err != nil {
		return nil, fmt.Errorf("document: QR code: %w", err)
	}

	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	// fpdf writes these dates without a zone, so they are given in UTC.
	pdf.SetCreationDate(d.IssuedAt.UTC())
	pdf.SetModificationDate(d.IssuedAt.UTC())
	pdf.SetProducer("Pendopo", false)
	pdf.SetCreator("Pendopo", false)
	pdf.SetTitle(d.Title, true)
	pdf.SetSubject(d.Title, true)
	pdf.SetKeywords(keywordPrefix+d.Code, false)
	pdf.SetLang("id")
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(true, marginBottom)
	// The page-count alias is made of control characters, which clean
	// removes from every text we print, so no value can collide with it.
	const pages = "\x01nb\x01"
	pdf.AliasNbPages(pages)
	win := pdf.UnicodeTranslatorFromDescriptor("") // the core fonts are Windows-1252
	tr := func(s string) string { return win(clean(s)) }
	pageW, pageH := pdf.GetPageSize()
	textW := pageW - marginLeft - marginRight

	if d.Demo {
		pdf.SetHeaderFunc(func() {
			pdf.SetFont("Helvetica", "B", 34)
			pdf.SetTextColor(225, 120, 120)
			pdf.TransformBegin()
			pdf.TransformRotate(35, pageW/2, pageH/2)
			w := pdf.GetStringWidth(DemoMark)
			pdf.Text(pageW/2-w/2, pageH/2, DemoMark)
			pdf.TransformEnd()
			// And once plainly at the top, for readers and text tools.
			pdf.SetFont("Helvetica", "B", 9)
			pdf.SetTextColor(164, 22, 26)
			pdf.Text(pageW/2-pdf.GetStringWidth(DemoMark)/2, 10, DemoMark)
			pdf.SetTextColor(0, 0, 0)
		})
	}
	pdf.SetFooterFunc(func() {
		pdf.SetDrawColor(150, 150, 150)
		pdf.SetLineWidth(0.2)
		pdf.Line(marginLeft, pageH-17, pageW-marginRight, pageH-17)
		pdf.SetTextColor(80, 80, 80)
		pdf.SetFont("Helvetica", "", 7.5)
		pdf.SetXY(marginLeft, pageH-16)
		pdf.CellFormat(textW-25, 3.8, tr("Ditandatangani secara elektronik dengan kunci "+d.KeyID), "", 0, "L", false, 0, "")
		pdf.CellFormat(25, 3.8, fmt.Sprintf("Halaman %d/%s", pdf.PageNo(), pages), "", 1, "R", false, 0, "")
		pdf.SetX(marginLeft)
		pdf.CellFormat(textW-25, 3.8, tr("Electronically signed with key "+d.KeyID), "", 0, "L", false, 0, "")
		pdf.CellFormat(25, 3.8, fmt.Sprintf("Page %d/%s", pdf.PageNo(), pages), "", 1, "R", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetTextColor(0, 0, 0)

	// Letterhead (kop surat): region, agency, a thick and a thin rule.
	pdf.SetFont("Helvetica", "B", 13)
	pdf.MultiCell(0, 6.5, tr(strings.ToUpper(d.Region)), "", "C", false)
	if strings.TrimSpace(d.Agency) != "" {
		pdf.SetFont("Helvetica", "B", 15)
		pdf.MultiCell(0, 7.5, tr(strings.ToUpper(d.Agency)), "", "C", false)
	}
	y := pdf.GetY() + 2
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.8)
	pdf.Line(marginLeft, y, pageW-marginRight, y)
	pdf.SetLineWidth(0.2)
	pdf.Line(marginLeft, y+1.2, pageW-marginRight, y+1.2)
	pdf.SetY(y + 8)

	// Title and number.
	pdf.SetFont("Helvetica", "BU", 13)
	pdf.MultiCell(0, 6.5, tr(d.Title), "", "C", false)
	pdf.SetFont("Helvetica", "", 11)
	pdf.CellFormat(0, lineHeight, tr("Nomor: "+d.Number), "", 1, "C", false, 0, "")
	pdf.Ln(6)

	// Body, justified; single line breaks inside a paragraph are kept.
	for _, p := range paragraphs(d.Body) {
		pdf.MultiCell(0, lineHeight, tr(p), "", "J", false)
		pdf.Ln(3)
	}

	// Place, date and signer on the right, above the verification block,
	// which sits at a fixed height at the bottom of the last page.
	qrTop := pageH - marginBottom - qrSize - 2
	pdf.SetFont("Helvetica", "B", 11) // the signer's font, for measuring
	signerLines := len(pdf.SplitText(tr(d.Signer), signerWidth))
	pdf.SetFont("Helvetica", "", 11)
	if pdf.GetY()+6+float64(signerLines+2)*lineHeight > qrTop-6 {
		pdf.AddPage()
	}
	x := pageW - marginRight - signerWidth
	pdf.SetXY(x, pdf.GetY()+6)
	dated := LongDate(d.IssuedAt)
	if p := strings.TrimSpace(d.Place); p != "" {
		dated = p + ", " + dated
	}
	pdf.MultiCell(signerWidth, lineHeight, tr(dated), "", "L", false)
	pdf.SetX(x)
	pdf.SetFont("Helvetica", "B", 11)
	pdf.MultiCell(signerWidth, lineHeight, tr(d.Signer), "", "L", false)
	pdf.SetX(x)
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(signerWidth, lineHeight, "(ditandatangani secara elektronik)", "", "L", false)

	// Verification block: QR on the left, caption, code and URL beside it.
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
	pdf.ImageOptions("qr", marginLeft, qrTop, qrSize, qrSize, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, d.VerifyURL)
	tx := marginLeft + qrSize + 4
	tw := pageW - marginRight - tx
	pdf.SetXY(tx, qrTop+3)
	pdf.SetFont("Helvetica", "B", 9)
	pdf.CellFormat(tw, 4.5, "Pindai untuk memeriksa keaslian / Scan to verify", "", 1, "L", false, 0, "")
	pdf.SetX(tx)
	pdf.SetFont("Helvetica", "", 8)
	pdf.CellFormat(tw, 4.5, "Kode verifikasi / Verification code:", "", 1, "L", false, 0, "")
	pdf.SetX(tx)
	pdf.SetFont("Courier", "B", 13)
	pdf.CellFormat(tw, 6.5, d.Code, "", 1, "L", false, 0, "")
	pdf.SetX(tx)
	pdf.SetFont("Helvetica", "", 8)
	uy := pdf.GetY()
	pdf.MultiCell(tw, 4, tr(d.VerifyURL), "", "L", false)
	pdf.LinkString(tx, uy, tw, pdf.GetY()-uy, d.VerifyURL)

	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("document: render PDF: %w", err)
	}
	return out.Bytes(), nil
}

// clean makes text safe to print: line breaks become "\n", tabs spaces,
// and other control characters and invalid UTF-8 go away.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case r == utf8.RuneError || unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

var blankLine = regexp.MustCompile(`\n[ \t]*(\r?\n)+`)

// paragraphs splits body text at blank lines, dropping empty ones.
func paragraphs(body string) []string {
	var ps []string
	for _, p := range blankLine.Split(strings.ReplaceAll(body, "\r\n", "\n"), -1) {
		if p = strings.Trim(p, " \t\n"); p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

// CodeOf finds the verification code in a PDF made by Render, from its
// Info Keywords, even when other bytes of the file were changed; ok is
// false when there is none. It returns the first well-formed code, which
// in a file with incremental updates appended is the original one.
func CodeOf(pdf []byte) (code string, ok bool) {
	rest := pdf
	for {
		i := bytes.Index(rest, []byte(keywordPrefix))
		if i < 0 {
			return "", false
		}
		rest = rest[i+len(keywordPrefix):]
		n := 0
		for n < len(rest) && n < 20 && (rest[n] == '-' || rest[n] >= '0' && rest[n] <= '9' || rest[n] >= 'A' && rest[n] <= 'Z' || rest[n] >= 'a' && rest[n] <= 'z') {
			n++
		}
		if c, err := ParseCode(string(rest[:n])); err == nil {
			return c, true
		}
	}
}

// Digest is the SHA-256 of the exact bytes of a PDF, the value the issuer
// stores and signs.
func Digest(pdf []byte) [32]byte { return sha256.Sum256(pdf) }

// signContext is put before the digest in every signed message, so that a
// signature made here cannot be passed off as one over some other 32-byte
// value signed with the same key elsewhere.
const signContext = "pendopo-document-v1:"

func signed(digest [32]byte) []byte { return append([]byte(signContext), digest[:]...) }

// Sign signs a document digest with an Ed25519 key; the message signed is
// "pendopo-document-v1:" followed by the 32 digest bytes. Like
// ed25519.Sign it panics when priv has the wrong length.
func Sign(priv ed25519.PrivateKey, digest [32]byte) []byte { return ed25519.Sign(priv, signed(digest)) }

// Verify reports whether sig is pub's signature (Sign) of digest; a key of
// the wrong length is false, not a panic.
func Verify(pub ed25519.PublicKey, digest [32]byte, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, signed(digest), sig)
}

// A verification code is 12 characters read from paper or over the phone,
// printed in three groups of four: ABCD-EFGH-JKMN. Its alphabet has the
// digits and capital letters without 0, O, 1, I, L and U, so no printed
// character looks like another; 30 symbols give about 59 random bits.
const (
	codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeLen      = 12
	codeGroup    = 4
)

// NewCode returns a new random verification code in printed form.
func NewCode() string {
	var code [codeLen]byte
	buf := make([]byte, 2*codeLen)
	for n := 0; n < codeLen; {
		rand.Read(buf) // never fails (crypto/rand since Go 1.24)
		for _, b := range buf {
			// 240 is the largest multiple of 30 below 256: keeping only
			// smaller bytes makes every symbol equally likely.
			if b < 240 && n < codeLen {
				code[n] = codeAlphabet[b%30]
				n++
			}
		}
	}
	return printed(code[:])
}

func printed(raw []byte) string {
	var b strings.Builder
	for i, c := range raw {
		if i > 0 && i%codeGroup == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ParseCode reads a verification code as a person typed or pasted it: any
// case, with or without dashes, spaces anywhere. It returns the printed
// form. 0, O, 1, I, L and U are never part of a code, and with both
// members of each look-alike pair left out there is nothing to read them
// as, so they are refused with a message that says so. Errors are
// *pendopo.Error of kind invalid.
func ParseCode(s string) (string, error) {
	if len(s) > 64 {
		return "", errCodeForm
	}
	raw := make([]byte, 0, codeLen)
	lookAlike := false
	for _, r := range s {
		switch {
		case r == '-' || r >= '\u2010' && r <= '\u2015' || unicode.IsSpace(r): // hyphens and dashes, as pasted
		case r < utf8.RuneSelf && strings.IndexByte(codeAlphabet, byte(unicode.ToUpper(r))) >= 0:
			raw = append(raw, byte(unicode.ToUpper(r)))
		case r < utf8.RuneSelf && strings.IndexByte("0O1ILU", byte(unicode.ToUpper(r))) >= 0:
			lookAlike = true
		default:
			return "", errCodeForm
		}
	}
	if lookAlike {
		return "", errCodeLookAlike
	}
	if len(raw) != codeLen {
		return "", errCodeForm
	}
	return printed(raw), nil
}

var (
	errCodeForm      = pendopo.Errorf(pendopo.KindInvalid, pendopo.M("document.a_verification_code_has_12"))
	errCodeLookAlike = pendopo.Errorf(pendopo.KindInvalid, pendopo.M("document.verification_codes_never_contain_digits"))
)
