package search

import (
	"strings"
	"unicode/utf8"
)

// Limits on a query, so that no query costs more than a few slots.
const (
	MaxQueryBytes = 256
	MaxQueryTerms = 16
)

// QueryTerm is one word of a parsed query.
type QueryTerm struct {
	Surface string
	Stem    string
	// Phrase numbers the quoted phrase the word belongs to, from 1; 0 when
	// the word is not quoted. Quoted words must all be found.
	Phrase int
	// Exclude marks words written with a leading minus ("-ganti"): results
	// must not contain them.
	Exclude bool
	// Noise marks framing words ("cara", "syarat") that are searched only
	// when nothing else is left.
	Noise bool
}

// Query is a parsed search query.
type Query struct {
	Text  string
	Terms []QueryTerm
}

// Empty reports whether the query has nothing to search for.
func (q Query) Empty() bool {
	for _, t := range q.Terms {
		if !t.Exclude {
			return false
		}
	}
	return true
}

// ParseQuery reads what a citizen typed: words, "quoted phrases" that must
// all match, and -words to leave out. It folds case and punctuation, drops
// stop words and stems the rest. It never fails: anything unparseable is
// treated as plain words. Input beyond MaxQueryBytes and words beyond
// MaxQueryTerms are ignored.
func ParseQuery(text string) Query {
	text = strings.ToValidUTF8(text, " ")
	if len(text) > MaxQueryBytes {
		cut := MaxQueryBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	q := Query{Text: strings.Join(strings.Fields(text), " ")}
	phrase, inQuote := 0, false
	for _, chunk := range splitQuotes(text) {
		if chunk.quote != inQuote {
			inQuote = chunk.quote
			if inQuote {
				phrase++
			}
		}
		for _, field := range strings.Fields(chunk.text) {
			exclude := !inQuote && strings.HasPrefix(field, "-") && len(field) > 1
			for _, w := range Words(field) {
				if isStopWord(w) || len(q.Terms) >= MaxQueryTerms {
					continue
				}
				t := QueryTerm{Surface: w, Stem: stemWord(w), Exclude: exclude, Noise: !inQuote && !exclude && queryNoise[w]}
				if inQuote {
					t.Phrase = phrase
				}
				q.Terms = append(q.Terms, t)
			}
		}
	}
	// When a query is only framing words ("syarat"), search for them.
	onlyNoise := true
	for _, t := range q.Terms {
		if !t.Noise && !t.Exclude {
			onlyNoise = false
		}
	}
	if onlyNoise {
		for i := range q.Terms {
			q.Terms[i].Noise = false
		}
	}
	return q
}

type quoteChunk struct {
	text  string
	quote bool
}

// splitQuotes splits text at double quotes; an unclosed quote runs to the end.
func splitQuotes(text string) []quoteChunk {
	var out []quoteChunk
	quote := false
	for {
		i := strings.IndexAny(text, "\"“”")
		if i < 0 {
			out = append(out, quoteChunk{text, quote})
			return out
		}
		out = append(out, quoteChunk{text[:i], quote})
		_, size := utf8.DecodeRuneInString(text[i:])
		text = text[i+size:]
		quote = !quote
	}
}
