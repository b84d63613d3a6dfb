package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// diffAfter reads the "after" side of an audit diff.
func diffAfter(t *testing.T, diff string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if diff == "" {
		return out
	}
	var d map[string][2]any
	if err := json.Unmarshal([]byte(diff), &d); err != nil {
		t.Fatalf("diff %q: %v", diff, err)
	}
	for k, v := range d {
		s, _ := v[1].(string)
		out[k] = s
	}
	return out
}

// TestOfficerReadsAreRecorded: every way staff read a citizen's data
// leaves an entry that says under which role and where, so that the
// citizen can be told which office read it; the trail holds no name,
// NIK or file name of the citizen.
func TestOfficerReadsAreRecorded(t *testing.T) {
	f := newAppFixture(t)
	v := f.completed(t)
	a := v.Application
	if _, err := f.SetNIK(ctx, f.budi, "3374010101900001"); err != nil {
		t.Fatal(err)
	}
	if err := f.UpdateName(ctx, f.budi, "Budi Santoso Putra"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Application(ctx, f.petugas, a.Number); err != nil {
		t.Fatal(err)
	}
	rc, _, err := f.OpenUpload(ctx, f.petugas, a.Number, v.Uploads[0].Addr)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	rc, _, err = f.DocumentPDF(ctx, f.kepala, a.Number)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, rc)
	rc.Close()
	// The applicant's own reading is no officer's.
	rc, _, err = f.DocumentPDF(ctx, f.budi, a.Number)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()

	log, _, err := f.AuditLog(ctx, pendopo.System, pendopo.AuditFilter{EntityID: a.Number, Actions: []string{"application.read", "upload.download", "document.download"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]pendopo.AuditEntry{}
	for _, e := range log {
		if e.ActorUser == f.budi.UserID {
			if e.Action == "document.download" {
				t.Error("the applicant's own download is recorded as a staff reading")
			}
			continue
		}
		got[e.Action] = e
	}
	for action, want := range map[string]struct {
		actor int64
		role  pendopo.RoleKind
	}{
		"application.read":  {f.petugas.UserID, pendopo.RoleOfficer},
		"upload.download":   {f.petugas.UserID, pendopo.RoleOfficer},
		"document.download": {f.kepala.UserID, pendopo.RoleSupervisor},
	} {
		e, ok := got[action]
		if !ok {
			t.Errorf("%s is not in the audit trail", action)
			continue
		}
		d := diffAfter(t, e.Diff)
		if e.ActorUser != want.actor || e.Role != string(want.role) || d["agency"] != "disdukcapil" || d["role_region"] != "33.74" {
			t.Errorf("%s: actor %d role %q diff %v", action, e.ActorUser, e.Role, d)
		}
	}
	if d := diffAfter(t, got["upload.download"].Diff); d["field"] != "kk" || d["sha256"] != v.Uploads[0].Addr {
		t.Errorf("upload.download names the file by %v", d)
	}
	if d := diffAfter(t, got["document.download"].Diff); d["document"] != a.Document {
		t.Errorf("document.download: %v", d)
	}
	// Nothing in the whole trail names Budi, his NIK or his file.
	all, _, err := f.AuditLog(ctx, pendopo.System, pendopo.AuditFilter{Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		b, _ := json.Marshal(e)
		for _, s := range []string{"Budi", "budi@contoh.id", "3374010101900001", "3374********0001", "kk.pdf"} {
			if strings.Contains(string(b), s) {
				t.Errorf("audit entry %d %s holds %q: %s", e.Seq, e.Action, s, b)
			}
		}
	}
	// A citizen's own actions are recorded under their number only.
	mine, _, err := f.AuditLog(ctx, pendopo.System, pendopo.AuditFilter{ActorUser: f.budi.UserID})
	if err != nil || len(mine) == 0 {
		t.Fatalf("Budi's entries: %d %v", len(mine), err)
	}
	for _, e := range mine {
		if e.Actor != "warga #"+strconv.FormatInt(f.budi.UserID, 10) {
			t.Errorf("%s recorded as %q", e.Action, e.Actor)
		}
	}
}

// TestDeleteAccountPolicy: each kind of application gets what the policy
// says, counted the same beforehand and afterwards; what an officer filed
// at a counter for someone else is not theirs to erase; a file shared by
// content with someone else's upload stays.
func TestDeleteAccountPolicy(t *testing.T) {
	f := newAppFixture(t)
	act := func(who pendopo.Actor, number string, a pendopo.ApplicationAction, note string) pendopo.Application {
		t.Helper()
		got, err := f.Act(ctx, who, number, app.ApplicationAct{Action: a, Note: note})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	returned := f.filled(t, "r")
	act(f.budi, returned.Number, pendopo.ActSubmit, "")
	act(f.petugas, returned.Number, pendopo.ActReturn, "Foto KK buram.")
	rejected := f.filled(t, "x")
	act(f.budi, rejected.Number, pendopo.ActSubmit, "")
	act(f.petugas, rejected.Number, pendopo.ActReject, "Bukan penduduk Kota Semarang.")
	withdrawn := f.filled(t, "w")
	act(f.budi, withdrawn.Number, pendopo.ActWithdraw, "")
	draft := f.filled(t, "d")
	// The draft has a file of its own, and Sari uploads the very same
	// bytes (the other applications share theirs with the rejection,
	// which is kept).
	own := append(bytes.Clone(pdfBytes), "% draf Budi\n"...)
	if _, err := f.Upload(ctx, f.budi, draft.Number, "kk", "kk-baru.pdf", bytes.NewReader(own)); err != nil {
		t.Fatal(err)
	}
	sari, err := f.StartApplication(ctx, f.sari, f.svc.ID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	shared, err := f.Upload(ctx, f.sari, sari.Number, "kk", "kk-sari.pdf", bytes.NewReader(own))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := f.ErasurePlan(ctx, f.budi)
	if err != nil {
		t.Fatal(err)
	}
	want := app.Erasure{Drafts: 1, Withdrawn: 1, Cleared: 1, Archived: 1}
	if plan != want {
		t.Errorf("plan: %+v, want %+v", plan, want)
	}
	if _, err := f.DeleteAccount(ctx, f.budi, "salah"); kind(err) != pendopo.KindInvalid {
		t.Fatalf("wrong password: %v", err)
	}
	if again, _ := f.ErasurePlan(ctx, f.budi); again != plan {
		t.Errorf("a refused deletion changed something: %+v", again)
	}
	done, err := f.DeleteAccount(ctx, f.budi, "kopi tubruk pagi hari")
	if err != nil {
		t.Fatal(err)
	}
	if done.Files != 0 { // the same content is in Sari's draft
		t.Errorf("deleted %d files, want none: the upload's content is Sari's too", done.Files)
	}
	done.Files = 0
	if done != want {
		t.Errorf("done: %+v, want %+v", done, want)
	}
	st := f.Store()
	for number, status := range map[string]pendopo.ApplicationStatus{returned.Number: pendopo.StatusWithdrawn, withdrawn.Number: pendopo.StatusWithdrawn, rejected.Number: pendopo.StatusRejected} {
		a, err := st.ApplicationByNumber(ctx, number)
		if err != nil || a.Status != status {
			t.Errorf("%s: %s %v, want %s", number, a.Status, err, status)
		}
	}
	r, _ := st.ApplicationByNumber(ctx, rejected.Number)
	if evs, _ := st.ApplicationEvents(ctx, r.ID); r.ApplicantName != "B*** S***" || len(r.Sealed) == 0 || evs[len(evs)-1].Note != "Bukan penduduk Kota Semarang." {
		t.Errorf("archived rejection: %+v", r)
	}
	if _, err := st.ApplicationByNumber(ctx, draft.Number); kind(err) != pendopo.KindNotFound {
		t.Errorf("draft: %v", err)
	}
	blobs := f.SetBlobs(nil)
	f.SetBlobs(blobs)
	rc, err := blobs.Open(ctx, shared.Addr)
	if err != nil {
		t.Errorf("Sari's file went with Budi's draft: %v", err)
	} else {
		rc.Close()
	}

	// An officer who filed for someone at a counter deletes their account:
	// that application is the other person's and stays; the officer's own
	// draft goes.
	counter, err := f.StartApplication(ctx, f.petugas, f.svc.ID, "", "Mbah Sumiyati")
	if err != nil {
		t.Fatal(err)
	}
	mine, err := f.StartApplication(ctx, f.petugas, f.svc.ID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if plan, _ := f.ErasurePlan(ctx, f.petugas); plan != (app.Erasure{Drafts: 1}) {
		t.Errorf("officer's plan: %+v", plan)
	}
	if _, err := f.DeleteAccount(ctx, f.petugas, "lumpia gang lombok"); err != nil {
		t.Fatal(err)
	}
	if a, err := st.ApplicationByNumber(ctx, counter.Number); err != nil || a.ApplicantName != "Mbah Sumiyati" || a.Status != pendopo.StatusDraft {
		t.Errorf("the counter filing: %+v %v", a, err)
	}
	if _, err := st.ApplicationByNumber(ctx, mine.Number); kind(err) != pendopo.KindNotFound {
		t.Errorf("the officer's own draft: %v", err)
	}
}
