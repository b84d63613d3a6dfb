package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/document"
	"github.com/pendopo/pendopo/internal/notify"
)

// seededSetting marks a database whose demo applications are seeded.
const seededSetting = "demo.applications"

// demoCitizens apply besides the demo citizen account; they cannot sign
// in (their password is random and never shown).
var demoCitizens = []string{"Siti Rahayu", "Agus Salim", "Dewi Lestari", "Bambang Wijaya", "Rina Kusuma"}

// step is one thing that happens to a seeded application, days before now.
type step struct {
	daysAgo int
	action  pendopo.ApplicationAction
	by      string // "applicant", "officer", "head"
	note    string
}

// scenario is a seeded application: who applies for which of the
// region's online services, and what has happened to it.
type scenario struct {
	applicant string // "warga" or a demo citizen's name
	service   int    // index into onlineServices[region]
	forName   string // assisted at the counter for this person
	steps     []step
}

var (
	submit   = func(d int) step { return step{d, pendopo.ActSubmit, "applicant", ""} }
	approve  = func(d int, by string) step { return step{d, pendopo.ActApprove, by, ""} }
	approved = func(d int) []step { // the civil registry's four steps
		return []step{approve(d, "officer"), approve(d, "officer"), approve(d, "head"), approve(d, "officer")}
	}
)

// scenarios puts applications in every state, several for the demo
// citizen so that their list and timelines are not empty.
func scenarios() []scenario {
	return []scenario{
		{applicant: "warga", service: 0}, // a draft
		{applicant: "warga", service: 2, steps: []step{submit(4), {3, pendopo.ActReturn, "officer", "Foto surat keterangan kelahiran terpotong; unggah ulang halaman lengkap."}}},
		{applicant: "warga", service: 3, steps: append([]step{submit(12)}, approved(11)...)}, // completed
		{applicant: "warga", service: 4, steps: []step{submit(2), approve(1, "officer")}},
		{applicant: "Siti Rahayu", service: 0, steps: []step{submit(0)}},
		{applicant: "Agus Salim", service: 1, steps: []step{submit(8)}}, // overdue
		{applicant: "Dewi Lestari", service: 2, steps: []step{submit(3), approve(2, "officer"), approve(1, "officer")}},
		{applicant: "Bambang Wijaya", service: 1, steps: []step{submit(6), {5, pendopo.ActReject, "officer", "Dokumen bukti perubahan bukan atas nama anggota keluarga dalam KK; ajukan kembali dengan dokumen yang sesuai."}}},
		{applicant: "Rina Kusuma", service: 4, steps: []step{{1, pendopo.ActWithdraw, "applicant", ""}}},
		{applicant: "officer", service: 0, forName: "Sarinah", steps: []step{submit(0)}}, // assisted at the counter
		{applicant: "Siti Rahayu", service: 2, steps: append([]step{submit(9),
			{8, pendopo.ActReturn, "officer", "Buku nikah orang tua belum diunggah."}, {6, pendopo.ActResubmit, "applicant", ""}}, approved(5)...)},
	}
}

// SeedApplications fills the demo kota's queues and the demo citizen's
// list with applications in every state, dated over the last two weeks.
// It needs the demo accounts (AddAccounts) and runs once per database.
func SeedApplications(ctx context.Context, a *app.App) (bool, error) {
	if _, err := a.Store().Setting(ctx, seededSetting); err == nil {
		return false, nil
	} else if !errors.Is(err, pendopo.ErrNotFound) {
		return false, err
	}
	ctx = notify.Quiet(ctx)
	now := a.Now()
	defer a.SetClock(func() time.Time { return now })()
	file, err := samplePDF(now)
	if err != nil {
		return false, err
	}
	warga, err := actorOf(ctx, a, "warga@pendopo.test")
	if err != nil {
		return false, fmt.Errorf("seed applications: the demo accounts are needed first: %w", err)
	}
	regions := []string{"33.74", "33.72"}
	citizenLogin := func(name, tag string) string {
		return strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "." + tag + "@warga.demo.pendopo.test"
	}
	// The citizens share one random password nobody knows, hashed once:
	// a hash each (argon2id, 64 MiB for a third of a second) made the
	// demo's first start seconds longer and its memory peak higher.
	var citizens []app.NewUser
	for _, region := range regions {
		for _, name := range demoCitizens {
			citizens = append(citizens, app.NewUser{Name: name, Login: citizenLogin(name, strings.ReplaceAll(region, ".", ""))})
		}
	}
	if _, err := a.AddUsers(ctx, citizens, rand.Text()); err != nil {
		return false, err
	}
	for _, region := range regions {
		tag := strings.ReplaceAll(region, ".", "")
		officer, err := actorOf(ctx, a, "petugas."+tag+"@pendopo.test")
		if err != nil {
			return false, err
		}
		head, err := actorOf(ctx, a, "kepala."+tag+"@pendopo.test")
		if err != nil {
			return false, err
		}
		people := map[string]pendopo.Actor{"warga": warga, "officer": officer}
		for _, name := range demoCitizens {
			if people[name], err = actorOf(ctx, a, citizenLogin(name, tag)); err != nil {
				return false, err
			}
		}
		for i, sc := range scenarios() {
			if err := seedOne(ctx, a, region, sc, people, officer, head, file, now); err != nil {
				return false, fmt.Errorf("seed %s scenario %d: %w", region, i, err)
			}
		}
	}
	return true, a.Store().PutSetting(ctx, seededSetting, now.UTC().Format(time.RFC3339))
}

func seedOne(ctx context.Context, a *app.App, region string, sc scenario, people map[string]pendopo.Actor, officer, head pendopo.Actor, file []byte, now time.Time) error {
	svc, err := a.Store().ServiceBySlug(ctx, region, onlineServices[region][sc.service])
	if err != nil {
		return err
	}
	applicant := people[sc.applicant]
	start := 14
	if len(sc.steps) > 0 {
		start = sc.steps[0].daysAgo + 1
	}
	at := func(daysAgo, minute int) {
		t := now.AddDate(0, 0, -daysAgo).Add(time.Duration(minute) * time.Minute)
		if daysAgo > 0 {
			// Office hours, 09:00 WIB onwards.
			t = time.Date(t.Year(), t.Month(), t.Day(), 2, minute, 0, 0, time.UTC)
		}
		a.SetClock(func() time.Time { return t })
	}
	at(start, 0)
	draft, err := a.StartApplication(ctx, applicant, svc.ID, "", sc.forName)
	if err != nil {
		return err
	}
	vals := answers(svc.Apply.Form, applicant.Name, region, len(sc.steps) > 0)
	if _, err := a.SaveAnswers(ctx, applicant, draft.Number, vals); err != nil {
		return err
	}
	if len(sc.steps) > 0 {
		for _, fd := range svc.Apply.Form.Fields {
			if fd.Type == pendopo.FieldFile {
				if _, err := a.Upload(ctx, applicant, draft.Number, fd.Key, fd.Key+".pdf", bytes.NewReader(file)); err != nil {
					return err
				}
			}
		}
	}
	for i, st := range sc.steps {
		at(st.daysAgo, 5+i)
		who := map[string]pendopo.Actor{"applicant": applicant, "officer": officer, "head": head}[st.by]
		if svc.AgencySlug != "disdukcapil" && st.by != "applicant" {
			who = pendopo.System // the demo has no staff in this agency
		}
		if _, err := a.Act(ctx, who, draft.Number, app.ApplicationAct{Action: st.action, Note: st.note}); err != nil {
			return fmt.Errorf("%s %s: %w", draft.Number, st.action, err)
		}
	}
	return nil
}

// answers fills a form plausibly; complete leaves nothing required out.
func answers(f pendopo.Form, name, region string, complete bool) map[string][]string {
	out := map[string][]string{}
	for _, fd := range f.Fields {
		var v string
		switch fd.Type {
		case pendopo.FieldText:
			v = name
			if fd.Key != "nama" {
				v = "Semarang"
			}
			if strings.HasPrefix(fd.Key, "nama_") {
				v = "Ananda " + strings.Fields(name)[0]
			}
		case pendopo.FieldNIK:
			v = strings.ReplaceAll(region, ".", "") + "011508900001"
		case pendopo.FieldNumber:
			v = "3"
		case pendopo.FieldDate:
			v = "2026-10-12"
		case pendopo.FieldChoice, pendopo.FieldMulti:
			v = fd.Options[0]
		case pendopo.FieldPhone:
			v = "081234567890"
		case pendopo.FieldEmail:
			v = "warga@pendopo.test"
		case pendopo.FieldAddress:
			v = pendopo.Address("Jl. Pandanaran No. 12, RT 03/RW 02", region)
		case pendopo.FieldLongText:
			v = "Penambahan anggota keluarga karena kelahiran anak kedua."
		case pendopo.FieldConsent:
			v = "1"
		default:
			continue
		}
		if !complete && fd.Key != "nama" {
			continue
		}
		out[fd.Key] = []string{v}
	}
	return out
}

func actorOf(ctx context.Context, a *app.App, login string) (pendopo.Actor, error) {
	c, err := a.Store().Credentials(ctx, login, "")
	if err != nil {
		return pendopo.Actor{}, fmt.Errorf("%s: %w", login, err)
	}
	u, err := a.Store().User(ctx, c.UserID)
	if err != nil {
		return pendopo.Actor{}, err
	}
	return pendopo.Actor{Name: u.Name, UserID: u.ID, Roles: u.Roles}, nil
}

// samplePDF is the stand-in for every uploaded document of the demo.
func samplePDF(now time.Time) ([]byte, error) {
	return document.Render(document.Document{
		Code: "CCCC-CCCC-CCCC", VerifyURL: "https://pendopo.test/verifikasi/CCCC-CCCC-CCCC", Region: "Contoh berkas persyaratan", Agency: "Pendopo (demo)",
		Title: "CONTOH DOKUMEN", Body: "Berkas ini hanya contoh untuk demo Pendopo dan bukan dokumen resmi.",
		Number: "-", IssuedAt: now, KeyID: "demo", Signer: "Pendopo",
	})
}
