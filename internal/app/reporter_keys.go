package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
)

// A reporter without an account is proven by a key of their own: a
// random secret made when they file, shown to them once and sent to the
// contact they gave. A tracking number is public, and a contact can be
// guessed by anyone who suspects who filed; neither proves anything. Only
// a keyed hash of the key is stored. Whoever holds the key may reply,
// rate, reopen and add photos as the reporter, and each such action is
// told to the reporter's contact, so that misuse would be noticed. A lost
// key (or a report filed before keys) is replaced by a new one sent to
// the stored contact, never shown on screen.

// reporterSecretAlphabet is Crockford's base32: no I, L, O or U, so that
// a key read aloud or copied by hand survives.
const reporterSecretAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// reporterSecretLen is the characters of a key: 25 of 32 letters, 125
// random bits, shown in five groups of five.
const reporterSecretLen = 25

// newReporterSecret makes a key, grouped for reading.
func newReporterSecret() string {
	b := make([]byte, reporterSecretLen)
	rand.Read(b) // never fails (crypto/rand)
	var s strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(reporterSecretAlphabet[c&31])
	}
	return s.String()
}

// normalizeReporterSecret reads a key as typed: any case, with or
// without hyphens and spaces, O for 0 and I or L for 1. ok is false for
// anything that cannot be a key.
func normalizeReporterSecret(s string) (string, bool) {
	var b strings.Builder
	for _, c := range strings.ToUpper(s) {
		switch c {
		case '-', ' ', '\t':
			continue
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		if !strings.ContainsRune(reporterSecretAlphabet, c) {
			return "", false
		}
		b.WriteRune(c)
	}
	if b.Len() != reporterSecretLen {
		return "", false
	}
	return b.String(), true
}

// WellFormedReporterKey reports whether s could be a reporter's key as
// typed (it says nothing of whether it is one).
func WellFormedReporterKey(s string) bool {
	_, ok := normalizeReporterSecret(s)
	return ok
}

// secretHash is the hash of a key that a report keeps; "" for anything
// that cannot be a key. A key holds 125 random bits, so a plain SHA-256
// (with a label of its own) is as safe against guessing as a keyed hash,
// and it survives a rotation of the instance's secret key, which keyed
// hashes of secrets nobody kept could not.
func (a *App) secretHash(secret string) string {
	s, ok := normalizeReporterSecret(secret)
	if !ok {
		return ""
	}
	return sha256Hex("pendopo reporter key v1:" + s)
}

// provesReporter reports whether secret is r's reporter's key.
func (a *App) provesReporter(r pendopo.Report, secret string) bool {
	if r.SecretHash == "" || secret == "" {
		return false
	}
	h := a.secretHash(secret)
	return h != "" && hmac.Equal([]byte(h), []byte(r.SecretHash))
}

// FiledReport is a report as SubmitReport filed it, with the reporter's
// key when they filed without an account: the one time it exists in the
// clear. Show it to the reporter; it is never stored.
type FiledReport struct {
	pendopo.Report
	Secret string
}

// ReporterLink is the path that opens a report with its key.
func ReporterLink(number, secret string) string {
	return "/laporan/" + number + "?kunci=" + url.QueryEscape(secret)
}

// sendReporterSecret sends a reporter their key, in the background (see
// notify.Outbox.SendLater). replaced says the key replaces an earlier one.
func (a *App) sendReporterSecret(ctx context.Context, contact, number, secret string, replaced bool) {
	email, phone, ok := pendopo.NormalizeLogin(contact)
	if !ok {
		return
	}
	link := a.baseURL + ReporterLink(number, secret)
	subject := pendopo.M("app.the_key_report", number)
	body := pendopo.M("app.the_key_report_open_your", number, secret, link)
	if replaced {
		body.Indonesian += " Kunci ini menggantikan kunci sebelumnya, yang tidak berlaku lagi."
		body.English += " It replaces the earlier key, which no longer works."
	}
	a.out.SendLater(ctx, email+phone, subject, body)
}

// Requests for a new key: a few per report a day, so that nobody can
// flood a reporter with messages, nor learn anything from trying
// contacts.
const reporterKeyRequestsPerDay = 3

var errReportNumber = invalidParam("number", pendopo.M("app.write_report_number_as_on"))

// RequestReporterKey makes a new key for a report filed without an
// account and sends it to the contact stored with the report, when
// contact is that contact; the old key stops working. It answers the
// same (nil) whether or not the number and contact match, and never says
// which: the key goes only to the stored contact, so asking reveals
// nothing and unlocks nothing for someone who merely suspects who filed.
// Errors are only for a malformed number or contact (KindInvalid) and
// for too many requests for the report (KindRateLimited).
func (a *App) RequestReporterKey(ctx context.Context, who pendopo.Actor, number, contact string) error {
	n, err := pendopo.ParseTrackingNumber(number)
	if err != nil {
		return errReportNumber
	}
	email, phone, ok := pendopo.NormalizeLogin(strings.TrimSpace(contact))
	if !ok {
		return invalidParam("contact", pendopo.M("app.write_email_address_mobile_number"))
	}
	if !a.keyRequests.Allow(n, a.now()) {
		return errTooMany
	}
	for range 3 { // again when the report changed meanwhile
		r, err := a.store.ReportByNumber(ctx, n)
		if errors.Is(err, pendopo.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		rp, err := a.openReporter(r)
		if err != nil {
			return err
		}
		se, sp, ok := pendopo.NormalizeLogin(rp.Contact)
		if rp.UserID != 0 || !ok || !hmac.Equal([]byte(se+"\n"+sp), []byte(email+"\n"+phone)) {
			return nil // filed with an account (which acts for it), or another contact
		}
		secret := newReporterSecret()
		r.SecretHash, r.UpdatedAt = a.secretHash(secret), a.now()
		actor, role := reporterActor(who, r)
		err = a.commit(ctx, func(tx pendopo.Store) error {
			if _, err := tx.UpdateReport(ctx, r); err != nil {
				return err
			}
			// A new key replaces the old one: on the record, without the key.
			return a.audit(ctx, tx, actor, role, pendopo.AuditEntry{Action: "report.key", Entity: "report", EntityID: r.Number, Region: r.Region})
		})
		if errors.Is(err, pendopo.ErrConflict) {
			continue
		}
		if err != nil {
			return err
		}
		a.sendReporterSecret(ctx, rp.Contact, r.Number, secret, true)
		return nil
	}
	return nil
}

// ownActNotice tells a reporter what someone holding their key did.
var ownActNotice = map[pendopo.ReportAction]pendopo.Text{
	pendopo.ActReportReply:  pendopo.M("app.added_reporter_reply"),
	pendopo.ActReportRate:   pendopo.M("app.rated_it_out_5"),
	pendopo.ActReportReopen: pendopo.M("app.reopened_it"),
	"photo":                 pendopo.M("app.added_photo"),
}

// tellReporterOwnAct tells the reporter's contact that someone acted as
// the reporter with their key, so that a stolen key would be noticed.
// Reporters with an account act through it and are not told.
func (a *App) tellReporterOwnAct(ctx context.Context, tx pendopo.Store, r pendopo.Report, action pendopo.ReportAction, detail, key string) error {
	text, ok := ownActNotice[action]
	if !ok {
		return nil
	}
	rp, err := a.openReporter(r)
	if err != nil {
		return err
	}
	email, phone, ok := pendopo.NormalizeLogin(rp.Contact)
	if rp.UserID != 0 || !ok {
		return nil
	}
	title := pendopo.M("app.report_action_as_its_reporter", r.Number)
	body := pendopo.M("app.someone_holding_key_acted", r.Number, pendopo.M(text.Key, detail), a.baseURL)
	return a.out.Tell(ctx, tx, pendopo.User{Name: rp.Name, Email: email, Phone: phone}, key, title, body, "/laporan/"+r.Number)
}

// keyRequestWindow is the window of reporterKeyRequestsPerDay.
const keyRequestWindow = 24 * time.Hour
