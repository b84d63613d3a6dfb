package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// testRegionScope checks that the lists filtered by region in SQL
// (region = ? OR region LIKE 'scope.%') keep exactly the rows that
// pendopo.Covers keeps: the audit log, users by their roles and
// invitations, for the national scope, a province, a kota, and scopes that
// are only the start of a code.
func testRegionScope(t *testing.T, s pendopo.Store) {
	at := pendopotest.T0
	regions := []string{"", "33", "33.74", "33.72", "34", "34.01", "35.01"}
	userRegion := map[int64]string{}
	for i, region := range regions {
		role := pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: region}
		switch len(region) {
		case 0:
			role.Kind = pendopo.RoleNationalAdmin
		case 2:
			role.Kind = pendopo.RoleOverseer
		}
		u := must(s.CreateUser(ctx, pendopo.User{Name: "Petugas", Email: fmt.Sprintf("p%d@contoh.id", i)}, "h", at))(t)
		if err := s.GrantRole(ctx, u.ID, role, "penguji", at); err != nil {
			t.Fatal(err)
		}
		userRegion[u.ID] = region
		must(s.CreateInvitation(ctx, pendopo.Invitation{Hash: fmt.Sprintf("i%d", i), Email: fmt.Sprintf("u%d@contoh.id", i),
			Role: role, CreatedBy: "admin", CreatedAt: at, ExpiresAt: at.Add(time.Hour)}))(t)
		must(s.AppendAudit(ctx, pendopo.AuditEntry{At: at.Add(time.Duration(i) * time.Second), Actor: "penguji", Role: "system",
			Action: "role.grant", Entity: "user", EntityID: fmt.Sprint(u.ID), Region: region}))(t)
	}
	for _, scope := range []string{"", "33", "33.74", "34", "3", "33.7", "36"} {
		var want []string
		for _, r := range regions {
			if pendopo.Covers(scope, r) {
				want = append(want, r)
			}
		}
		slices.Sort(want)
		var audit, users, invitations []string
		log, _ := must2a(t)(s.AuditLog(ctx, pendopo.AuditFilter{Region: scope, Page: pendopo.Page{PerPage: 100}}))
		for _, e := range log {
			audit = append(audit, e.Region)
		}
		for _, u := range must(s.Users(ctx, pendopo.UserFilter{Region: scope}))(t) {
			users = append(users, userRegion[u.ID])
		}
		for _, inv := range must(s.Invitations(ctx, scope))(t) {
			invitations = append(invitations, inv.Role.Region)
		}
		for _, got := range []struct {
			list    string
			regions []string
		}{{"audit log", audit}, {"users", users}, {"invitations", invitations}} {
			slices.Sort(got.regions)
			if !slices.Equal(got.regions, want) {
				t.Errorf("%s of scope %q: regions %q, Covers keeps %q", got.list, scope, got.regions, want)
			}
		}
	}
}
