package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// testOutbox queues messages once per key, leases them, and records
// failures, deaths and deliveries.
func testOutbox(t *testing.T, s pendopo.Store) {
	t0 := pendopotest.T0
	lease := 5 * time.Minute
	a := pendopo.OutboxMessage{Channel: pendopo.OutboxEmail, To: "budi@contoh.id", Subject: "Status permohonan", Body: "Permohonan Anda diterima.",
		Key: "app:3374-1:event:1:email", CreatedAt: t0}
	b := pendopo.OutboxMessage{Channel: pendopo.OutboxSMS, To: "+6281234567890", Body: "Permohonan Anda diterima.",
		Key: "app:3374-1:event:1:sms", CreatedAt: t0, NextAt: t0.Add(10 * time.Minute)}
	idA, added, err := s.EnqueueMessage(ctx, a)
	if err != nil || !added || idA == 0 {
		t.Fatalf("enqueue: %d %v %v", idA, added, err)
	}
	idB, _, err := s.EnqueueMessage(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	// The same key again is a no-op that names the first message.
	dup := a
	dup.Body = "lain"
	if id, added, err := s.EnqueueMessage(ctx, dup); err != nil || added || id != idA {
		t.Fatalf("second enqueue of a key: %d %v %v, want %d false", id, added, err, idA)
	}
	if got := must(s.OutboxMessage(ctx, a.Key))(t); got.ID != idA || got.Body != a.Body || got.To != a.To || got.Channel != "email" ||
		!got.NextAt.Equal(t0) || !got.CreatedAt.Equal(t0) || !got.SentAt.IsZero() || got.Attempts != 0 || got.Dead {
		t.Errorf("stored message: %+v", got)
	}
	_, err = s.OutboxMessage(ctx, "nope")
	wantKind(t, err, pendopo.KindNotFound)
	wantStats(t, s, 2, 0)

	// Only a is due; once leased it is not claimed again until the lease ends.
	if got := claimIDs(t, s, t0, lease); !equalIDs(got, idA) {
		t.Fatalf("first claim: %v, want [%d]", got, idA)
	}
	if got := claimIDs(t, s, t0.Add(time.Minute), lease); len(got) != 0 {
		t.Fatalf("claimed a leased message again: %v", got)
	}
	if got := claimIDs(t, s, t0.Add(lease), lease); !equalIDs(got, idA) {
		t.Fatalf("claim after the lease: %v, want [%d]", got, idA)
	}
	// A failure ends the lease and puts the message off.
	t1 := t0.Add(lease)
	if err := s.MarkFailed(ctx, idA, "dial tcp: connection refused", t1.Add(2*time.Minute), false); err != nil {
		t.Fatal(err)
	}
	if got := claimIDs(t, s, t1.Add(time.Minute), lease); len(got) != 0 {
		t.Fatalf("claimed before the retry time: %v", got)
	}
	got := must(s.ClaimMessages(ctx, t1.Add(2*time.Minute), 10, lease))(t)
	if len(got) != 1 || got[0].ID != idA || got[0].Attempts != 1 || got[0].LastError != "dial tcp: connection refused" || !got[0].NextAt.Equal(t1.Add(2*time.Minute)) ||
		got[0].To != a.To || got[0].Body != a.Body {
		t.Fatalf("claim of the retry: %+v", got)
	}
	// Sent: never claimed again, and a late failure does not undo it.
	sentAt := t1.Add(2*time.Minute + time.Second)
	if err := s.MarkSent(ctx, idA, sentAt); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.MarkFailed(ctx, idA, "late", sentAt, false), pendopo.KindNotFound)
	if err := s.MarkSent(ctx, idA, sentAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if m := must(s.OutboxMessage(ctx, a.Key))(t); !m.SentAt.Equal(sentAt) || m.Attempts != 3 || m.LastError != "" ||
		m.To != "" || m.Body != "" || m.UserID != 0 || m.Subject != a.Subject {
		t.Errorf("sent message: %+v (it keeps no recipient, body or account)", m)
	}
	wantKind(t, s.MarkSent(ctx, 424242, sentAt), pendopo.KindNotFound)
	wantKind(t, s.MarkFailed(ctx, 424242, "x", sentAt, false), pendopo.KindNotFound)
	if _, added, _ := s.EnqueueMessage(ctx, a); added {
		t.Error("a sent message's key was queued again")
	}
	wantStats(t, s, 1, 0)
	far := t0.Add(24 * time.Hour)
	if got := claimIDs(t, s, far, lease); !equalIDs(got, idB) {
		t.Fatalf("claim far ahead: %v, want [%d]", got, idB)
	}
	// Dead: counted apart, never claimed.
	if err := s.MarkFailed(ctx, idB, "gateway says no", far, true); err != nil {
		t.Fatal(err)
	}
	if m := must(s.OutboxMessage(ctx, b.Key))(t); !m.Dead || m.Attempts != 1 || !m.SentAt.IsZero() || m.To != "" || m.Body != "" {
		t.Errorf("dead message: %+v", m)
	}
	wantStats(t, s, 0, 1)
	if got := claimIDs(t, s, far.Add(24*time.Hour), lease); len(got) != 0 {
		t.Fatalf("claimed a dead message: %v", got)
	}

	// Claims come oldest due first, up to the limit.
	var ids []int64
	for i := range 3 {
		id := must3(t)(s.EnqueueMessage(ctx, pendopo.OutboxMessage{Channel: "email", To: "x@contoh.id", Body: "x", Key: fmt.Sprint("order:", i),
			CreatedAt: t0, NextAt: t0.Add(time.Duration(3-i) * time.Minute)}))
		ids = append(ids, id)
	}
	if got := claimIDs2(t, s, t0.Add(time.Hour), 2, lease); !equalIDs(got, ids[2], ids[1]) {
		t.Errorf("claim order: %v, want [%d %d]", got, ids[2], ids[1])
	}

	// Queued in a transaction, a message lands with it or not at all.
	boom := errors.New("boom")
	err = s.InTx(ctx, func(tx pendopo.Store) error {
		if _, _, err := tx.EnqueueMessage(ctx, pendopo.OutboxMessage{Channel: "email", To: "x@contoh.id", Body: "x", Key: "tx:1", CreatedAt: t0}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	_, err = s.OutboxMessage(ctx, "tx:1")
	wantKind(t, err, pendopo.KindNotFound)
	err = s.InTx(ctx, func(tx pendopo.Store) error {
		_, _, err := tx.EnqueueMessage(ctx, pendopo.OutboxMessage{Channel: "email", To: "x@contoh.id", Body: "x", Key: "tx:1", CreatedAt: t0})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	must(s.OutboxMessage(ctx, "tx:1"))(t)
}

// testOutboxConcurrentClaims has several workers claim at the same moment:
// every message goes to exactly one of them.
func testOutboxConcurrentClaims(t *testing.T, s pendopo.Store) {
	const n, workers = 40, 6
	for i := range n {
		must3(t)(s.EnqueueMessage(ctx, pendopo.OutboxMessage{Channel: "email", To: "x@contoh.id", Body: "x", Key: fmt.Sprint("c:", i), CreatedAt: pendopotest.T0}))
	}
	var (
		mu      sync.Mutex
		claimed = map[int64]int{}
		wg      sync.WaitGroup
		start   = make(chan struct{})
	)
	errc := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			<-start
			for {
				l, err := s.ClaimMessages(ctx, pendopotest.T0, 3, time.Hour)
				if err != nil {
					errc <- err
					return
				}
				if len(l) == 0 {
					return
				}
				mu.Lock()
				for _, m := range l {
					claimed[m.ID]++
				}
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if len(claimed) != n {
		t.Errorf("%d of %d messages claimed", len(claimed), n)
	}
	for id, c := range claimed {
		if c != 1 {
			t.Errorf("message %d claimed %d times", id, c)
		}
	}
}

// testNotifications pages a person's inbox, counts what is unread and
// drops it all when the account is erased.
func testNotifications(t *testing.T, s pendopo.Store) {
	t0 := pendopotest.T0
	u := must(s.CreateUser(ctx, pendopo.User{Name: "Budi", Email: "budi@contoh.id"}, "h", t0))(t)
	v := must(s.CreateUser(ctx, pendopo.User{Name: "Sari", Email: "sari@contoh.id"}, "h", t0))(t)
	for i := range 5 {
		n := must(s.AddNotification(ctx, pendopo.Notification{UserID: u.ID, Title: pendopo.T(fmt.Sprint("Status ", i), fmt.Sprint("Status ", i)),
			Body: pendopo.T("Permohonan Anda diproses.", "Your application is being processed."), Link: "/permohonan/3374-1", CreatedAt: t0.Add(time.Duration(i) * time.Minute)}))(t)
		if n.ID == 0 || !n.Unread() {
			t.Fatalf("added: %+v", n)
		}
	}
	must(s.AddNotification(ctx, pendopo.Notification{UserID: v.ID, Title: pendopo.T("Tugas baru", "New work"), CreatedAt: t0}))(t)
	_, err := s.AddNotification(ctx, pendopo.Notification{UserID: 424242, Title: pendopo.T("x", "x"), CreatedAt: t0})
	wantKind(t, err, pendopo.KindConflict)

	l, total, unread := must4(t)(s.Notifications(ctx, u.ID, pendopo.Page{Page: 1, PerPage: 2}))
	if len(l) != 2 || total != 5 || unread != 5 || l[0].Title.Indonesian != "Status 4" || l[1].Title.Indonesian != "Status 3" {
		t.Fatalf("first page: %d of %d, %d unread: %+v", len(l), total, unread, l)
	}
	if n := l[0]; n.UserID != u.ID || n.Body.English != "Your application is being processed." || n.Link != "/permohonan/3374-1" || !n.CreatedAt.Equal(t0.Add(4*time.Minute)) {
		t.Errorf("notification: %+v", n)
	}
	if l, total, _ := must4(t)(s.Notifications(ctx, u.ID, pendopo.Page{Page: 3, PerPage: 2})); len(l) != 1 || total != 5 || l[0].Title.Indonesian != "Status 0" {
		t.Errorf("last page: %d of %d: %+v", len(l), total, l)
	}
	if l, total, unread := must4(t)(s.Notifications(ctx, u.ID, pendopo.Page{Page: 9, PerPage: 2})); len(l) != 0 || total != 5 || unread != 5 {
		t.Errorf("past the end: %d rows, total %d, unread %d", len(l), total, unread)
	}

	// Reading marks what was there up to then, not what came later.
	seen := t0.Add(2 * time.Minute)
	if err := s.MarkNotificationsRead(ctx, u.ID, seen); err != nil {
		t.Fatal(err)
	}
	l, total, unread = must4(t)(s.Notifications(ctx, u.ID, pendopo.Page{}))
	if total != 5 || unread != 2 || !l[2].ReadAt.Equal(seen) || !l[4].ReadAt.Equal(seen) || !l[1].Unread() {
		t.Fatalf("after reading: total %d, unread %d: %+v", total, unread, l)
	}
	// Marking again keeps the first reading time.
	if err := s.MarkNotificationsRead(ctx, u.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if l, _, unread := must4(t)(s.Notifications(ctx, u.ID, pendopo.Page{})); unread != 0 || !l[4].ReadAt.Equal(seen) || !l[0].ReadAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("after reading all: %d unread, %+v", unread, l)
	}
	if _, total, unread := must4(t)(s.Notifications(ctx, v.ID, pendopo.Page{})); total != 1 || unread != 1 {
		t.Errorf("someone else's inbox changed: %d, %d unread", total, unread)
	}
	if l, total, unread := must4(t)(s.Notifications(ctx, 424242, pendopo.Page{})); len(l) != 0 || total != 0 || unread != 0 {
		t.Errorf("inbox of nobody: %v %d %d", l, total, unread)
	}

	// Erasing the account drops its notifications and its messages.
	must3(t)(s.EnqueueMessage(ctx, pendopo.OutboxMessage{Channel: "email", To: u.Email, Body: "x", Key: "u", UserID: u.ID, CreatedAt: t0}))
	must3(t)(s.EnqueueMessage(ctx, pendopo.OutboxMessage{Channel: "email", To: v.Email, Body: "x", Key: "v", UserID: v.ID, CreatedAt: t0}))
	if m := must(s.OutboxMessage(ctx, "u"))(t); m.UserID != u.ID {
		t.Errorf("message for user: %+v", m)
	}
	if err := s.EraseUser(ctx, u.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := must4(t)(s.Notifications(ctx, u.ID, pendopo.Page{})); total != 0 {
		t.Errorf("erased user keeps %d notifications", total)
	}
	_, err = s.OutboxMessage(ctx, "u")
	wantKind(t, err, pendopo.KindNotFound)
	must(s.OutboxMessage(ctx, "v"))(t)
	if _, total, _ := must4(t)(s.Notifications(ctx, v.ID, pendopo.Page{})); total != 1 {
		t.Errorf("erasing one user dropped another's notifications")
	}
}

func wantStats(t *testing.T, s pendopo.Store, pending, dead int) {
	t.Helper()
	p, d, err := s.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p != pending || d != dead {
		t.Errorf("outbox stats: %d pending, %d dead; want %d, %d", p, d, pending, dead)
	}
}

func claimIDs(t *testing.T, s pendopo.Store, now time.Time, lease time.Duration) []int64 {
	t.Helper()
	return claimIDs2(t, s, now, 10, lease)
}

func claimIDs2(t *testing.T, s pendopo.Store, now time.Time, limit int, lease time.Duration) []int64 {
	t.Helper()
	l, err := s.ClaimMessages(ctx, now, limit, lease)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, m := range l {
		ids = append(ids, m.ID)
	}
	return ids
}

func equalIDs(got []int64, want ...int64) bool { return slices.Equal(got, want) }

func must3(t *testing.T) func(int64, bool, error) int64 {
	return func(id int64, _ bool, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
}

func must4(t *testing.T) func([]pendopo.Notification, int, int, error) ([]pendopo.Notification, int, int) {
	return func(l []pendopo.Notification, total, unread int, err error) ([]pendopo.Notification, int, int) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return l, total, unread
	}
}
