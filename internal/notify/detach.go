package notify

import (
	"context"
	"sync"
	"time"
)

// Limits of work done after a request's answer.
const (
	// detachedMax bounds such work in flight; beyond it new work is
	// dropped (and logged), so that a flood cannot pile up goroutines
	// waiting on a slow mail server.
	detachedMax = 256
	// detachedTimeout bounds one piece of it, a send included.
	detachedTimeout = time.Minute
)

// detachedWork tracks work that runs after a request's answer; the zero
// value is ready.
type detachedWork struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	count int
}

// Detach runs fn after the request that asked for it has its answer:
// sending a one-time code, for example, so that neither a slow mail
// server nor whether the account exists shows in how long the answer
// takes. fn gets ctx's values without its cancellation, and at most
// detachedTimeout. Its error is logged as what.
func (o *Outbox) Detach(ctx context.Context, what string, fn func(ctx context.Context) error) {
	d := &o.detached
	d.mu.Lock()
	if d.count >= detachedMax {
		d.mu.Unlock()
		o.log.Error("work dropped: too much waiting to be done after answers", "what", what, "in_flight", detachedMax)
		return
	}
	d.count++
	d.wg.Add(1)
	d.mu.Unlock()
	go func() {
		defer func() {
			d.mu.Lock()
			d.count--
			d.mu.Unlock()
			d.wg.Done()
		}()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), detachedTimeout)
		defer cancel()
		if err := fn(ctx); err != nil {
			o.log.Error(what, "err", err)
		}
	}()
}

// WaitDetached waits until the work begun after answers (one-time codes
// and notices on their way to the mail server or SMS gateway) is done:
// serve calls it when stopping, tests before reading a code.
func (o *Outbox) WaitDetached() { o.detached.wg.Wait() }
