package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/search"
)

// The search log learns from what people search (issue 13): queries that
// found nothing, and queries after which people searched again, counted
// per day and region. It keeps nothing personal: the query is normalised
// and dropped when it may hold a NIK, a phone number or an email address
// (pendopo.NormalizeSearchQuery); no time of day, address, session or
// account is kept; and a query reaches the database only once it was
// searched at least twice that day in that region, so that something
// typed once (a name, say) is never written.

// searchLogMinCount is how often a query must be searched in a day and a
// region before it is written.
const searchLogMinCount = 2

// searchLogMaxKeys bounds the queries counted in memory per day: a flood
// of made-up queries costs no more than this.
const searchLogMaxKeys = 20000

// SearchLogRetention is how long the counts are kept.
const SearchLogRetention = 400 * 24 * time.Hour

type searchKey struct{ region, query string }

type searchTally struct {
	now, written pendopo.SearchCount // counted so far today, and of that already written
}

// searchLog counts in memory and writes the counts that may be shown.
type searchLog struct {
	mu     sync.Mutex
	day    pendopo.Day
	counts map[searchKey]*searchTally
}

// count records one search; refined is the query searched just before it
// from the results page, if any.
func (l *searchLog) count(day pendopo.Day, region, query string, empty bool, refined string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counts == nil || day != l.day {
		// A new day: what was not written by now was searched once only.
		l.counts, l.day = map[searchKey]*searchTally{}, day
	}
	tally := func(q string) *searchTally {
		k := searchKey{region, q}
		t := l.counts[k]
		if t == nil {
			if len(l.counts) >= searchLogMaxKeys {
				// Full, perhaps of made-up queries: what was searched only
				// once makes room, since it would never be written.
				for k, t := range l.counts {
					if t.now.Searches < searchLogMinCount {
						delete(l.counts, k)
					}
				}
				if len(l.counts) >= searchLogMaxKeys {
					return nil
				}
			}
			t = &searchTally{now: pendopo.SearchCount{Day: day, Region: region, Query: q}}
			l.counts[k] = t
		}
		return t
	}
	if t := tally(query); t != nil {
		t.now.Searches++
		if empty {
			t.now.Empty++
		}
	}
	// Searching again counts only for a query this instance saw searched
	// today, so that a made-up "previous query" is not logged.
	if refined != "" && refined != query {
		if t := l.counts[searchKey{region, refined}]; t != nil {
			t.now.Refined = min(t.now.Refined+1, t.now.Searches)
		}
	}
}

// pending returns the counts to write: what was added since the last
// write, for queries searched often enough.
func (l *searchLog) pending() []pendopo.SearchCount {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []pendopo.SearchCount
	for _, t := range l.counts {
		if t.now.Searches < searchLogMinCount || t.now == t.written {
			continue
		}
		out = append(out, pendopo.SearchCount{Day: t.now.Day, Region: t.now.Region, Query: t.now.Query,
			Searches: t.now.Searches - t.written.Searches, Empty: t.now.Empty - t.written.Empty, Refined: t.now.Refined - t.written.Refined})
	}
	return out
}

// written marks counts as written.
func (l *searchLog) wrote(cs []pendopo.SearchCount) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range cs {
		if t := l.counts[searchKey{c.Region, c.Query}]; t != nil && t.now.Day == c.Day {
			t.written.Searches += c.Searches
			t.written.Empty += c.Empty
			t.written.Refined += c.Refined
			t.written.Day, t.written.Region, t.written.Query = c.Day, c.Region, c.Query
		}
	}
}

// LogSearch counts a search of the portal's search page: query as typed,
// the region searched in, whether it found anything, and the query
// searched just before from the results page ("" if none).
func (a *App) LogSearch(region, query string, found bool, before string) {
	q := pendopo.NormalizeSearchQuery(query)
	if q == "" {
		return
	}
	a.searches.count(pendopo.DayOf(a.now(), pendopo.WIB), region, q, !found, pendopo.NormalizeSearchQuery(before))
}

// FlushSearchLog writes the counts that may be written, and forgets days
// past the retention period.
func (a *App) FlushSearchLog(ctx context.Context) error {
	cs := a.searches.pending()
	if len(cs) > 0 {
		if err := a.store.AddSearchCounts(ctx, cs); err != nil {
			return err
		}
		a.searches.wrote(cs)
	}
	return a.store.DeleteSearchCountsBefore(ctx, pendopo.DayOf(a.now().Add(-SearchLogRetention), pendopo.WIB))
}

// RunSearchLog writes the search log every interval, and once more when
// ctx ends.
func (a *App) RunSearchLog(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			last, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if err := a.FlushSearchLog(last); err != nil {
				a.log.Error("write the search log", "err", err)
			}
			cancel()
			return
		case <-t.C:
			if err := a.FlushSearchLog(ctx); err != nil && !errors.Is(err, context.Canceled) {
				a.log.Error("write the search log", "err", err)
			}
		}
	}
}

// SearchLogDays is how many days the console's search log shows.
const SearchLogDays = 30

// SearchLog returns the queries of the last 30 days within region ("" for
// all, national admins only) that found nothing or were searched again,
// the most frequent problems first.
func (a *App) SearchLog(ctx context.Context, who pendopo.Actor, region string, limit int) ([]pendopo.SearchCount, error) {
	if _, err := who.Authorize(pendopo.ActLearnSearch, pendopo.Scope{Region: region}); err != nil {
		return nil, err
	}
	today := pendopo.DayOf(a.now(), pendopo.WIB)
	cs, err := a.store.SearchCounts(ctx, region, today-SearchLogDays+1, today, limit)
	if err != nil {
		return nil, err
	}
	out := cs[:0]
	for _, c := range cs {
		if c.Empty > 0 || c.Refined > 0 {
			out = append(out, c)
		}
	}
	return out, nil
}

// LearnSynonym makes a query of region's search log find one of the
// region's services: the rule "query => the service's name" joins the
// synonym list, limited to the region. For a national query (region "")
// the rule names a service kind and holds everywhere, which only national
// admins may add. The change is audited.
func (a *App) LearnSynonym(ctx context.Context, who pendopo.Actor, region, query string, serviceID int64, kind string) error {
	// Rights first: a region's log is its admins' (and national admins');
	// the national log only national admins'.
	scope := pendopo.Scope{Region: region}
	role, err := who.Authorize(pendopo.ActLearnSearch, scope)
	if err != nil {
		return err
	}
	q := pendopo.NormalizeSearchQuery(query)
	if q == "" {
		return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("app.query_cannot_be_learnt"))
	}
	var rule string
	switch {
	case region != "" && serviceID != 0:
		s, err := a.store.Service(ctx, serviceID)
		if err != nil {
			return err
		}
		if s.RegionCode != region {
			return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("app.choose_service_query_should_find"))
		}
		rule = "@" + region + " " + q + " => " + synonymPhrase(s.Name)
	case region == "" && kind != "":
		k, err := a.Kind(kind)
		if err != nil {
			return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("app.unknown_service_kind"))
		}
		rule = q + " => " + synonymPhrase(k.Name.Indonesian)
	default:
		return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("app.choose_service_query_should_find"))
	}
	// Only what the log holds for this region (or the whole country) can
	// be learnt: the console offers nothing else.
	today := pendopo.DayOf(a.now(), pendopo.WIB)
	logged, err := a.store.SearchCounts(ctx, region, today-SearchLogDays+1, today, 10*SearchLogShown)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(logged, func(c pendopo.SearchCount) bool { return c.Query == q && c.Region == region }) {
		return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("app.query_not_in_search_log"))
	}
	// Two admins adding at once must not lose either rule: the list is
	// swapped in only over the version it was made from, else made again.
	for range 5 {
		cur, err := a.store.Setting(ctx, SynonymsSetting)
		if err != nil && !errors.Is(err, pendopo.ErrNotFound) {
			return err
		}
		if strings.Contains("\n"+cur+"\n", "\n"+rule+"\n") {
			return nil
		}
		if region != "" && strings.Count("\n"+cur, "\n@"+region+" ") >= maxLearntPerRegion {
			return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("app.too_many_learnt_synonyms", maxLearntPerRegion))
		}
		rules := strings.TrimRight(cur, "\n")
		if rules != "" {
			rules += "\n"
		}
		rules += rule + "\n"
		if len(rules) > 64<<10 {
			return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("app.the_synonym_list_at_most"))
		}
		if _, err := search.ParseSynonyms(rules); err != nil {
			return pendopo.Errorf(pendopo.KindInvalid, pendopo.M("app.query_cannot_be_learnt"))
		}
		e := pendopo.AuditEntry{Action: "synonyms.learn", Entity: "setting", EntityID: SynonymsSetting, Region: scope.Region, Diff: pendopo.Diff(cur, rules)}
		swapped := false
		err = a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
			ok, err := tx.SwapSetting(ctx, SynonymsSetting, cur, rules)
			if err == nil && !ok {
				return errSynonymsChanged
			}
			swapped = ok
			return err
		})
		if errors.Is(err, errSynonymsChanged) {
			continue
		}
		if err != nil {
			return err
		}
		if swapped {
			return a.Sync(ctx)
		}
	}
	return fmt.Errorf("learn synonym: %w", pendopo.ErrConflict)
}

// errSynonymsChanged rolls back a learnt rule whose list changed meanwhile.
var errSynonymsChanged = errors.New("synonym list changed meanwhile")

// maxLearntPerRegion bounds the rules a region's admins add from the
// search log: the list is shared by every region.
const maxLearntPerRegion = 300

// SearchLogShown is how many queries the console lists.
const SearchLogShown = 100

// synonymPhrase makes a name usable on the right of a synonym rule, where
// commas separate phrases and "#" starts a comment.
func synonymPhrase(name string) string {
	return strings.Join(strings.Fields(strings.NewReplacer(",", " ", "#", " ", "=>", " ", "@", " ").Replace(name)), " ")
}

// RegionServices returns the published services of one region (not of
// its province), for choosing the service a query should find.
func (a *App) RegionServices(code string) []pendopo.ServiceSummary {
	return a.index.RegionServices(code)
}
