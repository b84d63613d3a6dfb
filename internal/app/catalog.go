package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/search"
)

// ServiceView is everything a service's public page shows.
type ServiceView struct {
	Service pendopo.Service
	Region  pendopo.Region
	// Parent is the province of a kabupaten/kota; nil for a province.
	Parent *pendopo.Region
	Agency pendopo.Agency
	// Points are the service points that deliver the service.
	Points []pendopo.ServicePoint
	// Versions are the published versions, newest first.
	Versions []pendopo.Version
	Kind     pendopo.ServiceKind
}

// ServiceView returns the public view of a published service; an
// unpublished or unknown one is not found. Views are assembled once and
// kept until the service changes.
func (a *App) ServiceView(ctx context.Context, id int64) (*ServiceView, error) {
	if v, ok := a.views.get(id); ok {
		return v, nil
	}
	gen := a.views.generation()
	v, err := a.assembleView(ctx, id)
	if err != nil {
		return nil, err
	}
	a.views.put(id, v, gen)
	return v, nil
}

func (a *App) assembleView(ctx context.Context, id int64) (*ServiceView, error) {
	s, err := a.store.Service(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.Published() {
		return nil, fmt.Errorf("service %d is not published: %w", id, pendopo.ErrNotFound)
	}
	v := &ServiceView{Service: s, Kind: a.kindOrCode(s.Kind)}
	if v.Region, err = a.Region(ctx, s.RegionCode); err != nil {
		return nil, err
	}
	if v.Region.ParentCode != "" {
		p, err := a.Region(ctx, v.Region.ParentCode)
		if err != nil {
			return nil, err
		}
		v.Parent = &p
	}
	if v.Agency, err = a.store.Agency(ctx, s.RegionCode, s.AgencySlug); err != nil {
		return nil, err
	}
	if len(s.Points) > 0 {
		points, err := a.store.ServicePoints(ctx, s.RegionCode)
		if err != nil {
			return nil, err
		}
		for _, slug := range s.Points {
			if i := slices.IndexFunc(points, func(p pendopo.ServicePoint) bool { return p.Slug == slug }); i >= 0 {
				v.Points = append(v.Points, points[i])
			}
		}
	}
	versions, err := a.store.Versions(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, ver := range versions {
		if ver.Published {
			v.Versions = append(v.Versions, ver)
		}
	}
	return v, nil
}

func (a *App) kindOrCode(code string) pendopo.ServiceKind {
	if k, ok := a.kinds[code]; ok {
		return k
	}
	return pendopo.ServiceKind{Code: code, Name: pendopo.T(code, code)}
}

// NeedsReview reports whether s should be flagged as not reviewed for
// twelve months, by the app's clock.
func (a *App) NeedsReview(s pendopo.Service) bool { return s.NeedsReview(a.now()) }

// PublishedVersion returns a published version of a service with its content.
func (a *App) PublishedVersion(ctx context.Context, id int64, n int) (pendopo.Version, error) {
	v, err := a.store.Version(ctx, id, n)
	if err != nil {
		return v, err
	}
	if !v.Published {
		return v, fmt.Errorf("service %d version %d is not published: %w", id, n, pendopo.ErrNotFound)
	}
	return v, nil
}

func invalidParam(field string, msg pendopo.Text) error {
	var p pendopo.Problems
	p.Add(field, msg)
	return p.Err()
}

// Count is a taxonomy entry with its number of services.
type Count struct {
	Code  string
	Title pendopo.Text
	N     int
}

// RegionHome is what a region's home page shows.
type RegionHome struct {
	Region   pendopo.Region
	Parent   *pendopo.Region
	Children []pendopo.Region // kabupaten/kota of a province
	Agencies []pendopo.Agency
	Points   []pendopo.ServicePoint
	// Categories and LifeEvents count the region's services, in the
	// national order; entries without services are left out.
	Categories []Count
	LifeEvents []Count
	// Recent are the most recently updated services.
	Recent []pendopo.ServiceSummary
	// Stale counts services not reviewed for twelve months.
	Stale int
	// Online counts the services citizens can apply for in Pendopo.
	Online int
	// Popular are the services people come for most: the region's own
	// count of applications over the last twelve months first, then the
	// national prior of how often a kind is needed; one per kind.
	Popular []pendopo.ServiceSummary
	// Joined tells whether the region takes reports (App.Joined).
	Joined bool
}

// popularCount is how many services a region's home page leads with.
const popularCount = 6

// RegionHome gathers a region's home page.
func (a *App) RegionHome(ctx context.Context, code string) (*RegionHome, error) {
	r, err := a.Region(ctx, code)
	if err != nil {
		return nil, err
	}
	h := &RegionHome{Region: r}
	if h.Joined, err = a.Joined(ctx, code); err != nil {
		return nil, err
	}
	if r.ParentCode != "" {
		p, err := a.Region(ctx, r.ParentCode)
		if err != nil {
			return nil, err
		}
		h.Parent = &p
	} else {
		h.Children = a.children(code)
	}
	if h.Agencies, _, err = a.store.Agencies(ctx, code, pendopo.Page{PerPage: pendopo.MaxPerPage}); err != nil {
		return nil, err
	}
	if h.Points, err = a.store.ServicePoints(ctx, code); err != nil {
		return nil, err
	}
	// The index holds every published service's summary: counting from it
	// spares the database a read of the whole region on every visit.
	all := a.index.RegionServices(code)
	slices.SortFunc(all, func(x, y pendopo.ServiceSummary) int {
		if c := y.UpdatedAt.Compare(x.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	cats := map[string]int{}
	events := map[string]int{}
	now := a.now()
	for _, s := range all {
		cats[s.Category]++
		for _, e := range s.LifeEvents {
			events[e]++
		}
		if (pendopo.Service{ReviewedAt: s.ReviewedAt}).NeedsReview(now) {
			h.Stale++
		}
	}
	for _, c := range pendopo.Categories {
		if cats[c.Code] > 0 {
			h.Categories = append(h.Categories, Count{c.Code, c.Title, cats[c.Code]})
		}
	}
	for _, e := range pendopo.LifeEvents {
		if events[e.Code] > 0 {
			h.LifeEvents = append(h.LifeEvents, Count{e.Code, e.Title, events[e.Code]})
		}
	}
	h.Recent = a.markReview(all[:min(5, len(all))])
	if h.Popular, err = a.popular(ctx, code, all); err != nil {
		return nil, err
	}
	online, err := a.OnlineServices(ctx, code)
	if err != nil {
		return nil, err
	}
	h.Online = len(online)
	return h, nil
}

func (a *App) markReview(l []pendopo.ServiceSummary) []pendopo.ServiceSummary {
	now := a.now()
	for i := range l {
		l[i].NeedsReview = (pendopo.Service{ReviewedAt: l[i].ReviewedAt}).NeedsReview(now)
		// Whether the standard is complete and the service online is
		// read from its content, which the index has summed up; the
		// store's lists do not read the content.
		if s, ok := a.index.Summary(l[i].ID); ok && s.Version == l[i].Version {
			l[i].Complete, l[i].Online = s.Complete, s.Online
		}
	}
	return l
}

// Services lists published services; filters are checked first.
func (a *App) Services(ctx context.Context, f pendopo.ServiceFilter) ([]pendopo.ServiceSummary, int, error) {
	var p pendopo.Problems
	if f.Category != "" {
		if _, ok := pendopo.CategoryByCode(f.Category); !ok {
			return nil, 0, fmt.Errorf("category %q: %w", f.Category, pendopo.ErrNotFound)
		}
	}
	if f.LifeEvent != "" {
		if _, ok := pendopo.LifeEventByCode(f.LifeEvent); !ok {
			return nil, 0, fmt.Errorf("life event %q: %w", f.LifeEvent, pendopo.ErrNotFound)
		}
	}
	if f.Sort != "" && !f.Sort.Valid() {
		p.Add("sort", pendopo.M("app.unknown_sort_order"))
	}
	if err := p.Err(); err != nil {
		return nil, 0, err
	}
	f.Drafts = false
	l, n, err := a.store.Services(ctx, f)
	return a.markReview(l), n, err
}

// Comparison is one service kind across regions.
type Comparison struct {
	Kind     pendopo.ServiceKind
	Services []pendopo.ServiceSummary
	// Fastest and Slowest are durations in working days (0 = same day).
	Fastest, Slowest int
	// MedianDays is the median duration; with an even count, the mean of
	// the middle two.
	MedianDays float64
	Free       int // services without a fee
}

// Compare lists every region's published service of kind, sorted.
func (a *App) Compare(ctx context.Context, kind string, sort pendopo.ServiceSort, desc bool) (*Comparison, error) {
	k, err := a.Kind(kind)
	if err != nil {
		return nil, err
	}
	if sort == "" {
		sort = pendopo.SortDuration
	}
	l, _, err := a.Services(ctx, pendopo.ServiceFilter{Kind: kind, Sort: sort, Desc: desc, Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
	if err != nil {
		return nil, err
	}
	c := &Comparison{Kind: k, Services: l}
	if len(l) > 0 {
		days := make([]int, len(l))
		for i, s := range l {
			days[i] = s.Duration.Days()
			if s.Fee.Type == pendopo.FeeFree {
				c.Free++
			}
		}
		slices.Sort(days)
		c.Fastest, c.Slowest = days[0], days[len(days)-1]
		if n := len(days); n%2 == 1 {
			c.MedianDays = float64(days[n/2])
		} else {
			c.MedianDays = float64(days[n/2-1]+days[n/2]) / 2
		}
	}
	return c, nil
}

// KindCount is a service kind with the number of published services of it.
type KindCount struct {
	Kind     pendopo.ServiceKind
	Services int
}

// popular ranks a region's services by the applications received in the
// last twelve months (one query over the monthly figures), then by how
// often their kind is needed nationally, keeping one service per kind so
// that six variants of one permit do not crowd out the rest.
func (a *App) popular(ctx context.Context, region string, all []pendopo.ServiceSummary) ([]pendopo.ServiceSummary, error) {
	to := pendopo.MonthOf(pendopo.DayOf(a.now(), pendopo.RegionZone(region)))
	rows, err := a.store.StatRows(ctx, pendopo.StatFilter{Region: region, GroupBy: "service", From: to.Add(-11), To: to,
		Totals: true, Metrics: []pendopo.Metric{pendopo.MetricAppReceived}})
	if err != nil {
		return nil, fmt.Errorf("popular services of %s: %w", region, err)
	}
	received := make(map[int64]int64, len(rows))
	for _, r := range rows {
		received[r.ServiceID] += r.N
	}
	ranked := slices.Clone(all)
	slices.SortStableFunc(ranked, func(x, y pendopo.ServiceSummary) int {
		if c := cmp.Compare(received[y.ID], received[x.ID]); c != 0 {
			return c
		}
		if c := cmp.Compare(a.kinds[y.Kind].Weight, a.kinds[x.Kind].Weight); c != 0 {
			return c
		}
		return cmp.Compare(x.Name, y.Name)
	})
	var out []pendopo.ServiceSummary
	seen := map[string]bool{}
	for _, s := range ranked {
		if len(out) == popularCount {
			break
		}
		if s.Kind != "" {
			if seen[s.Kind] {
				continue
			}
			seen[s.Kind] = true
		} else if received[s.ID] == 0 {
			continue // nothing says people need it
		}
		out = append(out, s)
	}
	return a.markReview(out), nil
}

// PopularKinds lists up to n kinds that regions publish, those citizens
// need most often first (the national prior of the kinds' list), for a
// visitor whose region is not known yet.
func (a *App) PopularKinds(n int) []KindCount {
	out := a.ComparableKinds()
	slices.SortStableFunc(out, func(x, y KindCount) int { return cmp.Compare(y.Kind.Weight, x.Kind.Weight) })
	return out[:min(n, len(out))]
}

// ComparableKinds lists the kinds with at least two published services,
// the most widespread first.
func (a *App) ComparableKinds() []KindCount {
	counts := a.index.KindCounts()
	var out []KindCount
	for code, n := range counts {
		if n >= 2 {
			out = append(out, KindCount{a.kindOrCode(code), n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Services != out[j].Services {
			return out[i].Services > out[j].Services
		}
		if out[i].Kind.Weight != out[j].Kind.Weight {
			return out[i].Kind.Weight > out[j].Kind.Weight
		}
		return out[i].Kind.Name.Indonesian < out[j].Kind.Name.Indonesian
	})
	return out
}

// KindCount returns the number of published services of a kind.
func (a *App) KindCount(kind string) int { return a.index.KindCount(kind) }

// SearchResult is a search with its parsed query.
type SearchResult struct {
	Query  search.Query
	Region *pendopo.Region
	search.Result
	// OtherRegions are, when a region was searched, services of other
	// regions of kinds the region's results lack: shown after the region's
	// own, labelled with their region.
	OtherRegions []search.Hit
	// Leading are answers other than the region's services that the
	// lexicon finds at least as likely as any service kind: report a
	// problem ("lampu jalan mati"), or another institution's service
	// ("perpanjang sim"). The page shows them above the services; Trailing
	// ones after.
	Leading, Trailing []search.Match
}

// minSuggestCoverage is the share of a query a report category or another
// institution's service must explain to be offered at all, and
// minSuggestShare the share of the best such answer's score: "lampu jalan
// mati" is about street lighting, not about a power cut ("mati lampu").
const (
	minSuggestCoverage = 0.5
	minSuggestShare    = 0.6
)

// Search finds published services matching what a citizen typed, within
// region when it is set.
func (a *App) Search(ctx context.Context, q, region string, page pendopo.Page) (*SearchResult, error) {
	res := &SearchResult{Query: search.ParseQuery(q)}
	if region != "" {
		r, err := a.Region(ctx, region)
		if errors.Is(err, pendopo.ErrNotFound) {
			return nil, invalidParam("region", pendopo.M("app.unknown_region"))
		}
		if err != nil {
			return nil, err
		}
		res.Region = &r
	}
	res.Result = a.index.Search(res.Query, search.Options{Region: region, Page: page})
	if page.Page <= 1 {
		var best float32
		for _, m := range append(res.Reports, res.Elsewhere...) {
			best = max(best, m.Score)
		}
		for _, m := range append(res.Reports, res.Elsewhere...) {
			switch {
			case m.Coverage < minSuggestCoverage || m.Score < best*minSuggestShare:
			case len(res.Hits) == 0 || m.Score > res.KindScore:
				res.Leading = append(res.Leading, m)
			case !m.Partial:
				// Below the services only what the query named in full:
				// "birth certificate" is no "birth certificate delayed".
				res.Trailing = append(res.Trailing, m)
			}
		}
		byScore := func(a, b search.Match) int { return cmp.Compare(b.Score, a.Score) }
		slices.SortStableFunc(res.Leading, byScore)
		slices.SortStableFunc(res.Trailing, byScore)
		// When the region has little or nothing for the query, other
		// regions' services may show what to look for, or where.
		if region != "" && res.Total < minRegionHits {
			res.OtherRegions = a.otherRegions(res, region)
		}
	}
	now := a.now()
	for _, hs := range [][]search.Hit{res.Hits, res.OtherRegions} {
		for i := range hs {
			hs[i].NeedsReview = (pendopo.Service{ReviewedAt: hs[i].ReviewedAt}).NeedsReview(now)
		}
	}
	return res, nil
}

// minRegionHits is how few results a regional search has before other
// regions' services are added.
const minRegionHits = 3

// maxOtherRegions is how many services of other regions a regional
// search adds.
const maxOtherRegions = 5

// otherRegions searches the whole country for what res, a search within
// region, did not find: services of other regions, of kinds the query
// names by the lexicon and none of the region's hits has.
func (a *App) otherRegions(res *SearchResult, region string) []search.Hit {
	named := map[string]bool{}
	for _, k := range res.Kinds {
		named[k.Code] = true
	}
	if len(named) == 0 {
		return nil
	}
	have := map[string]bool{}
	for _, h := range res.Hits {
		have[h.Kind] = true
	}
	all := a.index.Search(res.Query, search.Options{Page: pendopo.Page{PerPage: 4 * maxOtherRegions}})
	var out []search.Hit
	for _, h := range all.Hits {
		if pendopo.Covers(h.RegionCode, region) || have[h.Kind] || !named[h.Kind] {
			continue
		}
		have[h.Kind] = true
		out = append(out, h)
		if len(out) == maxOtherRegions {
			break
		}
	}
	return out
}

// SearchRegions finds regions whose name contains every word of q, for the
// "choose your region" box. It scans the 552 names in memory.
func (a *App) SearchRegions(ctx context.Context, q string, limit int) ([]pendopo.Region, error) {
	var words []string
	for _, w := range search.Words(q) {
		// Words every region name has say nothing about which one.
		switch w {
		case "kabupaten", "kab", "kota", "provinsi", "prov", "daerah":
			continue
		}
		words = append(words, w)
	}
	if len(words) == 0 {
		return nil, nil
	}
	c := a.regions.Load()
	var out []pendopo.Region
	for i, r := range c.list {
		name := c.words[i]
		ok := true
		for _, w := range words {
			if !slices.ContainsFunc(name, func(n string) bool { return strings.HasPrefix(n, w) }) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, r)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// Stats returns the national figures, as counted at the last change.
func (a *App) Stats(ctx context.Context) (pendopo.Stats, error) {
	if s := a.stats.Load(); s != nil {
		return *s, nil
	}
	return a.store.Stats(ctx)
}

// viewCache keeps assembled service views, bounded in size. A view read
// from the database while a change was applied is not kept, so the cache
// never holds a view older than the last Sync.
type viewCache struct {
	mu  sync.RWMutex
	max int
	gen uint64 // counts drops
	m   map[int64]*ServiceView
}

func (c *viewCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

func newViewCache(n int) *viewCache { return &viewCache{max: n, m: make(map[int64]*ServiceView)} }

func (c *viewCache) get(id int64) (*ServiceView, bool) {
	c.mu.RLock()
	v, ok := c.m[id]
	c.mu.RUnlock()
	return v, ok
}

func (c *viewCache) put(id int64, v *ServiceView, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= c.max {
		// Drop an arbitrary entry; map order is random enough.
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[id] = v
}

func (c *viewCache) drop(id int64) {
	c.mu.Lock()
	delete(c.m, id)
	c.gen++
	c.mu.Unlock()
}
