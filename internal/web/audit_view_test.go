package web_test

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/portaltest"
)

// TestAuditViewFollowsRecordRules: the audit browser shows what an entry
// says of an application, a report or a citizen's account only to those
// who may see that record. Overseers, and a province's admin looking at
// its kabupaten/kota, see that something happened and which officer did
// it, but not the applicant's name, the file's name or what changed, and
// cannot find a citizen's entries by name.
func TestAuditViewFollowsRecordRules(t *testing.T) {
	ctx := context.Background()
	p := portaltest.NewPortal(t)
	svc := p.OnlineService(t, "33.74", "penerbitan-ktp-el")
	siti, err := p.App.AddUser(ctx, "Siti Rahayu", "siti.rahayu@contoh.test", portaltest.Password, nil)
	if err != nil {
		t.Fatal(err)
	}
	who := pendopo.Actor{Name: "Siti Rahayu (#" + strconv.FormatInt(siti.ID, 10) + ")", UserID: siti.ID, IP: "198.51.100.7"}
	draft, err := p.App.StartApplication(ctx, who, svc.ID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.App.SaveAnswers(ctx, who, draft.Number, map[string][]string{"nama": {"Siti Rahayu"}, "setuju": {"1"}}); err != nil {
		t.Fatal(err)
	}
	up, err := p.App.Upload(ctx, who, draft.Number, "lampiran", "ktp-siti-rahayu.pdf", strings.NewReader(portaltest.MinimalPDF))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.App.Act(ctx, who, draft.Number, app.ApplicationAct{Action: pendopo.ActSubmit}); err != nil {
		t.Fatal(err)
	}
	// An officer of the agency reads it, downloads the file and returns it.
	role := pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "disdukcapil"}
	budi, err := p.App.AddUser(ctx, "Budi Petugas", "budi.petugas@semarangkota.test", portaltest.Password, &role)
	if err != nil {
		t.Fatal(err)
	}
	officer := pendopo.Actor{Name: "Budi Petugas", UserID: budi.ID, Roles: []pendopo.Role{role}}
	if _, err := p.App.Application(ctx, officer, draft.Number); err != nil {
		t.Fatal(err)
	}
	rc, _, err := p.App.OpenUpload(ctx, officer, draft.Number, up.Addr)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, rc)
	rc.Close()
	if _, err := p.App.Act(ctx, officer, draft.Number, app.ApplicationAct{Action: pendopo.ActReturn, Note: "Foto KTP Siti buram."}); err != nil {
		t.Fatal(err)
	}

	sessions := map[string]string{
		"national admin":      p.Admin,
		"region admin 33.74":  p.RegionAdmin,
		"national overseer":   p.Officer(t, "Pengawas Nasional", "pengawas@kemendagri.test", pendopo.Role{Kind: pendopo.RoleOverseer}),
		"overseer 33":         p.Officer(t, "Pengawas Jateng", "pengawas@jatengprov.test", pendopo.Role{Kind: pendopo.RoleOverseer, Region: "33"}),
		"province admin (33)": p.Officer(t, "Admin Jateng", "admin@jatengprov.test", pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33"}),
	}
	// What the entries say of her application: who she is, the file an
	// officer downloaded, her address and the officer's note on it.
	personal := []string{"warga #" + strconv.FormatInt(siti.ID, 10), up.Addr, "198.51.100.7", "Foto KTP Siti buram."}
	for _, tt := range []struct {
		who, path string
		sees      bool
	}{
		{"national admin", "/admin/daerah/33.74/audit?entitas=application", true},
		{"national admin", "/admin/audit?entitas=application", true},
		{"region admin 33.74", "/admin/daerah/33.74/audit?entitas=application", true},
		{"national overseer", "/admin/daerah/33.74/audit?entitas=application", false},
		{"national overseer", "/admin/audit?entitas=application", false},
		{"overseer 33", "/admin/daerah/33.74/audit?entitas=application", false},
		{"overseer 33", "/admin/daerah/33/audit?entitas=application", false},
		{"province admin (33)", "/admin/daerah/33/audit?entitas=application", false},
	} {
		res := p.GetAs(t, tt.path, sessions[tt.who])
		if res.StatusCode != 200 || !strings.Contains(res.Body, draft.Number) || !strings.Contains(res.Body, "application.return") ||
			!strings.Contains(res.Body, "Budi Petugas") {
			t.Errorf("%s at %s: %d, want the application's entries and the officer who acted", tt.who, tt.path, res.StatusCode)
			continue
		}
		for _, s := range personal {
			if got := strings.Contains(res.Body, s); got != tt.sees {
				t.Errorf("%s at %s: shows %q = %v, want %v", tt.who, tt.path, s, got, tt.sees)
			}
		}
		// Her name and her file's name are nowhere: citizens are named by
		// account number, files by their hash.
		if strings.Contains(res.Body, "Siti Rahayu") || strings.Contains(res.Body, "ktp-siti-rahayu.pdf") {
			t.Errorf("%s at %s: the trail names the citizen", tt.who, tt.path)
		}
		if hidden := strings.Contains(res.Body, "Rincian disembunyikan"); hidden == tt.sees {
			t.Errorf("%s at %s: says details are hidden = %v", tt.who, tt.path, hidden)
		}
	}
	// Finding a citizen's entries by account is for those who may see them.
	for who, want := range map[string]bool{"national admin": true, "region admin 33.74": true, "national overseer": false, "overseer 33": false} {
		path := "/admin/daerah/33.74/audit?oleh=" + url.QueryEscape("warga #"+strconv.FormatInt(siti.ID, 10))
		res := p.GetAs(t, path, sessions[who])
		if found := strings.Contains(res.Body, draft.Number); found != want {
			t.Errorf("%s searching %s: finds the citizen's entries = %v, want %v", who, path, found, want)
		}
	}
	// The officers' own entries are found by name by everyone.
	if res := p.GetAs(t, "/admin/daerah/33.74/audit?oleh=Budi", sessions["national overseer"]); !strings.Contains(res.Body, "application.return") {
		t.Error("the overseer cannot find the officer's decisions")
	}
}
