package app_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

var keyRE = regexp.MustCompile(`\b([0-9A-Z]{5}(?:-[0-9A-Z]{5}){4})\b`)

// sentKey is the last reporter's key sent to to.
func sentKey(t *testing.T, x accounts, to string) string {
	t.Helper()
	x.Outbox().WaitDetached()
	m, ok := x.mail.Last(to)
	if !ok {
		t.Fatalf("nothing sent to %s", to)
	}
	k := keyRE.FindStringSubmatch(m.Body)
	if k == nil {
		t.Fatalf("no key in %q", m.Body)
	}
	return k[1]
}

// The attack of issue 11: someone named in an anonymous report guesses
// its reporter's contact. Neither the number nor the contact proves
// anything: only the key, given to the reporter alone, lets anyone act
// as the reporter, and every such action is told to the reporter.
func TestReporterKey(t *testing.T) {
	f := newReportFixture(t)
	af := appFixture{accounts: f.accounts}
	in := streetLight(pendopo.PrivacyAnonymous, "sari.pelapor@contoh.id")
	in.Name = "Sari Rahasia"
	r, err := f.SubmitReport(ctx, pendopo.Actor{IP: "192.0.2.7"}, "33.74", in, "form-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Secret) != 29 || r.SecretHash != "" {
		t.Fatalf("filed: key %q, hash %q", r.Secret, r.SecretHash)
	}
	if got := sentKey(t, f.accounts, "sari.pelapor@contoh.id"); got != r.Secret {
		t.Errorf("the key sent to the contact %q is not the one shown %q", got, r.Secret)
	}
	stored, _ := f.Store().ReportByNumber(ctx, r.Number)
	if stored.SecretHash == "" || strings.Contains(stored.SecretHash, r.Secret) {
		t.Fatalf("the key is not stored as a hash: %q", stored.SecretHash)
	}

	// The guess: the right contact proves nothing.
	guesser := pendopo.Actor{IP: "203.0.113.5"}
	v, err := f.ReportFor(ctx, guesser, r.Number, "sari.pelapor@contoh.id")
	if err != nil || v.Mine || v.ReporterName != "" || v.ReporterContact != "" {
		t.Fatalf("the contact unmasks the reporter: %+v %v", v, err)
	}
	for _, proof := range []string{"", "sari.pelapor@contoh.id", strings.Replace(r.Secret, r.Secret[:1], "Z", 1) + "X", r.Number} {
		if _, err := f.ActOnReport(ctx, guesser, r.Number, app.ReportAct{Action: pendopo.ActReportReply, Note: "Saya pelapornya.", Secret: proof}); kind(err) != pendopo.KindForbidden {
			t.Errorf("a reply with %q: %v", proof, err)
		}
	}
	// The key, typed loosely, opens the reporter's view and acts.
	loose := strings.ToLower(strings.ReplaceAll(r.Secret, "-", " "))
	v, err = f.ReportFor(ctx, pendopo.Actor{}, r.Number, loose)
	if err != nil || !v.Mine || !v.ByKey || v.ReporterName != "Sari Rahasia" {
		t.Fatalf("the reporter by key: %+v %v", v, err)
	}
	pending(t, af)
	if _, err := f.ActOnReport(ctx, pendopo.Actor{}, r.Number, app.ReportAct{Action: pendopo.ActReportReply, Note: "Lampu keempat juga mati.", Secret: r.Secret}); err != nil {
		t.Fatal(err)
	}
	told := pending(t, af)["sari.pelapor@contoh.id"]
	if len(told) != 1 || !strings.Contains(told[0].Body, "kunci laporan "+r.Number) || !strings.Contains(told[0].Body, "Lampu keempat") {
		t.Errorf("the reporter was not told of an action with their key: %+v", told)
	}

	// Asking for a new key answers alike for a wrong and the right
	// contact, shows nothing, and sends the key only to the stored one.
	for _, guess := range []string{"tetangga@contoh.id", "0812 0000 0000"} {
		if err := f.RequestReporterKey(ctx, guesser, r.Number, guess); err != nil {
			t.Errorf("a new key for a wrong contact: %v", err)
		}
	}
	f.Outbox().WaitDetached()
	if _, ok := f.mail.Last("tetangga@contoh.id"); ok {
		t.Error("a key went to a guessed contact")
	}
	if got := sentKey(t, f.accounts, "sari.pelapor@contoh.id"); got != r.Secret {
		t.Error("a wrong contact changed the key")
	}
	if err := f.RequestReporterKey(ctx, guesser, r.Number, "SARI.pelapor@contoh.id"); err != nil {
		t.Fatal(err)
	}
	fresh := sentKey(t, f.accounts, "sari.pelapor@contoh.id")
	if fresh == r.Secret {
		t.Fatal("no new key was sent")
	}
	if v, _ := f.ReportFor(ctx, pendopo.Actor{}, r.Number, r.Secret); v.Mine {
		t.Error("the old key still works")
	}
	if v, _ := f.ReportFor(ctx, pendopo.Actor{}, r.Number, fresh); !v.Mine {
		t.Error("the new key does not work")
	}
	// A few requests a day per report, so that nobody floods the reporter.
	if err := f.RequestReporterKey(ctx, guesser, r.Number, "x@contoh.id"); kind(err) != pendopo.KindRateLimited {
		t.Errorf("a fourth request today: %v", err)
	}
	for _, bad := range [][2]string{{"bukan-nomor", "x@contoh.id"}, {r.Number, "bukan kontak"}} {
		if err := f.RequestReporterKey(ctx, guesser, bad[0], bad[1]); kind(err) != pendopo.KindInvalid {
			t.Errorf("malformed %v: %v", bad, err)
		}
	}

	// A double click returns the first report, with a key that replaces
	// the one the first answer showed.
	again, err := f.SubmitReport(ctx, pendopo.Actor{IP: "192.0.2.7"}, "33.74", in, "form-1")
	if err != nil || again.Number != r.Number || again.Secret == "" || again.Secret == fresh {
		t.Fatalf("resubmission: %+v %v", again, err)
	}
	if v, _ := f.ReportFor(ctx, pendopo.Actor{}, r.Number, again.Secret); !v.Mine {
		t.Error("the resubmission's key does not work")
	}

	// Reports filed with an account get no key: the account acts for them.
	mine, err := f.SubmitReport(ctx, f.budi, "33.74", streetLight(pendopo.PrivacyAnonymous, ""), "")
	if err != nil || mine.Secret != "" {
		t.Fatalf("a report filed with an account: key %q %v", mine.Secret, err)
	}
	if _, err := f.ActOnReport(ctx, f.budi, mine.Number, app.ReportAct{Action: pendopo.ActReportReply, Note: "Masih gelap."}); err != nil {
		t.Errorf("the account's reply: %v", err)
	}
}

// A report filed before keys has none; its reporter asks for one at the
// contact they gave, and the key then works like any other.
func TestReporterKeyForOldReport(t *testing.T) {
	f := newReportFixture(t)
	r, err := f.SubmitReport(ctx, pendopo.Actor{}, "33.74", streetLight(pendopo.PrivacyPublic, "0812 3456 7890"), "")
	if err != nil {
		t.Fatal(err)
	}
	f.Outbox().WaitDetached() // the first key's message, so that the next one is the last
	old, _ := f.Store().ReportByNumber(ctx, r.Number)
	old.SecretHash = "" // as migrated from before keys
	if _, err := f.Store().UpdateReport(ctx, old); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.ReportFor(ctx, pendopo.Actor{}, r.Number, r.Secret); v.Mine {
		t.Fatal("a report without a key opens with one")
	}
	if err := f.RequestReporterKey(ctx, pendopo.Actor{}, r.Number, "+6281234567890"); err != nil {
		t.Fatal(err)
	}
	key := sentKey(t, f.accounts, "+6281234567890")
	if v, err := f.ReportFor(ctx, pendopo.Actor{}, r.Number, key); err != nil || !v.Mine {
		t.Errorf("the key sent for an old report: %v", err)
	}
}
