package web

import (
	"context"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
)

func (c *consoleMemo) flightKeys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for k := range c.flight {
		out = append(out, k)
	}
	return out
}

func TestConsoleMemo(t *testing.T) {
	var writes, version atomic.Uint64
	clock := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	c := newConsoleMemo(2*time.Second, now, version.Load, writes.Load)
	var reads atomic.Int64
	read := func(context.Context) (any, error) { return reads.Add(1), nil }
	ctx := context.Background()
	r := httptest.NewRequest("GET", "/admin/daerah/33.74", nil)
	officer := pendopo.Actor{UserID: 1, Roles: []pendopo.Role{{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "dukcapil"}, {Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "dinkes"}}}
	colleague := pendopo.Actor{UserID: 2, Roles: []pendopo.Role{officer.Roles[1], officer.Roles[0]}}
	admin := pendopo.Actor{UserID: 3, Roles: []pendopo.Role{{Kind: pendopo.RoleRegionAdmin, Region: "33.74"}}}
	get := func(who pendopo.Actor) int64 {
		v, err := c.do(ctx, scopeKey(r, who), read)
		if err != nil {
			t.Fatal(err)
		}
		return v.(int64)
	}
	if get(officer) != 1 || get(colleague) != 1 {
		t.Fatal("people with the same roles did not share the read")
	}
	if get(admin) != 2 {
		t.Fatal("someone with other roles got another's read")
	}
	writes.Add(1)
	if get(officer) != 3 {
		t.Fatal("a write did not make it read again")
	}
	version.Add(1)
	if get(officer) != 4 {
		t.Fatal("a synced change did not make it read again")
	}
	// Three quarters of ttl old: kept, and read again in the background.
	mu.Lock()
	clock = clock.Add(1500 * time.Millisecond)
	mu.Unlock()
	if get(officer) != 4 {
		t.Fatal("a read not yet stale was not used")
	}
	for reads.Load() != 5 {
		time.Sleep(time.Millisecond)
	}
	for len(c.flightKeys()) > 0 {
		time.Sleep(time.Millisecond)
	}
	if get(officer) != 5 {
		t.Fatal("the read made in the background was not kept")
	}
	mu.Lock()
	clock = clock.Add(2 * time.Second)
	mu.Unlock()
	if get(officer) != 6 {
		t.Fatal("an old read was used")
	}

	// Many at once: one read.
	block := make(chan struct{})
	slow := func(context.Context) (any, error) { <-block; return reads.Add(1), nil }
	var wg sync.WaitGroup
	got := make([]int64, 10)
	writes.Add(1)
	for i := range got {
		wg.Go(func() {
			v, _ := c.do(ctx, scopeKey(r, admin), slow)
			got[i] = v.(int64)
		})
	}
	for {
		c.mu.Lock()
		n := len(c.flight)
		c.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(block)
	wg.Wait()
	for _, g := range got {
		if g != got[0] {
			t.Fatalf("reads at once: %v", got)
		}
	}
	if reads.Load() != 7 {
		t.Fatalf("%d reads for 10 at once, want one", reads.Load()-6)
	}
}
