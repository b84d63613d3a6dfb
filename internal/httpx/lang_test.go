package httpx

import "testing"

// TestAcceptLanguage checks the choice between Indonesian and English for
// an Accept-Language header (RFC 9110 §12.5.4).
func TestAcceptLanguage(t *testing.T) {
	for _, tt := range []struct{ header, want string }{
		{"", "id"},
		{"en", "en"},
		{"id", "id"},
		{"id;q=0.1, en;q=0.9", "en"}, // the weight counts, not the order
		{"en;q=0.2,id;q=0.8", "id"},
		{"fr;q=1.0, id;q=0.001", "id"},
		{"nl, en;q=0.1", "en"},
		{"fr, de", "id"}, // nothing we speak: Indonesian

		// Regions, scripts, case and legacy codes.
		{"en-GB", "en"},
		{"en-US,en;q=0.9", "en"},
		{"EN-gb", "en"},
		{"en-Latn-US", "en"},
		{"id-ID", "id"},
		{"id-ID,en;q=0.5", "id"},
		{"en-GB,en;q=0.8", "en"},
		{"in", "id"}, // the code Indonesian had before 1989
		{"de-CH, en-AU;q=0.3", "en"},
		{"ms", "id"}, // close enough, by CLDR's language distances

		// q=0 refuses a language.
		{"id;q=0, en", "en"},
		{"en;q=0, id;q=0.1", "id"},
		{"en;q=0", "id"},
		{"id;q=0", "en"},
		{"id;q=0, en;q=0", "id"},
		{"id-ID;q=0, fr", "en"},

		// The wildcard stands for every language not named.
		{"*", "id"},
		{"*, en;q=0.5", "id"},
		{"en, *;q=0.5", "en"},
		{"fr, *;q=0.1", "id"},
		{"id;q=0, *", "en"},
		{"*;q=0, en", "en"},
		{"*;q=0", "id"},

		// Ties go to the language named first.
		{"en;q=0.5, id;q=0.5", "en"},
		{"id;q=0.5, en;q=0.5", "id"},
		{"*, en", "en"},

		// Garbage is skipped, entry by entry.
		{"garbage;;;", "id"},
		{"x", "id"},
		{";q=1", "id"},
		{"zz-ZZ, en", "en"},
		{"en;q=abc, id;q=0.1", "id"},
		{"en;q=0.5;x=y, id;q=0.1", "id"},
		{",,, en ,", "en"},
		{"en;q=2", "en"},
		{"id;q=-1, en;q=0.1", "en"},
	} {
		if got := defaultLanguages.accept(tt.header); got != tt.want {
			t.Errorf("accept(%q) = %s, want %s", tt.header, got, tt.want)
		}
	}
}

// FuzzAcceptLanguage checks that any header gives one of the two
// languages without panicking.
func FuzzAcceptLanguage(f *testing.F) {
	for _, s := range []string{"", "id;q=0.1, en;q=0.9", "*;q=0, en-GB", "zz-ZZ, en", "en;q=0.5;x=y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if got := defaultLanguages.accept(header); got != "id" && got != "en" {
			t.Fatalf("accept(%q) = %q", header, got)
		}
	})
}
