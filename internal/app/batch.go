package app

import (
	"context"
	"fmt"
	"sync"

	"github.com/pendopo/pendopo"
)

// commit runs fn in a transaction and returns once it is durable.
// Submissions and officers' actions go through it: while one batch
// commits, the units that arrive meanwhile wait and then run one after
// another in one transaction, sharing one fsync (group commit). There is
// no savepoint between them: when a unit fails, the whole transaction is
// rolled back and the others run again without it, and the failed unit
// then runs once more alone (see pendopo.Store's Batch), where its own
// error is the one its caller gets. fn may therefore run several times
// and must be database work only: render files, store them and call
// other services before commit, and let fn just record the result.
// Nobody is told "done" before the commit that holds their unit returned.
func (a *App) commit(ctx context.Context, fn func(tx pendopo.Store) error) error {
	if a.noGroupCommit {
		err := a.store.InTx(ctx, fn)
		if err == nil {
			a.out.Wake()
		}
		return err
	}
	u := &unit{fn: fn, done: make(chan error, 1)}
	g := &a.group
	g.mu.Lock()
	g.pending = append(g.pending, u)
	lead := g.running < a.writers
	if lead {
		g.running++
	}
	g.mu.Unlock()
	if lead {
		a.commitBatches(context.WithoutCancel(ctx), u)
	}
	return <-u.done
}

// unit is one piece of work waiting for a group commit.
type unit struct {
	fn   func(pendopo.Store) error
	done chan error
}

// groupCommit collects units while batches commit.
type groupCommit struct {
	mu      sync.Mutex
	pending []*unit
	running int // batches committing now, at most App.writers
}

// maxBatch bounds the units of one commit, so that one batch's latency
// stays small.
const maxBatch = 256

// commitBatches commits what is pending, batch after batch, until nothing
// waits. The caller that found no batch running does this work until its
// own unit is committed, then hands the rest to a goroutine, so that no
// request waits on others' work for long. ctx must not be cancelled: a
// batch carries other people's work.
func (a *App) commitBatches(ctx context.Context, own *unit) {
	g := &a.group
	for {
		if own != nil && len(own.done) > 0 {
			g.mu.Lock()
			more := len(g.pending) > 0
			if !more {
				g.running--
			}
			g.mu.Unlock()
			if more {
				go a.commitBatches(ctx, nil)
			}
			return
		}
		g.mu.Lock()
		n := min(len(g.pending), maxBatch)
		if n == 0 {
			g.running--
			g.mu.Unlock()
			return
		}
		batch := g.pending[:n:n]
		g.pending = g.pending[n:]
		g.mu.Unlock()
		fns := make([]func(pendopo.Store) error, len(batch))
		for i, u := range batch {
			fns[i] = func(tx pendopo.Store) (err error) {
				// A unit's panic fails that unit, not the batch.
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("panic in a batched write: %v", p)
					}
				}()
				return u.fn(tx)
			}
		}
		errs, err := a.store.Batch(ctx, fns)
		for i, u := range batch {
			if err != nil {
				u.done <- err
			} else {
				u.done <- errs[i]
			}
		}
		if err == nil {
			a.out.Wake()
		}
	}
}

// SetGroupCommit turns group commit off (each action its own
// transaction) or back on, for benchmarks that compare the two.
func (a *App) SetGroupCommit(on bool) { a.noGroupCommit = !on }
