package app_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/photo"
	"github.com/pendopo/pendopo/internal/photo/phototest"
)

func regionAdmin(t *testing.T, x accounts, region string) pendopo.Actor {
	t.Helper()
	r := pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: region}
	u, err := x.AddUser(ctx, "Admin "+region, "admin."+strings.ReplaceAll(region, ".", "")+"@branding.test", "lumpia gang lombok", &r)
	if err != nil {
		t.Fatal(err)
	}
	return pendopo.Actor{Name: "Admin " + region, UserID: u.ID, Roles: []pendopo.Role{r}}
}

// TestBrandingWrites: only the region's admin (and the system) change its
// branding; invalid input comes back as field errors; every write leaves
// an audit entry.
func TestBrandingWrites(t *testing.T) {
	x := newAccounts(t)
	if _, err := demo.Load(ctx, x.App); err != nil {
		t.Fatal(err)
	}
	admin, solo := regionAdmin(t, x, "33.74"), regionAdmin(t, x, "33.72")
	officer := staff(t, x, "Petugas Satu", pendopo.RoleOfficer, "disdukcapil")
	sector := pendopo.Sector{Region: "33.74", Slug: "pariwisata", Name: "Pariwisata", Rationale: "Kota Lama."}
	for _, who := range []pendopo.Actor{solo, officer, {}} {
		if _, err := x.SaveSector(ctx, who, sector); kind(err) != pendopo.KindForbidden {
			t.Errorf("%q saved a sector of 33.74: %v", who.Name, err)
		}
	}
	if _, err := x.SaveSector(ctx, admin, pendopo.Sector{Region: "99.99", Slug: "x", Name: "x"}); kind(err) != pendopo.KindNotFound {
		t.Errorf("a sector of an unknown region: %v", err)
	}
	fields := func(_ any, err error) map[string]bool {
		out := map[string]bool{}
		var e *pendopo.Error
		if pe, ok := err.(*pendopo.Error); ok {
			e = pe
		}
		if e == nil || e.Kind != pendopo.KindInvalid {
			t.Fatalf("want a validation error, got %v", err)
		}
		for _, f := range e.Fields {
			out[f.Field] = true
		}
		return out
	}
	if f := fields(x.SaveSector(ctx, admin, pendopo.Sector{Region: "33.74", Slug: "Bukan Slug", Name: " "})); !f["slug"] || !f["name"] {
		t.Errorf("invalid sector fields: %v", f)
	}
	wisata, err := x.SaveSector(ctx, admin, sector)
	if err != nil {
		t.Fatal(err)
	}
	if f := fields(x.SaveSector(ctx, admin, sector)); !f["slug"] {
		t.Errorf("a taken slug: %v", f)
	}
	soloSector, err := x.SaveSector(ctx, solo, pendopo.Sector{Region: "33.72", Slug: "batik", Name: "Batik"})
	if err != nil {
		t.Fatal(err)
	}

	d := pendopo.DateDay(2026, 1, 5)
	prog := pendopo.Program{Region: "33.74", SectorID: wisata.ID, Name: "Festival Kota Lama", Indicator: "Pengunjung", Unit: "orang",
		TargetValue: 10000, CurrentValue: 1000, Budget: 750_000_000, Start: d, End: d + 300, Status: pendopo.ProgramRunning}
	if _, err := x.SaveProgram(ctx, solo, prog); kind(err) != pendopo.KindForbidden {
		t.Errorf("another region's admin saved a program: %v", err)
	}
	bad := prog
	bad.SectorID, bad.End, bad.Status, bad.Budget, bad.TargetValue = soloSector.ID, d-1, "entah", -5, -1
	if f := fields(x.SaveProgram(ctx, admin, bad)); !f["sector"] || !f["end"] || !f["status"] || !f["budget"] || !f["target_value"] {
		t.Errorf("invalid program fields: %v", f)
	}
	p, err := x.SaveProgram(ctx, admin, prog)
	if err != nil {
		t.Fatal(err)
	}
	if p.Progress() != 0.1 {
		t.Errorf("progress %v, want 0.1", p.Progress())
	}

	// Updates: a value that is the newest becomes the current value; an
	// older one does not. Photos are JPEG or PNG by content, with alt text.
	jpeg := phototest.JPEGWithEXIF(40, 20, 1)
	v1, v0 := 2500.0, 1500.0
	if _, err := x.AddProgramUpdate(ctx, officer, "33.74", pendopo.ProgramUpdate{ProgramID: p.ID, Day: d + 30, Text: "x"}, nil); kind(err) != pendopo.KindForbidden {
		t.Errorf("an officer added an update: %v", err)
	}
	if _, err := x.AddProgramUpdate(ctx, solo, "33.72", pendopo.ProgramUpdate{ProgramID: p.ID, Day: d + 30, Text: "x"}, nil); kind(err) != pendopo.KindNotFound {
		t.Errorf("an update of 33.74's program through 33.72: %v", err)
	}
	if f := fields(x.AddProgramUpdate(ctx, admin, "33.74", pendopo.ProgramUpdate{ProgramID: p.ID, Day: d + 30, Text: "Foto."}, bytes.NewReader(jpeg))); !f["photo_alt"] {
		t.Errorf("a photo without alt text: %v", f)
	}
	_, err = x.AddProgramUpdate(ctx, admin, "33.74", pendopo.ProgramUpdate{ProgramID: p.ID, Day: d + 30, Text: "Foto.", PhotoAlt: "Panggung."}, strings.NewReader("%PDF-1.4 bukan foto"))
	if kind(err) != pendopo.KindUnsupported {
		t.Errorf("a PDF as a photo: %v", err)
	} else if f := err.(*pendopo.Error).Fields; len(f) != 1 || f[0].Field != "photo" {
		t.Errorf("a PDF as a photo, fields: %v", f)
	}
	big := append(append([]byte{}, jpeg...), make([]byte, app.MaxProgramPhotoBytes)...)
	if _, err := x.AddProgramUpdate(ctx, admin, "33.74", pendopo.ProgramUpdate{ProgramID: p.ID, Day: d + 30, Text: "Foto.", PhotoAlt: "Panggung."}, bytes.NewReader(big)); kind(err) != pendopo.KindTooLarge {
		t.Errorf("a photo over 5 MB: %v", err)
	}
	u, err := x.AddProgramUpdate(ctx, admin, "33.74", pendopo.ProgramUpdate{ProgramID: p.ID, Day: d + 30, Text: "Panggung berdiri.", Value: &v1, PhotoAlt: "Panggung di Taman Srigunting."}, bytes.NewReader(jpeg))
	if err != nil || u.Photo == "" || u.PhotoMedia != pendopo.MediaJPEG {
		t.Fatalf("update with photo: %+v %v", u, err)
	}
	if _, err := x.AddProgramUpdate(ctx, admin, "33.74", pendopo.ProgramUpdate{ProgramID: p.ID, Day: d + 10, Text: "Persiapan.", Value: &v0}, nil); err != nil {
		t.Fatal(err)
	}
	b, err := x.Branding(ctx, "33.74")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Programs) != 1 || b.Programs[0].CurrentValue != 2500 || len(b.Updates) != 2 || b.Updates[0].ID != u.ID {
		t.Errorf("after updates: programs %+v, updates %+v", b.Programs, b.Updates)
	}
	rc, got, err := x.BrandingPhoto(ctx, "33.74", u.Photo)
	if err != nil || got.PhotoAlt != "Panggung di Taman Srigunting." {
		t.Fatalf("photo: %+v %v", got, err)
	}
	served, _ := io.ReadAll(rc)
	rc.Close()
	// The photo is kept without its EXIF (the camera's position, its owner).
	if bytes.Contains(served, []byte("Exif")) || bytes.Contains(served, []byte(phototest.PhotoOwner)) || photo.HasMetadata(served) {
		t.Error("a program photo is served with its metadata")
	}
	if _, _, err := x.BrandingPhoto(ctx, "33.72", u.Photo); kind(err) != pendopo.KindNotFound {
		t.Errorf("33.74's photo through 33.72: %v", err)
	}

	// The mapping: national categories only, sectors of the region only.
	if err := x.SetSectorLinks(ctx, solo, "33.74", nil); kind(err) != pendopo.KindForbidden {
		t.Errorf("another region's admin mapped categories: %v", err)
	}
	f := fields(nil, x.SetSectorLinks(ctx, admin, "33.74", []pendopo.SectorLink{
		{Kind: pendopo.KindReportCategory, Category: "tidak-ada", SectorID: wisata.ID},
		{Kind: pendopo.KindServiceCategory, Category: "kesehatan", SectorID: soloSector.ID},
	}))
	if !f["laporan_tidak-ada"] || !f["layanan_kesehatan"] {
		t.Errorf("invalid mapping fields: %v", f)
	}
	if err := x.SetSectorLinks(ctx, admin, "33.74", []pendopo.SectorLink{{Kind: pendopo.KindReportCategory, Category: "taman-fasum", SectorID: wisata.ID}}); err != nil {
		t.Fatal(err)
	}

	log, _, err := x.Store().AuditLog(ctx, pendopo.AuditFilter{Region: "33.74", Action: "branding"})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range log {
		actions[e.Action]++
		if e.Actor != admin.Name || e.Role != string(pendopo.RoleRegionAdmin) {
			t.Errorf("audit entry by %q as %q", e.Actor, e.Role)
		}
	}
	if actions["branding.sector"] != 1 || actions["branding.program"] != 1 || actions["branding.update"] != 2 || actions["branding.map"] != 1 {
		t.Errorf("audit entries: %v", actions)
	}
}

// TestSectorNeeds sums reports per report category and applications per
// service category into the sectors they are mapped to, the rest into
// the unmapped entry, from the monthly figures.
func TestSectorNeeds(t *testing.T) {
	x := newAccounts(t)
	if _, err := demo.Load(ctx, x.App); err != nil {
		t.Fatal(err)
	}
	a := x.App
	// 33.74 takes the reports below only with a coordinator.
	staff(t, x, "Koordinator", pendopo.RoleRegionAdmin, "")
	b, err := a.Branding(ctx, "33.74")
	if err != nil {
		t.Fatal(err)
	}
	p := a.Figures().LastMonths("33.74", 12)
	empty, err := a.SectorNeeds(ctx, b, p)
	if err != nil || len(empty) != 1 || empty[0].Sector != nil || empty[0].Reports != 0 || empty[0].Applications != 0 {
		t.Fatalf("needs with nothing: %+v %v", empty, err)
	}
	infra, err := a.SaveSector(ctx, pendopo.System, pendopo.Sector{Region: "33.74", Slug: "infrastruktur", Name: "Infrastruktur", Position: 1})
	if err != nil {
		t.Fatal(err)
	}
	wisata, err := a.SaveSector(ctx, pendopo.System, pendopo.Sector{Region: "33.74", Slug: "pariwisata", Name: "Pariwisata", Position: 2})
	if err != nil {
		t.Fatal(err)
	}
	lat, lng := -7.0, 110.4
	for _, cat := range []string{"jalan", "jalan", "drainase-banjir", "sampah"} {
		if _, err := a.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Masalah " + cat,
			Description: "Uraian masalahnya di sini.", Category: cat, Privacy: pendopo.PrivacyPublic, Contact: "w@contoh.id",
			Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	var svc pendopo.ServiceSummary
	for _, s := range a.RegionServiceList("33.74", "") {
		if s.Category == "kependudukan" {
			svc = s
		}
	}
	if err := x.Store().AddStats(ctx, []pendopo.StatDelta{{StatScope: pendopo.StatScope{Region: "33.74", Agency: svc.AgencySlug, ServiceID: svc.ID},
		Month: p.To, Metric: pendopo.MetricAppReceived, N: 7}}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetSectorLinks(ctx, pendopo.System, "33.74", []pendopo.SectorLink{
		{Kind: pendopo.KindReportCategory, Category: "jalan", SectorID: infra.ID},
		{Kind: pendopo.KindReportCategory, Category: "drainase-banjir", SectorID: infra.ID},
		{Kind: pendopo.KindServiceCategory, Category: "kependudukan", SectorID: wisata.ID},
	}); err != nil {
		t.Fatal(err)
	}
	if b, err = a.Branding(ctx, "33.74"); err != nil {
		t.Fatal(err)
	}
	// The region's figures are kept a minute; a minute on, they are new.
	*x.clock = x.clock.Add(2 * time.Minute)
	needs, err := a.SectorNeeds(ctx, b, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(needs) != 3 || needs[0].Sector.ID != infra.ID || needs[1].Sector.ID != wisata.ID || needs[2].Sector != nil {
		t.Fatalf("needs: %+v", needs)
	}
	if n := needs[0]; n.Reports != 3 || n.Applications != 0 || len(n.Categories) != 2 || n.Categories[0].Code != "jalan" || n.Categories[0].N != 2 {
		t.Errorf("infrastructure: %+v", n)
	}
	if n := needs[1]; n.Reports != 0 || n.Applications != 7 {
		t.Errorf("tourism: %+v", n)
	}
	if n := needs[2]; n.Reports != 1 || n.Applications != 0 || n.Categories[0].Code != "sampah" {
		t.Errorf("unmapped: %+v", n)
	}
}
