// Package search finds services in everyday Indonesian. It folds case,
// accents and punctuation, stems Indonesian affixes, expands synonyms and
// abbreviations, tolerates one or two wrong letters, and ranks with a
// field-weighted BM25. The index lives in memory and follows the store's
// change feed, so SQLite and PostgreSQL deployments rank identically.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word of analysed text.
type Token struct {
	// Surface is the folded word as written ("pembuatan").
	Surface string
	// Stem is the indexed form ("buat").
	Stem string
}

// maxTokenLen bounds a token; longer runs of letters are not words.
const maxTokenLen = 40

// fold maps a rune to lowercase ASCII where Indonesian text needs it, and
// to 0 when the rune separates words.
func fold(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return r
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r < utf8.RuneSelf:
		return 0
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'À', 'Á', 'Â', 'Ã', 'Ä', 'Å':
		return 'a'
	case 'è', 'é', 'ê', 'ë', 'È', 'É', 'Ê', 'Ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï', 'Ì', 'Í', 'Î', 'Ï':
		return 'i'
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'Ò', 'Ó', 'Ô', 'Õ', 'Ö':
		return 'o'
	case 'ù', 'ú', 'û', 'ü', 'Ù', 'Ú', 'Û', 'Ü':
		return 'u'
	case 'ç', 'Ç':
		return 'c'
	case 'ñ', 'Ñ':
		return 'n'
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		// Other scripts are kept as they are, lowercased.
		return unicode.ToLower(r)
	}
	return 0
}

// Words splits text into folded words. Apostrophes inside a word are
// dropped ("Jum'at" → "jumat"); every other non-letter separates words, so
// "KTP-el" gives "ktp" and "el". Reduplicated words ("anak-anak") are kept
// once.
func Words(text string) []string {
	var (
		out  []string
		b    strings.Builder
		prev string
	)
	flush := func() {
		if b.Len() == 0 {
			return
		}
		w := b.String()
		b.Reset()
		if utf8.RuneCountInString(w) > maxTokenLen {
			return
		}
		if w == prev {
			return
		}
		out = append(out, w)
		prev = w
	}
	runes := []rune(text)
	for i, r := range runes {
		if (r == '\'' || r == '’') && b.Len() > 0 && i+1 < len(runes) && fold(runes[i+1]) != 0 {
			continue
		}
		f := fold(r)
		if f == 0 {
			flush()
			if r != '-' {
				prev = ""
			}
			continue
		}
		b.WriteRune(f)
	}
	flush()
	return out
}

// Analyze turns text into tokens for indexing and querying: words that are
// not stop words, each with its stem.
func Analyze(text string) []Token {
	words := Words(text)
	out := make([]Token, 0, len(words))
	for _, w := range words {
		if isStopWord(w) {
			continue
		}
		out = append(out, Token{Surface: w, Stem: stemWord(w)})
	}
	return out
}

// stemWord stems a folded word; one-letter words are dropped by callers.
func stemWord(w string) string {
	if len(w) < 4 {
		return w
	}
	return Stem(w)
}

// stopWords are function words that carry no meaning in a service search,
// including the chat spellings citizens type ("yg", "utk", "gmn").
var stopWords = toSet(`ada adalah agar akan aku anda apa apabila atau bagaimana bagi bahwa
	bapak beberapa belum berapa bila bisa boleh bu dalam dan dapat dari deh di dia dong
	dengan dgn dr ga gak gimana gmn hal hanya harus ia ibu ini itu jika juga kalau kami kamu
	karena ke kenapa kepada ketika kita lagi lah maka mana mau melalui mengapa menurut mereka
	nggak nya oleh pada para perlu pun saat saja sama sangat saya secara sebagai sebelum sedang
	sehingga sekarang selain serta setelah sih sudah supaya sy tanpa tentang tersebut tetapi
	tolong untuk utk yaitu yakni yang yg ya aja gitu kok the of and or to for a an e`)

// queryNoise are words that only frame a question ("cara mengurus …",
// "syarat …"); they are dropped from queries but kept in documents.
var queryNoise = toSet(`cara syarat persyaratan urus mengurus pengurusan prosedur bagaimanakah
	ingin pengen pingin minta info mohon tanya bikinnya dimana kemana berapa lama biaya`)

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func isStopWord(w string) bool { return len(w) < 2 || stopWords[w] }

// IsStopWord reports whether a folded word carries no meaning for
// matching texts, such as "yang" or "dan".
func IsStopWord(w string) bool { return isStopWord(w) }
