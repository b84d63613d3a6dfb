package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// testJoinedRegions checks which regions count as joined: those where a
// live account holds pendopo.JoiningRole for exactly that code. Agency
// staff, an overseer of the province, a national admin, a revoked admin
// and an erased admin do not make a region joined; two admins of one
// region list it once.
func testJoinedRegions(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	if got := must(s.JoinedRegions(ctx))(t); len(got) != 0 {
		t.Fatalf("a fresh store has joined regions %q", got)
	}
	grants := []struct {
		role    pendopo.Role
		erase   bool
		revoked bool
	}{
		{pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.74"}, false, false},
		{pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.74"}, false, false},
		{pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33"}, false, false},
		{pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.72", Agency: "dukcapil"}, false, false},
		{pendopo.Role{Kind: pendopo.RoleAgencyAdmin, Region: "33.72", Agency: "dukcapil"}, false, false},
		{pendopo.Role{Kind: pendopo.RoleOverseer, Region: "34"}, false, false},
		{pendopo.Role{Kind: pendopo.RoleNationalAdmin}, false, false},
		{pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.22"}, true, false},
		{pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "35.01"}, false, true},
	}
	for i, g := range grants {
		u := must(s.CreateUser(ctx, pendopo.User{Name: "Petugas", Email: fmt.Sprintf("j%d@contoh.id", i)}, "h", at))(t)
		if err := s.GrantRole(ctx, u.ID, g.role, "penguji", at); err != nil {
			t.Fatal(err)
		}
		if g.erase {
			if err := s.EraseUser(ctx, u.ID, at); err != nil {
				t.Fatal(err)
			}
		}
		if g.revoked {
			if err := s.RevokeRole(ctx, u.ID, g.role); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, want := must(s.JoinedRegions(ctx))(t), []string{"33", "33.74"}; !slices.Equal(got, want) {
		t.Errorf("joined regions = %q, want %q", got, want)
	}
}
