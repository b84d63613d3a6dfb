package app

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/document"
)

// Output documents: a completed application issues the service's product
// as a PDF. Its SHA-256 is signed with the region's Ed25519 key and kept
// with a verification code that its QR code links to. Keys are created
// and rotated with "pendopo keys"; retired keys still verify what they
// signed.

// CreateSigningKey makes a new signing key for region and retires the
// ones before it.
func (a *App) CreateSigningKey(ctx context.Context, who pendopo.Actor, region string) (pendopo.SigningKey, error) {
	if !who.IsSystem() {
		return pendopo.SigningKey{}, pendopo.ErrForbidden
	}
	if _, err := a.Region(ctx, region); err != nil {
		return pendopo.SigningKey{}, err
	}
	var k pendopo.SigningKey
	err := a.store.InTx(ctx, func(tx pendopo.Store) error {
		var err error
		k, err = a.newKey(ctx, tx, region)
		return err
	})
	return k, err
}

func (a *App) newKey(ctx context.Context, tx pendopo.Store, region string) (pendopo.SigningKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return pendopo.SigningKey{}, err
	}
	sum := sha256.Sum256(pub)
	k := pendopo.SigningKey{ID: strings.ReplaceAll(region, ".", "") + "-" + a.now().Format("20060102") + "-" + hex.EncodeToString(sum[:4]),
		Region: region, Public: pub, CreatedAt: a.now()}
	k.Sealed = a.sealer.seal(string(priv.Seed()), "signing-key:"+k.ID)
	old, err := tx.SigningKeys(ctx, region)
	if err != nil {
		return k, err
	}
	for _, o := range old {
		if o.RetiredAt.IsZero() {
			if err := tx.RetireSigningKey(ctx, o.ID, a.now()); err != nil {
				return k, err
			}
		}
	}
	if err := tx.SaveSigningKey(ctx, k); err != nil {
		return k, err
	}
	return k, a.audit(ctx, tx, pendopo.System, "system", pendopo.AuditEntry{Action: "signing_key.create", Entity: "signing_key", EntityID: k.ID, Region: region,
		Diff: pendopo.Diff(nil, map[string]string{"public_key": hex.EncodeToString(pub)})})
}

// SigningKeys lists a region's keys, newest first.
func (a *App) SigningKeys(ctx context.Context, region string) ([]pendopo.SigningKey, error) {
	return a.store.SigningKeys(ctx, region)
}

// signingKey returns region's current signing key with its private half.
// When the region has none yet it makes the first one, in a transaction
// of its own: the key is good for every document after, whether or not
// the completion that needed it commits.
func (a *App) signingKey(ctx context.Context, region string) (pendopo.SigningKey, ed25519.PrivateKey, error) {
	k, ok, err := currentKey(ctx, a.store, region)
	if err != nil {
		return k, nil, err
	}
	if !ok {
		made := false
		err = a.store.InTx(ctx, func(tx pendopo.Store) error {
			// Another completion may have made it meanwhile.
			var err error
			if k, ok, err = currentKey(ctx, tx, region); err != nil || ok {
				return err
			}
			k, err = a.newKey(ctx, tx, region)
			made = err == nil
			return err
		})
		if err != nil {
			return k, nil, err
		}
		if made {
			a.log.Info("created a signing key", "region", region, "key", k.ID)
		}
	}
	seed, err := a.sealer.open(k.Sealed, "signing-key:"+k.ID)
	if err != nil {
		return k, nil, fmt.Errorf("signing key %s: %w", k.ID, err)
	}
	return k, ed25519.NewKeyFromSeed([]byte(seed)), nil
}

// currentKey returns region's key that is not retired, if there is one.
// Creating a key retires the others, so at most one is current.
func currentKey(ctx context.Context, s pendopo.Store, region string) (pendopo.SigningKey, bool, error) {
	keys, err := s.SigningKeys(ctx, region)
	if err != nil {
		return pendopo.SigningKey{}, false, err
	}
	i := slices.IndexFunc(keys, func(k pendopo.SigningKey) bool { return k.RetiredAt.IsZero() })
	if i < 0 {
		return pendopo.SigningKey{}, false, nil
	}
	return keys[i], true, nil
}

// renderDocument renders, signs and stores the output document of app,
// completing at now, and returns the record that names it; the caller
// saves that record in the transaction that completes app. It runs
// before that transaction, so that rendering and the file store (an S3
// request when configured) hold up no one else's writes, and the
// transaction's work stays pure database work that a group commit may
// run more than once. The file holds a fresh code, so no record can
// share it: when the transaction fails, discardFile removes it.
func (a *App) renderDocument(ctx context.Context, app pendopo.Application, c pendopo.ServiceContent, now time.Time) (pendopo.IssuedDocument, error) {
	if a.blobs == nil {
		return pendopo.IssuedDocument{}, pendopo.Errorf(pendopo.KindUnavailable, pendopo.M("app.file_storage_not_set_up"))
	}
	region, err := a.Region(ctx, app.Region)
	if err != nil {
		return pendopo.IssuedDocument{}, err
	}
	agency, err := a.store.Agency(ctx, app.Region, app.Agency)
	if err != nil {
		return pendopo.IssuedDocument{}, err
	}
	key, priv, err := a.signingKey(ctx, app.Region)
	if err != nil {
		return pendopo.IssuedDocument{}, err
	}
	answers := map[string]string{}
	for _, fd := range c.Apply.Form.Fields {
		v := app.Answers[fd.Key]
		switch {
		case len(v) == 0, fd.Type == pendopo.FieldFile, fd.Type == pendopo.FieldConsent:
		case fd.Type == pendopo.FieldAddress:
			street, code, _ := strings.Cut(v[0], "|")
			if r, err := a.Region(ctx, code); err == nil {
				street += ", " + r.Name
			}
			answers[fd.Key] = street
		case fd.Type == pendopo.FieldDate:
			// A document says "7 Desember 2026", as people read a date.
			if d, err := pendopo.ParseDay(v[0]); err == nil {
				answers[fd.Key] = document.LongDate(d.Time(time.UTC))
			} else {
				answers[fd.Key] = v[0]
			}
		default:
			answers[fd.Key] = strings.Join(v, ", ")
		}
	}
	values := document.Builtins{Number: app.Number, IssuedAt: now.In(pendopo.RegionZone(app.Region)), Service: c.Name,
		Region: region.Name, Agency: agency.Name, Applicant: app.ApplicantName}.Values(answers)
	title, body := document.Template{Title: c.Apply.Output.Title, Body: c.Apply.Output.Body}.Fill(values)
	code := document.NewCode()
	pdf, err := document.Render(document.Document{
		Code: code, VerifyURL: a.baseURL + "/verifikasi/" + code, Region: "Pemerintah " + region.Name, Agency: agency.Name,
		Title: title, Body: body, Number: app.Number, IssuedAt: now.In(pendopo.RegionZone(app.Region)),
		Place: placeName(region.Name), Signer: "Kepala " + agency.Name, KeyID: key.ID, Demo: a.demo,
	})
	if err != nil {
		return pendopo.IssuedDocument{}, fmt.Errorf("render document of %s: %w", app.Number, err)
	}
	b, err := a.blobs.Put(ctx, bytes.NewReader(pdf), int64(len(pdf))+1, []string{pendopo.MediaPDF})
	if err != nil {
		return pendopo.IssuedDocument{}, fmt.Errorf("store document of %s: %w", app.Number, err)
	}
	digest := document.Digest(pdf)
	return pendopo.IssuedDocument{Code: code, ApplicationID: app.ID, Region: app.Region, Title: title, Digest: digest[:],
		Signature: document.Sign(priv, digest), KeyID: key.ID, Blob: b.Addr, IssuedAt: now}, nil
}

// discardFile deletes the file at addr, stored ahead of a transaction that
// then failed, unless a record refers to it after all (a commit whose
// answer was lost may still have landed). It runs whether or not the
// request is still there, and only logs what it cannot do: the file is
// unreferenced either way, and the caller's error is the one that counts.
func (a *App) discardFile(ctx context.Context, addr string) {
	ctx = context.WithoutCancel(ctx)
	used, err := a.store.FileInUse(ctx, addr)
	if err != nil {
		a.log.Warn("a file stored for a write that failed may be unused; left in the file store", "file", addr, "err", err)
		return
	}
	if used {
		return
	}
	if err := a.blobs.Delete(ctx, addr); err != nil {
		a.log.Warn("a file stored for a write that failed could not be deleted; delete it by hand", "file", addr, "err", err)
	}
}

// placeName is the town a region's documents are signed in: "Kota
// Semarang" signs in Semarang.
func placeName(region string) string {
	for _, p := range []string{"Kota ", "Kabupaten ", "Provinsi "} {
		if s, ok := strings.CutPrefix(region, p); ok {
			return s
		}
	}
	return region
}

// DocumentPDF returns the issued document of an application for its
// applicant or the agency's staff.
func (a *App) DocumentPDF(ctx context.Context, who pendopo.Actor, number string) (io.ReadCloser, pendopo.IssuedDocument, error) {
	app, c, err := a.loadApplication(ctx, a.store, number)
	if err != nil {
		return nil, pendopo.IssuedDocument{}, err
	}
	applicant, _, err := a.access(who, app, c)
	if err != nil {
		return nil, pendopo.IssuedDocument{}, err
	}
	if app.Document == "" || a.blobs == nil {
		return nil, pendopo.IssuedDocument{}, fmt.Errorf("document of %s: %w", number, pendopo.ErrNotFound)
	}
	d, err := a.store.Document(ctx, app.Document)
	if err != nil {
		return nil, d, err
	}
	if !applicant {
		// The document holds the applicant's name and answers: staff
		// downloading it is a reading of personal data.
		e := pendopo.AuditEntry{Action: "document.download", Entity: "application", EntityID: app.Number, Region: app.Region}
		if err := a.auditRead(ctx, who, pendopo.ActViewApplications, pendopo.Scope{Region: app.Region, Agency: app.Agency}, e,
			map[string]string{"document": d.Code}); err != nil {
			return nil, d, err
		}
	}
	rc, err := a.blobs.Open(ctx, d.Blob)
	return rc, d, err
}

// Verification is what the public verification page says about a
// document: only enough to tell that it is genuine.
type Verification struct {
	// Found is true when the code or file names a document Pendopo issued.
	Found bool
	// Authentic is true when the signature checks out (and, for an
	// uploaded file, the file is exactly the one issued).
	Authentic bool
	// Altered is true for an uploaded file that names a real document but
	// differs from it.
	Altered  bool
	Document pendopo.IssuedDocument
	Region   pendopo.Region
	Service  string
	Agency   string
	// Applicant is the applicant's name with all but initials hidden.
	Applicant string
	Key       pendopo.SigningKey
}

var errBadVerifyCode = pendopo.Errorf(pendopo.KindInvalid, pendopo.M("app.not_valid_verification_code_check"))

// VerifyCode looks up a document by the code printed on it.
func (a *App) VerifyCode(ctx context.Context, code string) (*Verification, error) {
	c, err := document.ParseCode(code)
	if err != nil {
		return nil, errBadVerifyCode
	}
	d, err := a.store.Document(ctx, c)
	if errors.Is(err, pendopo.ErrNotFound) {
		return &Verification{}, nil
	}
	if err != nil {
		return nil, err
	}
	return a.verification(ctx, d)
}

// VerifyPDF checks an uploaded PDF: authentic when it is byte for byte a
// document Pendopo issued and signed, altered when it carries a real
// document's code but other content.
func (a *App) VerifyPDF(ctx context.Context, r io.Reader) (*Verification, error) {
	pdf, err := io.ReadAll(io.LimitReader(r, pendopo.MaxUploadBytes+1))
	if err != nil {
		return nil, err
	}
	if len(pdf) > pendopo.MaxUploadBytes {
		return nil, pendopo.Errorf(pendopo.KindTooLarge, pendopo.M("app.the_file_too_large_at"))
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, pendopo.Errorf(pendopo.KindUnsupported, pendopo.M("app.upload_pdf_document_issued_by"))
	}
	digest := document.Digest(pdf)
	d, err := a.store.DocumentByDigest(ctx, digest[:])
	if err == nil {
		return a.verification(ctx, d)
	}
	if !errors.Is(err, pendopo.ErrNotFound) {
		return nil, err
	}
	code, ok := document.CodeOf(pdf)
	if !ok {
		return &Verification{}, nil
	}
	d, err = a.store.Document(ctx, code)
	if errors.Is(err, pendopo.ErrNotFound) {
		return &Verification{}, nil
	}
	if err != nil {
		return nil, err
	}
	v, err := a.verification(ctx, d)
	if err != nil {
		return nil, err
	}
	v.Authentic, v.Altered = false, true
	return v, nil
}

func (a *App) verification(ctx context.Context, d pendopo.IssuedDocument) (*Verification, error) {
	v := &Verification{Found: true, Document: d}
	keys, err := a.store.SigningKeys(ctx, d.Region)
	if err != nil {
		return nil, err
	}
	var digest [32]byte
	copy(digest[:], d.Digest)
	for _, k := range keys {
		if k.ID == d.KeyID {
			v.Key = k
			v.Authentic = len(d.Digest) == 32 && document.Verify(ed25519.PublicKey(k.Public), digest, d.Signature)
		}
	}
	app, err := a.store.Application(ctx, d.ApplicationID)
	if err != nil {
		return nil, err
	}
	v.Service, v.Applicant = app.ServiceName, initials(app.ApplicantName)
	if v.Region, err = a.Region(ctx, d.Region); err != nil {
		return nil, err
	}
	if ag, err := a.store.Agency(ctx, app.Region, app.Agency); err == nil {
		v.Agency = ag.Name
	}
	return v, nil
}

// initials hides a name but its initials: "Budi Santoso" is "B*** S***".
func initials(name string) string {
	var out []string
	for _, w := range strings.Fields(name) {
		r := []rune(w)
		if unicode.IsLetter(r[0]) {
			out = append(out, string(r[0])+"***")
		}
	}
	return strings.Join(out, " ")
}
