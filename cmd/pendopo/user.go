package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/pendopo/pendopo"
)

func (e env) user(ctx context.Context, args []string) error {
	const summary = "Manage people's accounts from the command line, for the first admin of an installation.\n\n" +
		"  pendopo user add --login EMAIL|PHONE --name NAME [--role KIND --region CODE --agency SLUG] [--password-stdin]\n\n" +
		"The account is confirmed at once. Without --password-stdin a random password is\n" +
		"generated and printed once. Role kinds: national_admin, overseer, region_admin,\n" +
		"agency_admin, supervisor, officer. Further officers are best invited from the\n" +
		"console (/admin), which sends them a link."
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(e.stderr, summary)
		if len(args) == 0 {
			return usageError{"user needs a subcommand: add"}
		}
		return usageError{fmt.Sprintf("unknown user subcommand %q", args[0])}
	}
	f := e.flags("user add", summary)
	dbf := f.dbFlags()
	login := f.string("login", "PENDOPO_USER_LOGIN", "", "email address or Indonesian mobile number (required)")
	name := f.string("name", "PENDOPO_USER_NAME", "", "full name (required)")
	kind := f.string("role", "PENDOPO_USER_ROLE", "", "role to grant; empty for a citizen account")
	region := f.string("region", "PENDOPO_REGION", "", "region code of the role (a province code for an overseer)")
	agency := f.string("agency", "PENDOPO_AGENCY", "", "agency slug of the role, for agency_admin, supervisor and officer")
	fromStdin := f.bool("password-stdin", "PENDOPO_PASSWORD_STDIN", false, "read the password from the first line of standard input")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if *login == "" || strings.TrimSpace(*name) == "" {
		return usageError{"user add needs --login and --name"}
	}
	var role *pendopo.Role
	if *kind != "" {
		role = &pendopo.Role{Kind: pendopo.RoleKind(*kind), Region: *region, Agency: *agency}
	} else if *region != "" || *agency != "" {
		return usageError{"--region and --agency belong to a --role"}
	}
	password, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("no password on standard input")
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		t := strings.ToLower(rand.Text())
		password, generated = t[0:5]+"-"+t[5:10]+"-"+t[10:15]+"-"+t[15:20], true
	}
	a, db, err := dbf.openApp(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := a.AddUser(ctx, *name, *login, password, role)
	if err != nil {
		var pe *pendopo.Error
		if !errors.As(err, &pe) {
			return err
		}
		fmt.Fprintf(e.stderr, "user add: %s\n", pe.Msg.English)
		for _, f := range pe.Fields {
			fmt.Fprintf(e.stderr, "user add: %s: %s\n", f.Field, f.Msg.English)
		}
		return errors.New("no account was added")
	}
	what := "citizen"
	if role != nil {
		what = role.Kind.Title().English
		if role.Region != "" {
			what += " of " + role.Region
		}
		if role.Agency != "" {
			what += " " + role.Agency
		}
	}
	fmt.Fprintf(e.stderr, "account %d (%s, %s) added and confirmed\n", u.ID, u.Contact(), what)
	if generated {
		fmt.Fprintln(e.stderr, "its password is shown only once:")
		fmt.Fprintln(e.stdout, password)
	}
	return nil
}
