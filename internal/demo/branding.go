package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/notify"
)

// brandingSetting marks a database whose demo branding is seeded.
const brandingSetting = "demo.branding"

// demoUpdate is a progress note some days after a program started, with
// the indicator's value then (negative for none).
type demoUpdate struct {
	after int
	text  string
	value float64
}

type demoProgram struct {
	name, description, target, indicator, unit string
	targetValue, currentValue                  float64
	budget                                     int64
	// startsIn is the start in days from today (negative: in the past);
	// lasts is the length in days.
	startsIn, lasts int
	status          pendopo.ProgramStatus
	updates         []demoUpdate
}

type demoSector struct {
	slug, name, rationale string
	programs              []demoProgram
	// reports and services are the categories mapped to the sector.
	reports, services []string
}

// demoBranding is the illustrative branding of the two demo kota, written
// by the Pendopo team: Semarang as a port and trading city with its Kota
// Lama, Surakarta as a city of batik, court culture and young creative
// work. Some categories are left unmapped on purpose, so that the needs
// panel shows what no sector answers.
var demoBranding = map[string][]demoSector{
	"33.74": {
		{slug: "perdagangan-maritim", name: "Perdagangan dan Kemaritiman",
			rationale: "Semarang tumbuh sebagai kota pelabuhan dan pasar. Pelabuhan Tanjung Emas dan pasar-pasar besar menghidupi ribuan pedagang kecil; warga meminta pasar yang tertata dan izin usaha yang mudah.",
			reports:   []string{"pelayanan-publik"}, services: []string{"perdagangan-umkm", "perizinan"},
			programs: []demoProgram{
				{name: "Penataan los pedagang Pasar Johar", description: "Pedagang yang sempat direlokasi kembali ke los yang tertata, dengan jalur evakuasi dan los kuliner.",
					target: "Seluruh pedagang lama kembali berjualan sebelum akhir tahun.", indicator: "Pedagang menempati los baru", unit: "pedagang",
					targetValue: 2400, currentValue: 1650, budget: 18_500_000_000, startsIn: -320, lasts: 360, status: pendopo.ProgramRunning,
					updates: []demoUpdate{{60, "Pengundian los tahap pertama selesai, disaksikan paguyuban pedagang.", 700}, {200, "Tahap kedua menempati blok timur; los kuliner dibuka sore hari.", 1650}}},
				{name: "Klinik ekspor UMKM pesisir", description: "Pendampingan kemasan, sertifikasi dan pencarian pembeli untuk UMKM olahan hasil laut.",
					target: "UMKM pesisir mengirim produk ke luar negeri secara mandiri.", indicator: "UMKM dampingan yang mulai ekspor", unit: "UMKM",
					targetValue: 60, currentValue: 14, budget: 1_200_000_000, startsIn: -240, lasts: 365, status: pendopo.ProgramRunning,
					updates: []demoUpdate{{45, "Angkatan pertama, 30 UMKM, mengikuti kelas kemasan dan label.", -1}, {180, "Empat belas UMKM menerima pesanan pertama dari pembeli luar negeri.", 14}}},
			}},
		{slug: "pariwisata-kota-lama", name: "Pariwisata Warisan Kota Lama",
			rationale: "Kota Lama, Lawang Sewu dan kawasan pecinan adalah cerita yang membedakan Semarang. Wisata sejarah membuka kerja bagi pemandu, pedagang kuliner dan perajin dari kampung sekitar.",
			reports:   []string{"taman-fasum"}, services: []string{"kebudayaan-pariwisata"},
			programs: []demoProgram{
				{name: "Festival Kota Lama sepanjang tahun", description: "Agenda bulanan musik, pasar seni dan tur malam di kawasan Kota Lama.",
					target: "Kunjungan ke Kota Lama naik seperempat dibanding tahun lalu.", indicator: "Kunjungan wisatawan ke Kota Lama", unit: "kunjungan",
					targetValue: 1_500_000, currentValue: 1_120_000, budget: 3_750_000_000, startsIn: -330, lasts: 365, status: pendopo.ProgramRunning,
					updates: []demoUpdate{{90, "Tur malam bangunan tua mulai rutin setiap Sabtu.", 380_000}, {240, "Pasar seni bulanan diikuti 85 perajin dari kampung sekitar.", 1_120_000}}},
				{name: "Pemandu warga bersertifikat", description: "Pelatihan dan sertifikasi pemandu wisata dari warga kampung di sekitar Kota Lama.",
					target: "Setiap rute jalan kaki punya pemandu dari warga setempat.", indicator: "Pemandu warga bersertifikat", unit: "orang",
					targetValue: 120, currentValue: 120, budget: 450_000_000, startsIn: -300, lasts: 210, status: pendopo.ProgramDone,
					updates: []demoUpdate{{150, "Uji kompetensi angkatan kedua selesai; seluruh peserta lulus.", 120}}},
			}},
		{slug: "kota-tangguh-air", name: "Kota Tangguh Air",
			rationale: "Banjir dan rob di pesisir utara adalah keluhan warga yang paling sering. Dagang dan wisata hanya bertahan bila kawasan kota kering, bersih dan aman.",
			reports:   []string{"drainase-banjir", "air-bersih", "lingkungan"}, services: []string{"lingkungan"},
			programs: []demoProgram{
				{name: "Normalisasi saluran kawasan pesisir", description: "Pengerukan dan pelebaran saluran serta penambahan pompa di kawasan yang paling sering tergenang rob.",
					target: "Genangan rob surut dalam enam jam.", indicator: "Panjang saluran dinormalisasi", unit: "km",
					targetValue: 12.5, currentValue: 4.2, budget: 27_000_000_000, startsIn: -200, lasts: 365, status: pendopo.ProgramRunning,
					updates: []demoUpdate{{40, "Pengerukan ruas pertama dimulai; warga diberi tahu jadwal penutupan jalan.", 0.8}, {150, "Dua pompa baru beroperasi; ruas kedua selesai.", 4.2}}},
				{name: "Rencana siaga banjir tingkat RT", description: "Pendampingan RT di kawasan rawan untuk menyusun jalur evakuasi dan kontak darurat.",
					target: "Setiap RT di kawasan rawan punya rencana siaga.", indicator: "RT dengan rencana siaga banjir", unit: "RT",
					targetValue: 300, currentValue: 0, budget: 600_000_000, startsIn: 35, lasts: 180, status: pendopo.ProgramPlanned},
			}},
	},
	"33.72": {
		{slug: "batik-kriya", name: "Batik dan Kriya",
			rationale: "Laweyan dan Kauman adalah kampung batik yang hidup dari usaha keluarga. Menjaga batik berarti menjaga penghasilan ribuan perajin, banyak di antaranya pembatik perempuan, dan menjaga sungai dari limbah pewarna.",
			reports:   []string{"lingkungan"}, services: []string{"ketenagakerjaan"},
			programs: []demoProgram{
				{name: "Sertifikasi mutu untuk UMKM batik", description: "Pendampingan UMKM batik tulis dan cap sampai memperoleh sertifikat mutu dan label asal.",
					target: "Pembeli dapat membedakan batik Solo asli dari tiruan.", indicator: "UMKM batik bersertifikat", unit: "UMKM",
					targetValue: 150, currentValue: 64, budget: 900_000_000, startsIn: -280, lasts: 365, status: pendopo.ProgramRunning,
					updates: []demoUpdate{{70, "Empat puluh UMKM dari Laweyan lolos audit pertama.", 40}, {210, "Gelombang kedua dari Kauman menerima sertifikat.", 64}}},
				{name: "Regenerasi pembatik muda", description: "Kelas membatik di sanggar kampung untuk lulusan SMK dan pemuda setempat, dengan magang di usaha batik.",
					target: "Pembatik muda bekerja di usaha batik kampungnya.", indicator: "Pembatik muda lulus pelatihan", unit: "orang",
					targetValue: 400, currentValue: 180, budget: 1_100_000_000, startsIn: -260, lasts: 540, status: pendopo.ProgramRunning,
					updates: []demoUpdate{{120, "Angkatan pertama lulus; separuhnya langsung magang.", 180}}},
			}},
		{slug: "budaya-pertunjukan", name: "Budaya dan Pertunjukan",
			rationale: "Keraton, Pura Mangkunegaran dan panggung wayang orang membuat Solo dikenal sebagai kota budaya. Acara budaya menghidupkan ruang kota dan membawa rezeki bagi pedagang di sekitarnya.",
			reports:   []string{"taman-fasum", "ketertiban"}, services: []string{"kebudayaan-pariwisata"},
			programs: []demoProgram{
				{name: "Kalender acara budaya kota", description: "Satu kalender untuk festival, kirab dan pentas yang diumumkan setahun sebelumnya.",
					target: "Penonton acara budaya naik dan tersebar sepanjang tahun.", indicator: "Penonton acara budaya", unit: "orang",
					targetValue: 250_000, currentValue: 205_000, budget: 5_200_000_000, startsIn: -330, lasts: 365, status: pendopo.ProgramRunning,
					updates: []demoUpdate{{100, "Festival payung di taman kota ramai dikunjungi keluarga.", 90_000}, {260, "Pentas wayang orang malam Minggu selalu penuh.", 205_000}}},
				{name: "Pemugaran gedung pertunjukan wayang orang", description: "Perbaikan atap, tata suara dan kursi penonton gedung pertunjukan tradisional.",
					target: "Gedung layak dan aman untuk pentas rutin.", indicator: "Kemajuan fisik pemugaran", unit: "persen",
					targetValue: 100, currentValue: 15, budget: 14_000_000_000, startsIn: -150, lasts: 300, status: pendopo.ProgramOnHold,
					updates: []demoUpdate{{60, "Pekerjaan dihentikan sementara menunggu kajian tim ahli cagar budaya.", 15}}},
			}},
		{slug: "ekonomi-kreatif", name: "Ekonomi Kreatif",
			rationale: "Anak muda Solo bekerja di kuliner, desain, film dan aplikasi. Ruang berkarya, pendampingan dan akses modal membuat mereka tetap membangun usaha di kotanya sendiri.",
			reports:   nil, services: []string{"perdagangan-umkm", "perizinan"},
			programs: []demoProgram{
				{name: "Inkubasi usaha kreatif", description: "Enam bulan pendampingan usaha kreatif di ruang kreatif milik kota, dengan mentor dan temu investor.",
					target: "Usaha kreatif lulus inkubasi dan bertahan setahun.", indicator: "Usaha kreatif lulus inkubasi", unit: "usaha",
					targetValue: 80, currentValue: 35, budget: 2_400_000_000, startsIn: -230, lasts: 480, status: pendopo.ProgramRunning,
					updates: []demoUpdate{{180, "Angkatan pertama, 35 usaha, lulus dan tampil di hari temu investor.", 35}}},
				{name: "Pasar kuliner malam nontunai", description: "Pendampingan pedagang pasar kuliner malam memakai pembayaran nontunai dan pencatatan sederhana.",
					target: "Semua pedagang menerima pembayaran nontunai.", indicator: "Pedagang memakai pembayaran nontunai", unit: "pedagang",
					targetValue: 200, currentValue: 200, budget: 350_000_000, startsIn: -320, lasts: 150, status: pendopo.ProgramDone,
					updates: []demoUpdate{{30, "Sosialisasi kepada paguyuban pedagang.", 60}, {140, "Seluruh pedagang sudah memasang kode pembayaran.", 200}}},
			}},
	},
}

// SeedBranding gives the demo kota illustrative priority sectors, two
// programs each with a few progress updates (no photos), and a mapping of
// categories to sectors, through the same use cases region admins use.
// It runs once per database.
func SeedBranding(ctx context.Context, a *app.App) (bool, error) {
	if _, err := a.Store().Setting(ctx, brandingSetting); err == nil {
		return false, nil
	} else if !errors.Is(err, pendopo.ErrNotFound) {
		return false, err
	}
	ctx = notify.Quiet(ctx)
	now := a.Now()
	for _, region := range []string{"33.74", "33.72"} {
		today := pendopo.DayOf(now, pendopo.RegionZone(region))
		var links []pendopo.SectorLink
		for i, ds := range demoBranding[region] {
			sec, err := a.SaveSector(ctx, pendopo.System, pendopo.Sector{Region: region, Slug: ds.slug, Name: ds.name, Rationale: ds.rationale, Position: (i + 1) * 10})
			if err != nil {
				return false, fmt.Errorf("seed sector %s of %s: %w", ds.slug, region, err)
			}
			for _, dp := range ds.programs {
				start := today + pendopo.Day(dp.startsIn)
				first := dp.currentValue
				if len(dp.updates) > 0 {
					first = 0
				}
				prog, err := a.SaveProgram(ctx, pendopo.System, pendopo.Program{Region: region, SectorID: sec.ID, Name: dp.name,
					Description: dp.description, Target: dp.target, Indicator: dp.indicator, Unit: dp.unit, TargetValue: dp.targetValue,
					CurrentValue: first, Budget: dp.budget, Start: start, End: start + pendopo.Day(dp.lasts), Status: dp.status})
				if err != nil {
					return false, fmt.Errorf("seed program %q of %s: %w", dp.name, region, err)
				}
				for _, du := range dp.updates {
					u := pendopo.ProgramUpdate{ProgramID: prog.ID, Day: min(start+pendopo.Day(du.after), today), Text: du.text}
					if du.value >= 0 {
						v := du.value
						u.Value = &v
					}
					if _, err := a.AddProgramUpdate(ctx, pendopo.System, region, u, nil); err != nil {
						return false, fmt.Errorf("seed an update of %q: %w", dp.name, err)
					}
				}
			}
			for _, c := range ds.reports {
				links = append(links, pendopo.SectorLink{Kind: pendopo.KindReportCategory, Category: c, SectorID: sec.ID})
			}
			for _, c := range ds.services {
				links = append(links, pendopo.SectorLink{Kind: pendopo.KindServiceCategory, Category: c, SectorID: sec.ID})
			}
		}
		if err := a.SetSectorLinks(ctx, pendopo.System, region, links); err != nil {
			return false, fmt.Errorf("seed the category mapping of %s: %w", region, err)
		}
	}
	return true, a.Store().PutSetting(ctx, brandingSetting, now.UTC().Format(time.RFC3339))
}
