package notify_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/notify"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store"
)

var (
	ctx = context.Background()
	now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
)

func kind(err error) pendopo.ErrorKind { return pendopo.KindOf(err) }

// outboxApp is an outbox over s with a movable clock that sends email
// through mail and SMS through sms.
type outboxApp struct {
	*notify.Outbox
	s     pendopo.Store
	clock *time.Time
}

func newOutboxApp(t *testing.T, s pendopo.Store, mail, sms notify.Sender) outboxApp {
	t.Helper()
	clock := now
	log := slog.New(slog.DiscardHandler)
	if mail == nil {
		mail = &notify.MemorySender{}
	}
	if sms == nil {
		sms = &notify.MemorySender{}
	}
	o := notify.New(s, func() time.Time { return clock }, log, mail, sms, "http://pendopo.test")
	return outboxApp{Outbox: o, s: s, clock: &clock}
}

func smtpTo(m pendopotest.Mailpit) notify.SMTPSender {
	return notify.SMTPSender{Addr: m.SMTP, From: "pendopo@pendopo.test"}
}

func email(key, to, subject string) pendopo.OutboxMessage {
	return pendopo.OutboxMessage{Channel: pendopo.OutboxEmail, To: to, Subject: subject, Body: "Yth. warga,\n\n" + subject + ".\n", Key: key}
}

func (x outboxApp) deliver(t *testing.T, want int) {
	t.Helper()
	sent, err := x.Deliver(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sent != want {
		t.Fatalf("delivered %d messages at %v, want %d", sent, *x.clock, want)
	}
}

func (x outboxApp) message(t *testing.T, key string) pendopo.OutboxMessage {
	t.Helper()
	m, err := x.s.OutboxMessage(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wantMail checks that mailpit received exactly the messages of keys, each
// once, with its recipient, subject and Message-ID.
func wantMail(t *testing.T, mp pendopotest.Mailpit, msgs ...pendopo.OutboxMessage) {
	t.Helper()
	got := mp.Messages(t)
	if len(got) != len(msgs) {
		t.Errorf("mailpit has %d messages, want %d", len(got), len(msgs))
	}
	for _, m := range msgs {
		id := notify.OutboxMessageID(m.Key) + "@pendopo.test"
		n := 0
		for _, g := range got {
			if g.MessageID != id {
				continue
			}
			n++
			if g.Subject != m.Subject || len(g.To) != 1 || g.To[0].Address != m.To || g.From.Address != "pendopo@pendopo.test" {
				t.Errorf("message %s arrived as %+v, want subject %q to %s", m.Key, g, m.Subject, m.To)
			}
		}
		if n != 1 {
			t.Errorf("message %s arrived %d times", m.Key, n)
		}
	}
}

func wantOutboxStats(t *testing.T, s pendopo.Store, pending, dead int) {
	t.Helper()
	p, d, err := s.OutboxStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p != pending || d != dead {
		t.Errorf("outbox: %d pending, %d dead; want %d, %d", p, d, pending, dead)
	}
}

// TestOutboxSMTP delivers queued email to a real SMTP server: every
// message arrives once, a key queued twice is sent once, and a second
// pass sends nothing.
func TestOutboxSMTP(t *testing.T) {
	t.Parallel()
	mp := pendopotest.StartMailpit(t, "")
	x := newOutboxApp(t, pendopotest.DB(t), smtpTo(mp), nil)
	msgs := []pendopo.OutboxMessage{
		email("app:3374-260301-0001:event:1:email", "budi@contoh.id", "Permohonan 3374-260301-0001 diterima"),
		email("app:3374-260301-0002:event:1:email", "sari@contoh.id", "Permohonan № 3374-260301-0002 — perlu dilengkapi"),
		email("app:3374-260301-0002:event:2:email", "sari@contoh.id", "Permohonan 3374-260301-0002 selesai"),
	}
	for _, m := range msgs {
		if err := x.Enqueue(ctx, nil, m); err != nil {
			t.Fatal(err)
		}
	}
	again := msgs[0]
	again.Subject = "Dikirim dua kali?"
	if err := x.Enqueue(ctx, nil, again); err != nil {
		t.Fatal(err)
	}
	wantOutboxStats(t, x.s, 3, 0)
	x.deliver(t, 3)
	x.deliver(t, 0)
	wantMail(t, mp, msgs...)
	if m := x.message(t, msgs[1].Key); !m.SentAt.Equal(now) || m.Attempts != 1 || m.LastError != "" {
		t.Errorf("sent message: %+v", m)
	}
	wantOutboxStats(t, x.s, 0, 0)

	// Incomplete messages are refused.
	for _, bad := range []pendopo.OutboxMessage{
		{Channel: "fax", To: "x", Body: "x", Key: "k"},
		{Channel: "email", Body: "x", Key: "k"},
		{Channel: "email", To: "x@contoh.id", Body: "x"},
	} {
		if err := x.Enqueue(ctx, nil, bad); kind(err) != pendopo.KindInvalid {
			t.Errorf("enqueue %+v: %v", bad, err)
		}
	}
}

// TestOutboxSurvivesRestart queues messages, stops, and delivers them from
// a new process on the same database.
func TestOutboxSurvivesRestart(t *testing.T) {
	t.Parallel()
	mp := pendopotest.StartMailpit(t, "")
	url, dir := "", t.TempDir()
	if os.Getenv(pendopotest.EnvBackend) == "postgres" {
		url = pendopotest.PostgresURL(t)
	}
	db, err := store.Open(ctx, url, dir)
	if err != nil {
		t.Fatal(err)
	}
	first := newOutboxApp(t, db, smtpTo(mp), nil)
	msgs := []pendopo.OutboxMessage{
		email("restart:1", "budi@contoh.id", "Sebelum mulai ulang 1"),
		email("restart:2", "sari@contoh.id", "Sebelum mulai ulang 2"),
	}
	err = db.InTx(ctx, func(tx pendopo.Store) error {
		for _, m := range msgs {
			if err := first.Enqueue(ctx, tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = store.Open(ctx, url, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	second := newOutboxApp(t, db, smtpTo(mp), nil)
	wantOutboxStats(t, db, 2, 0)
	second.deliver(t, 2)
	second.deliver(t, 0)
	wantMail(t, mp, msgs...)
}

// TestOutboxRetry sends to an SMTP server that is down at first: the
// message waits longer after each failure and is sent once the server is up.
func TestOutboxRetry(t *testing.T) {
	t.Parallel()
	addr := pendopotest.FreeAddr(t) // nothing listens there yet
	x := newOutboxApp(t, pendopotest.DB(t), notify.SMTPSender{Addr: addr, From: "pendopo@pendopo.test"}, nil)
	m := email("retry:1", "budi@contoh.id", "Coba lagi")
	if err := x.Enqueue(ctx, nil, m); err != nil {
		t.Fatal(err)
	}
	t0 := now
	x.deliver(t, 0)
	got := x.message(t, m.Key)
	if got.Attempts != 1 || !got.NextAt.Equal(t0.Add(time.Minute)) || got.LastError == "" || got.Dead || !got.SentAt.IsZero() {
		t.Fatalf("after the first failure: %+v", got)
	}
	*x.clock = t0.Add(30 * time.Second) // not due yet
	x.deliver(t, 0)
	if got := x.message(t, m.Key); got.Attempts != 1 {
		t.Fatalf("tried before it was due: %+v", got)
	}
	*x.clock = t0.Add(time.Minute)
	x.deliver(t, 0)
	if got := x.message(t, m.Key); got.Attempts != 2 || !got.NextAt.Equal(t0.Add(3*time.Minute)) {
		t.Fatalf("after the second failure: %+v", got)
	}
	wantOutboxStats(t, x.s, 1, 0)

	mp := pendopotest.StartMailpit(t, addr)
	*x.clock = t0.Add(2 * time.Minute)
	x.deliver(t, 0)
	wantMail(t, mp)
	*x.clock = t0.Add(3 * time.Minute)
	x.deliver(t, 1)
	*x.clock = t0.Add(time.Hour)
	x.deliver(t, 0)
	if got := x.message(t, m.Key); got.Attempts != 3 || !got.SentAt.Equal(t0.Add(3*time.Minute)) || got.LastError != "" {
		t.Errorf("after delivery: %+v", got)
	}
	// Queued again after it went out, the key still sends nothing.
	if err := x.Enqueue(ctx, nil, m); err != nil {
		t.Fatal(err)
	}
	x.deliver(t, 0)
	wantMail(t, mp, m)
	wantOutboxStats(t, x.s, 0, 0)
}

// senderFunc adapts a function to notify.Sender.
type senderFunc func(ctx context.Context, m notify.Message) error

func (f senderFunc) Send(ctx context.Context, m notify.Message) error { return f(ctx, m) }

// TestOutboxGivesUp backs off exponentially and gives a message up after
// pendopo.OutboxMaxAttempts failures.
func TestOutboxGivesUp(t *testing.T) {
	t.Parallel()
	tries := 0
	gateway := senderFunc(func(ctx context.Context, m notify.Message) error {
		tries++
		if m.To != "+6281234567890" || m.ID != notify.OutboxMessageID("sms:1") {
			t.Errorf("sms sent as %+v", m)
		}
		return errors.New("gateway: 503 Service Unavailable")
	})
	x := newOutboxApp(t, pendopotest.DB(t), nil, gateway)
	if err := x.Enqueue(ctx, nil, pendopo.OutboxMessage{Channel: pendopo.OutboxSMS, To: "+6281234567890", Body: "Permohonan Anda selesai.", Key: "sms:1"}); err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	for i := 1; i <= pendopo.OutboxMaxAttempts; i++ {
		before := *x.clock
		x.deliver(t, 0)
		m := x.message(t, "sms:1")
		if m.Attempts != i || m.LastError != "gateway: 503 Service Unavailable" {
			t.Fatalf("attempt %d: %+v", i, m)
		}
		if i == pendopo.OutboxMaxAttempts {
			if !m.Dead {
				t.Fatalf("not dead after %d attempts: %+v", i, m)
			}
			break
		}
		waits = append(waits, m.NextAt.Sub(before))
		*x.clock = m.NextAt
	}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute,
		64 * time.Minute, 128 * time.Minute, 256 * time.Minute}
	if !slices.Equal(waits, want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
	wantOutboxStats(t, x.s, 0, 1)
	*x.clock = x.clock.Add(30 * 24 * time.Hour)
	x.deliver(t, 0)
	if tries != pendopo.OutboxMaxAttempts {
		t.Errorf("%d tries, want %d", tries, pendopo.OutboxMaxAttempts)
	}
}

// countingSender counts what it sent, by Message.ID.
type countingSender struct {
	mu   sync.Mutex
	sent map[string]int
	ch   chan notify.Message
}

func (s *countingSender) Send(ctx context.Context, m notify.Message) error {
	s.mu.Lock()
	if s.sent == nil {
		s.sent = map[string]int{}
	}
	s.sent[m.ID]++
	s.mu.Unlock()
	if s.ch != nil {
		s.ch <- m
	}
	return nil
}

// TestOutboxTwoInstances runs two instances' workers on one database at
// once: each message is sent by one of them, once.
func TestOutboxTwoInstances(t *testing.T) {
	t.Parallel()
	db := pendopotest.DB(t)
	out := &countingSender{}
	a1 := newOutboxApp(t, db, out, out)
	a2 := newOutboxApp(t, db, out, out)
	const n = 75
	for i := range n {
		m := email(fmt.Sprint("two:", i), fmt.Sprintf("warga%d@contoh.id", i), "Pesan")
		if i%3 == 0 {
			m.Channel, m.To = pendopo.OutboxSMS, "+62812000000"+fmt.Sprint(i)
		}
		if err := a1.Enqueue(ctx, nil, m); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	total := make([]int, 2)
	for i, x := range []outboxApp{a1, a2} {
		wg.Go(func() {
			for {
				sent, err := x.Deliver(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if sent == 0 {
					return
				}
				total[i] += sent
			}
		})
	}
	wg.Wait()
	if total[0]+total[1] != n || len(out.sent) != n {
		t.Errorf("instances sent %v, %d distinct messages; want %d", total, len(out.sent), n)
	}
	for id, c := range out.sent {
		if c != 1 {
			t.Errorf("message %s sent %d times", id, c)
		}
	}
	wantOutboxStats(t, db, 0, 0)
}

// TestRunOutbox wakes the worker: at once for a message queued outside a
// transaction, and after a Wake call for one queued inside.
func TestRunOutbox(t *testing.T) {
	t.Parallel()
	out := &countingSender{ch: make(chan notify.Message, 10)}
	x := newOutboxApp(t, pendopotest.DB(t), out, out)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { x.Run(runCtx, time.Hour); close(done) }()
	wait := func(key string) {
		t.Helper()
		select {
		case m := <-out.ch:
			if m.ID != notify.OutboxMessageID(key) {
				t.Fatalf("sent %s, want %s", m.ID, key)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s not sent within 10s", key)
		}
	}
	if err := x.Enqueue(ctx, nil, email("run:1", "budi@contoh.id", "Satu")); err != nil {
		t.Fatal(err)
	}
	wait("run:1")
	inTx := func(key string) {
		t.Helper()
		if err := x.s.InTx(ctx, func(tx pendopo.Store) error { return x.Enqueue(ctx, tx, email(key, "budi@contoh.id", key)) }); err != nil {
			t.Fatal(err)
		}
	}
	inTx("run:2")
	x.Wake()
	wait("run:2")
	stop()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}
