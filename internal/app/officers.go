package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

// checkRole validates a role and that its agency exists in its region.
func (a *App) checkRole(ctx context.Context, r pendopo.Role) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.Region != "" {
		if _, err := a.Region(ctx, r.Region); err != nil {
			return invalidParam("region", pendopo.M("app.unknown_region"))
		}
	}
	if r.Agency != "" {
		if _, err := a.store.Agency(ctx, r.Region, r.Agency); err != nil {
			return invalidParam("agency", pendopo.M("app.no_such_agency_this_region"))
		}
	}
	return nil
}

// Invite asks someone, by email, to become an officer with a role. The
// link in the email works once, for InviteLifetime; it is returned too, so
// that an admin can pass it on another way.
func (a *App) Invite(ctx context.Context, who pendopo.Actor, email, name string, r pendopo.Role) (pendopo.Invitation, string, error) {
	var p pendopo.Problems
	e, _, ok := pendopo.NormalizeLogin(email)
	if !ok || e == "" {
		p.Add("email", pendopo.M("app.write_valid_email_address"))
	}
	name = strings.TrimSpace(name)
	if len([]rune(name)) > 100 || !pendopo.ValidText(name) {
		p.Add("name", pendopo.M("app.the_name_has_at_most"))
	}
	if err := a.checkRole(ctx, r); err != nil {
		p = append(p, err.(*pendopo.Error).Fields...)
	}
	if err := p.Err(); err != nil {
		return pendopo.Invitation{}, "", err
	}
	role, err := who.AuthorizeGrant(r)
	if err != nil {
		return pendopo.Invitation{}, "", err
	}
	secret := randomSecret(24)
	now := a.now()
	inv := pendopo.Invitation{Hash: sha256Hex(secret), Email: e, Name: name, Role: r, CreatedBy: who.Name, CreatedAt: now, ExpiresAt: now.Add(InviteLifetime)}
	entry := pendopo.AuditEntry{Action: "invitation.create", Entity: "invitation", Region: r.Region}
	err = a.audited(ctx, who, role, &entry, func(tx pendopo.Store) error {
		var err error
		inv, err = tx.CreateInvitation(ctx, inv)
		entry.EntityID, entry.Diff = strconv.FormatInt(inv.ID, 10), pendopo.Diff(nil, map[string]any{"email": e, "role": r})
		return err
	})
	if err != nil {
		return inv, "", err
	}
	link := a.baseURL + "/undangan/" + secret
	where := r.Region
	if reg, err := a.Region(ctx, r.Region); err == nil {
		where = reg.Name
	}
	err = a.out.Send(ctx, e, pendopo.M("app.your_pendopo_officer_invitation"), pendopo.M("app.invites_you_pendopo_as_open", who.Name, r.Kind.Title(), where, link))
	return inv, link, err
}

var errBadInvitation = pendopo.Errorf(pendopo.KindNotFound, pendopo.M("app.this_invitation_does_not_exist"))

// Invitation returns a pending invitation by the secret of its link.
func (a *App) Invitation(ctx context.Context, secret string) (pendopo.Invitation, error) {
	if secret == "" || len(secret) > 100 {
		return pendopo.Invitation{}, errBadInvitation
	}
	inv, err := a.store.InvitationByHash(ctx, sha256Hex(secret))
	if errors.Is(err, pendopo.ErrNotFound) || err == nil && !inv.Pending(a.now()) {
		return inv, errBadInvitation
	}
	return inv, err
}

// AcceptInvitation gives the invited role to the account of the invited
// email. Without an account, one is made with name and password (the link
// proves the email, so it is confirmed); with one, password must be its
// password. It returns a new session's secret.
func (a *App) AcceptInvitation(ctx context.Context, secret, name, password, ip, userAgent string) (string, error) {
	inv, err := a.Invitation(ctx, secret)
	if err != nil {
		return "", err
	}
	var userID int64
	c, err := a.store.Credentials(ctx, inv.Email, "")
	switch {
	case err == nil:
		// The existing account's password is a sign-in, counted as one.
		g, err := a.countGuess(ctx, inv.Email, ip)
		if err != nil {
			return "", err
		}
		ok, err := a.checkPassword(ctx, password, c.PasswordHash)
		if err != nil {
			a.guessVoid(ctx, g)
			return "", err
		}
		if !ok {
			var p pendopo.Problems
			p.Add("password", pendopo.M("app.this_address_has_account_enter"))
			return "", p.Err()
		}
		a.guessRight(ctx, g)
		userID = c.UserID
	case errors.Is(err, pendopo.ErrNotFound):
		var p pendopo.Problems
		name = strings.TrimSpace(name)
		if n := len([]rune(name)); n < 2 || n > 100 || !pendopo.ValidText(name) {
			p.Add("name", pendopo.M("app.write_your_name_2_100"))
		}
		if err := pendopo.CheckPassword(password, inv.Email, name); err != nil {
			p = append(p, err.(*pendopo.Error).Fields...)
		}
		if err := p.Err(); err != nil {
			return "", err
		}
	default:
		return "", err
	}
	var hash string
	if userID == 0 {
		if hash, err = a.hashPassword(ctx, password); err != nil {
			return "", err
		}
	}
	if userID, err = a.takeInvitation(ctx, inv, userID, pendopo.User{Name: name, Email: inv.Email}, hash, ip, nil); err != nil {
		return "", err
	}
	return a.startSession(ctx, userID, ip, userAgent)
}

// takeInvitation gives the invited role to userID, or to a new account
// made from newUser and hash when userID is 0, and marks the invitation
// used, in one audited transaction. link, when set, also ties a
// single-sign-on identity to the account.
func (a *App) takeInvitation(ctx context.Context, inv pendopo.Invitation, userID int64, newUser pendopo.User, hash, ip string, link func(tx pendopo.Store, userID int64) error) (int64, error) {
	entry := pendopo.AuditEntry{Action: "invitation.accept", Entity: "invitation", EntityID: strconv.FormatInt(inv.ID, 10), Region: inv.Role.Region,
		Diff: pendopo.Diff(nil, map[string]any{"role": inv.Role})}
	actor := pendopo.Actor{Name: inv.Email, IP: ip}
	defer a.forgetJoined()
	err := a.audited(ctx, actor, string(inv.Role.Kind), &entry, func(tx pendopo.Store) error {
		now := a.now()
		if userID == 0 {
			newUser.Name, newUser.ConfirmedAt = strings.TrimSpace(newUser.Name), now
			u, err := tx.CreateUser(ctx, newUser, hash, now)
			if err != nil {
				return err
			}
			userID = u.ID
		}
		entry.ActorUser = userID
		if err := tx.AcceptInvitation(ctx, inv.ID, userID, now); err != nil {
			return err
		}
		if link != nil {
			if err := link(tx, userID); err != nil {
				return err
			}
		}
		err := tx.GrantRole(ctx, userID, inv.Role, "undangan dari "+inv.CreatedBy, now)
		if errors.Is(err, pendopo.ErrConflict) {
			return nil // already held
		}
		return err
	})
	return userID, err
}

// Invitations lists a region's invitations for who manages its users.
// An agency admin sees the invitations to its agency.
func (a *App) Invitations(ctx context.Context, who pendopo.Actor, region string) ([]pendopo.Invitation, error) {
	if _, err := who.Authorize(pendopo.ActManageUsers, pendopo.Scope{Region: region}); err == nil {
		return a.store.Invitations(ctx, region)
	}
	if _, err := who.Authorize(pendopo.ActViewConsole, pendopo.Scope{Region: region}); err != nil {
		return nil, err
	}
	all, err := a.store.Invitations(ctx, region)
	if err != nil {
		return nil, err
	}
	var mine []pendopo.Invitation
	for _, inv := range all {
		if who.MayGrant(inv.Role) {
			mine = append(mine, inv)
		}
	}
	return mine, nil
}

// CancelInvitation withdraws a pending invitation of a region, so that
// its link no longer works.
func (a *App) CancelInvitation(ctx context.Context, who pendopo.Actor, region string, id int64) error {
	if _, err := who.Authorize(pendopo.ActViewConsole, pendopo.Scope{Region: region}); err != nil {
		return err
	}
	list, err := a.store.Invitations(ctx, region)
	if err != nil {
		return err
	}
	for _, inv := range list {
		if inv.ID != id {
			continue
		}
		role, err := who.AuthorizeGrant(inv.Role)
		if err != nil {
			return err
		}
		e := pendopo.AuditEntry{Action: "invitation.cancel", Entity: "invitation", EntityID: strconv.FormatInt(id, 10), Region: inv.Role.Region,
			Diff: pendopo.Diff(map[string]any{"email": inv.Email, "role": inv.Role}, nil)}
		return a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.CancelInvitation(ctx, id, a.now()) })
	}
	return fmt.Errorf("invitation %d in %s: %w", id, region, pendopo.ErrNotFound)
}

// Officers lists the people with roles in a region, for who may see its
// console.
func (a *App) Officers(ctx context.Context, who pendopo.Actor, region string) ([]pendopo.User, error) {
	if _, err := who.Authorize(pendopo.ActViewConsole, pendopo.Scope{Region: region}); err != nil {
		return nil, err
	}
	return a.store.Users(ctx, pendopo.UserFilter{Region: region})
}

// GrantRole gives an existing user a role.
func (a *App) GrantRole(ctx context.Context, who pendopo.Actor, userID int64, r pendopo.Role) error {
	if err := a.checkRole(ctx, r); err != nil {
		return err
	}
	role, err := who.AuthorizeGrant(r)
	if err != nil {
		return err
	}
	if _, err := a.store.User(ctx, userID); err != nil {
		return err
	}
	e := pendopo.AuditEntry{Action: "role.grant", Entity: "user", EntityID: strconv.FormatInt(userID, 10), Region: r.Region, Diff: pendopo.Diff(nil, r)}
	defer a.forgetJoined()
	return a.audited(ctx, who, role, &e, func(tx pendopo.Store) error { return tx.GrantRole(ctx, userID, r, who.Name, a.now()) })
}

// RevokeRole takes a role away. Nobody may take away their own last way to
// manage users, so a region is never left without an admin by accident.
func (a *App) RevokeRole(ctx context.Context, who pendopo.Actor, userID int64, r pendopo.Role) error {
	role, err := who.AuthorizeGrant(r)
	if err != nil {
		return err
	}
	if userID == who.UserID && (r.Kind == pendopo.RoleRegionAdmin || r.Kind == pendopo.RoleNationalAdmin) {
		return invalidParam("role", pendopo.M("app.you_cannot_revoke_your_own"))
	}
	e := pendopo.AuditEntry{Action: "role.revoke", Entity: "user", EntityID: strconv.FormatInt(userID, 10), Region: r.Region, Diff: pendopo.Diff(r, nil)}
	defer a.forgetJoined()
	return a.audited(ctx, who, role, &e, func(tx pendopo.Store) error {
		if err := tx.RevokeRole(ctx, userID, r); err != nil {
			return err
		}
		// Someone who loses a role should not keep acting with it.
		return tx.DeleteSessions(ctx, userID, "")
	})
}

// AddUser makes a confirmed account with a role from the command line (the
// first national admin of a new installation, for example).
func (a *App) AddUser(ctx context.Context, name, login, password string, r *pendopo.Role) (pendopo.User, error) {
	if err := a.checkNewUser(ctx, name, login, password, r); err != nil {
		return pendopo.User{}, err
	}
	hash, err := a.hashPassword(ctx, password)
	if err != nil {
		return pendopo.User{}, err
	}
	return a.createUser(ctx, name, login, hash, r)
}

// NewUser is an account for AddUsers.
type NewUser struct {
	Name, Login string
	Role        *pendopo.Role
}

// AddUsers makes confirmed accounts that share one password, such as the
// demo's, leaving those whose login exists as they are. The password is
// checked against each and hashed once: a deliberately slow argon2id hash
// per account made a demo's first start seconds longer. It reports how
// many accounts it made.
func (a *App) AddUsers(ctx context.Context, users []NewUser, password string) (int, error) {
	var todo []NewUser
	for _, u := range users {
		if a.HasAccount(ctx, u.Login) {
			continue
		}
		if err := a.checkNewUser(ctx, u.Name, u.Login, password, u.Role); err != nil {
			return 0, fmt.Errorf("account %s: %w", u.Login, err)
		}
		todo = append(todo, u)
	}
	if len(todo) == 0 {
		return 0, nil
	}
	hash, err := a.hashPassword(ctx, password)
	if err != nil {
		return 0, err
	}
	for i, u := range todo {
		if _, err := a.createUser(ctx, u.Name, u.Login, hash, u.Role); err != nil {
			return i, err
		}
	}
	return len(todo), nil
}

// checkNewUser refuses a login that is neither an email address nor a
// mobile number, a weak password and a role that does not exist.
func (a *App) checkNewUser(ctx context.Context, name, login, password string, r *pendopo.Role) error {
	var p pendopo.Problems
	if _, _, ok := pendopo.NormalizeLogin(login); !ok {
		p.Add("login", pendopo.M("app.write_email_address_indonesian_mobile_2"))
	}
	if err := pendopo.CheckPassword(password, login, name); err != nil {
		p = append(p, err.(*pendopo.Error).Fields...)
	}
	if r != nil {
		if err := a.checkRole(ctx, *r); err != nil {
			p = append(p, err.(*pendopo.Error).Fields...)
		}
	}
	return p.Err()
}

// createUser stores a checked account with its password's hash, and its
// role, with an audit entry.
func (a *App) createUser(ctx context.Context, name, login, hash string, r *pendopo.Role) (pendopo.User, error) {
	email, phone, _ := pendopo.NormalizeLogin(login)
	var u pendopo.User
	e := pendopo.AuditEntry{Action: "user.add", Entity: "user"}
	defer a.forgetJoined()
	err := a.audited(ctx, pendopo.System, "system", &e, func(tx pendopo.Store) error {
		now := a.now()
		var err error
		if u, err = tx.CreateUser(ctx, pendopo.User{Name: strings.TrimSpace(name), Email: email, Phone: phone, ConfirmedAt: now}, hash, now); err != nil {
			return err
		}
		e.EntityID = strconv.FormatInt(u.ID, 10)
		if r != nil {
			e.Region, e.Diff = r.Region, pendopo.Diff(nil, *r)
			return tx.GrantRole(ctx, u.ID, *r, pendopo.System.Name, now)
		}
		return nil
	})
	if err != nil {
		return u, err
	}
	return a.store.User(ctx, u.ID)
}
