package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// testBranding stores sectors, programs, updates and the category
// mapping of two regions, keeps each region's rows to itself, orders the
// lists, and refuses a taken slug and another region's sector.
func testBranding(t *testing.T, s pendopo.Store) {
	t0, t1 := pendopotest.T0, pendopotest.T0.Add(time.Hour)
	if l := must(s.Sectors(ctx, "33.74"))(t); len(l) != 0 {
		t.Fatalf("sectors before any: %v", l)
	}
	save := func(sec pendopo.Sector) pendopo.Sector {
		t.Helper()
		return must(s.SaveSector(ctx, sec, t0))(t)
	}
	wisata := save(pendopo.Sector{Region: "33.74", Slug: "pariwisata", Name: "Pariwisata", Rationale: "Kota lama.", Position: 2})
	dagang := save(pendopo.Sector{Region: "33.74", Slug: "perdagangan", Name: "Perdagangan", Position: 1})
	batik := save(pendopo.Sector{Region: "33.72", Slug: "batik", Name: "Batik", Position: 1})
	if wisata.ID == 0 || wisata.ID == dagang.ID || !wisata.CreatedAt.Equal(t0) {
		t.Fatalf("saved sector: %+v", wisata)
	}
	// The same slug in the same region is a conflict; in another region
	// it is another sector.
	_, err := s.SaveSector(ctx, pendopo.Sector{Region: "33.74", Slug: "pariwisata", Name: "Lagi"}, t0)
	wantKind(t, err, pendopo.KindConflict)
	save(pendopo.Sector{Region: "33.72", Slug: "pariwisata", Name: "Pariwisata Solo", Position: 2})
	// An update keeps the creation time; one of another region is not found.
	wisata.Rationale, wisata.Position = "Kota Lama dan pelabuhan.", 0
	up := must(s.SaveSector(ctx, wisata, t1))(t)
	if !up.CreatedAt.Equal(t0) || !up.UpdatedAt.Equal(t1) {
		t.Errorf("updated sector times: %+v", up)
	}
	_, err = s.SaveSector(ctx, pendopo.Sector{ID: batik.ID, Region: "33.74", Slug: "batik", Name: "Batik"}, t1)
	wantKind(t, err, pendopo.KindNotFound)
	sectors := must(s.Sectors(ctx, "33.74"))(t)
	if len(sectors) != 2 || sectors[0].Slug != "pariwisata" || sectors[1].Slug != "perdagangan" || sectors[0].Rationale != "Kota Lama dan pelabuhan." {
		t.Fatalf("sectors by position: %+v", sectors)
	}

	prog := func(sector int64, region, name string, start pendopo.Day) pendopo.Program {
		return pendopo.Program{Region: region, SectorID: sector, Name: name, Description: "Uraian.", Target: "Naik dua kali.",
			Indicator: "Wisatawan", Unit: "orang", TargetValue: 1000, CurrentValue: 250, Budget: 1_500_000_000,
			Start: start, End: start + 365, Status: pendopo.ProgramRunning}
	}
	d := pendopo.DateDay(2026, 1, 5)
	p1 := must(s.SaveProgram(ctx, prog(dagang.ID, "33.74", "Pasar Johar", d), t0))(t)
	p2 := must(s.SaveProgram(ctx, prog(wisata.ID, "33.74", "Festival Kota Lama", d+30), t0))(t)
	p3 := must(s.SaveProgram(ctx, prog(wisata.ID, "33.74", "Jalur sepeda", d), t0))(t)
	must(s.SaveProgram(ctx, prog(batik.ID, "33.72", "Kampung Batik Laweyan", d), t0))(t)
	// A sector of another region cannot hold this region's program.
	_, err = s.SaveProgram(ctx, prog(batik.ID, "33.74", "Salah", d), t0)
	if err == nil {
		t.Fatal("a program of 33.74 under a sector of 33.72 was stored")
	}
	got := must(s.Programs(ctx, "33.74"))(t)
	ids := []int64{}
	for _, p := range got {
		ids = append(ids, p.ID)
	}
	if !slices.Equal(ids, []int64{p3.ID, p2.ID, p1.ID}) {
		t.Fatalf("programs in sector order, then start: %v, want %v", ids, []int64{p3.ID, p2.ID, p1.ID})
	}
	if g := got[2]; g.Budget != 1_500_000_000 || g.Start != d || g.End != d+365 || g.TargetValue != 1000 || g.CurrentValue != 250 ||
		g.Status != pendopo.ProgramRunning || g.Indicator != "Wisatawan" || g.Unit != "orang" || !g.CreatedAt.Equal(t0) {
		t.Errorf("program round trip: %+v", g)
	}
	p1.CurrentValue, p1.Status = 600, pendopo.ProgramDone
	must(s.SaveProgram(ctx, p1, t1))(t)
	if g := must(s.Program(ctx, "33.74", p1.ID))(t); g.CurrentValue != 600 || g.Status != pendopo.ProgramDone || !g.CreatedAt.Equal(t0) || !g.UpdatedAt.Equal(t1) {
		t.Errorf("updated program: %+v", g)
	}
	_, err = s.Program(ctx, "33.72", p1.ID)
	wantKind(t, err, pendopo.KindNotFound)
	_, err = s.SaveProgram(ctx, pendopo.Program{ID: p1.ID, Region: "33.72", SectorID: batik.ID, Name: "x", Status: pendopo.ProgramPlanned}, t1)
	wantKind(t, err, pendopo.KindNotFound)

	v := 400.0
	u1 := must(s.AddProgramUpdate(ctx, pendopo.ProgramUpdate{ProgramID: p1.ID, Day: d + 10, Text: "Los pasar dibuka.", CreatedAt: t0}))(t)
	u2 := must(s.AddProgramUpdate(ctx, pendopo.ProgramUpdate{ProgramID: p1.ID, Day: d + 40, Text: "Pedagang kembali.", Value: &v,
		Photo: "ab", PhotoMedia: pendopo.MediaJPEG, PhotoSize: 1234, PhotoAlt: "Los pasar yang ramai.", CreatedAt: t1}))(t)
	u3 := must(s.AddProgramUpdate(ctx, pendopo.ProgramUpdate{ProgramID: p2.ID, Day: d + 20, Text: "Panggung disiapkan.", CreatedAt: t1}))(t)
	all := must(s.ProgramUpdates(ctx, "33.74", 0))(t)
	if len(all) != 3 || all[0].ID != u2.ID || all[1].ID != u3.ID || all[2].ID != u1.ID {
		t.Fatalf("updates newest first: %+v", all)
	}
	if g := all[0]; g.Value == nil || *g.Value != 400 || g.Photo != "ab" || g.PhotoMedia != pendopo.MediaJPEG || g.PhotoSize != 1234 ||
		g.PhotoAlt != "Los pasar yang ramai." || !g.CreatedAt.Equal(t1) || g.Day != d+40 {
		t.Errorf("update round trip: %+v", g)
	}
	if all[2].Value != nil {
		t.Errorf("an update without a value has %v", *all[2].Value)
	}
	if one := must(s.ProgramUpdates(ctx, "33.74", p2.ID))(t); len(one) != 1 || one[0].ID != u3.ID {
		t.Errorf("updates of one program: %+v", one)
	}
	if other := must(s.ProgramUpdates(ctx, "33.72", 0))(t); len(other) != 0 {
		t.Errorf("33.72 sees 33.74's updates: %+v", other)
	}

	links := []pendopo.SectorLink{
		{Kind: pendopo.KindReportCategory, Category: "jalan", SectorID: dagang.ID},
		{Kind: pendopo.KindServiceCategory, Category: "kebudayaan-pariwisata", SectorID: wisata.ID},
		{Kind: pendopo.KindReportCategory, Category: "taman-fasum", SectorID: wisata.ID},
	}
	if err := s.SetSectorLinks(ctx, "33.74", links); err != nil {
		t.Fatal(err)
	}
	gotLinks := must(s.SectorLinks(ctx, "33.74"))(t)
	if len(gotLinks) != 3 || gotLinks[0] != links[0] || gotLinks[1] != links[2] || gotLinks[2] != links[1] {
		t.Errorf("links by kind and category: %+v", gotLinks)
	}
	// Replacing drops what the new mapping leaves out; a sector of another
	// region is refused and leaves the mapping as it was.
	if err := s.SetSectorLinks(ctx, "33.74", links[:1]); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSectorLinks(ctx, "33.74", []pendopo.SectorLink{{Kind: pendopo.KindReportCategory, Category: "sampah", SectorID: batik.ID}}); err == nil {
		t.Error("a link to another region's sector was stored")
	}
	if l := must(s.SectorLinks(ctx, "33.74"))(t); len(l) != 1 || l[0] != links[0] {
		t.Errorf("links after replacing: %+v", l)
	}
	if l := must(s.SectorLinks(ctx, "33.72"))(t); len(l) != 0 {
		t.Errorf("33.72 links: %+v", l)
	}
	if err := s.SetSectorLinks(ctx, "33.74", nil); err != nil {
		t.Fatal(err)
	}
	if l := must(s.SectorLinks(ctx, "33.74"))(t); len(l) != 0 {
		t.Errorf("links after clearing: %+v", l)
	}
}
