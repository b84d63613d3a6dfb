package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// now is the fixed clock of app tests.
var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func demoApp(t testing.TB) *app.App {
	t.Helper()
	ctx := context.Background()
	cfg, _ := apptest.Config(pendopotest.DB(t), now)
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSearchQuality is a table of what citizens type and the service that
// must come first. Queries are written the way people search: chat
// spellings, abbreviations, old names, typos.
func TestSearchQuality(t *testing.T) {
	a := demoApp(t)
	tests := []struct {
		q, region, first string
	}{
		{"bikin ktp", "33.74", "penerbitan-ktp-el"},
		{"buat ktp baru", "33.74", "penerbitan-ktp-el"},
		{"pembuatan KTP", "33.72", ""}, // any KTP-el service; checked by kind below
		{"kartu tanda penduduk", "33.74", "penerbitan-ktp-el"},
		{"e-KTP hilang", "33.74", "penggantian-ktp-el"},
		{"ktp rusak", "33.74", "penggantian-ktp-el"},
		{"akte lahir", "33.74", "penerbitan-akta-kelahiran"},
		{"akta kelahiran anak", "33.74", "penerbitan-akta-kelahiran"},
		{"syarat akte kelahiran", "33.74", "penerbitan-akta-kelahiran"},
		{"kelahrian", "33.74", "penerbitan-akta-kelahiran"},
		{"akta kematian", "33.74", "penerbitan-akta-kematian"},
		{"surat kematian dari kelurahan", "33.74", "surat-keterangan-kematian"},
		{"kk", "33.74", "penerbitan-kk-baru"},
		{"kartu keluarga", "33.74", "penerbitan-kk-baru"},
		{"tambah anggota kk", "33.74", "perubahan-data-kk"},
		{"kia", "33.74", "penerbitan-kia"},
		{"ktp anak", "33.74", "penerbitan-kia"},
		{"nikah", "33.74", "pencatatan-perkawinan"},
		{"cerai", "33.74", "pencatatan-perceraian"},
		{"surat pindah", "33.74", "surat-pindah-keluar"},
		{"pindah datang", "33.74", "pendaftaran-pindah-datang"},
		{"imb", "33.74", "persetujuan-bangunan-gedung"},
		{"izin mendirikan bangunan", "33.74", "persetujuan-bangunan-gedung"},
		{"pbg", "33.74", "persetujuan-bangunan-gedung"},
		{"slf", "33.74", "sertifikat-laik-fungsi"},
		{"izin usaha", "33.74", "pendampingan-nib-oss"},
		{"siup", "33.74", "pendampingan-nib-oss"},
		{"nib", "33.74", "pendampingan-nib-oss"},
		{"pirt", "33.74", "sertifikat-spp-irt"},
		{"izin jualan makanan rumahan", "33.74", "sertifikat-spp-irt"},
		{"pasang baliho", "33.74", "izin-reklame"},
		{"pbb", "33.74", "pembayaran-pbb-p2"},
		{"bayar pajak bumi bangunan", "33.74", "pembayaran-pbb-p2"},
		{"bphtb", "33.74", "validasi-bphtb"},
		{"pajak motor", "33.74", "pkb-tahunan"},
		{"balik nama motor bekas", "33.74", "balik-nama-kendaraan-bekas"},
		{"skck", "33.74", "surat-pengantar-skck"},
		{"surat kelakuan baik", "33.74", "surat-pengantar-skck"},
		{"sktm", "33.74", "surat-keterangan-tidak-mampu"},
		{"surat miskin", "33.74", "surat-keterangan-tidak-mampu"},
		{"surat keterangan domisili", "33.74", "surat-keterangan-domisili"},
		{"sku", "33.74", "surat-keterangan-usaha"},
		{"ahli waris", "33.74", "surat-keterangan-ahli-waris"},
		{"kartu kuning", "33.74", "kartu-pencari-kerja"},
		{"ak1", "33.74", "kartu-pencari-kerja"},
		{"uji kir", "33.74", "uji-berkala-kendaraan"},
		{"surat sehat", "33.74", "surat-keterangan-sehat"},
		{"berobat puskesmas", "33.74", "rawat-jalan-puskesmas"},
		{"imunisasi bayi", "33.74", "imunisasi-rutin-anak"},
		{"bansos", "33.74", "usulan-dtsen"},
		{"ijasah hilang", "33.74", "pengganti-ijazah-sd-smp"},
		{"legalisir ijazah sma", "33.74", "legalisir-ijazah-sma"},
		{"daftar sekolah smp", "33.74", "spmb-sd-smp"},
		{"makam", "33.74", "izin-penggunaan-tanah-makam"},
		{"sedot wc", "33.74", "penyedotan-lumpur-tinja"},
		{"kebakaran", "33.74", "pemadaman-kebakaran-penyelamatan"},
		{"timbangan", "33.74", "tera-ulang-uttp"},
		{"perpus", "33.74", "keanggotaan-perpustakaan"},
		{"informasi publik", "33.74", "permohonan-informasi-publik"},
		{"lapor keluhan", "33.74", "pengaduan-pelayanan-publik"},
		{"izin penelitian", "33.74", "surat-keterangan-penelitian"},
		{"sewa rusun", "33.74", "pendaftaran-penghuni-rusunawa"},
		{"sertifkat laik fungsi", "33.74", "sertifikat-laik-fungsi"},
	}
	for _, tt := range tests {
		res, err := a.Search(context.Background(), tt.q, tt.region, pendopo.Page{PerPage: 5})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Slug)
		}
		switch {
		case len(res.Hits) == 0:
			t.Errorf("%q in %s: nothing found, want %s", tt.q, tt.region, tt.first)
		case tt.first == "":
			if res.Hits[0].Kind != "ktp-el" {
				t.Errorf("%q in %s: first is %s (%s), want a KTP-el service", tt.q, tt.region, got[0], res.Hits[0].Kind)
			}
		case got[0] != tt.first:
			t.Errorf("%q in %s: got %v, want %s first", tt.q, tt.region, got, tt.first)
		}
	}
}
