package app

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestHashSlots(t *testing.T) {
	prod := DefaultPasswordParams // 64 MiB, 2 threads
	for _, tt := range []struct {
		memory int64
		cpus   int
		want   int
	}{
		{128 << 20, 2, 1},  // the default budget on a 2-core server
		{128 << 20, 16, 2}, // memory bounds it
		{1 << 30, 16, 7},   // CPUs bound it, one left free
		{1 << 30, 4, 1},
		{1 << 30, 5, 2},
		{10 << 20, 8, 1}, // never below one
		{1 << 62, 1, 1},
	} {
		if got := hashSlots(tt.memory, prod, tt.cpus); got != tt.want {
			t.Errorf("hashSlots(%d MiB, %d CPUs) = %d, want %d", tt.memory>>20, tt.cpus, got, tt.want)
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
