package search

import (
	"math"
	"math/bits"
	"slices"
	"strings"
)

// ConceptKind says where a concept leads.
type ConceptKind uint8

// Concept kinds.
const (
	// ConceptService is a national service kind (pendopo.ServiceKind):
	// every region's services of that kind are found by its names.
	ConceptService ConceptKind = iota + 1
	// ConceptReport is a report category: the query names a problem the
	// region should fix, which is reported rather than applied for.
	ConceptReport
	// ConceptElsewhere is a service another institution provides (a
	// driving licence, a passport), which no region's catalog holds.
	ConceptElsewhere
)

// Term is one way people name a concept: an official or English name, a
// colloquial name or abbreviation, the document it produces, the life
// event or problem that leads to it.
type Term struct {
	Text string
	// Strength weighs a match: 1 for names and documents, less for what
	// only leads there (a life event, a verb).
	Strength float32
}

// ConceptDef defines one concept from the lexicon.
type ConceptDef struct {
	Kind  ConceptKind
	Code  string
	Terms []Term
}

// Match is a concept a query names.
type Match struct {
	Kind ConceptKind
	Code string
	// Score grows with how much of the query the concept's terms explain
	// and how telling the explained words are; a long phrase ("akta
	// kelahiran") weighs more than a word that happens to be in it.
	Score float32
	// Coverage is the share of the query's weight the concept explains,
	// in [0,1]: 1 when every telling word is one of its terms.
	Coverage float32
	// Partial is set when no term matched whole: a long phrase matched
	// all but one word ("birth certificate delayed" for "birth
	// certificate"), which may be the word that mattered.
	Partial bool
}

// Concepts matches queries against the lexicon: what a citizen may mean
// beyond the words of the services themselves. It is built once and read
// concurrently.
type Concepts struct {
	defs    []ConceptDef
	phrases []cphrase
	// byStem lists the phrases that contain a stem.
	byStem map[string][]int32
	// df counts the concepts whose terms contain a stem.
	df map[string]int
	// vocab holds the lexicon's words for typo correction, by length.
	vocab [maxTokenLen + 1][]vocabWord
	// english maps the English base form of a lexicon word to its stem,
	// so that "flooding" finds "flood" and "asked" finds "ask".
	english map[string]string
	n       int
}

type cphrase struct {
	concept  int32
	stems    []string
	strength float32
}

type vocabWord struct {
	surface, stem string
	mask          uint32
}

// NewConcepts builds the matcher from the lexicon.
func NewConcepts(defs []ConceptDef) *Concepts {
	c := &Concepts{defs: defs, byStem: map[string][]int32{}, df: map[string]int{}, english: map[string]string{}, n: len(defs)}
	seenSurface := map[string]bool{}
	for ci, d := range defs {
		inConcept := map[string]bool{}
		seenPhrase := map[string]bool{}
		for _, t := range d.Terms {
			toks := Analyze(t.Text)
			if len(toks) == 0 {
				continue
			}
			stems := make([]string, 0, len(toks))
			for _, tok := range toks {
				if !slices.Contains(stems, tok.Stem) {
					stems = append(stems, tok.Stem)
				}
				if !seenSurface[tok.Surface] && len(tok.Surface) <= maxTokenLen {
					seenSurface[tok.Surface] = true
					if b := englishBase(tok.Surface); c.english[b] == "" {
						c.english[b] = tok.Stem
					}
					c.vocab[len(tok.Surface)] = append(c.vocab[len(tok.Surface)], vocabWord{tok.Surface, tok.Stem, letterMask(tok.Surface)})
				}
			}
			key := strings.Join(stems, " ")
			if seenPhrase[key] {
				continue
			}
			seenPhrase[key] = true
			pi := int32(len(c.phrases))
			c.phrases = append(c.phrases, cphrase{concept: int32(ci), stems: stems, strength: t.Strength})
			for _, st := range stems {
				c.byStem[st] = append(c.byStem[st], pi)
				if !inConcept[st] {
					inConcept[st] = true
					c.df[st]++
				}
			}
		}
	}
	return c
}

// Def returns the definition of a matched concept.
func (c *Concepts) Def(kind ConceptKind, code string) (ConceptDef, bool) {
	for _, d := range c.defs {
		if d.Kind == kind && d.Code == code {
			return d, true
		}
	}
	return ConceptDef{}, false
}

// spec is how telling a stem is among the concepts: a word of one concept
// ("ktp") tells more than one of many ("surat").
func (c *Concepts) spec(stem string) float32 {
	df := c.df[stem]
	if df == 0 {
		df = 1
	}
	return float32(math.Log(1 + float64(c.n)/float64(df)))
}

// known returns the stem under which the lexicon knows a query word: the
// word's own stem, its English base form ("certificates"), or the closest
// lexicon word within one typo (two for long words); "" when none. A word
// that isWord says is a real word (one the services use) is not taken
// for a typo: "sampai" is not "sampah", nor "kalo" "calo".
func (c *Concepts) known(t Token, isWord func(string) bool) string {
	if _, ok := c.byStem[t.Stem]; ok {
		return t.Stem
	}
	if st, ok := c.english[englishBase(t.Surface)]; ok {
		return st
	}
	l := len(t.Surface)
	if l < 4 || l > maxTokenLen || isWord != nil && isWord(t.Surface) || commonWords[t.Surface] {
		return ""
	}
	maxD := 1
	if l >= 8 {
		maxD = 2
	}
	mask := letterMask(t.Surface)
	best, bestD := "", maxD+1
	for n := max(1, l-maxD); n <= min(maxTokenLen, l+maxD); n++ {
		for _, v := range c.vocab[n] {
			if bits.OnesCount32(v.mask^mask) > 2*maxD {
				continue
			}
			if d := osa(t.Surface, v.surface, min(bestD, maxD)); d < bestD {
				best, bestD = v.stem, d
			}
		}
	}
	return best
}

// englishBase strips the common English endings from a word, so that
// inflected forms meet: "flooding", "floods" and "flooded" give "flood".
// It is only a fallback for words the lexicon does not know as they are.
func englishBase(w string) string {
	for _, e := range [...]struct{ suffix, repl string }{{"ies", "y"}, {"ied", "y"}, {"ing", ""}, {"ed", ""}, {"es", ""}, {"s", ""}} {
		if b, ok := strings.CutSuffix(w, e.suffix); ok && len(b) >= 3 {
			return b + e.repl
		}
	}
	return w
}

// commonWords are everyday words, chat spellings mostly, that typo
// correction would otherwise turn into a lexicon word.
var commonWords = toSet("kalo klo sampai siap dosen bener banget gimana udah udh blm belum sudah")

// noiseWordWeight is the weight of a framing word ("cara", "minta") in
// coverage: it may complete a phrase ("minta uang"), but missing it
// costs little.
const noiseWordWeight = 0.3

// unknownWordWeight is the weight of a query word the lexicon does not
// know: about that of a word a dozen concepts share.
const unknownWordWeight = 1.2

// maxConceptWords bounds the words a query is matched with; queries are
// short, and positions fit in a bit mask.
const maxConceptWords = 32

// Match returns the concepts that the query's words name, best first:
// every concept with at least a third of the best score.
func (c *Concepts) Match(words []Token, noise []bool, isWord func(string) bool) []Match {
	if c == nil || len(words) == 0 {
		return nil
	}
	words = words[:min(len(words), maxConceptWords)]
	stems := make([]string, len(words))
	weight := make([]float32, len(words))
	var total float32
	for i, w := range words {
		stems[i] = c.known(w, isWord)
		if i < len(noise) && noise[i] {
			weight[i] = noiseWordWeight
		} else if stems[i] == "" {
			// A word the lexicon does not know (a place, chatter such as
			// "udah", "banget") counts against coverage as a common word.
			weight[i] = unknownWordWeight
		} else {
			weight[i] = c.spec(stems[i])
		}
		total += weight[i]
	}
	// contrib[concept][position] is the best contribution of any of the
	// concept's phrases to that word of the query.
	type acc struct {
		contrib [maxConceptWords]float32
		covered uint32
		whole   bool // some phrase matched with all its words
	}
	accs := map[int32]*acc{}
	tried := map[int32]bool{}
	for _, st := range stems {
		if st == "" {
			continue
		}
		for _, pi := range c.byStem[st] {
			if tried[pi] {
				continue
			}
			tried[pi] = true
			p := c.phrases[pi]
			var cover uint32
			missing := 0
			for _, ps := range p.stems {
				found := false
				for j, qs := range stems {
					if qs == ps {
						cover |= 1 << j
						found = true
					}
				}
				if !found {
					missing++
				}
			}
			// Every word of a phrase must be there; of a phrase of three
			// words or more, all but one, at a lower strength.
			strength := p.strength
			switch {
			case missing == 0:
			case missing == 1 && len(p.stems) >= 3:
				strength *= 0.6
			default:
				continue
			}
			a := accs[p.concept]
			if a == nil {
				a = &acc{}
				accs[p.concept] = a
			}
			a.whole = a.whole || missing == 0
			// A phrase of several words is a name: it outweighs the same
			// words matched one by one in other concepts.
			bonus := strength * (1 + 0.5*float32(bits.OnesCount32(cover)-1))
			for j := range stems {
				if cover&(1<<j) != 0 {
					a.covered |= 1 << j
					a.contrib[j] = max(a.contrib[j], weight[j]*bonus)
				}
			}
		}
	}
	out := make([]Match, 0, len(accs))
	var best float32
	for ci, a := range accs {
		var score, cov float32
		for j := range stems {
			score += a.contrib[j]
			if a.covered&(1<<j) != 0 {
				cov += weight[j]
			}
		}
		d := c.defs[ci]
		out = append(out, Match{Kind: d.Kind, Code: d.Code, Score: score, Coverage: cov / total, Partial: !a.whole})
		best = max(best, score)
	}
	out = slices.DeleteFunc(out, func(m Match) bool { return m.Score < best/3 })
	slices.SortFunc(out, func(a, b Match) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}
