package app

import (
	"context"

	"github.com/pendopo/pendopo"
)

// commit runs fn in one transaction. Submissions and officers' actions go
// through it so that concurrent ones can share a durable commit.
func (a *App) commit(ctx context.Context, fn func(tx pendopo.Store) error) error {
	return a.store.InTx(ctx, fn)
}

// announce tells the applicant and the staff what an event means for them.
func (a *App) announce(ctx context.Context, tx pendopo.Store, app pendopo.Application, c pendopo.ServiceContent, ev pendopo.ApplicationEvent) error {
	return nil
}
