package search

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/pendopo/pendopo"
)

// DefaultSynonyms is the national synonym list shipped with Pendopo.
//
//go:embed sinonim.txt
var DefaultSynonyms string

// Synonyms maps phrases of a query to other phrases that mean the same,
// such as abbreviations ("ktp" ↔ "kartu tanda penduduk"), spellings
// ("akte" ↔ "akta"), everyday words ("bikin" ↔ "buat") and legacy names
// ("imb" → "pbg").
//
// The list is text, one rule per line, in the format Solr and Elasticsearch
// use:
//
//	# a comment
//	ktp, kartu tanda penduduk, e-ktp   (equivalent: each finds the others)
//	imb, izin mendirikan bangunan => pbg, persetujuan bangunan gedung
//	                                   (one way: the left finds the right)
//	@33.74 keur => surat keterangan sehat
//	                                   (only in searches within Kota Semarang,
//	                                   or within a province for "@33")
//
// Phrases are analysed like queries, so "kelahiran" and "lahir" are the same.
type Synonyms struct {
	// byFirst maps the first stem of a phrase to the rules starting with it.
	byFirst map[string][]synonym
	rules   int
}

type synonym struct {
	from []string
	to   [][]string
	// region limits the rule to searches within it; "" is everywhere.
	region string
}

// Rules reports how many rules were read.
func (s *Synonyms) Rules() int { return s.rules }

// ParseSynonyms reads synonym rules. Errors name the line.
func ParseSynonyms(texts ...string) (*Synonyms, error) {
	s := &Synonyms{byFirst: map[string][]synonym{}}
	var probs pendopo.Problems
	for src, text := range texts {
		for i, line := range strings.Split(text, "\n") {
			if j := strings.IndexByte(line, '#'); j >= 0 {
				line = line[:j]
			}
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			if err := s.addRule(line); err != nil {
				fe := pendopo.FieldError{Field: "synonyms", Line: i + 1, Msg: *err}
				if len(texts) > 1 {
					fe.Field = fmt.Sprintf("synonyms[%d]", src)
				}
				probs = append(probs, fe)
			}
		}
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Synonyms) addRule(line string) *pendopo.Text {
	region := ""
	if rest, ok := strings.CutPrefix(line, "@"); ok {
		region, line, _ = strings.Cut(rest, " ")
		if _, ok := pendopo.LevelFromCode(region); !ok {
			t := pendopo.M("synonyms.region_code_after_at", region)
			return &t
		}
		line = strings.TrimSpace(line)
	}
	left, right, oneWay := strings.Cut(line, "=>")
	if strings.Contains(right, "=>") {
		t := pendopo.M("synonyms.use_at_most_once_per")
		return &t
	}
	phrases := func(side string) ([][]string, *pendopo.Text) {
		var out [][]string
		for _, p := range strings.Split(side, ",") {
			if strings.TrimSpace(p) == "" {
				continue
			}
			var stems []string
			for _, tok := range Analyze(p) {
				stems = append(stems, tok.Stem)
			}
			if len(stems) == 0 {
				t := pendopo.M("synonyms.phrase_has_no_searchable_words", strings.TrimSpace(p))
				return nil, &t
			}
			if len(stems) > 8 {
				t := pendopo.M("synonyms.a_synonym_phrase_has_at")
				return nil, &t
			}
			out = append(out, stems)
		}
		return out, nil
	}
	from, err := phrases(left)
	if err != nil {
		return err
	}
	if !oneWay {
		if len(from) < 2 {
			t := pendopo.M("synonyms.write_at_least_two_phrases")
			return &t
		}
		for i, f := range from {
			var to [][]string
			for j, g := range from {
				if i != j {
					to = append(to, g)
				}
			}
			s.add(f, to, region)
		}
		s.rules++
		return nil
	}
	to, err := phrases(right)
	if err != nil {
		return err
	}
	if len(from) == 0 || len(to) == 0 {
		t := pendopo.M("synonyms.write_phrases_on_both_sides")
		return &t
	}
	for _, f := range from {
		s.add(f, to, region)
	}
	s.rules++
	return nil
}

func (s *Synonyms) add(from []string, to [][]string, region string) {
	l := s.byFirst[from[0]]
	for i := range l {
		if slices.Equal(l[i].from, from) && l[i].region == region {
			for _, t := range to {
				if !slices.ContainsFunc(l[i].to, func(x []string) bool { return slices.Equal(x, t) }) && !slices.Equal(t, from) {
					l[i].to = append(l[i].to, t)
				}
			}
			return
		}
	}
	var clean [][]string
	for _, t := range to {
		if !slices.Equal(t, from) {
			clean = append(clean, t)
		}
	}
	s.byFirst[from[0]] = append(l, synonym{from: from, to: clean, region: region})
	// Keep longer phrases first so that the longest match wins.
	slices.SortStableFunc(s.byFirst[from[0]], func(a, b synonym) int { return len(b.from) - len(a.from) })
}

// match returns the longest rule whose phrase starts stems and that
// applies to searches in region, or false. Of two rules for the same
// phrase, the region's own comes first and the national one adds to it.
func (s *Synonyms) match(stems []string, region string) (synonym, bool) {
	if s == nil || len(stems) == 0 {
		return synonym{}, false
	}
	var found synonym
	ok := false
	for _, r := range s.byFirst[stems[0]] {
		if r.region != "" && !pendopo.Covers(r.region, region) {
			continue
		}
		if len(r.from) > len(stems) || !slices.Equal(r.from, stems[:len(r.from)]) {
			continue
		}
		if !ok {
			found, ok = r, true
			continue
		}
		if !slices.Equal(r.from, found.from) {
			break // a shorter phrase: the longest match won
		}
		found.to = append(slices.Clip(found.to), r.to...)
	}
	return found, ok
}
