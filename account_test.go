package pendopo

import (
	"strings"
	"testing"
	"time"
)

func TestCheckNIK(t *testing.T) {
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	known := func(code string) bool { return code == "33" || code == "33.74" }
	tests := []struct {
		nik    string
		ok     bool
		female bool
		birth  string
		warn   bool
	}{
		{"3374011708450001", true, false, "1945-08-17", false},
		{"3374015708450001", true, true, "1945-08-17", false}, // day + 40 for women
		{"3374010101100002", true, false, "2010-01-01", false},
		{"3374012902000003", true, false, "2000-02-29", false},
		{"3374016902960004", true, true, "1996-02-29", false},
		{"3374012902010001", false, false, "", false},         // 29 Feb 2001 and 1901 do not exist
		{"9171011708450001", true, false, "1945-08-17", true}, // old Papua code: warning only
		{"3374013208450001", false, false, "", false},         // day 32
		{"3374017208450001", false, false, "", false},         // day 72 (32 + 40)
		{"3374011713450001", false, false, "", false},         // month 13
		{"3374011700450001", false, false, "", false},         // month 0
		{"3374014008450001", false, false, "", false},         // day 40 = 0 for a woman
		{"3374011708450000", false, false, "", false},         // serial 0000
		{"337401170845000", false, false, "", false},          // 15 digits
		{"33740117084500011", false, false, "", false},        // 17 digits
		{"3374-0117084500", false, false, "", false},          // not digits
		{"337401170845000a", false, false, "", false},
		{"3374011708300001", true, false, "1930-08-17", false}, // 30 is in the future as 2030
		{"3374011708260001", true, false, "2026-08-17", false},
	}
	for _, tt := range tests {
		info, err := CheckNIK(tt.nik, known, now)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok %v", tt.nik, err, tt.ok)
			continue
		}
		if !tt.ok {
			if e, ok := err.(*Error); !ok || e.Kind != KindInvalid || e.Fields[0].Field != "nik" {
				t.Errorf("%s: error %v", tt.nik, err)
			}
			continue
		}
		if info.Female != tt.female || info.Birth.Format(time.DateOnly) != tt.birth || (info.Warning != Text{}) != tt.warn {
			t.Errorf("%s: %+v", tt.nik, info)
		}
	}
}

func FuzzCheckNIK(f *testing.F) {
	for _, s := range []string{"3374011708450001", "3374015708450001", "0000000000000000", "9999999999999999", "", "33740117084500011", "３３７４０１１７０８４５０００１"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		info, err := CheckNIK(s, func(string) bool { return true }, now)
		if err != nil {
			return
		}
		if len(s) != 16 || info.Birth.After(now) || info.Birth.Year() < now.Year()-101 || s[12:] == "0000" {
			t.Fatalf("accepted %q as %+v", s, info)
		}
		if m := MaskNIK(s); len(m) != 16 || m[:4] != s[:4] || m[12:] != s[12:] || m[4:12] != "********" {
			t.Fatalf("mask %q", m)
		}
	})
}

func TestMaskNIK(t *testing.T) {
	if got := MaskNIK("3374011708450001"); got != "3374********0001" {
		t.Errorf("mask = %q", got)
	}
	if got := MaskNIK("123"); got != "***" {
		t.Errorf("short mask = %q", got)
	}
}

func TestNormalizeLogin(t *testing.T) {
	tests := []struct{ in, email, phone string }{
		{"Warga@Contoh.id", "warga@contoh.id", ""},
		{"081234567890", "", "+6281234567890"},
		{"+62 812-3456-7890", "", "+6281234567890"},
		{"62 812 3456 7890", "", "+6281234567890"},
		{"(0812) 3456 789", "", "+628123456789"},
		{"0243512345", "", ""},        // landline
		{"0812", "", ""},              // too short
		{"08123456789012345", "", ""}, // too long
		{"bukan email@", "", ""},
		{"warga@", "", ""},
		{"0812abc", "", ""},
	}
	for _, tt := range tests {
		e, p, ok := NormalizeLogin(tt.in)
		if e != tt.email || p != tt.phone || ok != (tt.email != "" || tt.phone != "") {
			t.Errorf("NormalizeLogin(%q) = %q %q %v", tt.in, e, p, ok)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for _, pw := range []string{"pendek", "password", "Password123", "bismillah", "BISMILLAH!", "12345678", "aaaaaaaa", "abcdefgh", "sayangku2024", "warga.semarang"} {
		if CheckPassword(pw, "warga.semarang@contoh.id") == nil {
			t.Errorf("%q accepted", pw)
		}
	}
	for _, pw := range []string{"kopi tubruk pagi hari", "Lumpia-Gang-Lombok-11", "tiga kucing oranye"} {
		if err := CheckPassword(pw, "warga@contoh.id", "Budi"); err != nil {
			t.Errorf("%q refused: %v", pw, err)
		}
	}
}

// TestRoleAllows is the table of who may do what.
func TestRoleAllows(t *testing.T) {
	smg, solo := Scope{Region: "33.74", Agency: "disdukcapil"}, Scope{Region: "33.72", Agency: "disdukcapil"}
	smgDinkes := Scope{Region: "33.74", Agency: "dinkes"}
	tests := []struct {
		role Role
		act  Action
		s    Scope
		want bool
	}{
		{Role{Kind: RoleNationalAdmin}, ActEditSynonyms, Scope{}, true},
		{Role{Kind: RoleNationalAdmin}, ActPublishService, solo, true},
		{Role{Kind: RoleRegionAdmin, Region: "33.74"}, ActEditRegion, smg, true},
		{Role{Kind: RoleRegionAdmin, Region: "33.74"}, ActPublishService, smgDinkes, true},
		{Role{Kind: RoleRegionAdmin, Region: "33.74"}, ActManageUsers, smg, true},
		{Role{Kind: RoleRegionAdmin, Region: "33.74"}, ActEditRegion, solo, false},
		{Role{Kind: RoleRegionAdmin, Region: "33.74"}, ActEditSynonyms, smg, false},
		{Role{Kind: RoleRegionAdmin, Region: "33"}, ActEditRegion, smg, false}, // a province does not run its kota
		{Role{Kind: RoleAgencyAdmin, Region: "33.74", Agency: "disdukcapil"}, ActEditAgency, smg, true},
		{Role{Kind: RoleAgencyAdmin, Region: "33.74", Agency: "disdukcapil"}, ActEditAgency, smgDinkes, false},
		{Role{Kind: RoleAgencyAdmin, Region: "33.74", Agency: "disdukcapil"}, ActEditRegion, smg, false},
		{Role{Kind: RoleSupervisor, Region: "33.74", Agency: "disdukcapil"}, ActPublishService, smg, true},
		{Role{Kind: RoleSupervisor, Region: "33.74", Agency: "disdukcapil"}, ActPublishService, smgDinkes, false},
		{Role{Kind: RoleOfficer, Region: "33.74", Agency: "disdukcapil"}, ActDraftService, smg, true},
		{Role{Kind: RoleOfficer, Region: "33.74", Agency: "disdukcapil"}, ActPublishService, smg, false},
		{Role{Kind: RoleOfficer, Region: "33.74", Agency: "disdukcapil"}, ActDraftService, smgDinkes, false},
		{Role{Kind: RoleOfficer, Region: "33.74", Agency: "disdukcapil"}, ActDraftService, solo, false},
		{Role{Kind: RoleOverseer, Region: "33"}, ActViewAudit, smg, true},
		{Role{Kind: RoleOverseer, Region: "33"}, ActViewConsole, Scope{Region: "34.01"}, false},
		{Role{Kind: RoleOverseer, Region: "33"}, ActEditRegion, smg, false},
		{Role{Kind: RoleOverseer}, ActViewConsole, solo, true},
		{Role{Kind: RoleOverseer}, ActDraftService, solo, false},
	}
	for _, tt := range tests {
		if got := tt.role.Allows(tt.act, tt.s); got != tt.want {
			t.Errorf("%+v %s on %+v = %v, want %v", tt.role, tt.act, tt.s, got, tt.want)
		}
	}
	bad := []Role{{Kind: RoleNationalAdmin, Region: "33"}, {Kind: RoleRegionAdmin}, {Kind: RoleOfficer, Region: "33.74"},
		{Kind: RoleOverseer, Region: "33.74"}, {Kind: "raja"}}
	for _, r := range bad {
		if r.Validate() == nil {
			t.Errorf("%+v accepted", r)
		}
	}
}

// FuzzNormalizeLogin: whatever people type as their login, an accepted one
// is either a lower-case email or a +62 mobile number, and normalising it
// again changes nothing (so the same person always finds one account).
func FuzzNormalizeLogin(f *testing.F) {
	for _, s := range []string{"Budi@Contoh.ID", "0812-3456-7890", "+62 812 3456 7890", "628123456789", "@", "a@b", "08", "", "<a@b.c>", "＋６２８１２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		email, phone, ok := NormalizeLogin(s)
		if !ok {
			return
		}
		if (email == "") == (phone == "") {
			t.Fatalf("%q: email %q phone %q", s, email, phone)
		}
		if email != "" && (email != strings.ToLower(email) || !strings.Contains(email, "@")) {
			t.Fatalf("%q: email %q", s, email)
		}
		if phone != "" && (!strings.HasPrefix(phone, "+628") || len(phone) < 11 || len(phone) > 16) {
			t.Fatalf("%q: phone %q", s, phone)
		}
		e2, p2, ok2 := NormalizeLogin(email + phone)
		if !ok2 || e2 != email || p2 != phone {
			t.Fatalf("%q: not stable: %q %q → %q %q", s, email, phone, e2, p2)
		}
	})
}
