package pendopo

// LexiconType says how a lexicon term relates to what it names.
type LexiconType string

// Lexicon term types.
const (
	TermName     LexiconType = "name"     // another official or common name
	TermAlias    LexiconType = "alias"    // colloquial name, abbreviation, old name, common misspelling
	TermDocument LexiconType = "document" // the document or result the citizen asks for by name
	TermEvent    LexiconType = "event"    // a life event that leads to it
	TermProblem  LexiconType = "problem"  // a situation or problem that leads to it
	TermAction   LexiconType = "action"   // a verb people use specifically with it
)

// Valid reports whether t is a known type.
func (t LexiconType) Valid() bool {
	switch t {
	case TermName, TermAlias, TermDocument, TermEvent, TermProblem, TermAction:
		return true
	}
	return false
}

// LexiconTerm is one way people name a national service kind or a report
// category, or reach it: search finds every region's services of a kind by
// these words, whatever the region called its service.
type LexiconTerm struct {
	// Code is a service kind's code or a report category's.
	Code string
	// Lang is "id" or "en".
	Lang string
	Type LexiconType
	Term string
}

// OtherService is a well-known service that another institution provides,
// not a region (a driving licence, a passport): search answers who serves
// it and links there rather than offering a wrong regional service.
type OtherService struct {
	Code     string
	Name     Text
	Provider Text
	// URL is the provider's official site.
	URL string
	// Terms are the words people search it by, in both languages.
	Terms []string
}
