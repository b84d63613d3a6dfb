package app

import (
	"context"
	"time"

	"github.com/pendopo/pendopo"
)

// Regions that have joined Pendopo (pendopo.JoiningRole): only they take
// reports. The report form, the region page and every filing ask, so the
// set of all joined regions is read in one query and kept for half a
// minute; a grant, revocation or erasure on this instance forgets it at
// once, and another instance's change shows within the half minute.

// joinedTTL is how long the set of joined regions is kept.
const joinedTTL = 30 * time.Second

type joinedSet struct {
	codes map[string]bool
	at    time.Time
}

// Joined reports whether region has joined Pendopo: whether someone holds
// its coordinator's role (pendopo.JoiningRole) and so will verify and
// dispose a report filed with it. An unknown region is ErrNotFound.
func (a *App) Joined(ctx context.Context, region string) (bool, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return false, err
	}
	set, err := a.joinedRegions(ctx)
	if err != nil {
		return false, err
	}
	return set[region], nil
}

func (a *App) joinedRegions(ctx context.Context) (map[string]bool, error) {
	now := time.Now() // wallclock: the age of a cache entry, a duration
	if c := a.joined.Load(); c != nil && now.Sub(c.at) < joinedTTL {
		return c.codes, nil
	}
	codes, err := a.store.JoinedRegions(ctx)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(codes))
	for _, c := range codes {
		set[c] = true
	}
	a.joined.Store(&joinedSet{codes: set, at: now})
	return set, nil
}

// forgetJoined drops the kept set of joined regions after a change of
// roles.
func (a *App) forgetJoined() { a.joined.Store(nil) }

// notJoined is the refusal of a report to reg, which has not joined: it
// names the region, so that the citizen can choose it on SP4N-LAPOR!.
func notJoined(reg pendopo.Region) error {
	return pendopo.Errorf(pendopo.KindConflict, pendopo.M("app.region_not_joined", reg.Name, pendopo.LaporURL))
}
