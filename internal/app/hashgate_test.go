package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestHashSlots(t *testing.T) {
	prod := DefaultPasswordParams // 64 MiB, 1 thread
	two := prod
	two.Threads = 2
	for _, tt := range []struct {
		memory int64
		cpus   int
		p      PasswordParams
		want   int
	}{
		{128 << 20, 2, prod, 1},  // the default budget on a 2-core server
		{128 << 20, 16, prod, 2}, // memory bounds it
		{1 << 30, 16, prod, 15},  // CPUs bound it, one left free
		{1 << 30, 4, prod, 3},
		{1 << 30, 5, two, 2}, // two lanes per hash
		{1 << 30, 4, two, 1},
		{10 << 20, 8, prod, 1}, // never below one
		{1 << 62, 1, prod, 1},
	} {
		if got := hashSlots(tt.memory, tt.p, tt.cpus); got != tt.want {
			t.Errorf("hashSlots(%d MiB, %d CPUs) = %d, want %d", tt.memory>>20, tt.cpus, got, tt.want)
		}
	}
}

// TestOlderHashesVerify: hashes made with other costs (two lanes, as
// before the default became one) still verify, and only with the right
// password.
func TestOlderHashesVerify(t *testing.T) {
	for _, p := range []PasswordParams{
		{Time: 1, MemoryK: 1024, Threads: 2},
		{Time: 2, MemoryK: 2048, Threads: 1},
		{Time: 1, MemoryK: 1024, Threads: 4},
	} {
		h, err := hashPassword("rahasia-lama", p)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := checkPassword("rahasia-lama", h); !ok || err != nil {
			t.Errorf("%+v: right password = %v, %v", p, ok, err)
		}
		if ok, _ := checkPassword("rahasia-baru", h); ok {
			t.Errorf("%+v: wrong password accepted", p)
		}
	}
}

// TestHashGate: at most its slots run at once; a request queues while
// the queue has room and a slot frees in time, else it is turned away
// without running.
func TestHashGate(t *testing.T) {
	g := newHashGate(1, 1, time.Hour)
	queued := make(chan struct{}, 1)
	g.queued = queued
	ctx := context.Background()

	hold, holding := make(chan struct{}), make(chan struct{})
	go g.do(ctx, func() { close(holding); <-hold })
	<-holding
	// A second request waits in the queue …
	second := make(chan error)
	ran := false
	go func() { second <- g.do(ctx, func() { ran = true }) }()
	<-queued
	// … a third finds the queue full and is turned away at once.
	if err := g.do(ctx, func() { t.Error("ran past a full queue") }); !errors.Is(err, errHashBusy) {
		t.Errorf("third: %v", err)
	}
	close(hold)
	if err := <-second; err != nil || !ran {
		t.Errorf("queued request: %v, ran %v", err, ran)
	}
	if g.hashed.Load() != 2 || g.refused.Load() != 1 {
		t.Errorf("hashed %d, refused %d", g.hashed.Load(), g.refused.Load())
	}

	// Waiting ends when the wait is over, or the request is gone.
	g = newHashGate(1, 4, 0)
	g.slots <- struct{}{}
	if err := g.do(ctx, func() { t.Error("ran without a slot") }); !errors.Is(err, errHashBusy) {
		t.Errorf("after the wait: %v", err)
	}
	g.wait = time.Hour
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := g.do(cancelled, func() { t.Error("ran for a gone request") }); !errors.Is(err, errHashBusy) {
		t.Errorf("gone request: %v", err)
	}
	if len(g.queue) != 0 {
		t.Errorf("queue keeps %d places", len(g.queue))
	}
}

// TestDummyPasswordHash: the hash checked when an account does not exist
// is well formed, with the configured costs, and nothing matches it.
func TestDummyPasswordHash(t *testing.T) {
	p := PasswordParams{MemoryK: 1024, Time: 1, Threads: 1}
	h := dummyPasswordHash(p)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") || h == dummyPasswordHash(p) {
		t.Fatalf("dummy hash %q", h)
	}
	for _, pw := range []string{"", "password", h} {
		if ok, err := checkPassword(pw, h); ok || err != nil {
			t.Fatalf("%q against the dummy hash: %v, %v", pw, ok, err)
		}
	}
}

// TestHashTidy: a hash that follows another collects the memory the first
// left before taking its own; once the last hash ends, the memory goes
// back to the system after the idle time, unless another hash runs then.
func TestHashTidy(t *testing.T) {
	var collected, released int
	var timers []func()
	tidy := &hashTidy{idle: time.Second, collect: func() { collected++ }, release: func() { released++ },
		after: func(d time.Duration, f func()) {
			if d != time.Second {
				t.Errorf("idle %v", d)
			}
			timers = append(timers, f)
		}}
	g := newHashGate(2, 2, time.Hour)
	g.tidy = tidy
	ctx := context.Background()
	hash := func() {
		if err := g.do(ctx, func() {}); err != nil {
			t.Fatal(err)
		}
	}

	hash()
	if collected != 0 || len(timers) != 1 {
		t.Fatalf("first hash: collected %d, %d timers", collected, len(timers))
	}
	hash() // follows the first: collects, and its timer is already pending
	if collected != 1 || len(timers) != 1 {
		t.Fatalf("second hash: collected %d, %d timers", collected, len(timers))
	}
	timers[0]()
	if released != 1 {
		t.Fatalf("released %d after the idle time", released)
	}
	// Nothing new to collect: the next hash does not collect.
	hash()
	if collected != 1 || len(timers) != 2 {
		t.Fatalf("after release: collected %d, %d timers", collected, len(timers))
	}
	// A hash running when the timer fires keeps the memory; its end
	// schedules the return anew.
	hold, holding := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() { done <- g.do(ctx, func() { close(holding); <-hold }) }()
	<-holding
	timers[1]()
	if released != 1 {
		t.Fatal("released while a hash ran")
	}
	close(hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(timers) != 3 {
		t.Fatalf("%d timers", len(timers))
	}
	timers[2]()
	if released != 2 {
		t.Fatalf("released %d", released)
	}
}
