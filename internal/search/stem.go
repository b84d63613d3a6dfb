package search

// prefix kinds recorded while stripping prefixes. They decide which
// suffixes may be removed afterwards (a word cannot be both meN-...-an,
// ke-/peN-...-kan, and so on).
const (
	stemPrefixNone  = 0 // nothing removed, or pelajar- (which records nothing)
	stemPrefixDiMe  = 1 // di-, me-, men-, meng-, meny-, mem-, ter-
	stemPrefixPer   = 2 // per-, pe-
	stemPrefixKePeN = 3 // ke-, pen-, peng-, peny-, pem-
	stemPrefixBer   = 4 // ber-, be-, belajar
)

// Stem reduces an Indonesian word to its stem with the Snowball
// Indonesian algorithm (after Fadillah Z. Tala, "A Study of Stemming
// Effects on Information Retrieval in Bahasa Indonesia").
//
// The input must be a single lowercase word spelled with the ASCII
// letters a-z; a word holding any other byte is returned unchanged.
//
// The algorithm counts the vowels (a, e, i, o, u) of the word; this count
// is the measure, and every removal below drops exactly one vowel from
// it. A step runs only while the measure is above 2, so a word with two
// or fewer vowels is never changed and a stem always keeps at least two
// vowels. The steps are:
//
//  1. Particle: strip a final -kah, -lah or -pun.
//  2. Possessive pronoun: strip a final -ku, -mu or -nya.
//  3. First-order prefix: strip di-, ke-, me-, men-, meng-, ter-, pen-,
//     peng-; meny- and peny- before a vowel become s- (menyapu -> sapu);
//     mem- and pem- become p- before a vowel (memukul -> pukul) and are
//     dropped otherwise (membuat -> buat).
//  4. If a first-order prefix was stripped: strip a suffix (-kan, -an or
//     -i); only if that succeeded, strip a second-order prefix (per-, pe-,
//     ber-, be- before consonant+"er", and belajar/pelajar -> ajar), which
//     is never possible after an s-/p- replacement.
//     Otherwise: strip a second-order prefix, then a suffix.
//
// The suffix may only go when it fits the prefix already removed: -kan
// not after ke-/peN-/per-/pe- (where -an is tried instead), -an not after
// di-/meN-/ter-, and -i only after no prefix, di-/meN-/ter- or per-/pe-,
// and never after an s.
//
// Stem deliberately reproduces the output of PostgreSQL's
// indonesian_stem dictionary (the Snowball stemmer), oddities included:
// kependudukan -> nduduk (ke- and -an go, then pe- is read as a
// second-order prefix), memakai -> paka, pengetahuan -> etahu,
// mengurusi -> urusi. It is not a dictionary-based lemmatiser.
//
// Stem keeps no state between calls and is safe for concurrent use. It
// allocates only when the stem starts with a replaced s- or p-; otherwise
// the result is a substring of word.
func Stem(word string) string {
	measure := 0
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c < 'a' || c > 'z' {
			return word
		}
		if isStemVowel(c) {
			measure++
		}
	}
	if measure <= 2 {
		return word
	}

	// The current form is head (0 or one replacement byte) followed by
	// word[start:end].
	var head byte
	start, end := 0, len(word)

	// 1. Particle.
	if stemHasSuffix(word, end, "kah") || stemHasSuffix(word, end, "lah") || stemHasSuffix(word, end, "pun") {
		end -= 3
		measure--
		if measure <= 2 {
			return word[:end]
		}
	}

	// 2. Possessive pronoun.
	if stemHasSuffix(word, end, "nya") {
		end -= 3
		measure--
	} else if stemHasSuffix(word, end, "ku") || stemHasSuffix(word, end, "mu") {
		end -= 2
		measure--
	}
	if measure <= 2 {
		return word[:end]
	}

	prefix := stemPrefixNone
	if n, h, kind := stemFirstOrderPrefix(word[:end]); kind != stemPrefixNone {
		// 3. First-order prefix removed; maybe a suffix, and only then a
		// second-order prefix.
		start, head, prefix = n, h, kind
		measure--
		if measure > 2 {
			if cut := stemSuffixLen(word[start:end], prefix); cut > 0 {
				end -= cut
				measure--
				// After an s-/p- replacement the Snowball cursor sits
				// on the vowel that follows the new letter, where no
				// second-order prefix can start, so skip it there.
				if measure > 2 && head == 0 {
					if n, _, ok := stemSecondOrderPrefix(word[start:end], prefix); ok {
						start += n
					}
				}
			}
		}
	} else {
		// 4. No first-order prefix: second-order prefix, then suffix.
		if n, kind, ok := stemSecondOrderPrefix(word[:end], prefix); ok {
			start, prefix = n, kind
			measure--
		}
		if measure > 2 {
			end -= stemSuffixLen(word[start:end], prefix)
		}
	}

	if head == 0 {
		return word[start:end]
	}
	if head == 's' {
		return "s" + word[start:end]
	}
	return "p" + word[start:end]
}

func isStemVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// stemHasSuffix reports whether s[:end] ends with suf.
func stemHasSuffix(s string, end int, suf string) bool {
	return end >= len(suf) && s[end-len(suf):end] == suf
}

func stemHasPrefix(s, p string) bool {
	return len(s) >= len(p) && s[:len(p)] == p
}

// stemFirstOrderPrefix matches a first-order prefix at the start of s. It
// returns how many bytes of s the prefix takes, the byte that replaces it
// (0 when it is simply removed) and the prefix kind, or stemPrefixNone when
// nothing matches. The longest matching prefix wins.
func stemFirstOrderPrefix(s string) (n int, head byte, kind int) {
	if len(s) < 2 {
		return 0, 0, stemPrefixNone
	}
	switch s[:2] {
	case "di":
		return 2, 0, stemPrefixDiMe
	case "ke":
		return 2, 0, stemPrefixKePeN
	case "te":
		if stemHasPrefix(s, "ter") {
			return 3, 0, stemPrefixDiMe
		}
	case "me":
		return stemNasalPrefix(s, stemPrefixDiMe, true)
	case "pe":
		return stemNasalPrefix(s, stemPrefixKePeN, false)
	}
	return 0, 0, stemPrefixNone
}

// stemNasalPrefix handles the me(N)- and pe(N)- families; s starts with "me"
// or "pe". The bare "me" is a prefix but the bare "pe" is not (pe- is a
// second-order prefix).
func stemNasalPrefix(s string, kind int, bare bool) (int, byte, int) {
	if len(s) >= 3 {
		switch s[2] {
		case 'n':
			if len(s) >= 4 {
				switch s[3] {
				case 'g':
					return 4, 0, kind
				case 'y':
					if len(s) >= 5 && isStemVowel(s[4]) {
						return 4, 's', kind
					}
				}
			}
			return 3, 0, kind
		case 'm':
			if len(s) >= 4 && isStemVowel(s[3]) {
				return 3, 'p', kind
			}
			return 3, 0, kind
		}
	}
	if bare {
		return 2, 0, kind
	}
	return 0, 0, stemPrefixNone
}

// stemSecondOrderPrefix matches a second-order prefix at the start of s. It
// returns how many bytes to drop from the front of s, the prefix kind to
// record (pelajar keeps the current one) and whether anything matched.
// belajar and pelajar become ajar, which is the tail of the matched
// text, so dropping the first three bytes does the replacement.
func stemSecondOrderPrefix(s string, current int) (int, int, bool) {
	if len(s) < 2 || s[1] != 'e' {
		return 0, current, false
	}
	switch s[0] {
	case 'b':
		switch {
		case stemHasPrefix(s, "belajar"):
			return 3, stemPrefixBer, true
		case stemHasPrefix(s, "ber"):
			return 3, stemPrefixBer, true
		case len(s) >= 5 && !isStemVowel(s[2]) && s[3] == 'e' && s[4] == 'r':
			return 2, stemPrefixBer, true
		}
	case 'p':
		switch {
		case stemHasPrefix(s, "pelajar"):
			return 3, current, true
		case stemHasPrefix(s, "per"):
			return 3, stemPrefixPer, true
		default:
			return 2, stemPrefixPer, true
		}
	}
	return 0, current, false
}

// stemSuffixLen returns how many bytes of derivational suffix to strip from
// the end of s given the prefix kind recorded so far, or 0.
func stemSuffixLen(s string, prefix int) int {
	switch {
	case stemHasSuffix(s, len(s), "kan"):
		if prefix != stemPrefixKePeN && prefix != stemPrefixPer {
			return 3
		}
		if prefix != stemPrefixDiMe {
			return 2
		}
	case stemHasSuffix(s, len(s), "an"):
		if prefix != stemPrefixDiMe {
			return 2
		}
	case stemHasSuffix(s, len(s), "i"):
		if prefix <= stemPrefixPer && (len(s) < 2 || s[len(s)-2] != 's') {
			return 1
		}
	}
	return 0
}
