package web

import (
	"cmp"
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
)

// consoleMemo keeps, for a moment, what the console's start page of a
// region read from the database (what needs doing, the service list, the
// agencies and service points), shared by the officers who have the same
// roles: in a busy region many officers of one agency open it again and
// again, and it takes some twenty queries. What is kept is the data, or
// the content of the page made for no one in particular (sharedContent),
// never a whole page: each request is authorized and gets the page's frame
// made for its own person.
//
// What is kept is read again after any write this process makes to the
// database (writes: a citizen's application, an officer's step, the
// deadline alerts; any may change what needs doing), after a change Sync
// picks up, and after ttl by either clock, so work arriving through
// another instance shows within a couple of seconds.
type consoleMemo struct {
	ttl     time.Duration
	clock   func() time.Time
	version func() uint64
	writes  func() uint64

	mu     sync.Mutex
	m      map[string]memoEntry
	flight map[string]chan struct{}
}

type memoEntry struct {
	val          any
	writes, ver  uint64
	wall, appNow time.Time
}

// maxMemo bounds the entries; past it the memo starts again empty.
const maxMemo = 1024

func newConsoleMemo(ttl time.Duration, clock func() time.Time, version, writes func() uint64) *consoleMemo {
	return &consoleMemo{ttl: ttl, clock: clock, version: version, writes: writes, m: make(map[string]memoEntry), flight: make(map[string]chan struct{})}
}

// scopeKey names what who may see in a console page: the page, its query
// and language, and who's roles (sorted), but not who: people with the
// same roles see the same.
func scopeKey(r *http.Request, who pendopo.Actor) string {
	roles := slices.Clone(who.Roles)
	slices.SortFunc(roles, func(a, b pendopo.Role) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Region, b.Region), cmp.Compare(a.Agency, b.Agency))
	})
	words := make([]string, len(roles))
	for i, ro := range roles {
		words[i] = string(ro.Kind) + "/" + ro.Region + "/" + ro.Agency
	}
	return requestKey(r, words...)
}

// do returns what was kept under key while it is current, else what read
// returns, kept. Those who ask for a key that is being read wait for that
// read instead of making their own; one that finds it three quarters of
// ttl old gets it and has it read again in the background. read gets a
// context that outlives the request.
func (c *consoleMemo) do(ctx context.Context, key string, read func(context.Context) (any, error)) (any, error) {
	if c == nil {
		return read(ctx)
	}
	v, age, ok := c.get(key)
	if ok && age < c.ttl*3/4 {
		return v, nil
	}
	c.mu.Lock()
	f, busy := c.flight[key]
	if !busy {
		f = make(chan struct{})
		c.flight[key] = f
	}
	c.mu.Unlock()
	lead := func(ctx context.Context) (any, error) {
		defer func() {
			c.mu.Lock()
			delete(c.flight, key)
			c.mu.Unlock()
			close(f)
		}()
		st := c.stamp()
		v, err := read(ctx)
		if err == nil {
			c.put(key, st, v)
		}
		return v, err
	}
	switch {
	case ok && !busy:
		go func() {
			defer func() {
				if p := recover(); p != nil {
					slog.Error("reading the console again", "panic", p)
				}
			}()
			lead(context.WithoutCancel(ctx))
		}()
		return v, nil
	case ok:
		return v, nil
	case !busy:
		return lead(ctx)
	}
	select {
	case <-f:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if v, _, ok := c.get(key); ok {
		return v, nil
	}
	// The read failed or was out of date at once: read for ourselves.
	return read(ctx)
}

// get returns what was kept under key while it is current, and its age.
func (c *consoleMemo) get(key string) (any, time.Duration, bool) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if !ok || e.writes != c.writes() || e.ver != c.version() {
		return nil, 0, false
	}
	w, a := time.Since(e.wall), c.clock().Sub(e.appNow) // wallclock: the age of a kept read
	if w < 0 || a < 0 || w >= c.ttl || a >= c.ttl {
		return nil, 0, false
	}
	return e.val, max(w, a), true
}

// stamp is taken before reading, so that a write during the read leaves
// what was read out of date.
func (c *consoleMemo) stamp() memoEntry {
	if c == nil {
		return memoEntry{}
	}
	return memoEntry{writes: c.writes(), ver: c.version(), wall: time.Now(), appNow: c.clock()} // wallclock: the age of a kept read
}

func (c *consoleMemo) put(key string, e memoEntry, val any) {
	if c == nil {
		return
	}
	e.val = val
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxMemo {
		clear(c.m)
	}
	c.m[key] = e
}

// sharedContent is the content of a console page (what its template
// defines as "content"), made once for the people of the same roles who
// share the reads behind it: rendering fifty rows of a list was most of
// the console's cost. It is made as someone who has those roles and
// nothing else of their own (no name, no account: see rolesOnly), so what
// the content may show of a person is blank for everyone rather than one
// person's for all; the frame around it (the header with the person's
// name, the menu) is made per request (renderShared).
type sharedContent struct {
	Title  string
	Crumbs []Crumb
	Body   template.HTML
}

// shareContent makes the content of page with data, whose Page is p, as
// someone with the roles of p's session and nothing more.
func (s *Server) shareContent(page string, p *Page, data interface{ language() string }) (sharedContent, error) {
	p.Session = rolesOnly(p.Session)
	body, err := s.rd.content(page, data)
	return sharedContent{Title: p.Title, Crumbs: p.Crumbs, Body: body}, err
}

// renderShared sends c in the frame of p, the person's own page. The
// frame's data is the Page itself, not a struct that embeds it: the
// template package looks fields up through embedded structs with an
// allocation each, a fifth of what the console allocated per request.
func (s *Server) renderShared(w http.ResponseWriter, r *http.Request, p Page, c sharedContent) {
	p.Title, p.Crumbs, p.Content = c.Title, c.Crumbs, c.Body
	s.rd.render(w, r, http.StatusOK, "shared", p)
}

// rolesOnly is a session of someone with the roles of se and nothing else
// of their own.
func rolesOnly(se *session) *session {
	if se == nil {
		return nil
	}
	return &session{Actor: pendopo.Actor{Roles: se.Actor.Roles}}
}
