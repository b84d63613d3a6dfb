package pendopotest

import (
	"context"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/data"
)

// T0 is the fixed time fixtures are created at.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Kinds are the service kinds fixtures use.
var Kinds = []pendopo.ServiceKind{
	{Code: "ktp-el", Name: pendopo.T("KTP-el", "ID card"), Category: "kependudukan", Weight: 1},
	{Code: "akta-kelahiran", Name: pendopo.T("Akta kelahiran", "Birth certificate"), Category: "kependudukan", Weight: 0.9},
	{Code: "pbg", Name: pendopo.T("Persetujuan Bangunan Gedung", "Building approval"), Category: "perizinan", Weight: 0.5},
}

// SeedNational loads all regions and the fixture kinds into s.
func SeedNational(t testing.TB, s pendopo.Store) {
	t.Helper()
	regions, err := data.Regions()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.SeedRegions(ctx, regions, T0); err != nil {
		t.Fatal(err)
	}
	if err := s.SeedServiceKinds(ctx, Kinds); err != nil {
		t.Fatal(err)
	}
}

// Content returns valid service content with the given slug, kind and agency.
func Content(slug, kind, agency string) pendopo.ServiceContent {
	return pendopo.ServiceContent{
		Slug:       slug,
		Kind:       kind,
		Name:       "Layanan " + slug,
		Summary:    "Ringkasan layanan " + slug + ".",
		AgencySlug: agency,
		Category:   "kependudukan",
		LifeEvents: []string{"kelahiran"},
		Channels:   []pendopo.Channel{pendopo.ChannelOffline},
		Standard: pendopo.Standard{
			Requirements: []string{"Kartu Keluarga", "Surat keterangan lahir"},
			Procedure:    []string{"Ambil nomor antrean", "Serahkan berkas", "Terima dokumen"},
			Duration:     pendopo.Duration{WorkingDays: 3},
			Fee:          pendopo.Fee{Type: pendopo.FeeFree, LegalBasis: "UU 24/2013 Pasal 79A"},
			Product:      "Dokumen " + slug,
			Complaints:   []string{"SP4N-LAPOR!"},
			LegalBasis:   []string{"UU 24/2013"},
		},
	}
}

// Agency returns a valid agency of region.
func Agency(region, slug, name string) pendopo.Agency {
	return pendopo.Agency{RegionCode: region, Slug: slug, Name: name, ShortName: slug}
}

// Change returns a change by author at t with note.
func Change(at time.Time, note string) pendopo.Change {
	return pendopo.Change{Author: "penguji", Note: note, At: at}
}
