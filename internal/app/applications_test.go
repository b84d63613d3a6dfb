package app_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/notify"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// pdfBytes is a tiny file that sniffs as PDF.
var pdfBytes = []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")

// onlineService makes the demo KTP-el service of Kota Semarang take
// applications with a small form, five working days and the default
// workflow, and returns its id.
func onlineService(t *testing.T, x accounts) pendopo.Service {
	t.Helper()
	svc, err := x.Store().ServiceBySlug(ctx, "33.74", "penerbitan-ktp-el")
	if err != nil {
		t.Fatal(err)
	}
	c := svc.ServiceContent
	c.Channels = []pendopo.Channel{pendopo.ChannelOffline, pendopo.ChannelOnline}
	c.Standard.Duration = pendopo.Duration{WorkingDays: 5}
	c.Apply = &pendopo.Online{
		Form: pendopo.Form{Fields: []pendopo.FormField{
			{Key: "nama", Label: pendopo.T("Nama lengkap", "Full name"), Type: pendopo.FieldText, Required: true},
			{Key: "nik", Label: pendopo.T("NIK", "NIK"), Type: pendopo.FieldNIK, Required: true},
			{Key: "kk", Label: pendopo.T("Kartu Keluarga", "Family card"), Type: pendopo.FieldFile, Required: true,
				Accept: []string{pendopo.MediaPDF, pendopo.MediaJPEG}, MaxBytes: 1 << 20},
			{Key: "setuju", Label: pendopo.T("Data saya benar.", "My data is true."), Type: pendopo.FieldConsent, Required: true},
		}},
		Workflow: pendopo.DefaultWorkflow(),
		Output:   pendopo.Output{Title: "SURAT KETERANGAN", Body: "Diterangkan bahwa {nama} telah mengajukan {layanan}."},
	}
	s, err := x.UpdateService(ctx, pendopo.System, svc.ID, app.ServiceWrite{Content: c, Publish: true, Note: "online"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// staff returns an actor holding kind at Kota Semarang's Disdukcapil.
func staff(t *testing.T, x accounts, name string, kind pendopo.RoleKind, agency string) pendopo.Actor {
	t.Helper()
	r := pendopo.Role{Kind: kind, Region: "33.74", Agency: agency}
	u, err := x.AddUser(ctx, name, strings.ToLower(strings.ReplaceAll(name, " ", "."))+"@semarang.test", "lumpia gang lombok", &r)
	if err != nil {
		t.Fatal(err)
	}
	return pendopo.Actor{Name: name, UserID: u.ID, Roles: []pendopo.Role{r}}
}

func citizenActor(t *testing.T, x accounts, name, login string) pendopo.Actor {
	u := x.citizen(t, name, login, "kopi tubruk pagi hari")
	return pendopo.Actor{Name: name, UserID: u.ID}
}

type appFixture struct {
	accounts
	svc                         pendopo.Service
	budi, sari, petugas, kepala pendopo.Actor
	other                       pendopo.Actor // an officer of another agency
}

func newAppFixture(t *testing.T) appFixture {
	x := newAccounts(t)
	if _, err := demo.Load(ctx, x.App); err != nil {
		t.Fatal(err)
	}
	f := appFixture{accounts: x, svc: onlineService(t, x)}
	f.budi = citizenActor(t, x, "Budi Santoso", "budi@contoh.id")
	f.sari = citizenActor(t, x, "Sari Wulandari", "sari@contoh.id")
	f.petugas = staff(t, x, "Petugas Satu", pendopo.RoleOfficer, "disdukcapil")
	f.kepala = staff(t, x, "Kepala Dinas", pendopo.RoleSupervisor, "disdukcapil")
	f.other = staff(t, x, "Petugas Dinkes", pendopo.RoleOfficer, "dinkes")
	return f
}

// filled starts and fills Budi's application completely.
func (f appFixture) filled(t *testing.T, key string) pendopo.Application {
	t.Helper()
	a, err := f.StartApplication(ctx, f.budi, f.svc.ID, key, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.SaveAnswers(ctx, f.budi, a.Number, map[string][]string{"nama": {"Budi Santoso"}, "nik": {"3374010101900001"}, "setuju": {"on"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Upload(ctx, f.budi, a.Number, "kk", "kk.pdf", bytes.NewReader(pdfBytes)); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestApplicationLifecycle(t *testing.T) {
	f := newAppFixture(t)
	a, err := f.StartApplication(ctx, f.budi, f.svc.ID, "klik-1", "")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := f.StartApplication(ctx, f.budi, f.svc.ID, "klik-1", ""); err != nil || again.Number != a.Number {
		t.Fatalf("a second click made another draft: %v %v", again.Number, err)
	}
	if !strings.HasPrefix(a.Number, "3374-2611-") || a.Status != pendopo.StatusDraft || a.ServiceVersion != f.svc.Version {
		t.Fatalf("draft: %+v", a)
	}
	// Nobody else sees it: not another citizen, not another agency.
	for _, who := range []pendopo.Actor{f.sari, f.other, {}} {
		if _, err := f.Application(ctx, who, a.Number); kind(err) != pendopo.KindNotFound {
			t.Errorf("%q reads Budi's application: %v", who.Name, err)
		}
	}
	// Submitting an incomplete application names every missing field.
	_, err = f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit})
	if kind(err) != pendopo.KindInvalid || !strings.Contains(err.Error(), "answers.kk") || !strings.Contains(err.Error(), "answers.nik") {
		t.Fatalf("incomplete submit: %v", err)
	}
	if _, err := f.SaveAnswers(ctx, f.budi, a.Number, map[string][]string{"nik": {"1234"}}); kind(err) != pendopo.KindInvalid {
		t.Errorf("a bad NIK was saved: %v", err)
	}
	if _, err := f.SaveAnswers(ctx, f.budi, a.Number, map[string][]string{"nama": {"Budi Santoso"}, "nik": {"3374010101900001"}, "setuju": {"on"}, "lain": {"x"}}); err != nil {
		t.Fatal(err)
	}
	// One wrong answer costs none of the others, and keeps what was saved
	// before in its place; the NIK's error says what is wrong with it.
	_, err = f.SaveAnswers(ctx, f.budi, a.Number, map[string][]string{"nama": {"Budi S."}, "nik": {"3374010101900000"}, "setuju": {"on"}})
	var pe *pendopo.Error
	if !errors.As(err, &pe) || len(pe.Fields) != 1 || pe.Fields[0].Field != "answers.nik" || pe.Fields[0].Msg.Key != "rule.the_serial_nik_last_4" {
		t.Fatalf("a NIK with serial 0000: %v", err)
	}
	if v, _ := f.Application(ctx, f.budi, a.Number); v.Answers["nama"][0] != "Budi S." || v.Answers["nik"][0] != "3374010101900001" {
		t.Errorf("after one wrong answer: %v", v.Answers)
	}
	// A disguised file and a PNG the field does not take are refused by content.
	for _, bad := range [][]byte{[]byte("MZ not a pdf at all"), {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0}} {
		if _, err := f.Upload(ctx, f.budi, a.Number, "kk", "kk.pdf", bytes.NewReader(bad)); kind(err) != pendopo.KindUnsupported || !strings.Contains(err.Error(), "answers.kk") {
			t.Errorf("upload of %q: %v", bad[:4], err)
		}
	}
	if _, err := f.Upload(ctx, f.budi, a.Number, "kk", "kk.pdf", bytes.NewReader(append(pdfBytes, make([]byte, 1<<20)...))); kind(err) != pendopo.KindTooLarge {
		t.Errorf("oversize upload: %v", err)
	}
	if _, err := f.Upload(ctx, f.sari, a.Number, "kk", "kk.pdf", bytes.NewReader(pdfBytes)); kind(err) != pendopo.KindNotFound {
		t.Errorf("Sari uploaded to Budi's application: %v", err)
	}
	up, err := f.Upload(ctx, f.budi, a.Number, "kk", `C:\Dok\kk budi.pdf`, bytes.NewReader(pdfBytes))
	if err != nil || up.Media != pendopo.MediaPDF || up.Name != "kk budi.pdf" {
		t.Fatalf("upload: %+v %v", up, err)
	}

	// Submitted on Friday 27 November 2026 at 17:00 WIB: five working
	// days from that Friday end on Friday 4 December.
	sub, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit})
	if err != nil {
		t.Fatal(err)
	}
	if sub.Status != pendopo.StatusInProgress || sub.Deadline != pendopo.DateDay(2026, 12, 4) {
		t.Fatalf("submitted: %s deadline %s", sub.Status, sub.Deadline)
	}
	// Submitting again changes nothing and is not an error.
	if again, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit}); err != nil || again.Rev != sub.Rev {
		t.Fatalf("second submit: rev %d, %v", again.Rev, err)
	}
	if _, err := f.SaveAnswers(ctx, f.budi, a.Number, map[string][]string{"nama": {"Lain"}}); kind(err) != pendopo.KindConflict {
		t.Errorf("answers changed while in progress: %v", err)
	}

	// The officer's queue has it; another agency's officer cannot see it.
	q, total, err := f.Queue(ctx, f.petugas, "33.74", "disdukcapil", false, pendopo.Page{})
	if err != nil || total != 1 || q[0].Number != a.Number || !q[0].Mine || q[0].Clock.DaysLeft != 5 {
		t.Fatalf("queue: %+v %v", q, err)
	}
	if _, _, err := f.Queue(ctx, f.other, "33.74", "disdukcapil", false, pendopo.Page{}); kind(err) != pendopo.KindForbidden {
		t.Errorf("another agency's queue: %v", err)
	}
	if _, err := f.Act(ctx, f.other, a.Number, app.ApplicationAct{Action: pendopo.ActApprove}); kind(err) != pendopo.KindNotFound {
		t.Errorf("another agency approved: %v", err)
	}
	if _, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActApprove}); kind(err) != pendopo.KindForbidden {
		t.Errorf("the applicant approved: %v", err)
	}
	// Returning needs a note.
	if _, err := f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActReturn, Note: " ", Rev: sub.Rev}); kind(err) != pendopo.KindInvalid {
		t.Errorf("return without a note: %v", err)
	}
	ret, err := f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActReturn, Note: "Foto KK buram, unggah ulang.", Rev: sub.Rev})
	if err != nil || ret.Status != pendopo.StatusReturned {
		t.Fatalf("return: %v", err)
	}
	// Acting on what one saw before someone else acted is refused.
	if _, err := f.Act(ctx, f.kepala, a.Number, app.ApplicationAct{Action: pendopo.ActReject, Note: "alasan", Rev: sub.Rev}); kind(err) != pendopo.KindConflict {
		t.Errorf("stale action: %v", err)
	}
	// Budi fixes it on Tuesday 1 December: the two working days it waited
	// on him move the deadline to Tuesday 8 December.
	*f.clock = time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	if _, err := f.Upload(ctx, f.budi, a.Number, "kk", "kk2.pdf", bytes.NewReader(append(pdfBytes, '\n'))); err != nil {
		t.Fatal(err)
	}
	re, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActResubmit})
	if err != nil || re.Deadline != pendopo.DateDay(2026, 12, 8) || re.PausedDays != 2 || re.Step != 0 {
		t.Fatalf("resubmit: %+v %v", re, err)
	}
	v, err := f.Application(ctx, f.petugas, a.Number)
	if err != nil {
		t.Fatal(err)
	}
	// Step by step: the head's approval is not an officer's to give.
	rev := v.Rev
	for i, who := range []pendopo.Actor{f.petugas, f.petugas, f.kepala, f.petugas} {
		if i == 2 {
			if _, err := f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: rev}); kind(err) != pendopo.KindForbidden {
				t.Errorf("officer approved the head's step: %v", err)
			}
		}
		got, err := f.Act(ctx, who, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: rev})
		if err != nil {
			t.Fatalf("approve step %d: %v", i, err)
		}
		rev = got.Rev
	}
	done, err := f.Application(ctx, f.budi, a.Number)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != pendopo.StatusCompleted || done.ClosedAt.IsZero() || !done.Applicant {
		t.Fatalf("completed: %+v", done.Application)
	}
	var actions []string
	for _, e := range done.Events {
		actions = append(actions, string(e.Action))
	}
	if got := strings.Join(actions, " "); got != "create submit return resubmit approve approve approve approve" {
		t.Errorf("timeline: %s", got)
	}
	if done.Events[2].ActorRole != pendopo.RoleOfficer || done.Events[2].Note == "" || done.Events[6].ActorRole != pendopo.RoleSupervisor {
		t.Errorf("timeline roles: %+v", done.Events)
	}
	// Budi's answers are sealed at rest and whole when read.
	raw, _ := f.Store().ApplicationByNumber(ctx, a.Number)
	if bytes.Contains(raw.Sealed, []byte("3374010101900001")) || done.Answers["nik"][0] != "3374010101900001" {
		t.Errorf("answers at rest: %q, read: %v", raw.Sealed, done.Answers)
	}
	// Officers' reads and downloads are in the audit trail.
	rc, _, err := f.OpenUpload(ctx, f.petugas, a.Number, done.Answers["kk"][0])
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if _, _, err := f.OpenUpload(ctx, f.sari, a.Number, done.Answers["kk"][0]); kind(err) != pendopo.KindNotFound {
		t.Errorf("Sari downloaded Budi's file: %v", err)
	}
	log, _, err := f.AuditLog(ctx, pendopo.System, pendopo.AuditFilter{Region: "33.74", EntityID: a.Number})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range log {
		seen[e.Action] = true
	}
	if !seen["application.read"] || !seen["upload.download"] {
		t.Errorf("audit trail: %v", seen)
	}
}

// TestApplicationRace has two officers approve the same step at once:
// exactly one wins, the other is told to look again, and the timeline
// has one approval.
func TestApplicationRace(t *testing.T) {
	f := newAppFixture(t)
	a := f.filled(t, "")
	sub, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit})
	if err != nil {
		t.Fatal(err)
	}
	dua := staff(t, f.accounts, "Petugas Dua", pendopo.RoleOfficer, "disdukcapil")
	tiga := staff(t, f.accounts, "Petugas Tiga", pendopo.RoleOfficer, "disdukcapil")
	var (
		wg              sync.WaitGroup
		mu              sync.Mutex
		wins, conflicts int
	)
	// Four different people: a person repeating their own action is a
	// retry, answered with its result (TestFaultsLeaveNothingHalfDone).
	for _, who := range []pendopo.Actor{f.petugas, dua, f.kepala, tiga} {
		wg.Go(func() {
			_, err := f.Act(ctx, who, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: sub.Rev})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case kind(err) == pendopo.KindConflict:
				conflicts++
			default:
				t.Errorf("%s: %v", who.Name, err)
			}
		})
	}
	wg.Wait()
	v, err := f.Application(ctx, f.budi, a.Number)
	if err != nil {
		t.Fatal(err)
	}
	approvals := 0
	for _, e := range v.Events {
		if e.Action == pendopo.ActApprove {
			approvals++
		}
	}
	if wins != 1 || conflicts != 3 || approvals != 1 || v.Step != 1 {
		t.Fatalf("wins %d conflicts %d approvals %d step %d", wins, conflicts, approvals, v.Step)
	}
}

func TestAssistedApplication(t *testing.T) {
	f := newAppFixture(t)
	a, err := f.StartApplication(ctx, f.petugas, f.svc.ID, "", "Mbah Sumiyati")
	if err != nil {
		t.Fatal(err)
	}
	if a.ApplicantName != "Mbah Sumiyati" || a.AssistedBy != f.petugas.UserID {
		t.Fatalf("assisted: %+v", a)
	}
	// A citizen applying for a family member is not assisted service.
	b, err := f.StartApplication(ctx, f.budi, f.svc.ID, "", "Ani Santoso")
	if err != nil || b.ApplicantName != "Ani Santoso" || b.AssistedBy != 0 {
		t.Fatalf("for a family member: %+v %v", b, err)
	}
	if _, err := f.StartApplication(ctx, pendopo.Actor{}, f.svc.ID, "", ""); kind(err) != pendopo.KindUnauthorized {
		t.Errorf("anonymous start: %v", err)
	}
}

func TestReassignAndOverdue(t *testing.T) {
	f := newAppFixture(t)
	a := f.filled(t, "")
	sub, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit})
	if err != nil {
		t.Fatal(err)
	}
	dua := staff(t, f.accounts, "Petugas Dua", pendopo.RoleOfficer, "disdukcapil")
	if _, err := f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActReassign, Rev: sub.Rev, Assignee: f.other.UserID}); kind(err) != pendopo.KindInvalid {
		t.Errorf("handed to another agency: %v", err)
	}
	r, err := f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActReassign, Note: "cuti", Rev: sub.Rev, Assignee: dua.UserID})
	if err != nil || r.Assignee != dua.UserID {
		t.Fatalf("reassign: %+v %v", r, err)
	}
	// Now only Dua (or a supervisor) may act on the step.
	if _, err := f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: r.Rev}); kind(err) != pendopo.KindForbidden {
		t.Errorf("the first officer still acts: %v", err)
	}
	// A week later it is overdue and on the supervisor's list.
	*f.clock = time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
	over, total, err := f.Queue(ctx, f.kepala, "33.74", "disdukcapil", true, pendopo.Page{})
	if err != nil || total != 1 || !over[0].Clock.Overdue || over[0].Clock.DaysLeft != -1 {
		t.Fatalf("overdue: %+v %v", over, err)
	}
}

func TestRegionHolidaysMoveDeadlines(t *testing.T) {
	f := newAppFixture(t)
	admin := pendopo.Actor{Name: "Admin", UserID: 1, Roles: []pendopo.Role{{Kind: pendopo.RoleRegionAdmin, Region: "33.74"}}}
	if err := f.AddRegionHoliday(ctx, f.petugas, pendopo.Holiday{Region: "33.74", Date: pendopo.DateDay(2026, 12, 2), Name: "x"}); kind(err) != pendopo.KindForbidden {
		t.Errorf("officer added a holiday: %v", err)
	}
	if err := f.AddRegionHoliday(ctx, admin, pendopo.Holiday{Region: "33.74", Name: " "}); kind(err) != pendopo.KindInvalid {
		t.Errorf("empty holiday: %v", err)
	}
	if err := f.AddRegionHoliday(ctx, admin, pendopo.Holiday{Region: "33.74", Date: pendopo.DateDay(2026, 12, 2), Name: "Libur daerah"}); err != nil {
		t.Fatal(err)
	}
	// A national holiday imported for a later year counts too (here a
	// made-up one on 3 December); only the command line or a national admin may.
	imported := []pendopo.Holiday{{Date: pendopo.DateDay(2026, 12, 3), Name: "Libur uji", Kind: pendopo.HolidayNational}}
	if _, err := f.ImportHolidays(ctx, admin, imported); kind(err) != pendopo.KindForbidden {
		t.Errorf("a region admin imported national holidays: %v", err)
	}
	if _, err := f.ImportHolidays(ctx, pendopo.System, []pendopo.Holiday{{Name: "tanpa tanggal", Kind: pendopo.HolidayNational}}); kind(err) != pendopo.KindInvalid {
		t.Errorf("a holiday without a date: %v", err)
	}
	if _, err := f.ImportHolidays(ctx, pendopo.System, imported); err != nil {
		t.Fatal(err)
	}
	a := f.filled(t, "")
	sub, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit})
	if err != nil || sub.Deadline != pendopo.DateDay(2026, 12, 8) {
		t.Fatalf("deadline with holidays on 2 and 3 December: %s %v", sub.Deadline, err)
	}
}

// completed runs an application through every step.
func (f appFixture) completed(t *testing.T) *app.ApplicationView {
	t.Helper()
	a := f.filled(t, "")
	got, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []pendopo.Actor{f.petugas, f.petugas, f.kepala, f.petugas} {
		if got, err = f.Act(ctx, who, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: got.Rev}); err != nil {
			t.Fatal(err)
		}
	}
	v, err := f.Application(ctx, f.budi, a.Number)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestIssuedDocumentVerifies(t *testing.T) {
	f := newAppFixture(t)
	v := f.completed(t)
	if v.Document == "" {
		t.Fatal("no document issued")
	}
	rc, d, err := f.DocumentPDF(ctx, f.budi, v.Number)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || d.Code != v.Document {
		t.Fatalf("document %s: %q", d.Code, pdf[:8])
	}
	if _, _, err := f.DocumentPDF(ctx, f.sari, v.Number); kind(err) != pendopo.KindNotFound {
		t.Errorf("Sari downloads Budi's document: %v", err)
	}
	// By code, typed loosely, and by the file itself.
	byCode, err := f.VerifyCode(ctx, strings.ToLower(strings.ReplaceAll(v.Document, "-", " ")))
	if err != nil || !byCode.Authentic || byCode.Applicant != "B*** S***" || byCode.Region.Code != "33.74" {
		t.Fatalf("verify by code: %+v %v", byCode, err)
	}
	byFile, err := f.VerifyPDF(ctx, bytes.NewReader(pdf))
	if err != nil || !byFile.Authentic || byFile.Document.Code != v.Document {
		t.Fatalf("verify the file: %+v %v", byFile, err)
	}
	// One changed byte: the code is still there, the content is not the
	// issued one.
	tampered := bytes.Clone(pdf)
	i := bytes.Index(tampered, []byte("stream")) + 20
	tampered[i] ^= 0x20
	alt, err := f.VerifyPDF(ctx, bytes.NewReader(tampered))
	if err != nil || alt.Authentic || !alt.Altered || !alt.Found {
		t.Fatalf("tampered copy: %+v %v", alt, err)
	}
	if other, err := f.VerifyPDF(ctx, bytes.NewReader(pdfBytes)); err != nil || other.Found {
		t.Errorf("some other PDF: %+v %v", other, err)
	}
	if _, err := f.VerifyPDF(ctx, strings.NewReader("hello")); kind(err) != pendopo.KindUnsupported {
		t.Errorf("not a PDF: %v", err)
	}
	if _, err := f.VerifyCode(ctx, "!!"); kind(err) != pendopo.KindInvalid {
		t.Errorf("bad code: %v", err)
	}
	if none, err := f.VerifyCode(ctx, "ABCD-EFGH-JKMN"); err != nil || none.Found {
		t.Errorf("unknown code: %+v %v", none, err)
	}
	// A new key signs the next document; the old one still verifies.
	if _, err := f.CreateSigningKey(ctx, f.petugas, "33.74"); kind(err) != pendopo.KindForbidden {
		t.Errorf("officer made a key: %v", err)
	}
	k, err := f.CreateSigningKey(ctx, pendopo.System, "33.74")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := f.VerifyCode(ctx, v.Document); err != nil || !again.Authentic || again.Key.RetiredAt.IsZero() {
		t.Errorf("old document after rotation: %+v %v", again, err)
	}
	w := f.completed(t)
	if next, err := f.VerifyCode(ctx, w.Document); err != nil || !next.Authentic || next.Key.ID != k.ID {
		t.Errorf("next document: %+v %v", next, err)
	}
}

// pending claims every queued message, by recipient.
func pending(t *testing.T, f appFixture) map[string][]pendopo.OutboxMessage {
	t.Helper()
	ms, err := f.Store().ClaimMessages(ctx, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 1000, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]pendopo.OutboxMessage{}
	for _, m := range ms {
		out[m.To] = append(out[m.To], m)
	}
	return out
}

func TestApplicationNotifications(t *testing.T) {
	f := newAppFixture(t)
	pending(t, f) // drop what account set-up queued
	a := f.filled(t, "")
	sub, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit})
	if err != nil {
		t.Fatal(err)
	}
	got := pending(t, f)
	if m := got["budi@contoh.id"]; len(m) != 1 || !strings.Contains(m[0].Subject, a.Number) || !strings.Contains(m[0].Body, "2026-12-04") ||
		!strings.Contains(m[0].Body, "http://pendopo.test/permohonan/"+a.Number) || !strings.Contains(m[0].Body, "— English —") {
		t.Errorf("receipt to Budi: %+v", m)
	}
	// Officers of the first step (officers, and those above them) hear of
	// new work; the other agency's officer does not.
	if len(got["petugas.satu@semarang.test"]) != 1 || len(got["kepala.dinas@semarang.test"]) != 1 || len(got["petugas.dinkes@semarang.test"]) != 0 {
		t.Errorf("staff told: %v", keys(got))
	}
	if _, err := f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActReturn, Note: "Unggah ulang KK yang terbaca.", Rev: sub.Rev}); err != nil {
		t.Fatal(err)
	}
	if m := pending(t, f)["budi@contoh.id"]; len(m) != 1 || !strings.Contains(m[0].Body, "Unggah ulang KK yang terbaca.") {
		t.Errorf("return notice: %+v", m)
	}
	inbox, err := f.Inbox(ctx, f.budi, pendopo.Page{})
	if err != nil || inbox.Unread != 2 || inbox.Notifications[0].Link != "/permohonan/"+a.Number {
		t.Fatalf("Budi's inbox: %+v %v", inbox, err)
	}

	// On the deadline day staff are warned once, however often the job runs.
	b := f.filled(t, "")
	if _, err := f.Act(ctx, f.budi, b.Number, app.ApplicationAct{Action: pendopo.ActSubmit}); err != nil {
		t.Fatal(err)
	}
	pending(t, f)
	*f.clock = time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC) // 09:00 WIB on the deadline
	for range 2 {
		if n, err := f.DeadlineAlerts(ctx); err != nil || n != 1 {
			t.Fatalf("deadline alerts: %d %v", n, err)
		}
	}
	warned := pending(t, f)
	if m := warned["petugas.satu@semarang.test"]; len(m) != 1 || !strings.Contains(m[0].Subject, "hari ini") {
		t.Errorf("deadline warning: %+v", m)
	}
	if len(warned["budi@contoh.id"]) != 0 {
		t.Errorf("the applicant got a staff warning")
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestDemoApplications(t *testing.T) {
	x := newAccounts(t)
	if _, err := demo.Load(ctx, x.App); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedApplications(ctx, x.App); err == nil {
		t.Fatal("seeding without the demo accounts should fail")
	}
	if _, err := demo.AddAccounts(ctx, x.App, "kata sandi demo yang panjang"); err != nil {
		t.Fatal(err)
	}
	if seeded, err := demo.SeedApplications(ctx, x.App); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	if again, err := demo.SeedApplications(ctx, x.App); err != nil || again {
		t.Fatalf("second seed: %v %v", again, err)
	}
	for _, region := range []string{"33.74", "33.72"} {
		online, err := x.OnlineServices(ctx, region)
		if err != nil || len(online) < 5 {
			t.Fatalf("%s: %d online services, want ≥ 5 (%v)", region, len(online), err)
		}
		apps, _, err := x.Store().Applications(ctx, pendopo.ApplicationFilter{Region: region, Page: pendopo.Page{PerPage: 100}})
		if err != nil {
			t.Fatal(err)
		}
		states := map[pendopo.ApplicationStatus]int{}
		overdue, documents := 0, 0
		for _, a := range apps {
			states[a.Status]++
			if a.Status == pendopo.StatusInProgress && a.Deadline < pendopo.DayOf(now, pendopo.RegionZone(region)) {
				overdue++
			}
			if a.Document != "" {
				documents++
			}
		}
		for _, st := range []pendopo.ApplicationStatus{pendopo.StatusDraft, pendopo.StatusInProgress, pendopo.StatusReturned,
			pendopo.StatusRejected, pendopo.StatusCompleted, pendopo.StatusWithdrawn} {
			if states[st] == 0 {
				t.Errorf("%s: no %s application", region, st)
			}
		}
		if overdue == 0 || documents != states[pendopo.StatusCompleted] {
			t.Errorf("%s: %d overdue, %d documents for %d completed", region, overdue, documents, states[pendopo.StatusCompleted])
		}
	}
	// The demo's history is in the inboxes but sends no email.
	if ms, err := x.Store().ClaimMessages(ctx, now.AddDate(1, 0, 0), 100, time.Hour); err != nil || len(ms) != 0 {
		t.Errorf("the seed queued %d messages (%v)", len(ms), err)
	}
	// The demo citizen has a list with timelines.
	warga, _ := x.Store().Credentials(ctx, "warga@pendopo.test", "")
	mine, total, err := x.MyApplications(ctx, pendopo.Actor{UserID: warga.UserID}, pendopo.Page{})
	if err != nil || total < 6 || len(mine) == 0 {
		t.Fatalf("the demo citizen's applications: %d %v", total, err)
	}
}

// failingBlobs refuses to store anything, like a full disk.
type failingBlobs struct{ blob.Store }

func (failingBlobs) Put(context.Context, io.Reader, int64, []string) (blob.Blob, error) {
	return blob.Blob{}, errors.New("disk full")
}

// TestFaultsLeaveNothingHalfDone: a failure while completing an
// application (the document cannot be stored) leaves it where it was,
// with no event and no message; a retried action is not done twice.
func TestFaultsLeaveNothingHalfDone(t *testing.T) {
	f := newAppFixture(t)
	a := f.filled(t, "")
	got, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []pendopo.Actor{f.petugas, f.petugas, f.kepala} {
		if got, err = f.Act(ctx, who, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: got.Rev}); err != nil {
			t.Fatal(err)
		}
	}
	// A retry of the head's approval (same person, same action, the
	// revision before it) answers with the result, and changes nothing.
	retried, err := f.Act(ctx, f.kepala, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: got.Rev - 1})
	if err != nil || retried.Rev != got.Rev || retried.Step != got.Step {
		t.Fatalf("retried approval: %+v %v", retried, err)
	}
	// Someone else with the old revision still loses.
	if _, err := f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActReject, Note: "x", Rev: got.Rev - 1}); kind(err) != pendopo.KindConflict {
		t.Errorf("stale action by another: %v", err)
	}
	pending(t, f)
	before, _ := f.Store().ApplicationEvents(ctx, got.ID)
	restore := f.SetBlobs(failingBlobs{})
	_, err = f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: got.Rev})
	f.SetBlobs(restore)
	if err == nil {
		t.Fatal("completing without a file store succeeded")
	}
	after, _ := f.Store().Application(ctx, got.ID)
	events, _ := f.Store().ApplicationEvents(ctx, got.ID)
	if after.Status != pendopo.StatusInProgress || after.Rev != got.Rev || after.Document != "" || len(events) != len(before) || len(pending(t, f)) != 0 {
		t.Fatalf("half done: %s rev %d doc %q, %d events (was %d)", after.Status, after.Rev, after.Document, len(events), len(before))
	}
	// With the store back, the same action completes it.
	if done, err := f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: got.Rev}); err != nil || done.Status != pendopo.StatusCompleted {
		t.Fatalf("complete after the fault: %v", err)
	}
}

// racingBlobs stores files like the store it wraps and, after the first
// one, runs before: another officer acting in the moment between storing
// a document and the transaction that records it.
type racingBlobs struct {
	blob.Store
	before func()
	stored []string
}

func (b *racingBlobs) Put(ctx context.Context, r io.Reader, limit int64, accept []string) (blob.Blob, error) {
	out, err := b.Store.Put(ctx, r, limit, accept)
	if err == nil {
		b.stored = append(b.stored, out.Addr)
		if f := b.before; f != nil {
			b.before = nil
			f()
		}
	}
	return out, err
}

// TestLostCompletionLeavesNoFile: the document is stored before the
// transaction that completes the application; when that transaction
// loses to another officer's action, the stored file is deleted again
// and no record names it.
func TestLostCompletionLeavesNoFile(t *testing.T) {
	f := newAppFixture(t)
	a := f.filled(t, "")
	got, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []pendopo.Actor{f.petugas, f.petugas, f.kepala} {
		if got, err = f.Act(ctx, who, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: got.Rev}); err != nil {
			t.Fatal(err)
		}
	}
	racing := &racingBlobs{Store: f.blobs}
	racing.before = func() {
		if _, err := f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActReject, Note: "berkas tidak sah", Rev: got.Rev}); err != nil {
			t.Errorf("the other officer's rejection: %v", err)
		}
	}
	restore := f.SetBlobs(racing)
	_, err = f.Act(ctx, f.petugas, a.Number, app.ApplicationAct{Action: pendopo.ActApprove, Rev: got.Rev})
	f.SetBlobs(restore)
	if kind(err) != pendopo.KindConflict {
		t.Fatalf("completing after another's rejection: %v, want a conflict", err)
	}
	if len(racing.stored) != 1 {
		t.Fatalf("%d files stored, want the document's", len(racing.stored))
	}
	addr := racing.stored[0]
	if rc, err := f.blobs.Open(ctx, addr); !errors.Is(err, pendopo.ErrNotFound) {
		if err == nil {
			rc.Close()
		}
		t.Errorf("the lost completion's document is still in the file store (%v)", err)
	}
	if used, err := f.Store().FileInUse(ctx, addr); err != nil || used {
		t.Errorf("a record names the lost completion's document: %v %v", used, err)
	}
	after, _ := f.Store().Application(ctx, got.ID)
	if after.Status != pendopo.StatusRejected || after.Document != "" {
		t.Errorf("after the race: %s, document %q; want rejected without one", after.Status, after.Document)
	}
}

// TestApplicationMailOverSMTP sends an application's notices through a
// real SMTP server started by the test: the receipt to the applicant and
// the new-work notice to the officer arrive once each.
func TestApplicationMailOverSMTP(t *testing.T) {
	mp := pendopotest.StartMailpit(t, "")
	f := newAppFixture(t)
	f.SetMail(notify.SMTPSender{Addr: mp.SMTP, From: "pendopo@pendopo.test"})
	pending(t, f) // what account set-up queued is not for this test
	a := f.filled(t, "")
	if _, err := f.Act(ctx, f.budi, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // a second pass sends nothing again
		if _, err := f.Outbox().Deliver(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]int{}
	for _, m := range mp.Messages(t) {
		for _, to := range m.To {
			if strings.Contains(m.Subject, a.Number) {
				got[to.Address]++
			}
		}
	}
	if got["budi@contoh.id"] != 1 || got["petugas.satu@semarang.test"] != 1 {
		t.Errorf("messages about %s by recipient: %v", a.Number, got)
	}
}
