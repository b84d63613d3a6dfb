package app_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/demo"
)

var linkRE = regexp.MustCompile(`/undangan/(\S+)`)

func TestInvitationsAndRoles(t *testing.T) {
	x := newAccounts(t)
	if _, err := demo.Load(ctx, x.App); err != nil {
		t.Fatal(err)
	}
	admin, err := x.AddUser(ctx, "Admin Semarang", "admin@semarang.test", "lumpia gang lombok", &pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.74"})
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := x.Login(ctx, "admin@semarang.test", "lumpia gang lombok", "10.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	who, _, _ := x.SessionActor(ctx, secret, "10.0.0.1")

	officer := pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"}
	// Not in another region, not national roles, not unknown agencies.
	for _, r := range []pendopo.Role{{Kind: pendopo.RoleOfficer, Region: "33.72", Agency: "disdukcapil"}, {Kind: pendopo.RoleNationalAdmin}, {Kind: pendopo.RoleOverseer, Region: "33"}} {
		if _, _, err := x.Invite(ctx, who, "x@contoh.id", "X", r); kind(err) != pendopo.KindForbidden {
			t.Errorf("invite as %+v: %v", r, err)
		}
	}
	if _, _, err := x.Invite(ctx, who, "x@contoh.id", "X", pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "tidak-ada"}); kind(err) != pendopo.KindInvalid {
		t.Errorf("invite to an unknown agency: %v", err)
	}
	inv, link, err := x.Invite(ctx, who, "Petugas@Contoh.id", "Petugas Dukcapil", officer)
	if err != nil || inv.Email != "petugas@contoh.id" {
		t.Fatalf("invite: %v", err)
	}
	m, _ := x.mail.Last("petugas@contoh.id")
	if !strings.Contains(m.Body, link) || !strings.Contains(m.Body, "Kota Semarang") {
		t.Errorf("invitation mail: %q", m.Body)
	}
	key := linkRE.FindStringSubmatch(link)[1]
	if _, err := x.AcceptInvitation(ctx, key, "P", "password", "10.0.0.2", ""); kind(err) != pendopo.KindInvalid {
		t.Errorf("weak password accepted: %v", err)
	}
	osec, err := x.AcceptInvitation(ctx, key, "Petugas Dukcapil", "antre nomor tujuh", "10.0.0.2", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.AcceptInvitation(ctx, key, "Lagi", "antre nomor tujuh", "10.0.0.2", ""); kind(err) != pendopo.KindNotFound {
		t.Errorf("invitation used twice: %v", err)
	}
	off, offUser, err := x.SessionActor(ctx, osec, "10.0.0.2")
	if err != nil || len(offUser.Roles) != 1 || offUser.Roles[0] != officer || !offUser.Confirmed() {
		t.Fatalf("officer: %+v %v", offUser, err)
	}

	// The officer drafts in their agency but cannot publish or touch others.
	svc, _ := x.Store().ServiceBySlug(ctx, "33.74", "penerbitan-ktp-el")
	edit := svc.ServiceContent
	edit.Summary = "Diperbarui oleh petugas."
	draft, err := x.UpdateService(ctx, off, svc.ID, app.ServiceWrite{Content: edit, Note: "ringkasan"})
	if err != nil {
		t.Fatalf("officer draft: %v", err)
	}
	if _, err := x.PublishService(ctx, off, svc.ID, draft.LatestVersion, ""); kind(err) != pendopo.KindForbidden {
		t.Errorf("officer published: %v", err)
	}
	if _, err := x.UpdateService(ctx, off, svc.ID, app.ServiceWrite{Content: edit, Publish: true}); kind(err) != pendopo.KindForbidden {
		t.Errorf("officer saved and published: %v", err)
	}
	other, _ := x.Store().ServiceBySlug(ctx, "33.74", "surat-keterangan-sehat")
	if _, err := x.UpdateService(ctx, off, other.ID, app.ServiceWrite{Content: other.ServiceContent}); kind(err) != pendopo.KindForbidden {
		t.Errorf("officer edited another agency: %v", err)
	}
	moved := edit
	moved.AgencySlug = "dinkes"
	if _, err := x.UpdateService(ctx, off, svc.ID, app.ServiceWrite{Content: moved}); kind(err) != pendopo.KindForbidden {
		t.Errorf("officer moved a service to another agency: %v", err)
	}
	// The region admin publishes the officer's draft.
	if _, err := x.PublishService(ctx, who, svc.ID, draft.LatestVersion, "disetujui"); err != nil {
		t.Fatal(err)
	}
	if v, _ := x.ServiceView(ctx, svc.ID); v.Service.Summary != "Diperbarui oleh petugas." {
		t.Error("published draft not public")
	}

	// An existing account accepts with its password.
	x.citizen(t, "Sari", "sari@contoh.id", "es dawet ayu banjar")
	sup := pendopo.Role{Kind: pendopo.RoleSupervisor, Region: "33.74", Agency: "disdukcapil"}
	_, link2, err := x.Invite(ctx, who, "sari@contoh.id", "", sup)
	if err != nil {
		t.Fatal(err)
	}
	key2 := linkRE.FindStringSubmatch(link2)[1]
	if _, err := x.AcceptInvitation(ctx, key2, "", "salah sandi", "", ""); kind(err) != pendopo.KindInvalid {
		t.Errorf("accepted with a wrong password: %v", err)
	}
	if _, err := x.AcceptInvitation(ctx, key2, "", "es dawet ayu banjar", "", ""); err != nil {
		t.Fatal(err)
	}

	// Invitations expire.
	_, link3, _ := x.Invite(ctx, who, "telat@contoh.id", "", officer)
	*x.clock = x.clock.Add(app.InviteLifetime + time.Hour)
	if _, err := x.Invitation(ctx, linkRE.FindStringSubmatch(link3)[1]); kind(err) != pendopo.KindNotFound {
		t.Errorf("expired invitation: %v", err)
	}
	*x.clock = now

	officers, err := x.Officers(ctx, who, "33.74")
	if err != nil || len(officers) != 3 {
		t.Fatalf("officers of 33.74: %d %v", len(officers), err)
	}
	if _, err := x.Officers(ctx, off, "33.72"); kind(err) != pendopo.KindForbidden {
		t.Errorf("officer lists another region: %v", err)
	}
	// Revoking a role ends the person's sessions; admins cannot revoke themselves.
	if err := x.RevokeRole(ctx, who, offUser.ID, officer); err != nil {
		t.Fatal(err)
	}
	if _, _, err := x.SessionActor(ctx, osec, ""); err == nil {
		t.Error("session survives the revoked role")
	}
	if err := x.RevokeRole(ctx, who, admin.ID, pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.74"}); kind(err) != pendopo.KindInvalid {
		t.Errorf("admin revoked themselves: %v", err)
	}
	// Reading an officer's personal data is allowed here, and recorded.
	pd, err := x.ReadPersonalData(ctx, who, offUser.ID)
	if err != nil || pd.User.Email != "petugas@contoh.id" {
		// The officer lost their role above, so the admin no longer manages them.
		if kind(err) != pendopo.KindForbidden {
			t.Errorf("read personal data: %v", err)
		}
	}
	sari, _ := x.Store().Credentials(ctx, "sari@contoh.id", "")
	if _, err := x.ReadPersonalData(ctx, who, sari.UserID); err != nil {
		t.Fatal(err)
	}
	log, _, err := x.AuditLog(ctx, who, pendopo.AuditFilter{Region: "33.74", Action: "user.read_personal"})
	if err != nil || len(log) != 1 || log[0].ActorUser != admin.ID || log[0].EntityID != strconv.FormatInt(sari.UserID, 10) {
		t.Errorf("reading not audited for the region: %+v %v", log, err)
	}
	if _, _, err := x.AuditLog(ctx, who, pendopo.AuditFilter{Region: "33.72"}); kind(err) != pendopo.KindForbidden {
		t.Errorf("Semarang admin reads Surakarta's trail: %v", err)
	}
	if r, err := x.VerifyAudit(ctx); err != nil || r.Break != nil || r.Entries < 200 {
		t.Errorf("audit chain: %+v %v", r, err)
	}
}
