package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/notify"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// chanSender passes each message on to a channel.
type chanSender chan notify.Message

func (c chanSender) Send(ctx context.Context, m notify.Message) error { c <- m; return nil }

// TestAuditedWriteWakesOutbox checks that the outbox worker is woken
// after the commit of an audited write, for a message queued inside a
// transaction.
func TestAuditedWriteWakesOutbox(t *testing.T) {
	t.Parallel()
	s := pendopotest.DB(t)
	out := make(chanSender, 10)
	cfg, _ := apptest.Config(s, now)
	cfg.Mail, cfg.SMS = out, out
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.Outbox().Run(runCtx, time.Hour); close(done) }()
	defer func() { stop(); <-done }()
	m := pendopo.OutboxMessage{Channel: pendopo.OutboxEmail, To: "budi@contoh.id", Subject: "Tiga", Body: "Tiga.", Key: "run:3"}
	if err := s.InTx(ctx, func(tx pendopo.Store) error { return a.Outbox().Enqueue(ctx, tx, m) }); err != nil {
		t.Fatal(err)
	}
	if err := a.SetSynonyms(ctx, pendopo.System, "kilat, ekspres"); err != nil { // an audited write
		t.Fatal(err)
	}
	select {
	case got := <-out:
		if got.ID != notify.OutboxMessageID("run:3") {
			t.Fatalf("sent %s, want run:3", got.ID)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run:3 not sent within 10s of the audited write")
	}
}

// TestNotifications fills a citizen's inbox, reads it, includes it in the
// data download and drops it with the account.
func TestNotifications(t *testing.T) {
	x := newAccounts(t)
	u := x.citizen(t, "Budi", "budi@contoh.id", "sate ayam madura")
	other := x.citizen(t, "Sari", "sari@contoh.id", "soto ayam lamongan")
	who := pendopo.Actor{Name: u.Name, UserID: u.ID}
	for i := range 3 {
		*x.clock = now.Add(time.Duration(i) * time.Minute)
		n := pendopo.Notification{UserID: u.ID, Title: pendopo.T(fmt.Sprint("Status berubah ", i), fmt.Sprint("Status changed ", i)), Link: "/permohonan/3374-260301-0001"}
		if err := x.Outbox().Notify(ctx, nil, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Outbox().Notify(ctx, nil, pendopo.Notification{UserID: other.ID, Title: pendopo.T("Lain", "Other")}); err != nil {
		t.Fatal(err)
	}
	if err := x.Outbox().Notify(ctx, nil, pendopo.Notification{UserID: u.ID}); kind(err) != pendopo.KindInvalid {
		t.Errorf("notification without a title: %v", err)
	}
	if err := x.Outbox().Notify(ctx, nil, pendopo.Notification{UserID: 424242, Title: pendopo.T("x", "x")}); kind(err) != pendopo.KindConflict {
		t.Errorf("notification for nobody: %v", err)
	}
	in, err := x.Inbox(ctx, who, pendopo.Page{PerPage: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Notifications) != 2 || in.Total != 3 || in.Unread != 3 || in.Notifications[0].Title.English != "Status changed 2" || !in.Seen.Equal(*x.clock) {
		t.Fatalf("inbox: %+v", in)
	}
	// One more arrives after the page was read; it stays unread.
	*x.clock = x.clock.Add(time.Minute)
	if err := x.Outbox().Notify(ctx, nil, pendopo.Notification{UserID: u.ID, Title: pendopo.T("Baru", "New")}); err != nil {
		t.Fatal(err)
	}
	if err := x.MarkRead(ctx, who, in.Seen); err != nil {
		t.Fatal(err)
	}
	if in, _ := x.Inbox(ctx, who, pendopo.Page{}); in.Total != 4 || in.Unread != 1 || !in.Notifications[0].Unread() {
		t.Errorf("after reading: %+v", in)
	}
	if _, err := x.Inbox(ctx, pendopo.Actor{}, pendopo.Page{}); kind(err) != pendopo.KindUnauthorized {
		t.Errorf("inbox of nobody: %v", err)
	}
	if err := x.MarkRead(ctx, pendopo.Actor{}, time.Time{}); kind(err) != pendopo.KindUnauthorized {
		t.Errorf("mark read by nobody: %v", err)
	}

	exp, err := x.ExportMyData(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(exp.Index)
	var d struct{ Notifications []pendopo.Notification }
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Notifications) != 4 || d.Notifications[3].Link != "/permohonan/3374-260301-0001" || strings.Contains(string(b), `"user_id"`) {
		t.Errorf("data download: %+v", d.Notifications)
	}

	if _, err := x.DeleteAccount(ctx, who, "sate ayam madura"); err != nil {
		t.Fatal(err)
	}
	if _, total, _, _ := x.store.Notifications(ctx, u.ID, pendopo.Page{}); total != 0 {
		t.Errorf("%d notifications left after deleting the account", total)
	}
	if _, total, _, _ := x.store.Notifications(ctx, other.ID, pendopo.Page{}); total != 1 {
		t.Errorf("someone else's notifications: %d", total)
	}
}
