package search

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pendopo/pendopo"
)

// Field is a part of a service that search weighs on its own.
type Field uint8

// Fields, from the most telling to the least.
const (
	FieldName     Field = iota // the service's name
	FieldKind                  // the national kind's name and code
	FieldSummary               // summary and product
	FieldAgency                // agency name and short name
	FieldTaxonomy              // category and life events
	FieldBody                  // requirements and procedure
	numFields
)

// fieldWeight says how much a word counts in each field. Requirements
// mention other documents ("fotokopi KTP") in many services, so the body
// counts little; the name counts most.
var fieldWeight = [numFields]float32{5, 3, 1.5, 1, 1, 0.25}

// BM25 parameters: short documents, so length matters less than usual.
const (
	bm25K1 = 1.2
	bm25B  = 0.5
)

// Doc is a service as the index sees it.
type Doc struct {
	// Service is returned with each hit, so that results render without
	// another look-up.
	Service pendopo.ServiceSummary
	// Weight in [0,1] is how commonly citizens need this kind of service.
	Weight float64
	Text   [numFields]string
}

// Hit is one search result.
type Hit struct {
	pendopo.ServiceSummary
	Score float64 `json:"score"`
}

// Result is one page of results.
type Result struct {
	Hits  []Hit
	Total int
	// Corrections maps misspelt words of the query to the words searched
	// instead ("kelahrian" → "kelahiran").
	Corrections map[string]string
	// Coverage is the share of the query the first hit explains, by its
	// own words or its kind's lexicon, in [0,1].
	Coverage float32
	// Reports are the report categories whose problems the query names
	// ("lampu jalan mati"), best first.
	Reports []Match
	// Elsewhere are services of other institutions the query names
	// ("perpanjang sim"), best first.
	Elsewhere []Match
	// Kinds are the service kinds the query names by the lexicon, best
	// first.
	Kinds []Match
	// KindScore is the score of the service kind the lexicon finds best
	// named by the query, 0 when none: a report category or another
	// institution's service that scores as high is at least as likely
	// what the query means.
	KindScore float32
}

// posting is one document containing a word, in 8 bytes: the national
// catalog has millions of them.
type posting struct {
	doc uint32
	// tf is the weighted term frequency in 1/64ths (see tfScale).
	tf     uint16
	fields uint8 // bit f set when the term occurs in field f
}

// tfScale is the fixed-point scale of posting.tf.
const tfScale = 64

func (p posting) weight() float32 { return float32(p.tf) / tfScale }

type docEntry struct {
	svc    pendopo.ServiceSummary
	length float32
	weight float32
	// region and province number the region codes (see Index.regionID),
	// so that filtering compares integers.
	region, province uint16
	dead             bool
}

type surface struct {
	stem string
	df   int
	mask uint32 // letters present, for a cheap edit-distance bound
}

// Index is an in-memory inverted index of services. It is safe for
// concurrent use: searches share a read lock, updates take the write lock.
type Index struct {
	mu    sync.RWMutex
	docs  []docEntry
	byID  map[int64]uint32
	terms map[string][]posting
	// tell holds, per stem, the postings of documents that have the word
	// outside their requirements and procedure (a subset of terms).
	tell     map[string][]posting
	surfaces map[string]*surface
	byLen    [maxTokenLen + 1][]string // surfaces by length, for typo search
	live     int
	totalLen float64
	kinds    map[string]int // live documents per service kind
	regions  map[string]int // live documents per region code

	// regionIDs numbers region codes as documents arrive.
	regionIDs map[string]uint16

	syn      atomic.Pointer[Synonyms]
	concepts atomic.Pointer[Concepts]
	pool     sync.Pool // *scratch

	// idf caches termIDF per stem; gen counts changes to the index, and a
	// cached value from an older generation is recomputed.
	gen atomic.Uint64
	idf sync.Map // stem → idfEntry

	// results caches recent results; an entry from an older generation of
	// the index is stale. Citizens ask the same few questions ("ktp", "akta
	// kelahiran") over and over.
	resMu    sync.Mutex
	results  map[resultKey]cachedResult
	resLimit int
}

type resultKey struct {
	query         string
	region        string
	page, perPage int
}

type cachedResult struct {
	gen uint64
	res Result
}

// SetResultCache keeps up to n recent results; 0 turns the cache off.
func (ix *Index) SetResultCache(n int) {
	ix.resMu.Lock()
	defer ix.resMu.Unlock()
	ix.resLimit = n
	ix.results = make(map[resultKey]cachedResult, min(n, 1024))
}

// key is a canonical form of the query: what was typed after folding,
// stemming and dropping stop words, so "Bikin KTP!" and "bikin ktp" share.
func (q Query) key() string {
	var b strings.Builder
	for _, t := range q.Terms {
		switch {
		case t.Exclude:
			b.WriteByte('-')
		case t.Noise:
			b.WriteByte('~')
		case t.Phrase > 0:
			fmt.Fprintf(&b, "\"%d", t.Phrase)
		}
		b.WriteString(t.Surface)
		b.WriteByte(' ')
	}
	return b.String()
}

type idfEntry struct {
	gen uint64
	idf float32
}

// regionID numbers a region code; callers hold the write lock.
func (ix *Index) regionID(code string) uint16 {
	id, ok := ix.regionIDs[code]
	if !ok {
		id = uint16(len(ix.regionIDs) + 1)
		ix.regionIDs[code] = id
	}
	return id
}

// regionFilter keeps documents of one region: a province keeps its
// kabupaten/kota; a kabupaten/kota keeps its province, whose services
// (vehicle tax, senior high schools) its residents use too.
type regionFilter struct {
	on               bool
	region, province uint16
	// kabkota is set when the filter is a kabupaten/kota.
	kabkota bool
}

func (ix *Index) filterFor(code string) regionFilter {
	if code == "" {
		return regionFilter{}
	}
	f := regionFilter{on: true, region: ix.regionIDs[code], province: ix.regionIDs[code[:min(2, len(code))]], kabkota: len(code) == 5}
	if f.region == 0 && !f.kabkota {
		// A province without services of its own may still have kab/kota.
		f.region = 0xffff
	}
	return f
}

func (f regionFilter) keep(d *docEntry) bool {
	switch {
	case !f.on:
		return true
	case f.kabkota:
		return d.region == f.region && f.region != 0 || d.region == f.province && f.province != 0
	}
	return d.province == f.province && f.province != 0
}

// NewIndex returns an empty index using syn (which may be nil).
func NewIndex(syn *Synonyms) *Index {
	ix := &Index{byID: map[int64]uint32{}, terms: map[string][]posting{}, tell: map[string][]posting{}, surfaces: map[string]*surface{}, kinds: map[string]int{}, regions: map[string]int{}, regionIDs: map[string]uint16{}}
	ix.syn.Store(syn)
	return ix
}

// SetSynonyms replaces the synonym list used by later searches.
func (ix *Index) SetSynonyms(s *Synonyms) {
	ix.syn.Store(s)
	ix.gen.Add(1) // cached results used the old list
}

// SetConcepts replaces the lexicon used by later searches.
func (ix *Index) SetConcepts(c *Concepts) {
	ix.concepts.Store(c)
	ix.gen.Add(1)
}

// kindTerm is the postings key that lists the documents of a service
// kind: no query word can be it.
func kindTerm(kind string) string { return "\x00" + kind }

// Len reports the number of documents in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// Put adds a service or replaces its earlier version.
func (ix *Index) Put(d Doc) {
	type tf struct {
		tf     float32
		fields uint8
	}
	counts := map[string]*tf{}
	var length float32
	var words []Token
	for f := range numFields {
		for _, t := range Analyze(d.Text[f]) {
			c := counts[t.Stem]
			if c == nil {
				c = &tf{}
				counts[t.Stem] = c
			}
			c.tf += fieldWeight[f]
			c.fields |= 1 << f
			length += fieldWeight[f]
			words = append(words, t)
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.deleteLocked(d.Service.ID)
	n := uint32(len(ix.docs))
	code := d.Service.RegionCode
	ix.docs = append(ix.docs, docEntry{svc: d.Service, length: length, weight: float32(d.Weight),
		region: ix.regionID(code), province: ix.regionID(code[:min(2, len(code))])})
	ix.gen.Add(1)
	ix.byID[d.Service.ID] = n
	ix.live++
	ix.totalLen += float64(length)
	ix.kinds[d.Service.Kind]++
	ix.regions[d.Service.RegionCode]++
	if k := d.Service.Kind; k != "" {
		ix.terms[kindTerm(k)] = append(ix.terms[kindTerm(k)], posting{doc: n})
	}
	for stem, c := range counts {
		p := posting{doc: n, tf: uint16(min(c.tf*tfScale, math.MaxUint16)), fields: c.fields}
		ix.terms[stem] = append(ix.terms[stem], p)
		if p.fields&^(1<<FieldBody) != 0 {
			ix.tell[stem] = append(ix.tell[stem], p)
		}
	}
	seen := map[string]bool{}
	for _, w := range words {
		if seen[w.Surface] {
			continue
		}
		seen[w.Surface] = true
		s := ix.surfaces[w.Surface]
		if s == nil {
			s = &surface{stem: w.Stem, mask: letterMask(w.Surface)}
			ix.surfaces[w.Surface] = s
			if l := len(w.Surface); l <= maxTokenLen {
				ix.byLen[l] = append(ix.byLen[l], w.Surface)
			}
		}
		s.df++
	}
}

// Trim gives back the spare capacity of the postings lists; call it after
// loading many documents at once.
func (ix *Index) Trim() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, m := range []map[string][]posting{ix.terms, ix.tell} {
		for stem, ps := range m {
			if cap(ps) > len(ps) {
				m[stem] = slices.Clone(ps)
			}
		}
	}
	for i := range ix.byLen {
		ix.byLen[i] = slices.Clip(ix.byLen[i])
	}
}

// Summary returns the indexed summary of a service.
func (ix *Index) Summary(id int64) (pendopo.ServiceSummary, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n, ok := ix.byID[id]
	if !ok {
		return pendopo.ServiceSummary{}, false
	}
	return ix.docs[n].svc, true
}

// KindCount returns the number of indexed services of one kind.
func (ix *Index) KindCount(kind string) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.kinds[kind]
}

// RegionServices returns the summaries of the indexed services of one
// region (not of its province or kabupaten/kota).
func (ix *Index) RegionServices(code string) []pendopo.ServiceSummary {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	id, ok := ix.regionIDs[code]
	if !ok {
		return nil
	}
	var out []pendopo.ServiceSummary
	for i := range ix.docs {
		if d := &ix.docs[i]; d.region == id && !d.dead {
			out = append(out, d.svc)
		}
	}
	return out
}

// Each calls fn with the summary of every indexed service, in one pass
// under the index's read lock (fn must not call back into the index).
func (ix *Index) Each(fn func(*pendopo.ServiceSummary)) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for i := range ix.docs {
		if d := &ix.docs[i]; !d.dead {
			fn(&d.svc)
		}
	}
}

// RegionCount returns the number of regions with indexed services.
func (ix *Index) RegionCount() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.regions)
}

// RegionCounts returns the number of indexed services per region code.
func (ix *Index) RegionCounts() map[string]int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return maps.Clone(ix.regions)
}

// KindCounts returns the number of indexed services per service kind.
func (ix *Index) KindCounts() map[string]int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return maps.Clone(ix.kinds)
}

// Delete removes a service; removing an absent one does nothing.
func (ix *Index) Delete(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.deleteLocked(id)
}

func (ix *Index) deleteLocked(id int64) {
	n, ok := ix.byID[id]
	if !ok {
		return
	}
	delete(ix.byID, id)
	d := &ix.docs[n]
	d.dead = true
	ix.gen.Add(1)
	ix.live--
	if ix.kinds[d.svc.Kind]--; ix.kinds[d.svc.Kind] <= 0 {
		delete(ix.kinds, d.svc.Kind)
	}
	if ix.regions[d.svc.RegionCode]--; ix.regions[d.svc.RegionCode] <= 0 {
		delete(ix.regions, d.svc.RegionCode)
	}
	ix.totalLen -= float64(d.length)
	if dead := len(ix.docs) - ix.live; dead > 1024 && dead > ix.live/4 {
		ix.compactLocked()
	}
}

// compactLocked drops dead documents from the postings and renumbers the
// rest, keeping every postings list sorted by document number.
func (ix *Index) compactLocked() {
	renum := make([]uint32, len(ix.docs))
	docs := make([]docEntry, 0, ix.live)
	for i, d := range ix.docs {
		if d.dead {
			renum[i] = math.MaxUint32
			continue
		}
		renum[i] = uint32(len(docs))
		ix.byID[d.svc.ID] = uint32(len(docs))
		docs = append(docs, d)
	}
	ix.docs = docs
	for _, m := range []map[string][]posting{ix.terms, ix.tell} {
		for stem, ps := range m {
			out := ps[:0]
			for _, p := range ps {
				if n := renum[p.doc]; n != math.MaxUint32 {
					p.doc = n
					out = append(out, p)
				}
			}
			if len(out) == 0 {
				delete(m, stem)
			} else {
				m[stem] = slices.Clip(out)
			}
		}
	}
}

// tellEnough is how many documents must have a word outside their
// requirements and procedure for search to score only those: when "ktp"
// names hundreds of services, the thousands that merely ask for a
// "fotokopi KTP" would fall under the relative score cut anyway, and
// skipping them keeps national searches fast.
const tellEnough = 64

// scoringList returns the postings a search scores for stem.
func (ix *Index) scoringList(stem string) []posting {
	if t := ix.tell[stem]; len(t) >= tellEnough {
		return t
	}
	return ix.terms[stem]
}

func letterMask(w string) uint32 {
	var m uint32
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'a' && c <= 'z' {
			m |= 1 << (c - 'a')
		} else if c >= '0' && c <= '9' {
			m |= 1 << (26 + (c-'0')%6)
		}
	}
	return m
}

// Options narrow and page a search.
type Options struct {
	// Region keeps services of that region; a province code also keeps
	// its kabupaten and kota.
	Region string
	Page   pendopo.Page
}

// alternative is one way to match a slot: a phrase of stems, all of which
// must occur in a document, with a factor below 1 for synonyms and
// corrections.
type alternative struct {
	stems  []string
	factor float32
}

// slot is one part of the query: a word, a phrase, or a span that a
// synonym rule covers.
type slot struct {
	alts     []alternative
	required bool
	// weight is how much matching the slot tells: the inverse document
	// frequency of what was typed. Missing a common word ("buat") costs a
	// document little, missing a rare one ("ktp") a lot.
	weight float32
}

// scratch holds per-document accumulators for one search; it is pooled
// because the arrays span the whole index.
type scratch struct {
	best     []float32 // best alternative score of the current slot
	nameNow  []bool    // the current slot's best match is in the name
	total    []float32
	matched  []uint8
	matchedW []float32 // summed weight of the matched slots
	reqHit   []uint8
	inName   []uint8
	bad      []bool
	seen     []bool
	kind     []float32 // how well the document's kind matches the query
	touched  []uint32  // docs with any accumulator set
	slotHits []uint32  // docs matched by the current slot
	cands    []scored  // matching docs with their final scores
	pre      []candidate
}

// candidate is a matched document before its final score: its words'
// score and how much of the query it explains.
type candidate struct {
	doc         uint32
	text, cover float64
}

func (ix *Index) getScratch(n int) *scratch {
	s, _ := ix.pool.Get().(*scratch)
	if s == nil || len(s.best) < n {
		n += n/4 + 64
		s = &scratch{best: make([]float32, n), nameNow: make([]bool, n), total: make([]float32, n), matched: make([]uint8, n), matchedW: make([]float32, n),
			reqHit: make([]uint8, n), inName: make([]uint8, n), bad: make([]bool, n), seen: make([]bool, n), kind: make([]float32, n)}
	}
	return s
}

func (ix *Index) putScratch(s *scratch) {
	for _, d := range s.touched {
		s.total[d], s.matched[d], s.matchedW[d], s.reqHit[d], s.inName[d], s.bad[d], s.seen[d], s.kind[d] = 0, 0, 0, 0, 0, false, false, 0
	}
	s.touched, s.slotHits, s.cands, s.pre = s.touched[:0], s.slotHits[:0], s.cands[:0], s.pre[:0]
	ix.pool.Put(s)
}

func (s *scratch) touch(d uint32) {
	if !s.seen[d] {
		s.seen[d] = true
		s.touched = append(s.touched, d)
	}
}

// Search runs q and returns one page of hits, best first. Results may come
// from the result cache; the caller owns the returned slices.
func (ix *Index) Search(q Query, opt Options) Result {
	page := opt.Page.Normalize()
	key := resultKey{q.key(), opt.Region, page.Page, page.PerPage}
	gen := ix.gen.Load()
	ix.resMu.Lock()
	c, ok := ix.results[key]
	ix.resMu.Unlock()
	if ok && c.gen == gen {
		return c.res.clone()
	}
	res := ix.search(q, opt, page)
	ix.resMu.Lock()
	if ix.resLimit > 0 {
		if len(ix.results) >= ix.resLimit {
			clear(ix.results)
		}
		ix.results[key] = cachedResult{gen, res.clone()}
	}
	ix.resMu.Unlock()
	return res
}

func (r Result) clone() Result {
	r.Hits = slices.Clone(r.Hits)
	r.Corrections = maps.Clone(r.Corrections)
	r.Reports = slices.Clone(r.Reports)
	r.Elsewhere = slices.Clone(r.Elsewhere)
	r.Kinds = slices.Clone(r.Kinds)
	return r
}

func (ix *Index) search(q Query, opt Options, page pendopo.Page) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	slots, excluded, corrections := ix.plan(q, opt.Region)
	res := Result{Corrections: corrections}
	words, noise := conceptWords(q)
	matches := ix.concepts.Load().Match(words, noise, func(w string) bool { return ix.surfaces[w] != nil })
	var kinds []Match
	for _, m := range matches {
		switch m.Kind {
		case ConceptService:
			kinds = append(kinds, m)
		case ConceptReport:
			res.Reports = append(res.Reports, m)
		case ConceptElsewhere:
			res.Elsewhere = append(res.Elsewhere, m)
		}
	}
	if len(kinds) > 0 {
		res.KindScore, res.Kinds = kinds[0].Score, kinds
	}
	if len(slots) == 0 && len(kinds) == 0 {
		return res
	}
	s := ix.getScratch(len(ix.docs))
	defer ix.putScratch(s)

	avg := float32(1)
	if ix.live > 0 {
		avg = float32(ix.totalLen / float64(ix.live))
	}
	for _, stem := range excluded {
		for _, p := range ix.terms[stem] {
			s.touch(p.doc)
			s.bad[p.doc] = true
		}
	}
	required := 0
	var weights float32
	for i := range slots {
		slots[i].weight = ix.slotWeight(slots[i])
		weights += slots[i].weight
	}
	filter := ix.filterFor(opt.Region)
	// The most telling slots go first. A slot whose words are so common
	// that its documents far outnumber those found so far ("surat", "daftar")
	// then only adds to those documents: alone it could not reach the share
	// of the query a result needs, and scoring thousands of documents for it
	// is what made nationwide searches slow.
	order := make([]int, len(slots))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(slots[b].weight, slots[a].weight) })
	for _, si := range order {
		sl := slots[si]
		s.slotHits = s.slotHits[:0]
		onlySeen := false
		if found := len(s.touched); found > 0 && !sl.required && len(slots) > 1 {
			onlySeen = ix.slotSize(sl) > commonFactor*found
		}
		for _, alt := range sl.alts {
			ix.scoreAlternative(s, alt, avg, filter, onlySeen)
		}
		if sl.required {
			required++
		}
		for _, d := range s.slotHits {
			s.touch(d)
			s.total[d] += s.best[d]
			s.matched[d]++
			s.matchedW[d] += sl.weight
			if sl.required {
				s.reqHit[d]++
			}
			if s.nameNow[d] {
				s.inName[d]++
			}
			s.best[d], s.nameNow[d] = 0, false
		}
	}
	// Services whose kind the query names, by any name in the lexicon,
	// count even when their own words do not match ("residence letter"
	// finds a Surat Keterangan Domisili).
	for _, m := range kinds {
		k := m.Score / kinds[0].Score * m.Coverage
		for _, p := range ix.terms[kindTerm(m.Code)] {
			d := &ix.docs[p.doc]
			if d.dead || !filter.keep(d) {
				continue
			}
			s.touch(p.doc)
			s.kind[p.doc] = max(s.kind[p.doc], k)
		}
	}
	return ix.collect(s, len(slots), weights, required, opt.Region, page, res)
}

// commonFactor is how many times more documents than found so far a slot
// must have to only add to those documents.
const commonFactor = 8

// slotSize estimates how many documents a slot would score: the longest
// of its alternatives' shortest lists.
func (ix *Index) slotSize(sl slot) int {
	size := 0
	for _, alt := range sl.alts {
		shortest := -1
		for _, st := range alt.stems {
			if n := len(ix.scoringList(st)); shortest < 0 || n < shortest {
				shortest = n
			}
		}
		size = max(size, shortest)
	}
	return size
}

// slotWeight is the mean inverse document frequency of the first
// alternative of a slot whose words are all indexed, or 0.
func (ix *Index) slotWeight(sl slot) float32 {
	for _, alt := range sl.alts {
		var w float32
		ok := true
		for _, st := range alt.stems {
			if len(ix.terms[st]) == 0 {
				ok = false
				break
			}
			w += ix.termIDF(st)
		}
		if ok {
			w /= float32(len(alt.stems))
			if len(alt.stems) == 1 && lightStems[alt.stems[0]] {
				w *= 0.2
			}
			return w
		}
	}
	return 0
}

// lightStems are verbs that say what the citizen wants to do with a
// document rather than which one ("bikin ktp", "urus akta"): matching them
// counts, missing them costs little.
var lightStems = toSet("buat bikin urus ngurus aju ajukan minta mohon dapat punya cetak proses")

// termIDF is the inverse document frequency of a stem, counting only the
// documents that have it outside the requirements and procedure when there
// are any: nearly every service asks for a "fotokopi KTP", but few are
// about the KTP, and those decide how telling the word is.
func (ix *Index) termIDF(stem string) float32 {
	gen := ix.gen.Load()
	if e, ok := ix.idf.Load(stem); ok && e.(idfEntry).gen == gen {
		return e.(idfEntry).idf
	}
	live := func(l []posting) (n int) {
		for _, p := range l {
			if !ix.docs[p.doc].dead {
				n++
			}
		}
		return n
	}
	df := live(ix.tell[stem])
	if df == 0 {
		df = live(ix.terms[stem])
	}
	n := float64(ix.live)
	idf := float32(math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5)))
	ix.idf.Store(stem, idfEntry{gen, idf})
	return idf
}

// scoreAlternative scores every live document that contains all stems of
// alt and keeps, per document, the best score of the current slot.
func (ix *Index) scoreAlternative(s *scratch, alt alternative, avg float32, filter regionFilter, onlySeen bool) {
	lists := make([][]posting, len(alt.stems))
	shortest := 0
	for i, st := range alt.stems {
		lists[i] = ix.scoringList(st)
		if len(lists[i]) == 0 {
			return
		}
		if len(lists[i]) < len(lists[shortest]) {
			shortest = i
		}
	}
	idf := make([]float32, len(lists))
	for i, st := range alt.stems {
		idf[i] = ix.termIDF(st)
	}
	pos := make([]int, len(lists))
	for _, p := range lists[shortest] {
		d := &ix.docs[p.doc]
		if d.dead || onlySeen && !s.seen[p.doc] || !filter.keep(d) {
			continue
		}
		norm := bm25K1 * (1 - bm25B + bm25B*d.length/avg)
		var score float32
		inName := true
		all := true
		for i, l := range lists {
			q := p
			if i != shortest {
				j := seek(l, pos[i], p.doc)
				pos[i] = j
				if j == len(l) || l[j].doc != p.doc {
					all = false
					break
				}
				q = l[j]
			}
			tf := q.weight()
			score += idf[i] * tf * (bm25K1 + 1) / (tf + norm)
			inName = inName && q.fields&(1<<FieldName) != 0
		}
		if !all {
			continue
		}
		// A phrase is one concept: its terms share the slot, so that
		// "kartu tanda penduduk" weighs as much as "ktp", not three times.
		score *= alt.factor / float32(len(lists))
		if score > s.best[p.doc] {
			if s.best[p.doc] == 0 {
				s.slotHits = append(s.slotHits, p.doc)
			}
			s.best[p.doc] = score
			s.nameNow[p.doc] = inName
		}
	}
}

// seek returns the first index at or after from whose document is not
// before doc, galloping then bisecting, so that intersecting a short list
// with a long one costs little more than the short one.
func seek(l []posting, from int, doc uint32) int {
	if from >= len(l) || l[from].doc >= doc {
		return from
	}
	lo, step := from, 1
	hi := from + step
	for hi < len(l) && l[hi].doc < doc {
		lo = hi
		step *= 2
		hi = from + step
	}
	hi = min(hi, len(l))
	// l[lo] < doc; find the first index in (lo, hi] with doc >= doc.
	return lo + 1 + sort.Search(hi-lo-1, func(k int) bool { return l[lo+1+k].doc >= doc })
}

// minRelativeScore is the share of the best score a hit needs.
const minRelativeScore = 0.1

type scored struct {
	doc   uint32
	score float64
}

// kindWeight is how much a match of the document's kind by the lexicon
// counts against the best match of the document's own words.
const kindWeight = 1.0

// collect ranks the matched documents and cuts out one page. A document's
// score is its words' score relative to the best, plus how well the
// lexicon says its kind is meant, times its kind's weight and the region's
// preference.
func (ix *Index) collect(s *scratch, slots int, weights float32, required int, region string, page pendopo.Page, res Result) Result {
	keep := page.Offset() + page.PerPage
	var bestText float64
	for _, d := range s.touched {
		if s.bad[d] || s.matched[d] == 0 && s.kind[d] == 0 || int(s.reqHit[d]) < required {
			continue
		}
		if ix.docs[d].dead {
			continue
		}
		// coord is the share of the query's weight that the document matches;
		// with three words or more, at least 40% must match unless the
		// document's kind is what the query names.
		coord := 1.0
		if weights > 0 {
			coord = float64(s.matchedW[d] / weights)
		}
		text := 0.0
		if s.matched[d] > 0 && (slots <= 2 || coord >= 0.4) {
			text = float64(s.total[d]) * coord * coord * (1 + float64(s.inName[d])/float64(slots))
		}
		if text == 0 && s.kind[d] == 0 {
			continue
		}
		if s.matched[d] == 0 {
			coord = 0
		}
		s.pre = append(s.pre, candidate{d, text, max(coord, float64(s.kind[d]))})
		bestText = max(bestText, text)
	}
	var best float64
	for _, c := range s.pre {
		doc := &ix.docs[c.doc]
		score := float64(s.kind[c.doc]) * kindWeight
		if bestText > 0 {
			score += c.text / bestText
		}
		score *= 1 + 0.25*float64(doc.weight)
		// A region's own service comes before its province's.
		if len(region) == 5 && doc.region == ix.regionIDs[region] {
			score *= 1.15
		}
		s.cands = append(s.cands, scored{c.doc, score})
		if score > best {
			best, res.Coverage = score, float32(c.cover)
		}
	}
	// Documents that score under a tenth of the best only mention a word in
	// passing ("fotokopi KTP" among the requirements); they are noise.
	var top []scored
	for _, c := range s.cands {
		if c.score >= best*minRelativeScore {
			res.Total++
			top = pushTop(top, c, keep)
		}
	}
	slices.SortFunc(top, func(a, b scored) int { return ix.compare(a, b) })
	if off := page.Offset(); off < len(top) {
		for _, t := range top[off:] {
			res.Hits = append(res.Hits, Hit{ServiceSummary: ix.docs[t.doc].svc, Score: math.Round(t.score*1000) / 1000})
		}
	}
	return res
}

// compare orders hits: higher score first, then by name and id so that
// ties are stable.
func (ix *Index) compare(a, b scored) int {
	switch {
	case a.score > b.score:
		return -1
	case a.score < b.score:
		return 1
	}
	da, db := &ix.docs[a.doc].svc, &ix.docs[b.doc].svc
	if c := strings.Compare(da.Name, db.Name); c != 0 {
		return c
	}
	return strings.Compare(da.RegionCode, db.RegionCode)
}

// pushTop keeps the k best hits in top, a min-heap on score.
func pushTop(top []scored, x scored, k int) []scored {
	less := func(a, b scored) bool { return a.score < b.score }
	if len(top) < k {
		top = append(top, x)
		for i := len(top) - 1; i > 0; {
			p := (i - 1) / 2
			if !less(top[i], top[p]) {
				break
			}
			top[i], top[p] = top[p], top[i]
			i = p
		}
		return top
	}
	if k == 0 || !less(top[0], x) {
		return top
	}
	top[0] = x
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(top) && less(top[l], top[m]) {
			m = l
		}
		if r < len(top) && less(top[r], top[m]) {
			m = r
		}
		if m == i {
			break
		}
		top[i], top[m] = top[m], top[i]
		i = m
	}
	return top
}

// conceptWords are the words of q the lexicon is matched with: what was
// typed but excluded words, each marked when it is a framing word.
func conceptWords(q Query) ([]Token, []bool) {
	var out []Token
	var noise []bool
	for _, t := range q.Terms {
		if !t.Exclude {
			out = append(out, Token{Surface: t.Surface, Stem: t.Stem})
			noise = append(noise, t.Noise)
		}
	}
	return out, noise
}

// plan turns a parsed query into slots, expanding synonyms and correcting
// words the index does not know.
func (ix *Index) plan(q Query, region string) (slots []slot, excluded []string, corrections map[string]string) {
	syn := ix.syn.Load()
	var terms []QueryTerm
	for _, t := range q.Terms {
		if !t.Noise {
			terms = append(terms, t)
		}
	}
	for i := 0; i < len(terms); {
		t := terms[i]
		if t.Exclude {
			excluded = append(excluded, t.Stem)
			i++
			continue
		}
		if t.Phrase > 0 {
			var stems []string
			for ; i < len(terms) && terms[i].Phrase == t.Phrase; i++ {
				stems = append(stems, terms[i].Stem)
			}
			slots = append(slots, slot{alts: []alternative{{stems, 1}}, required: true})
			continue
		}
		j := i
		for j < len(terms) && terms[j].Phrase == 0 && !terms[j].Exclude {
			j++
		}
		run := terms[i:j]
		stems := make([]string, len(run))
		for k, t := range run {
			stems[k] = t.Stem
		}
		for k := 0; k < len(run); {
			if r, ok := syn.match(stems[k:], region); ok {
				alts := []alternative{{r.from, 1}}
				for _, to := range r.to {
					alts = append(alts, alternative{to, 0.9})
				}
				slots = append(slots, slot{alts: alts})
				k += len(r.from)
				continue
			}
			alts := []alternative{{stems[k : k+1], 1}}
			if len(ix.terms[stems[k]]) == 0 {
				if word, stem, ok := ix.correct(run[k].Surface); ok {
					if corrections == nil {
						corrections = map[string]string{}
					}
					corrections[run[k].Surface] = word
					alts = []alternative{{[]string{stem}, 0.8}}
					if r, ok := syn.match([]string{stem}, region); ok && len(r.from) == 1 {
						for _, to := range r.to {
							alts = append(alts, alternative{to, 0.7})
						}
					}
				}
			}
			slots = append(slots, slot{alts: alts})
			k++
		}
		i = j
	}
	return slots, excluded, corrections
}

// correct finds the indexed word closest to w within one wrong letter (two
// for words of eight letters or more), preferring the more common word.
func (ix *Index) correct(w string) (word, stem string, ok bool) {
	l := len(w)
	if l < 4 || l > maxTokenLen {
		return "", "", false
	}
	maxD := 1
	if l >= 8 {
		maxD = 2
	}
	mask := letterMask(w)
	bestD, bestDF := maxD+1, 0
	for n := max(1, l-maxD); n <= min(maxTokenLen, l+maxD); n++ {
		for _, cand := range ix.byLen[n] {
			s := ix.surfaces[cand]
			if bits.OnesCount32(s.mask^mask) > 2*maxD || len(ix.terms[s.stem]) == 0 {
				continue
			}
			d := osa(w, cand, min(bestD, maxD))
			if d < bestD || d == bestD && s.df > bestDF {
				word, stem, bestD, bestDF = cand, s.stem, d, s.df
			}
		}
	}
	return word, stem, bestD <= maxD
}

// osa is the optimal string alignment distance between a and b (edits,
// with a swap of neighbours counting once), or limit+1 when it exceeds limit.
func osa(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	var buf [3][maxTokenLen + 2]int
	prev2, prev, cur := buf[0][:len(b)+1], buf[1][:len(b)+1], buf[2][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
