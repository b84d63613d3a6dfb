package app

import (
	"context"
	"math"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/pendopo/pendopo"
)

// How password hashing waits for its turn. A request that finds every
// slot busy queues for up to hashWait behind at most hashQueue requests
// per slot; beyond either it is turned away at once, so that a flood of
// sign-ins costs queued goroutines, never memory.
const (
	hashWait  = 2 * time.Second
	hashQueue = 8
	// DefaultHashMemory is the memory password hashes may use together
	// when Config.HashMemory is 0.
	DefaultHashMemory = 128 << 20
)

// errHashBusy answers a request whose password could not be checked in
// time because every slot was taken: the server is busy, not the client
// wrong, so it is a 503 with a short Retry-After.
var errHashBusy = &pendopo.Error{Kind: pendopo.KindUnavailable, RetryAfter: hashWait, Msg: pendopo.M("app.the_server_busy_checking_passwords")}

// hashGate bounds how many password hashes run at once. Each argon2id
// hash allocates its full memory cost (64 MiB by default) for its whole
// run, and sign-in, registration, password change and reset all hash
// before anything else can stop them, so without a bound 150 parallel
// sign-ins took 9.3 GB.
type hashGate struct {
	slots chan struct{}
	queue chan struct{}
	wait  time.Duration
	// queued, when set (tests), hears of every request that starts to wait.
	queued chan<- struct{}

	hashed, refused atomic.Int64

	// tidy, when set, keeps big hashes from piling up memory (see hashTidy).
	tidy *hashTidy
}

// hashTidy keeps the memory of big password hashes from piling up. A hash
// takes its whole cost (64 MiB by default) in one piece that is garbage
// the moment it ends; left to the collector, the next hash took another
// piece beside it before the first was collected (a demo's first start
// peaked at 240 MB for two hashes), and the runtime gave the pieces back
// to the system only slowly (three sign-ins left 100 MB more resident
// for minutes). So a hash that follows another collects first, to reuse
// the piece, and once no hash has run for a while the memory goes back to
// the system. In a steady flood of sign-ins neither costs much: the
// collector would run about as often anyway, and the memory is given back
// only when the flood is over.
type hashTidy struct {
	running   atomic.Int32
	garbage   atomic.Bool // a hash ended since memory was last collected
	scheduled atomic.Bool // a return to the system is pending
	idle      time.Duration
	// collect, release and after are runtime.GC, debug.FreeOSMemory and
	// time.AfterFunc, replaced in tests.
	collect, release func()
	after            func(time.Duration, func())
}

// hashTidyFrom is the smallest hash memory worth tidying after.
const hashTidyFrom = 16 << 20

func newHashTidy() *hashTidy {
	return &hashTidy{idle: time.Second, collect: runtime.GC, release: debug.FreeOSMemory,
		after: func(d time.Duration, f func()) { time.AfterFunc(d, f) }}
}

// start is called as a hash begins: it collects what an earlier one left.
func (t *hashTidy) start() {
	t.running.Add(1)
	if t.garbage.Swap(false) {
		t.collect()
	}
}

// end is called as a hash ends: the last one running schedules the
// return of memory to the system after t.idle without hashes.
func (t *hashTidy) end() {
	t.garbage.Store(true)
	if t.running.Add(-1) != 0 || !t.scheduled.CompareAndSwap(false, true) {
		return
	}
	t.after(t.idle, func() {
		t.scheduled.Store(false)
		if t.running.Load() == 0 && t.garbage.Swap(false) {
			t.release()
		}
		// Otherwise a hash is running, and its end schedules anew.
	})
}

func newHashGate(slots, queue int, wait time.Duration) *hashGate {
	return &hashGate{slots: make(chan struct{}, slots), queue: make(chan struct{}, queue), wait: wait}
}

// hashSlots is how many hashes of cost p fit in memory bytes and in the
// cpus but one, p.Threads each (a hash keeps that many busy, so more at
// once would only stretch each, and the spare CPU keeps pages and probes
// answering during a flood), and at least one.
func hashSlots(memory int64, p PasswordParams, cpus int) int {
	per := max(int64(p.MemoryK)<<10, 1)
	n := memory / per
	n = min(n, int64((cpus-1)/max(int(p.Threads), 1)), math.MaxInt32)
	return int(max(n, 1))
}

// do runs fn, a password hash, when a slot is free. It waits for one for
// at most the gate's wait and only when the queue has room; otherwise it
// returns errHashBusy without running fn.
func (g *hashGate) do(ctx context.Context, fn func()) error {
	select {
	case g.slots <- struct{}{}:
	default:
		if err := g.await(ctx); err != nil {
			g.refused.Add(1)
			return err
		}
	}
	defer func() { <-g.slots }()
	g.hashed.Add(1)
	if g.tidy != nil {
		g.tidy.start()
		defer g.tidy.end()
	}
	fn()
	return nil
}

// full reports whether a hash asked for now would be turned away: every
// slot and every place in the queue taken. It lets a flood be refused
// before it costs a write to the database; the answer may be stale by the
// time it is used, which only moves one request to the other side.
func (g *hashGate) full() bool {
	return len(g.slots) == cap(g.slots) && len(g.queue) == cap(g.queue)
}

func (g *hashGate) await(ctx context.Context) error {
	select {
	case g.queue <- struct{}{}:
	default:
		return errHashBusy
	}
	defer func() { <-g.queue }()
	if g.queued != nil {
		g.queued <- struct{}{}
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-t.C:
	case <-ctx.Done():
	}
	return errHashBusy
}

// hashPassword hashes a new password when the gate lets it.
func (a *App) hashPassword(ctx context.Context, pw string) (hash string, err error) {
	if gerr := a.hashes.do(ctx, func() { hash, err = hashPassword(pw, a.passwords) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

// checkPassword compares a password with a stored hash when the gate lets
// it; a malformed hash is a wrong password.
func (a *App) checkPassword(ctx context.Context, pw, encoded string) (ok bool, err error) {
	if gerr := a.hashes.do(ctx, func() { ok, _ = checkPassword(pw, encoded) }); gerr != nil {
		return false, gerr
	}
	return ok, nil
}
