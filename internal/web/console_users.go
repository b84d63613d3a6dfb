package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

// roleRow is one role of an officer on the users page.
type roleRow struct {
	UserID    int64
	Role      pendopo.Role
	Label     string
	CanRevoke bool
}

// officerRow is one person with roles in the region.
type officerRow struct {
	User  pendopo.User
	Roles []roleRow
}

// kindOption is a role kind the admin may give.
type kindOption struct {
	Kind  pendopo.RoleKind
	Label string
	// Agency tells that the role needs an agency.
	Agency bool
}

// adminUsersPage lists a region's officers and invitations, with the form
// to invite someone.
type adminUsersPage struct {
	Page
	Form
	Code       string
	RegionName string
	Officers   []officerRow
	Pending    []pendopo.Invitation
	Kinds      []kindOption
	Agencies   []pendopo.Agency
	// Invite is what the invite form holds.
	InviteEmail, InviteName, InviteKind, InviteAgency string
	// Link is the link of the invitation just made, shown once.
	Link string
	// agencyNames names the region's agencies by slug.
	agencyNames map[string]string
}

// RoleLabel names a role with its place.
func (p adminUsersPage) RoleLabel(r pendopo.Role) string {
	l := p.Tx(r.Kind.Title())
	if r.Agency != "" {
		name := p.agencyNames[r.Agency]
		if name == "" {
			name = r.Agency
		}
		l += " · " + name
	}
	if r.Region != "" && r.Region != p.Code {
		l += " · " + r.Region
	}
	return l
}

func (s *Server) adminUsersData(r *http.Request) (adminUsersPage, error) {
	ctx := r.Context()
	code := r.PathValue("code")
	reg, p, err := s.adminPage(r, code)
	if err != nil {
		return adminUsersPage{}, err
	}
	who := current(r).Actor
	p.Title = p.T("users.title", reg.Name)
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + code}, {p.T("users.crumb"), ""}}
	data := adminUsersPage{Page: p, Code: code, RegionName: reg.Name, agencyNames: map[string]string{}}
	if data.Agencies, _, err = s.app.Agencies(ctx, code, pendopo.Page{PerPage: pendopo.MaxPerPage}); err != nil {
		return data, err
	}
	for _, ag := range data.Agencies {
		data.agencyNames[ag.Slug] = ag.ShortName
		if ag.ShortName == "" {
			data.agencyNames[ag.Slug] = ag.Name
		}
	}
	users, err := s.app.Officers(ctx, who, code)
	if err != nil {
		return data, err
	}
	for _, u := range users {
		row := officerRow{User: u}
		for _, role := range u.Roles {
			if !pendopo.Covers(code, role.Region) {
				continue
			}
			row.Roles = append(row.Roles, roleRow{UserID: u.ID, Role: role, Label: data.RoleLabel(role), CanRevoke: who.MayGrant(role) && u.ID != who.UserID})
		}
		if len(row.Roles) > 0 {
			data.Officers = append(data.Officers, row)
		}
	}
	if invs, err := s.app.Invitations(ctx, who, code); err == nil {
		now := s.app.Now()
		for _, inv := range invs {
			if inv.Pending(now) {
				data.Pending = append(data.Pending, inv)
			}
		}
	} else if pendopo.KindOf(err) != pendopo.KindForbidden {
		return data, err
	}
	for _, k := range pendopo.RoleKinds {
		probe := pendopo.Role{Kind: k.Kind, Region: code}
		needsAgency := k.Kind == pendopo.RoleAgencyAdmin || k.Kind == pendopo.RoleSupervisor || k.Kind == pendopo.RoleOfficer
		switch {
		case k.Kind == pendopo.RoleNationalAdmin:
			continue
		case k.Kind == pendopo.RoleOverseer && len(code) != 2:
			continue
		case needsAgency:
			// Offered when the admin may grant it in at least one agency.
			ok := false
			for _, ag := range data.Agencies {
				probe.Agency = ag.Slug
				if who.MayGrant(probe) {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
		case !who.MayGrant(probe):
			continue
		}
		data.Kinds = append(data.Kinds, kindOption{Kind: k.Kind, Label: p.Tx(k.Title), Agency: needsAgency})
	}
	// An agency admin sees only the agencies it manages.
	if _, ok := who.Can(pendopo.ActManageUsers, pendopo.Scope{Region: code}); !ok {
		var mine []pendopo.Agency
		for _, ag := range data.Agencies {
			if _, ok := who.Can(pendopo.ActManageUsers, pendopo.Scope{Region: code, Agency: ag.Slug}); ok {
				mine = append(mine, ag)
			}
		}
		data.Agencies = mine
	}
	return data, nil
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	data, err := s.adminUsersData(r)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("pesan") {
	case "dicabut":
		data.Notice = data.T("users.revoked")
	case "dibatalkan":
		data.Notice = data.T("users.cancelled")
	}
	s.rd.render(w, r, http.StatusOK, "admin_users", data)
	return nil
}

func (s *Server) adminInvite(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 8<<10); err != nil {
		return err
	}
	data, err := s.adminUsersData(r)
	if err != nil {
		return err
	}
	data.InviteEmail, data.InviteName = strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("name")
	data.InviteKind, data.InviteAgency = r.PostFormValue("kind"), r.PostFormValue("agency")
	role := pendopo.Role{Kind: pendopo.RoleKind(data.InviteKind), Region: data.Code}
	if role.Kind == pendopo.RoleAgencyAdmin || role.Kind == pendopo.RoleSupervisor || role.Kind == pendopo.RoleOfficer {
		role.Agency = data.InviteAgency
	}
	inv, link, err := s.app.Invite(r.Context(), current(r).Actor, data.InviteEmail, data.InviteName, role)
	if err != nil {
		fm, err2 := formErrors(err, data.Lang)
		if err2 != nil {
			return err2
		}
		data.Form = fm
		s.rd.render(w, r, http.StatusUnprocessableEntity, "admin_users", data)
		return nil
	}
	// The page is shown, not redirected to, because the link is shown
	// only once; reloading would send the form again, so it says so.
	fresh, err := s.adminUsersData(r)
	if err != nil {
		return err
	}
	fresh.Notice, fresh.Link = fresh.T("users.invited", inv.Email), link
	w.Header().Set("Cache-Control", "no-store")
	s.rd.render(w, r, http.StatusOK, "admin_users", fresh)
	return nil
}

func (s *Server) adminCancelInvitation(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	code := r.PathValue("code")
	if err := s.app.CancelInvitation(r.Context(), current(r).Actor, code, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/daerah/"+code+"/pengguna?pesan=dibatalkan", http.StatusSeeOther)
	return nil
}

func (s *Server) adminRevokeRole(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r, 4<<10); err != nil {
		return err
	}
	uid, err := strconv.ParseInt(r.PathValue("uid"), 10, 64)
	if err != nil {
		return errNotFound
	}
	code := r.PathValue("code")
	role := pendopo.Role{Kind: pendopo.RoleKind(r.PostFormValue("kind")), Region: r.PostFormValue("region"), Agency: r.PostFormValue("agency")}
	if !pendopo.Covers(code, role.Region) {
		return errNotYourRegion
	}
	if err := s.app.RevokeRole(r.Context(), current(r).Actor, uid, role); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/daerah/"+code+"/pengguna?pesan=dicabut", http.StatusSeeOther)
	return nil
}
