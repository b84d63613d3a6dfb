package demo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/geo"
	"github.com/pendopo/pendopo/internal/notify"
)

// reportsSetting marks a database whose demo reports are seeded.
const reportsSetting = "demo.reports"

// demoBounds are rough map boxes of the demo kabupaten/kota.
var demoBounds = map[string]pendopo.Bounds{
	"33.74": {South: -7.12, West: 110.26, North: -6.93, East: 110.51},
	"33.72": {South: -7.60, West: 110.76, North: -7.52, East: 110.87},
	"33.22": {South: -7.50, West: 110.25, North: -7.05, East: 110.65},
}

// routeChoices lists, per category, the agencies that usually handle it,
// in order of preference; the first the region has wins, else its
// communications office (which coordinates complaints).
var routeChoices = map[string][]string{
	"jalan": {"disperkim", "disperum"}, "penerangan-jalan": {"dishub"}, "drainase-banjir": {"disperkim", "disperum"},
	"sampah": {"dlh"}, "air-bersih": {"disperkim", "disperum"}, "lalu-lintas": {"dishub"}, "taman-fasum": {"disperkim", "disperum", "dlh"},
	"lingkungan": {"dlh"}, "ketertiban": {"tapem", "bagpem"}, "kesehatan": {"dinkes"}, "pendidikan": {"disdik", "disdikbudpora"},
	"sosial": {"dinsos"}, "kependudukan": {"disdukcapil"},
}

// reportScenario is one seeded report and what happened to it.
type reportScenario struct {
	category, title, description string
	privacy                      pendopo.Privacy
	kind                         pendopo.ReportKind
	byCitizen                    bool // the demo citizen's account, else a contact without one
	daysAgo                      int
	steps                        []pendopo.ReportAction
	answer                       string
	rating                       int
	dlat, dlng                   float64 // offset from the box's centre
}

func reportScenarios() []reportScenario {
	answered := []pendopo.ReportAction{pendopo.ActReportVerify, pendopo.ActReportDispose, pendopo.ActReportAnswer}
	done := append(answered, pendopo.ActReportComplete)
	return []reportScenario{
		{"penerangan-jalan", "Lampu jalan mati di depan sekolah", "Tiga lampu penerangan jalan di depan SD mati sejak seminggu; anak-anak pulang les dalam gelap.",
			pendopo.PrivacyPublic, pendopo.ReportComplaint, true, 20, done, "Lampu sudah diganti dengan LED baru pada hari Kamis.", 5, 0.1, 0.1},
		{"jalan", "Jalan berlubang dekat pasar", "Lubang besar di jalan masuk pasar, sudah dua motor jatuh minggu ini.",
			pendopo.PrivacyAnonymous, pendopo.ReportComplaint, true, 12, done, "Lubang ditambal sementara; pengaspalan ulang masuk jadwal bulan depan.", 3, -0.2, 0.3},
		{"sampah", "Sampah menumpuk di TPS", "TPS di ujung gang belum diangkut lima hari dan mulai berbau.",
			pendopo.PrivacyPublic, pendopo.ReportComplaint, false, 6, answered, "Armada pengangkut dijadwalkan ulang; TPS diangkut setiap dua hari.", 0, 0.3, -0.2},
		{"drainase-banjir", "Saluran air tersumbat, jalan tergenang", "Setiap hujan satu jam jalan di depan rumah tergenang setinggi mata kaki karena saluran tertutup sampah.",
			pendopo.PrivacyPublic, pendopo.ReportComplaint, false, 4, []pendopo.ReportAction{pendopo.ActReportVerify, pendopo.ActReportDispose}, "", 0, -0.1, -0.3},
		{"pelayanan-publik", "Diminta biaya untuk surat pengantar", "Saat mengurus surat pengantar di kelurahan diminta membayar Rp50.000 tanpa kuitansi, padahal layanannya gratis.",
			pendopo.PrivacyConfidential, pendopo.ReportComplaint, true, 2, []pendopo.ReportAction{pendopo.ActReportVerify}, "", 0, 0.0, 0.0},
		{"taman-fasum", "Usul taman bermain di lahan kosong", "Lahan kosong milik pemerintah di RW 05 bisa dijadikan taman bermain anak dan tempat olahraga warga.",
			pendopo.PrivacyPublic, pendopo.ReportAspiration, true, 1, nil, "", 0, 0.2, 0.2},
		{"informasi-publik", "Permintaan data anggaran perbaikan jalan", "Mohon salinan rincian anggaran perbaikan jalan kecamatan tahun 2026.",
			pendopo.PrivacyPublic, pendopo.ReportInfoRequest, false, 9, []pendopo.ReportAction{pendopo.ActReportVerify, pendopo.ActReportDispose, pendopo.ActReportExtend}, "", 0, 0.15, -0.1},
		{"lainnya", "Tagihan listrik naik tiba-tiba", "Tagihan listrik rumah bulan ini dua kali lipat padahal pemakaian sama.",
			pendopo.PrivacyPublic, pendopo.ReportComplaint, false, 3, []pendopo.ReportAction{pendopo.ActReportReject}, "", 0, 0.25, -0.3},
		{"lalu-lintas", "Parkir liar menutup trotoar", "Mobil parkir di atas trotoar setiap sore sehingga pejalan kaki turun ke jalan.",
			pendopo.PrivacyAnonymous, pendopo.ReportComplaint, false, 0, nil, "", 0, -0.3, 0.1},
	}
}

// SeedReports gives the demo kabupaten/kota map boxes, routing of
// categories to agencies and reports in every state, with answers and
// ratings. It needs the demo accounts and runs once per database.
func SeedReports(ctx context.Context, a *app.App) (bool, error) {
	if _, err := a.Store().Setting(ctx, reportsSetting); err == nil {
		return false, nil
	} else if !errors.Is(err, pendopo.ErrNotFound) {
		return false, err
	}
	ctx = notify.Quiet(ctx)
	now := a.Now()
	defer a.SetClock(func() time.Time { return now })()
	warga, err := actorOf(ctx, a, "warga@pendopo.test")
	if err != nil {
		return false, fmt.Errorf("seed reports: the demo accounts are needed first: %w", err)
	}
	for _, region := range []string{"33.74", "33.72", "33.22"} {
		box := demoBounds[region]
		if err := a.SetRegionBounds(ctx, pendopo.System, region, &box); err != nil {
			return false, err
		}
		agencies, _, err := a.Agencies(ctx, region, pendopo.Page{PerPage: pendopo.MaxPerPage})
		if err != nil {
			return false, err
		}
		has := map[string]bool{}
		for _, ag := range agencies {
			has[ag.Slug] = true
		}
		for _, c := range pendopo.ReportCategories {
			agency := "diskominfo"
			for _, choice := range routeChoices[c.Code] {
				if has[choice] {
					agency = choice
					break
				}
			}
			if err := a.SetReportRoute(ctx, pendopo.System, region, c.Code, agency); err != nil {
				return false, err
			}
		}
		for i, sc := range reportScenarios() {
			if err := seedReport(ctx, a, region, box, sc, warga, now); err != nil {
				return false, fmt.Errorf("seed %s report %d: %w", region, i, err)
			}
		}
	}
	return true, a.Store().PutSetting(ctx, reportsSetting, now.UTC().Format(time.RFC3339))
}

// onLand moves a demo pin that the rough box put outside the region's
// boundary (in the sea, in the next kabupaten) inside it: to another
// point of the box drawn from the pin itself, so that the demo's own
// random sequence stays as it was, or else to the nearest kecamatan's
// name point.
func onLand(region string, box pendopo.Bounds, lat, lng float64) (float64, float64) {
	atlas := geo.Default()
	if !atlas.Known(region) || atlas.Contains(region, lat, lng) {
		return lat, lng
	}
	rng := rand.New(rand.NewPCG(math.Float64bits(lat), math.Float64bits(lng)))
	for range 50 {
		la, ln := box.South+rng.Float64()*(box.North-box.South), box.West+rng.Float64()*(box.East-box.West)
		if atlas.Contains(region, la, ln) {
			return la, ln
		}
	}
	best, bd := geo.Point{Lat: lat, Lng: lng}, math.Inf(1)
	for _, p := range atlas.Parts(region) {
		if d := math.Hypot(p.Label.Lat-lat, p.Label.Lng-lng); d < bd {
			best, bd = p.Label, d
		}
	}
	return best.Lat, best.Lng
}

func seedReport(ctx context.Context, a *app.App, region string, box pendopo.Bounds, sc reportScenario, warga pendopo.Actor, now time.Time) error {
	at := func(days int, minute int) {
		t := now.AddDate(0, 0, -days)
		if days > 0 {
			t = time.Date(t.Year(), t.Month(), t.Day(), 1, minute, 0, 0, time.UTC)
		}
		a.SetClock(func() time.Time { return t })
	}
	at(sc.daysAgo, 0)
	lat, lng := (box.South+box.North)/2+sc.dlat*(box.North-box.South), (box.West+box.East)/2+sc.dlng*(box.East-box.West)
	lat, lng = onLand(region, box, lat, lng)
	in := pendopo.ReportInput{Kind: sc.kind, Title: sc.title, Description: sc.description, Category: sc.category, Privacy: sc.privacy,
		Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng, Address: "Sekitar pusat kota"}}
	who := warga
	if !sc.byCitizen {
		who, in.Contact, in.Name = pendopo.Actor{}, "pelapor.demo@contoh.id", "Pelapor Demo"
	}
	r, err := a.SubmitReport(ctx, who, region, in, "")
	if err != nil {
		return err
	}
	day := sc.daysAgo
	for i, act := range sc.steps {
		if day > 0 && i > 0 {
			day--
		}
		at(day, 10+i)
		ra := app.ReportAct{Action: act}
		switch act {
		case pendopo.ActReportAnswer:
			ra.Note = sc.answer
		case pendopo.ActReportReject:
			ra.Note = "Tagihan listrik kewenangan PLN, bukan pemerintah daerah; silakan sampaikan ke PLN 123."
		case pendopo.ActReportExtend:
			ra.Note = "Dokumen anggaran sedang disalin dari arsip."
		}
		if _, err := a.ActOnReport(ctx, pendopo.System, r.Number, ra); err != nil {
			return fmt.Errorf("%s %s: %w", r.Number, act, err)
		}
	}
	if sc.rating > 0 {
		at(max(0, day-1), 30)
		if _, err := a.ActOnReport(ctx, who, r.Number, app.ReportAct{Action: pendopo.ActReportRate, Rating: sc.rating, Secret: r.Secret}); err != nil {
			return fmt.Errorf("%s rate: %w", r.Number, err)
		}
	}
	return nil
}
