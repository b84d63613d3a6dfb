package app

import (
	"context"

	"github.com/pendopo/pendopo"
)

// AuditLog lists audit entries for an actor allowed to see them: national
// admins and national overseers see everything, others their region's
// entries (a province's include its kabupaten/kota).
func (a *App) AuditLog(ctx context.Context, who Actor, f pendopo.AuditFilter) ([]pendopo.AuditEntry, int, error) {
	if f.Region == "" && !who.National() {
		return nil, 0, errForbidden
	}
	if f.Region != "" {
		if _, err := who.authorize(pendopo.ActViewAudit, pendopo.Scope{Region: f.Region}); err != nil {
			return nil, 0, err
		}
	} else if _, err := who.authorize(pendopo.ActViewAudit, pendopo.Scope{}); err != nil {
		return nil, 0, err
	}
	return a.store.AuditLog(ctx, f)
}

// AuditReport is the result of checking the audit chain.
type AuditReport struct {
	Entries int64
	// Break is the first entry where the chain does not hold, or nil.
	Break *pendopo.ChainBreak
}

// VerifyAudit walks the whole audit chain and reports the first entry that
// was changed, removed or inserted out of order.
func (a *App) VerifyAudit(ctx context.Context) (AuditReport, error) {
	prev, next := pendopo.GenesisHash, int64(1)
	var r AuditReport
	head, err := a.store.AuditHead(ctx)
	if err != nil {
		return r, err
	}
	for {
		batch, err := a.store.AuditChain(ctx, next-1, 1000)
		if err != nil {
			return r, err
		}
		if len(batch) == 0 {
			if next-1 < head {
				r.Break = &pendopo.ChainBreak{Seq: next, Reason: "the entries from here to the last one appended were removed"}
			}
			return r, nil
		}
		var brk *pendopo.ChainBreak
		prev, next, brk = pendopo.VerifyChain(batch, prev, next)
		r.Entries = next - 1
		if brk != nil {
			r.Break = brk
			return r, nil
		}
	}
}
