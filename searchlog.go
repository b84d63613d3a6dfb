package pendopo

import (
	"context"
	"strings"
	"unicode"
)

// SearchCount is what the search log keeps of one query on one day in one
// region: how often it was searched, found nothing, and was followed by
// another search (a sign the results did not answer it). Nothing else is
// kept: no time of day, no address, no session, no account.
type SearchCount struct {
	Day Day
	// Region is the region searched in, "" for the whole country.
	Region string
	// Query is the normalised query (see NormalizeSearchQuery).
	Query                    string
	Searches, Empty, Refined int
}

// SearchLogStore keeps the aggregate search log.
type SearchLogStore interface {
	// AddSearchCounts adds each count to its day's row, creating it.
	AddSearchCounts(ctx context.Context, counts []SearchCount) error
	// SearchCounts sums the counts of the days from..to per region and
	// query, for the regions scope covers (see Covers; "" is every region
	// and the national searches), those that found nothing or were
	// searched again first, at most limit rows. Day is left zero.
	SearchCounts(ctx context.Context, scope string, from, to Day, limit int) ([]SearchCount, error)
	// DeleteSearchCountsBefore forgets the days before day.
	DeleteSearchCountsBefore(ctx context.Context, day Day) error
}

// MaxLoggedQuery is the longest normalised query the search log keeps;
// longer ones are not what people type into a search box.
const MaxLoggedQuery = 80

// NormalizeSearchQuery folds a query for the search log: lower case,
// words of letters and digits separated by one space. It returns "" for a
// query that must not be logged: empty, too long, or holding what may
// identify a person, such as a NIK, a phone number, an email address or
// any other run of six digits or more.
func NormalizeSearchQuery(q string) string {
	if strings.ContainsRune(q, '@') {
		return ""
	}
	var b strings.Builder
	digits := 0 // digits since the last letter: separators do not break a phone number
	space := false
	for _, r := range strings.ToLower(q) {
		switch {
		case unicode.IsDigit(r):
			if digits++; digits >= 6 {
				return ""
			}
		case unicode.IsLetter(r):
			digits = 0
		default:
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		if b.Len() > MaxLoggedQuery {
			return ""
		}
	}
	return b.String()
}
