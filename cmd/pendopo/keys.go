package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"text/tabwriter"

	"github.com/pendopo/pendopo"
)

func (e env) keys(ctx context.Context, args []string) error {
	const summary = "Manage the Ed25519 keys that sign the documents a region issues, and the secret key.\n" +
		"A region gets its first key when it issues its first document; creating a new key retires\n" +
		"the current one, which still verifies what it signed. Private keys are kept encrypted with\n" +
		"the secret key.\n\n" +
		"  pendopo keys create --region CODE   make a new key for a region (rotates)\n" +
		"  pendopo keys rotate --region CODE   the same as create\n" +
		"  pendopo keys list --region CODE     list a region's keys with their public halves\n" +
		"  pendopo keys rotate-secret          replace the secret key: every sealed value is sealed again\n" +
		"                                      under a new key in one transaction (stop every instance first)\n" +
		"  pendopo keys reseal --old-key-file F  seal again under the current key what is still sealed\n" +
		"                                      under the old key F (after an instance kept using it)"
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, summary)
		return usageError{"keys needs a subcommand: create, rotate, list, rotate-secret or reseal"}
	}
	sub := args[0]
	switch sub {
	case "rotate-secret":
		return e.rotateSecret(ctx, args[1:])
	case "reseal":
		return e.reseal(ctx, args[1:])
	}
	f := e.flags("keys "+sub, summary)
	dbf := f.dbFlags()
	region := f.string("region", "PENDOPO_REGION", "", "region code, such as 33.74")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if *region == "" {
		return usageError{"keys " + sub + " needs --region"}
	}
	a, db, err := dbf.openApp(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "create", "rotate":
		k, err := a.CreateSigningKey(ctx, pendopo.System, *region)
		if err != nil {
			return e.describe("keys", err)
		}
		fmt.Fprintf(e.stdout, "key %s created for %s; public key %s\n", k.ID, k.Region, base64.StdEncoding.EncodeToString(k.Public))
		return nil
	case "list":
		keys, err := a.SigningKeys(ctx, *region)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tCREATED\tRETIRED\tPUBLIC KEY (base64)")
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.ID, day(k.CreatedAt), day(k.RetiredAt), base64.StdEncoding.EncodeToString(k.Public))
		}
		return tw.Flush()
	}
	return usageError{fmt.Sprintf("unknown keys subcommand %q", sub)}
}
