package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// applicationFixture makes a service in 33.74 and two citizens.
func applicationFixture(t *testing.T, s pendopo.Store) (pendopo.Service, pendopo.User, pendopo.User) {
	t.Helper()
	setupRegion(t, s)
	svc := must(s.CreateService(ctx, "33.74", pendopotest.Content("domisili", "ktp-el", "dukcapil"), pendopotest.Change(pendopotest.T0, ""), true))(t)
	u := must(s.CreateUser(ctx, pendopo.User{Name: "Budi", Email: "budi@contoh.id"}, "h", pendopotest.T0))(t)
	v := must(s.CreateUser(ctx, pendopo.User{Name: "Sari", Email: "sari@contoh.id"}, "h", pendopotest.T0))(t)
	return svc, u, v
}

func newApplication(svc pendopo.Service, applicant pendopo.User, number, key string, at time.Time) pendopo.Application {
	return pendopo.Application{Number: number, Region: "33.74", ServiceID: svc.ID, ServiceVersion: 1, ServiceName: svc.Name,
		Agency: "dukcapil", ApplicantID: applicant.ID, ApplicantName: applicant.Name, Key: key,
		ApplicationState: pendopo.ApplicationState{Status: pendopo.StatusDraft}, Sealed: []byte("sealed"), CreatedAt: at}
}

// testApplications creates drafts idempotently, updates them only at the
// revision read, and lists queues by deadline.
func testApplications(t *testing.T, s pendopo.Store) {
	svc, budi, sari := applicationFixture(t, s)
	t1 := pendopotest.T0.Add(time.Hour)
	a := must(s.CreateApplication(ctx, newApplication(svc, budi, "3374-2611-AAAAAA-1", "k1", t1)))(t)
	if a.ID == 0 || a.Rev != 1 || a.Status != pendopo.StatusDraft || !bytes.Equal(a.Sealed, []byte("sealed")) || !a.CreatedAt.Equal(t1) {
		t.Fatalf("created: %+v", a)
	}
	// The same key again (a double click) returns the same draft.
	again := must(s.CreateApplication(ctx, newApplication(svc, budi, "3374-2611-BBBBBB-2", "k1", t1)))(t)
	if again.ID != a.ID || again.Number != a.Number {
		t.Fatalf("idempotent create gave %+v, want %+v", again, a)
	}
	// Another applicant may use the same key; a number is never reused.
	b := must(s.CreateApplication(ctx, newApplication(svc, sari, "3374-2611-CCCCCC-3", "k1", t1)))(t)
	_, err := s.CreateApplication(ctx, newApplication(svc, sari, "3374-2611-CCCCCC-3", "k2", t1))
	wantKind(t, err, pendopo.KindConflict)

	// Submitting: the first writer at revision 1 wins, the second conflicts.
	a.Status, a.Deadline, a.SubmittedAt, a.UpdatedAt = pendopo.StatusInProgress, pendopo.DateDay(2026, 12, 10), t1, t1
	a.Sealed = []byte("new")
	up := must(s.UpdateApplication(ctx, a))(t)
	if up.Rev != 2 {
		t.Fatalf("rev after update = %d", up.Rev)
	}
	_, err = s.UpdateApplication(ctx, a)
	wantKind(t, err, pendopo.KindConflict)
	missing := a
	missing.ID = 99999
	_, err = s.UpdateApplication(ctx, missing)
	wantKind(t, err, pendopo.KindNotFound)
	got := must(s.ApplicationByNumber(ctx, a.Number))(t)
	if got.Status != pendopo.StatusInProgress || got.Deadline != pendopo.DateDay(2026, 12, 10) || string(got.Sealed) != "new" ||
		!got.SubmittedAt.Equal(t1) || got.Rev != 2 {
		t.Fatalf("read back: %+v", got)
	}
	_, err = s.ApplicationByNumber(ctx, "3374-2611-ZZZZZZ-0")
	wantKind(t, err, pendopo.KindNotFound)

	c := must(s.CreateApplication(ctx, newApplication(svc, sari, "3374-2611-DDDDDD-4", "k3", t1)))(t)
	c.Status, c.Deadline = pendopo.StatusInProgress, pendopo.DateDay(2026, 12, 1)
	must(s.UpdateApplication(ctx, c))(t)

	queue, total := apps(t, s, pendopo.ApplicationFilter{Region: "33.74", Agency: "dukcapil",
		Statuses: []pendopo.ApplicationStatus{pendopo.StatusInProgress}, ByDeadline: true})
	if total != 2 || queue[0].ID != c.ID || queue[1].ID != a.ID {
		t.Fatalf("queue by deadline: %d %+v", total, queue)
	}
	if due, _ := apps(t, s, pendopo.ApplicationFilter{Region: "33.74", DueBy: pendopo.DateDay(2026, 12, 5)}); len(due) != 1 || due[0].ID != c.ID {
		t.Errorf("due by 5 December: %+v", due)
	}
	if own, total := apps(t, s, pendopo.ApplicationFilter{ApplicantID: sari.ID}); total != 2 || own[0].ID != c.ID || own[1].ID != b.ID {
		t.Errorf("Sari's applications: %d %+v", total, own)
	}
	if other, _ := apps(t, s, pendopo.ApplicationFilter{Region: "33.72"}); len(other) != 0 {
		t.Errorf("another region sees %+v", other)
	}

	// The timeline keeps order and names.
	for i, act := range []pendopo.ApplicationAction{pendopo.ActSubmit, pendopo.ActReturn} {
		e := pendopo.ApplicationEvent{ApplicationID: a.ID, At: t1.Add(time.Duration(i) * time.Minute), ActorID: budi.ID,
			Action: act, Status: pendopo.StatusInProgress, Note: "catatan"}
		if err := s.AddApplicationEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	ev := must(s.ApplicationEvents(ctx, a.ID))(t)
	if len(ev) != 2 || ev[0].Action != pendopo.ActSubmit || ev[1].Action != pendopo.ActReturn || ev[0].ActorName != "Budi" || ev[1].Note != "catatan" {
		t.Fatalf("events: %+v", ev)
	}
}

// testApplicationRace lets several writers update one revision at once:
// exactly one wins.
func testApplicationRace(t *testing.T, s pendopo.Store) {
	svc, budi, _ := applicationFixture(t, s)
	a := must(s.CreateApplication(ctx, newApplication(svc, budi, "3374-2611-EEEEEE-5", "", pendopotest.T0)))(t)
	const n = 8
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
	)
	for i := range n {
		wg.Go(func() {
			b := a
			b.Step = i + 1
			err := s.InTx(ctx, func(tx pendopo.Store) error {
				if _, err := tx.UpdateApplication(ctx, b); err != nil {
					return err
				}
				return tx.AddApplicationEvent(ctx, pendopo.ApplicationEvent{ApplicationID: a.ID, At: pendopotest.T0, Action: pendopo.ActApprove, Step: i + 1})
			})
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if pendopo.KindOf(err) != pendopo.KindConflict {
				t.Errorf("writer %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d writers won, want 1", wins)
	}
	got := must(s.Application(ctx, a.ID))(t)
	ev := must(s.ApplicationEvents(ctx, a.ID))(t)
	if got.Rev != 2 || len(ev) != 1 || ev[0].Step != got.Step {
		t.Fatalf("after the race: rev %d step %d, events %+v", got.Rev, got.Step, ev)
	}
}

// testApplicationFiles keeps uploads, documents, keys and holidays.
func testApplicationFiles(t *testing.T, s pendopo.Store) {
	svc, budi, _ := applicationFixture(t, s)
	a := must(s.CreateApplication(ctx, newApplication(svc, budi, "3374-2611-FFFFFF-6", "", pendopotest.T0)))(t)
	u := must(s.SaveUpload(ctx, pendopo.Upload{ApplicationID: a.ID, Field: "ktp", Addr: "abc", Media: pendopo.MediaPDF, Size: 10,
		Name: "ktp.pdf", UploadedBy: budi.ID, CreatedAt: pendopotest.T0}))(t)
	if ups := must(s.Uploads(ctx, a.ID))(t); len(ups) != 1 || ups[0] != u {
		t.Fatalf("uploads: %+v, want %+v", ups, u)
	}

	k1 := pendopo.SigningKey{ID: "k1", Region: "33.74", Public: []byte{1, 2}, Sealed: []byte{3}, CreatedAt: pendopotest.T0}
	k2 := pendopo.SigningKey{ID: "k2", Region: "33.74", Public: []byte{4}, Sealed: []byte{5}, CreatedAt: pendopotest.T0.Add(time.Hour)}
	for _, k := range []pendopo.SigningKey{k1, k2} {
		if err := s.SaveSigningKey(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	wantKind(t, s.SaveSigningKey(ctx, k1), pendopo.KindConflict)
	if err := s.RetireSigningKey(ctx, "k1", pendopotest.T0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	keys := must(s.SigningKeys(ctx, "33.74"))(t)
	if len(keys) != 2 || keys[0].ID != "k2" || !keys[0].RetiredAt.IsZero() || !keys[1].RetiredAt.Equal(pendopotest.T0.Add(2*time.Hour)) ||
		!bytes.Equal(keys[1].Public, []byte{1, 2}) {
		t.Fatalf("keys: %+v", keys)
	}

	d := pendopo.IssuedDocument{Code: "ABCD-EFGH-JKMN", ApplicationID: a.ID, Region: "33.74", Title: "SK", Digest: []byte("0123456789abcdef0123456789abcdef"),
		Signature: []byte("sig"), KeyID: "k2", Blob: "addr", IssuedAt: pendopotest.T0}
	if err := s.SaveDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.SaveDocument(ctx, d), pendopo.KindConflict)
	if got := must(s.Document(ctx, d.Code))(t); got.KeyID != "k2" || !bytes.Equal(got.Digest, d.Digest) || got.ApplicationID != a.ID {
		t.Errorf("document: %+v", got)
	}
	if got := must(s.DocumentByDigest(ctx, d.Digest))(t); got.Code != d.Code {
		t.Errorf("document by digest: %+v", got)
	}
	_, err := s.Document(ctx, "NONE")
	wantKind(t, err, pendopo.KindNotFound)

	hol := pendopo.Holiday{Region: "33.74", Date: pendopo.DateDay(2026, 12, 2), Name: "Hari Jadi Kota"}
	for _, h := range []pendopo.Holiday{hol, {Region: "33", Date: pendopo.DateDay(2026, 8, 19), Name: "Hari Jadi Provinsi"},
		{Date: pendopo.DateDay(2027, 1, 1), Name: "Tahun Baru 2027", Kind: pendopo.HolidayNational}} {
		if err := s.AddRegionHoliday(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	hol.Name = "Hari Jadi Kota Semarang"
	if err := s.AddRegionHoliday(ctx, hol); err != nil {
		t.Fatal(err)
	}
	if hs := must(s.RegionHolidays(ctx, "33.74"))(t); len(hs) != 1 || hs[0].Name != hol.Name || hs[0].Kind != pendopo.HolidayRegional {
		t.Errorf("holidays of 33.74: %+v", hs)
	}
	if hs := must(s.AllRegionHolidays(ctx))(t); len(hs) != 3 || hs[0].Region != "33" || hs[2].Region != "" || hs[2].Kind != pendopo.HolidayNational {
		t.Errorf("all holidays: %+v", hs)
	}
	if hs := must(s.RegionHolidays(ctx, ""))(t); len(hs) != 1 || hs[0].Name != "Tahun Baru 2027" {
		t.Errorf("national holidays added: %+v", hs)
	}
	if err := s.DeleteRegionHoliday(ctx, "33.74", hol.Date); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.DeleteRegionHoliday(ctx, "33.74", hol.Date), pendopo.KindNotFound)
}

// apps returns a list and its total, failing the test on an error.
func apps(t *testing.T, s pendopo.Store, f pendopo.ApplicationFilter) ([]pendopo.Application, int) {
	t.Helper()
	l, total, err := s.Applications(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	return l, total
}

// testBatch runs units in one transaction: a failing unit is undone
// alone, the others land.
func testBatch(t *testing.T, s pendopo.Store) {
	setupRegion(t, s)
	save := func(slug string, fail bool) func(pendopo.Store) error {
		return func(tx pendopo.Store) error {
			if _, err := tx.SaveAgency(ctx, pendopotest.Agency("33.74", slug, "Dinas "+slug), pendopotest.T0); err != nil {
				return err
			}
			if fail {
				return pendopo.ErrConflict
			}
			return nil
		}
	}
	errs, err := s.Batch(ctx, []func(pendopo.Store) error{save("satu", false), save("dua", true), save("tiga", false)})
	if err != nil || errs[0] != nil || errs[1] != pendopo.ErrConflict || errs[2] != nil {
		t.Fatalf("batch: %v %v", errs, err)
	}
	for slug, want := range map[string]bool{"satu": true, "dua": false, "tiga": true} {
		_, err := s.Agency(ctx, "33.74", slug)
		if got := err == nil; got != want {
			t.Errorf("agency %s present = %v, want %v (%v)", slug, got, want, err)
		}
	}
	// A unit that breaks a constraint is undone alone too.
	errs, err = s.Batch(ctx, []func(pendopo.Store) error{
		func(tx pendopo.Store) error {
			return tx.SaveSigningKey(ctx, pendopo.SigningKey{ID: "k", Region: "33.74", Public: []byte{1}, Sealed: []byte{1}, CreatedAt: pendopotest.T0})
		},
		func(tx pendopo.Store) error {
			return tx.SaveSigningKey(ctx, pendopo.SigningKey{ID: "k", Region: "33.74", Public: []byte{1}, Sealed: []byte{1}, CreatedAt: pendopotest.T0})
		},
		save("empat", false),
	})
	if err != nil || errs[0] != nil || pendopo.KindOf(errs[1]) != pendopo.KindConflict || errs[2] != nil {
		t.Fatalf("batch with a constraint error: %v %v", errs, err)
	}
	if _, err := s.Agency(ctx, "33.74", "empat"); err != nil {
		t.Errorf("the unit after a failed one: %v", err)
	}
}

// testApplicationWork counts a region's applications in progress per
// agency by their deadline, and lists the same slices with the filter.
func testApplicationWork(t *testing.T, s pendopo.Store) {
	svc, budi, sari := applicationFixture(t, s)
	today := pendopo.DateDay(2026, 12, 10)
	n := 0
	add := func(region, agency string, status pendopo.ApplicationStatus, step int, deadline pendopo.Day, assignee int64) pendopo.Application {
		t.Helper()
		n++
		a := newApplication(svc, budi, fmt.Sprintf("3374-2612-WORK%02d-%d", n, n%10), fmt.Sprint("w", n), pendopotest.T0.Add(time.Duration(n)*time.Minute))
		a.Region, a.Agency = region, agency
		a = must(s.CreateApplication(ctx, a))(t)
		a.Status, a.Step, a.Deadline, a.Assignee = status, step, deadline, assignee
		return must(s.UpdateApplication(ctx, a))(t)
	}
	late := add("33.74", "dukcapil", pendopo.StatusInProgress, 2, today-3, 0)
	add("33.74", "dukcapil", pendopo.StatusInProgress, 0, today-1, 0)            // late and never touched: late, not new
	due := add("33.74", "dukcapil", pendopo.StatusInProgress, 1, today, sari.ID) // due today
	fresh := add("33.74", "dukcapil", pendopo.StatusInProgress, 0, today+5, 0)
	add("33.74", "dukcapil", pendopo.StatusInProgress, 0, today+5, sari.ID) // handed to someone: not new
	add("33.74", "dukcapil", pendopo.StatusInProgress, 1, today+5, 0)       // past the first step: not new
	add("33.74", "dukcapil", pendopo.StatusReturned, 0, today-4, 0)         // waits on the applicant
	add("33.74", "dukcapil", pendopo.StatusCompleted, 3, today-4, 0)
	add("33.74", "dinkes", pendopo.StatusInProgress, 0, today, 0)
	add("33.72", "dukcapil", pendopo.StatusInProgress, 0, today-2, 0) // another region

	got := must(s.ApplicationWork(ctx, pendopo.WorkFilter{Region: "33.74", Today: today}))(t)
	want := []pendopo.WorkCount{{Agency: "dinkes", DueToday: 1}, {Agency: "dukcapil", Overdue: 2, DueToday: 1, New: 1}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("work of 33.74 = %+v, want %+v", got, want)
	}
	got = must(s.ApplicationWork(ctx, pendopo.WorkFilter{Region: "33.74", Agencies: []string{"dinkes", "bappeda"}, Today: today}))(t)
	if fmt.Sprint(got) != fmt.Sprint(want[:1]) {
		t.Errorf("work of dinkes = %+v", got)
	}
	// Ten days earlier nothing was late and the untouched ones were new.
	got = must(s.ApplicationWork(ctx, pendopo.WorkFilter{Region: "33.74", Today: today - 10}))(t)
	if want := []pendopo.WorkCount{{Agency: "dinkes", New: 1}, {Agency: "dukcapil", New: 2}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("work ten days earlier = %+v, want %+v", got, want)
	}

	inProgress := []pendopo.ApplicationStatus{pendopo.StatusInProgress}
	urgent, total := apps(t, s, pendopo.ApplicationFilter{Region: "33.74", Agencies: []string{"dukcapil"}, Statuses: inProgress, DueBy: today, ByDeadline: true})
	if total != 3 || urgent[0].ID != late.ID || urgent[2].ID != due.ID {
		t.Errorf("urgent: %d %+v", total, urgent)
	}
	if l, total := apps(t, s, pendopo.ApplicationFilter{Region: "33.74", Statuses: inProgress, NewAfter: today}); total != 1 || l[0].ID != fresh.ID {
		t.Errorf("new: %d %+v", total, l)
	}
}
