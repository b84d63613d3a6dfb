package demo

import (
	"context"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// Account is a demo account: who, and the role it shows.
type Account struct {
	Name, Login string
	// Role is nil for the demo citizen.
	Role *pendopo.Role
}

// Accounts lists one account per role and demo region, so that every role
// can be tried: a national admin, the province's overseer, and in each
// region its admin and, in the civil registry (or the province's
// communications office), the agency admin, supervisor and officer; and
// one citizen.
func Accounts() []Account {
	list := []Account{
		{"Admin Nasional (demo)", "nasional@pendopo.test", &pendopo.Role{Kind: pendopo.RoleNationalAdmin}},
		{"Pengawas Jawa Tengah (demo)", "pengawas.33@pendopo.test", &pendopo.Role{Kind: pendopo.RoleOverseer, Region: "33"}},
	}
	for _, code := range Regions {
		tag := strings.ReplaceAll(code, ".", "")
		agency := "disdukcapil"
		if len(code) == 2 {
			agency = "diskominfo"
		}
		list = append(list,
			Account{"Admin Daerah " + code + " (demo)", "admin." + tag + "@pendopo.test", &pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: code}},
			Account{"Admin OPD " + code + " (demo)", "opd." + tag + "@pendopo.test", &pendopo.Role{Kind: pendopo.RoleAgencyAdmin, Region: code, Agency: agency}},
			Account{"Kepala OPD " + code + " (demo)", "kepala." + tag + "@pendopo.test", &pendopo.Role{Kind: pendopo.RoleSupervisor, Region: code, Agency: agency}},
			Account{"Petugas " + code + " (demo)", "petugas." + tag + "@pendopo.test", &pendopo.Role{Kind: pendopo.RoleOfficer, Region: code, Agency: agency}},
		)
	}
	// An officer of Kota Semarang's transport agency, which the demo's
	// routing sends street-light and traffic reports to.
	list = append(list, Account{"Petugas Dishub 33.74 (demo)", "dishub.3374@pendopo.test", &pendopo.Role{Kind: pendopo.RoleOfficer, Region: "33.74", Agency: "dishub"}})
	return append(list, Account{"Warga Demo", "warga@pendopo.test", nil})
}

// AddAccounts creates the demo accounts that do not exist yet, all with
// password, each in the audit trail. It reports how many it created.
func AddAccounts(ctx context.Context, a *app.App, password string) (int, error) {
	var users []app.NewUser
	for _, acc := range Accounts() {
		users = append(users, app.NewUser{Name: acc.Name, Login: acc.Login, Role: acc.Role})
	}
	return a.AddUsers(ctx, users, password)
}
