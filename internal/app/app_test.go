package app_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store"
)

var ctx = context.Background()

func kind(err error) pendopo.ErrorKind { return pendopo.KindOf(err) }

func TestDemoLoad(t *testing.T) {
	a := demoApp(t)
	if again, err := demo.Load(ctx, a); err != nil || again {
		t.Fatalf("second load: %v %v", again, err)
	}
	for _, code := range []string{"33.74", "33.22", "33.72"} {
		h, err := a.RegionHome(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if h.Region.ServiceCount < 40 || len(h.Agencies) < 8 {
			t.Errorf("%s: %d services in %d agencies, want ≥ 40 in ≥ 8", code, h.Region.ServiceCount, len(h.Agencies))
		}
		if h.Stale == 0 {
			t.Errorf("%s: no service flagged for review", code)
		}
		if h.Region.Profile.LogoHash == "" || h.Region.Profile.Color == "" {
			t.Errorf("%s: profile without logo or colour: %+v", code, h.Region.Profile)
		}
	}
	c, err := a.Compare(ctx, "ktp-el", pendopo.SortDuration, false)
	if err != nil {
		t.Fatal(err)
	}
	regions := map[string]bool{}
	for _, s := range c.Services {
		regions[s.RegionCode] = true
	}
	if len(regions) < 3 {
		t.Errorf("ktp-el compares %d regions, want 3", len(regions))
	}
	if kinds := a.ComparableKinds(); len(kinds) < 35 {
		t.Errorf("%d comparable kinds, want ≥ 35", len(kinds))
	}
}

func TestServiceView(t *testing.T) {
	a := demoApp(t)
	res, _ := a.Search(ctx, "akta kelahiran", "33.74", pendopo.Page{PerPage: 1})
	id := res.Hits[0].ID
	v, err := a.ServiceView(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if v.Region.Code != "33.74" || v.Parent == nil || v.Parent.Code != "33" || v.Agency.Slug == "" || len(v.Points) == 0 || len(v.Versions) == 0 || v.Kind.Code != "akta-kelahiran" {
		t.Fatalf("view: region %s parent %v agency %q points %d versions %d kind %q", v.Region.Code, v.Parent, v.Agency.Slug, len(v.Points), len(v.Versions), v.Kind.Code)
	}
	// A change through the app is visible at once: no stale cache.
	c := v.Service.ServiceContent
	c.Name = "Penerbitan Akta Kelahiran (Baru)"
	if _, err := a.UpdateService(ctx, pendopo.System, id, app.ServiceWrite{Content: c, Note: "nama", Publish: true}); err != nil {
		t.Fatal(err)
	}
	v2, _ := a.ServiceView(ctx, id)
	if v2.Service.Name != c.Name || len(v2.Versions) != len(v.Versions)+1 {
		t.Errorf("after update: %q, %d versions", v2.Service.Name, len(v2.Versions))
	}
	res, _ = a.Search(ctx, "akta kelahiran baru", "33.74", pendopo.Page{PerPage: 1})
	if res.Hits[0].Name != c.Name {
		t.Errorf("search shows %q after rename", res.Hits[0].Name)
	}
	// A draft is not public.
	c.Name = "Draf"
	if _, err := a.UpdateService(ctx, pendopo.System, id, app.ServiceWrite{Content: c}); err != nil {
		t.Fatal(err)
	}
	if v3, _ := a.ServiceView(ctx, id); v3.Service.Name == "Draf" {
		t.Error("draft shown publicly")
	}
	if e, _ := a.ServiceForEdit(ctx, pendopo.System, id); e.Name != "Draf" {
		t.Errorf("editor sees %q, want the draft", e.Name)
	}
	if _, err := a.ServiceView(ctx, 999999); kind(err) != pendopo.KindNotFound {
		t.Errorf("unknown service: %v", err)
	}
}

// TestAuthorization checks that region-scoped actors write only their
// region (and a province's actors its kabupaten/kota).
func TestAuthorization(t *testing.T) {
	a := demoApp(t)
	res, _ := a.Search(ctx, "ktp", "33.72", pendopo.Page{PerPage: 1})
	solo, _ := a.ServiceForEdit(ctx, pendopo.System, res.Hits[0].ID)
	semarang := pendopo.Actor{Name: "admin semarang", UserID: 1, Roles: []pendopo.Role{{Kind: pendopo.RoleRegionAdmin, Region: "33.74"}}}
	jateng := pendopo.Actor{Name: "token jateng", TokenID: 1, Region: "33"}
	w := app.ServiceWrite{Content: solo.ServiceContent, Publish: true}
	cases := []struct {
		name string
		err  error
	}{
		{"semarang edits surakarta", func() error { _, err := a.UpdateService(ctx, semarang, solo.ID, w); return err }()},
		{"semarang publishes surakarta", func() error { _, err := a.PublishService(ctx, semarang, solo.ID, 0, ""); return err }()},
		{"semarang reviews surakarta", func() error { _, err := a.ReviewService(ctx, semarang, solo.ID); return err }()},
		{"semarang edits surakarta profile", func() error {
			_, err := a.UpdateRegion(ctx, semarang, "33.72", "", pendopo.RegionProfile{}, nil)
			return err
		}()},
		{"semarang adds agency in surakarta", func() error {
			_, err := a.SaveAgency(ctx, semarang, pendopotest.Agency("33.72", "x", "X"))
			return err
		}()},
		{"semarang imports surakarta", func() error {
			_, err := a.Import(ctx, semarang, pendopo.Bundle{Format: pendopo.BundleFormat, Region: "33.72"}, false)
			return err
		}()},
		{"region admin edits synonyms", a.SetSynonyms(ctx, semarang, "a, b")},
	}
	for _, c := range cases {
		if kind(c.err) != pendopo.KindForbidden {
			t.Errorf("%s: %v, want forbidden", c.name, c.err)
		}
	}
	if _, err := a.UpdateService(ctx, jateng, solo.ID, w); err != nil {
		t.Errorf("province token edits its kota: %v", err)
	}
	if _, err := a.SaveAgency(ctx, semarang, pendopotest.Agency("33.74", "baru", "Dinas Baru")); err != nil {
		t.Errorf("semarang edits semarang: %v", err)
	}
}

func TestTokens(t *testing.T) {
	a := demoApp(t)
	tok, secret, err := a.CreateToken(ctx, pendopo.System, "ci", "33.74")
	if err != nil {
		t.Fatal(err)
	}
	if tok.Hash == secret || len(secret) < 30 {
		t.Fatalf("secret %q stored as %q", secret, tok.Hash)
	}
	who, err := a.Authenticate(ctx, secret)
	if err != nil || who.Region != "33.74" {
		t.Fatalf("authenticate: %+v %v", who, err)
	}
	for _, bad := range []string{"", "pdp_nope", secret + "x", "Bearer " + secret} {
		if _, err := a.Authenticate(ctx, bad); kind(err) != pendopo.KindUnauthorized {
			t.Errorf("authenticate %q: %v", bad, err)
		}
	}
	if err := a.RevokeToken(ctx, pendopo.System, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Authenticate(ctx, secret); kind(err) != pendopo.KindUnauthorized {
		t.Errorf("revoked token still works: %v", err)
	}
	if _, _, err := a.CreateToken(ctx, pendopo.System, "", "99.99"); kind(err) != pendopo.KindInvalid {
		t.Errorf("bad token request: %v", err)
	}
}

func TestImportAllOrNothing(t *testing.T) {
	a := demoApp(t)
	before, err := a.Export(ctx, "33.74")
	if err != nil {
		t.Fatal(err)
	}
	// Re-importing an export changes nothing.
	res, err := a.Import(ctx, pendopo.System, before, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Unchanged != len(before.Services) || res.Created+res.Updated != 0 {
		t.Errorf("re-import: %+v", res)
	}
	// One bad reference in the last service rolls back every change before it.
	b := before
	b.Agencies = append(slices.Clone(b.Agencies), pendopotest.Agency("", "dinas-baru", "Dinas Baru"))
	b.Services = slices.Clone(b.Services)
	b.Services[0].Name = "Nama yang diubah"
	bad := b.Services[len(b.Services)-1]
	bad.AgencySlug = "tidak-ada"
	b.Services[len(b.Services)-1] = bad
	_, err = a.Import(ctx, pendopo.System, b, false)
	if kind(err) != pendopo.KindInvalid {
		t.Fatalf("import with a bad reference: %v", err)
	}
	want := "services[" + itoa(len(b.Services)-1) + "].agency"
	if paths := app.FieldPaths(err); !slices.Contains(paths, want) {
		t.Errorf("error paths %v, want %s", paths, want)
	}
	after, _ := a.Export(ctx, "33.74")
	if len(after.Agencies) != len(before.Agencies) || after.Services[0].Name != before.Services[0].Name {
		t.Error("failed import left changes behind")
	}
}

func itoa(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

// TestFollow runs two app instances on one database, as behind a load
// balancer: a change made through one is searchable on the other after it
// syncs.
func TestFollow(t *testing.T) {
	db := pendopotest.DB(t)
	clock := func() time.Time { return now }
	cfg, _ := apptest.Config(db, now)
	cfg.Now = clock
	a1, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, a1); err != nil {
		t.Fatal(err)
	}
	a2, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := a2.Search(ctx, "akta kelahiran", "33.72", pendopo.Page{PerPage: 1})
	if len(res.Hits) == 0 {
		t.Fatal("second instance has no index")
	}
	id := res.Hits[0].ID
	v, _ := a2.ServiceView(ctx, id) // cached on a2
	s, _ := a1.ServiceForEdit(ctx, pendopo.System, id)
	s.Name = "Akta Kelahiran Kilat"
	if _, err := a1.UpdateService(ctx, pendopo.System, id, app.ServiceWrite{Content: s.ServiceContent, Publish: true}); err != nil {
		t.Fatal(err)
	}
	if err := a2.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	res, _ = a2.Search(ctx, "kilat", "", pendopo.Page{PerPage: 1})
	if len(res.Hits) == 0 || res.Hits[0].ID != id {
		t.Errorf("second instance did not pick up the change: %+v", res.Hits)
	}
	if v2, _ := a2.ServiceView(ctx, id); v2.Service.Name != s.Name || v2 == v {
		t.Errorf("second instance serves a stale page: %q", v2.Service.Name)
	}
	// Synonyms saved on one instance reach the other.
	if err := a1.SetSynonyms(ctx, pendopo.System, "kilat, ekspres"); err != nil {
		t.Fatal(err)
	}
	a2.Sync(ctx)
	if res, _ := a2.Search(ctx, "ekspres", "", pendopo.Page{}); len(res.Hits) == 0 || res.Hits[0].ID != id {
		t.Errorf("synonym from the other instance not applied")
	}
}

// TestFollowOtherWrites: a write another process made to the database
// outside the catalog (a report, branding, figures) changes the data
// version at the next sync, so that pages assembled from the old data
// are retired; a sync that finds nothing new, and this instance's own
// writes (which retire pages as they are made), do not.
func TestFollowOtherWrites(t *testing.T) {
	dir := t.TempDir()
	open := func() *store.DB {
		db, err := store.Open(ctx, "", dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db := open()
	cfg, _ := apptest.Config(db, now)
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	v := a.DataVersion()
	if err := a.Sync(ctx); err != nil || a.DataVersion() != v {
		t.Fatalf("a sync with nothing new: version %d, was %d (%v)", a.DataVersion(), v, err)
	}
	if err := db.PutSetting(ctx, "mine", "1"); err != nil {
		t.Fatal(err)
	}
	if a.Sync(ctx); a.DataVersion() != v {
		t.Errorf("own write changed the version")
	}
	if err := open().PutSetting(ctx, "theirs", "1"); err != nil {
		t.Fatal(err)
	}
	if err := a.Sync(ctx); err != nil || a.DataVersion() == v {
		t.Errorf("another process's write left the version at %d (%v)", v, err)
	}
}

func TestSetSynonymsErrors(t *testing.T) {
	a := demoApp(t)
	err := a.SetSynonyms(ctx, pendopo.System, "ktp, kartu\nsendiri\n")
	var e *pendopo.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Line != 2 {
		t.Fatalf("err = %v", err)
	}
	if s, _ := a.Synonyms(ctx); s != "" {
		t.Errorf("invalid rules were saved: %q", s)
	}
}
