package app_test

import (
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

	log, _, err := f.AuditLog(ctx, app.System, pendopo.AuditFilter{EntityID: a.Number, Actions: []string{"application.read", "upload.download", "document.download"}})
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
	all, _, err := f.AuditLog(ctx, app.System, pendopo.AuditFilter{Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
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
	mine, _, err := f.AuditLog(ctx, app.System, pendopo.AuditFilter{ActorUser: f.budi.UserID})
	if err != nil || len(mine) == 0 {
		t.Fatalf("Budi's entries: %d %v", len(mine), err)
	}
	for _, e := range mine {
		if e.Actor != "warga #"+strconv.FormatInt(f.budi.UserID, 10) {
			t.Errorf("%s recorded as %q", e.Action, e.Actor)
		}
	}
}
