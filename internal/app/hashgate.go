package app

import (
	"context"
	"math"
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
