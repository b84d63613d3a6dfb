package app

import (
	"sync"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/data"
	"github.com/pendopo/pendopo/internal/search"
)

// termStrength weighs a lexicon term in search by what it says: a name or
// the document itself names the service; a life event or a verb only
// leads there.
var termStrength = map[pendopo.LexiconType]float32{
	pendopo.TermName:     1,
	pendopo.TermAlias:    1,
	pendopo.TermDocument: 1,
	pendopo.TermProblem:  0.9,
	pendopo.TermEvent:    0.7,
	pendopo.TermAction:   0.4,
}

// loadLexicon gives search the national lexicon.
func (a *App) loadLexicon() error {
	l, err := nationalLexicon()
	if err != nil {
		return err
	}
	a.others = l.others
	a.index.SetConcepts(l.concepts)
	return nil
}

type lexicon struct {
	concepts *search.Concepts
	others   map[string]pendopo.OtherService
}

// nationalLexicon reads the shipped lexicon once: each service kind by its
// names in both languages and the words of the lexicon, the report
// categories by their problems, and other institutions' services. It is
// the same for every region and read-only, so every App shares it.
var nationalLexicon = sync.OnceValues(func() (lexicon, error) {
	kinds, err := data.ServiceKinds()
	if err != nil {
		return lexicon{}, err
	}
	lex, err := data.ServiceLexicon()
	if err != nil {
		return lexicon{}, err
	}
	problems, err := data.ReportLexicon()
	if err != nil {
		return lexicon{}, err
	}
	others, err := data.OtherServices()
	if err != nil {
		return lexicon{}, err
	}
	var defs []search.ConceptDef
	byKind := map[string]int{}
	for _, k := range kinds {
		byKind[k.Code] = len(defs)
		defs = append(defs, search.ConceptDef{Kind: search.ConceptService, Code: k.Code,
			Terms: []search.Term{{Text: k.Name.Indonesian, Strength: 1}, {Text: k.Name.English, Strength: 1}}})
	}
	for _, t := range lex {
		d := &defs[byKind[t.Code]]
		d.Terms = append(d.Terms, search.Term{Text: t.Term, Strength: termStrength[t.Type]})
	}
	byCat := map[string]int{}
	for _, t := range problems {
		i, ok := byCat[t.Code]
		if !ok {
			i = len(defs)
			byCat[t.Code] = i
			defs = append(defs, search.ConceptDef{Kind: search.ConceptReport, Code: t.Code})
		}
		defs[i].Terms = append(defs[i].Terms, search.Term{Text: t.Term, Strength: 1})
	}
	l := lexicon{others: map[string]pendopo.OtherService{}}
	for _, o := range others {
		l.others[o.Code] = o
		d := search.ConceptDef{Kind: search.ConceptElsewhere, Code: o.Code,
			Terms: []search.Term{{Text: o.Name.Indonesian, Strength: 1}, {Text: o.Name.English, Strength: 1}}}
		for _, t := range o.Terms {
			d.Terms = append(d.Terms, search.Term{Text: t, Strength: 1})
		}
		defs = append(defs, d)
	}
	l.concepts = search.NewConcepts(defs)
	return l, nil
})

// OtherService returns a well-known service of another institution.
func (a *App) OtherService(code string) (pendopo.OtherService, bool) {
	o, ok := a.others[code]
	return o, ok
}
