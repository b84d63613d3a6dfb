package pendopo

import (
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestContrastWithWhite(t *testing.T) {
	tests := []struct {
		hex string
		min float64
		ok  bool
	}{
		{"#000000", 20.9, true},
		{"#0b5d5b", 4.5, true},
		{"#ffffff", 1, true},
		{"#ffff00", 1, true},
		{"0b5d5b", 0, false},
		{"#zzzzzz", 0, false},
	}
	for _, tt := range tests {
		r, ok := ContrastWithWhite(tt.hex)
		if ok != tt.ok || ok && r < tt.min {
			t.Errorf("%s: %.2f %v", tt.hex, r, ok)
		}
	}
	if r, _ := ContrastWithWhite("#ffff00"); r > 1.1 {
		t.Errorf("yellow on white contrast %.2f", r)
	}
}

func TestRegionCodes(t *testing.T) {
	tests := []struct {
		code  string
		level RegionLevel
		ok    bool
	}{
		{"33", LevelProvinsi, true},
		{"33.74", LevelKota, true},
		{"33.22", LevelKabupaten, true},
		{"33.70", "", false},
		{"33.00", "", false},
		{"3374", "", false},
		{"03", "", false},
		{"33.7", "", false},
		{"33.74.01", "", false},
	}
	for _, tt := range tests {
		l, ok := LevelFromCode(tt.code)
		if l != tt.level || ok != tt.ok {
			t.Errorf("%s: %q %v", tt.code, l, ok)
		}
	}
}

func TestServiceValidate(t *testing.T) {
	valid := func() ServiceContent {
		return ServiceContent{Slug: "akta", Kind: "akta-kelahiran", Name: " Akta ", AgencySlug: "dukcapil", Category: "kependudukan",
			LifeEvents: []string{"kelahiran", "kelahiran", " "}, Channels: []Channel{ChannelOnline, ChannelOffline, ChannelOnline},
			Standard: Standard{Requirements: []string{" KK ", ""}, Procedure: []string{"Datang"}, Duration: Duration{WorkingDays: 1},
				Fee: Fee{Type: FeeFree, LegalBasis: "UU 24/2013"}, Product: "Akta", Complaints: []string{"LAPOR!"}, LegalBasis: []string{"UU 24/2013"}}}
	}
	c := valid()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Name != "Akta" || len(c.LifeEvents) != 1 || len(c.Channels) != 2 || c.Channels[0] != ChannelOffline || len(c.Standard.Requirements) != 1 || c.Standard.Requirements[0] != "KK" {
		t.Errorf("not normalised: %+v", c)
	}
	tests := []struct {
		field string
		edit  func(*ServiceContent)
	}{
		{"slug", func(c *ServiceContent) { c.Slug = "Akta Lahir" }},
		{"kind", func(c *ServiceContent) { c.Kind = "" }},
		{"name", func(c *ServiceContent) { c.Name = "  " }},
		{"name", func(c *ServiceContent) { c.Name = "a\x00b" }},
		{"name", func(c *ServiceContent) { c.Name = "a\xffb" }},
		{"category", func(c *ServiceContent) { c.Category = "kesenian" }},
		{"life_events[0]", func(c *ServiceContent) { c.LifeEvents = []string{"ulang-tahun"} }},
		{"channels", func(c *ServiceContent) { c.Channels = nil }},
		{"channels[0]", func(c *ServiceContent) { c.Channels = []Channel{"pos"} }},
		{"online_url", func(c *ServiceContent) { c.OnlineURL = "javascript:alert(1)" }},
		{"standard.requirements", func(c *ServiceContent) { c.Standard.Requirements = []string{" "} }},
		{"standard.requirements[0]", func(c *ServiceContent) { c.Standard.Requirements = []string{strings.Repeat("x", 1001)} }},
		{"standard.duration", func(c *ServiceContent) { c.Standard.Duration = Duration{SameDay: true, WorkingDays: 2} }},
		{"standard.duration.working_days", func(c *ServiceContent) { c.Standard.Duration = Duration{WorkingDays: 0} }},
		{"standard.duration.working_days", func(c *ServiceContent) { c.Standard.Duration = Duration{WorkingDays: 261} }},
		{"standard.fee.amount", func(c *ServiceContent) { c.Standard.Fee = Fee{Type: FeeFree, Amount: 5, LegalBasis: "x"} }},
		{"standard.fee.amount", func(c *ServiceContent) { c.Standard.Fee = Fee{Type: FeeFixed, LegalBasis: "x"} }},
		{"standard.fee.legal_basis", func(c *ServiceContent) { c.Standard.Fee = Fee{Type: FeeFixed, Amount: 1000} }},
		{"standard.fee.note", func(c *ServiceContent) { c.Standard.Fee = Fee{Type: FeeVariable, LegalBasis: "Perda"} }},
		{"standard.fee.type", func(c *ServiceContent) { c.Standard.Fee = Fee{Type: "gratis"} }},
		{"standard.product", func(c *ServiceContent) { c.Standard.Product = "" }},
		{"standard.legal_basis", func(c *ServiceContent) { c.Standard.LegalBasis = nil }},
	}
	for _, tt := range tests {
		c := valid()
		tt.edit(&c)
		err := c.Validate()
		e, ok := err.(*Error)
		if !ok || e.Kind != KindInvalid {
			t.Errorf("%s: err = %v", tt.field, err)
			continue
		}
		found := false
		for _, f := range e.Fields {
			found = found || f.Field == tt.field
			if f.Msg.Indonesian == "" || f.Msg.English == "" {
				t.Errorf("%s: message missing a language", f.Field)
			}
		}
		if !found {
			t.Errorf("%s: not reported in %v", tt.field, e.Fields)
		}
	}
}

func TestNeedsReview(t *testing.T) {
	s := Service{}
	s.ReviewedAt = mustTime("2025-11-26T00:00:00Z")
	if !s.NeedsReview(mustTime("2026-11-27T00:00:00Z")) {
		t.Error("13 months old not flagged")
	}
	if s.NeedsReview(mustTime("2026-11-25T00:00:00Z")) {
		t.Error("11.9 months old flagged")
	}
}

func TestRupiah(t *testing.T) {
	for n, want := range map[int64]string{0: "Rp0", 500: "Rp500", 1500: "Rp1.500", 1500000: "Rp1.500.000", -25000: "-Rp25.000"} {
		if got := Rupiah(n); got != want {
			t.Errorf("Rupiah(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCovers(t *testing.T) {
	tests := []struct {
		scope, code string
		want        bool
	}{
		{"", "", true},        // national reaches national
		{"", "33", true},      // and every province
		{"", "33.74", true},   // and every kabupaten/kota
		{"33", "33", true},    // a province reaches itself
		{"33", "33.74", true}, // and its kota
		{"33", "33.22", true}, // and its kabupaten
		{"33", "34.01", false},
		{"33", "34", false},
		{"33", "", false},       // not the nation
		{"33", "333.01", false}, // a longer code that merely starts with the same digits
		{"3", "33.74", false},   // nor a prefix that stops inside a code
		{"33.74", "33.74", true},
		{"33.74", "33.72", false},
		{"33.74", "33", false}, // a kota does not reach its province
		{"33.74", "", false},
		{"33.7", "33.74", false},
	}
	for _, tt := range tests {
		if got := Covers(tt.scope, tt.code); got != tt.want {
			t.Errorf("Covers(%q, %q) = %v, want %v", tt.scope, tt.code, got, tt.want)
		}
	}
}

func TestTokenScope(t *testing.T) {
	tests := []struct {
		region, code string
		ok           bool
	}{
		{"", "33.74", true}, {"33.74", "33.74", true}, {"33.74", "33.72", false},
		{"33", "33.72", true}, {"33", "33", true}, {"33", "34.01", false}, {"33.74", "33", false},
	}
	for _, tt := range tests {
		if got := (Token{Region: tt.region}).CanWrite(tt.code); got != tt.ok {
			t.Errorf("token %q writing %q = %v", tt.region, tt.code, got)
		}
	}
}

func mustTime(s string) (t time.Time) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestInvitationPending(t *testing.T) {
	made := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	inv := Invitation{CreatedAt: made, ExpiresAt: made.Add(7 * 24 * time.Hour)}
	accepted := inv
	accepted.AcceptedAt = made.Add(time.Hour)
	for _, tc := range []struct {
		name string
		inv  Invitation
		at   time.Time
		want bool
	}{
		{"just made", inv, made, true},
		{"a second before it expires", inv, inv.ExpiresAt.Add(-time.Second), true},
		{"at its expiry", inv, inv.ExpiresAt, false},
		{"a year later", inv, made.AddDate(1, 0, 0), false},
		{"accepted", accepted, made.Add(2 * time.Hour), false},
	} {
		if got := tc.inv.Pending(tc.at); got != tc.want {
			t.Errorf("%s: Pending = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestNormalizeSearchQuery: the search log keeps folded words and never
// anything that may identify a person.
func TestNormalizeSearchQuery(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"  Bikin KTP-el!! ", "bikin ktp el"},
		{"akta kelahiran 2024", "akta kelahiran 2024"},
		{"ktp 3374012345678901", ""},      // a NIK
		{"hubungi 0812-3456-7890", ""},    // a phone number, with separators
		{"wa +62 812 3456 789", ""},       // and in international form
		{"budi@contoh.id minta kk", ""},   // an email address
		{"rt 05 rw 03", "rt 05 rw 03"},    // short numbers are fine
		{strings.Repeat("kata ", 40), ""}, // too long to be a search
		{"", ""},
		{"!!!", ""},
	} {
		if got := NormalizeSearchQuery(tt.in); got != tt.want {
			t.Errorf("NormalizeSearchQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzNormalizeSearchQuery(f *testing.F) {
	f.Add("bikin ktp 0812 3456")
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizeSearchQuery(s)
		digits := 0
		for _, r := range got {
			if unicode.IsDigit(r) {
				if digits++; digits >= 6 {
					t.Fatalf("%q keeps a run of digits: %q", s, got)
				}
			} else if unicode.IsLetter(r) {
				digits = 0
			}
		}
		if len(got) > MaxLoggedQuery || strings.ContainsAny(got, "@+") || got != strings.TrimSpace(got) {
			t.Fatalf("%q → %q", s, got)
		}
		if NormalizeSearchQuery(got) != got {
			t.Fatalf("not idempotent: %q → %q → %q", s, got, NormalizeSearchQuery(got))
		}
	})
}
