package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/catalogio"
	"github.com/pendopo/pendopo/internal/demo"
)

func (e env) migrate(ctx context.Context, args []string) error {
	f := e.flags("migrate", "Apply pending database migrations. Migrations also run when serve starts; use this to migrate before deploying new instances.")
	dbf := f.dbFlags()
	status := f.bool("status", "PENDOPO_MIGRATE_STATUS", false, "only list migrations and when they were applied")
	if err := f.parse(args); err != nil {
		return err
	}
	// Open applies pending migrations.
	db, err := dbf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Migrations(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "VERSION\tNAME\tAPPLIED (%s)\n", db.Dialect())
	for _, m := range list {
		at := "pending"
		if !m.AppliedAt.IsZero() {
			at = m.AppliedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%04d\t%s\t%s\n", m.Version, m.Name, at)
	}
	tw.Flush()
	if !*status {
		fmt.Fprintln(e.stdout, "database is up to date")
	}
	return nil
}

func (e env) importCmd(ctx context.Context, args []string) error {
	f := e.flags("import", "Import a region bundle (JSON, as written by export) or a services CSV into the database, all or nothing.\n\n  pendopo import [flags] FILE   (FILE may be - for standard input)")
	dbf := f.dbFlags()
	region := f.string("region", "PENDOPO_REGION", "", "region code such as 33.74; required for CSV, checked against the bundle for JSON")
	format := f.string("format", "PENDOPO_FORMAT", "", "json or csv; by default taken from the file name")
	draft := f.bool("draft", "PENDOPO_DRAFT", false, "store changed services as drafts instead of publishing them")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		f.Usage()
		return usageError{"import needs one FILE"}
	}
	name := f.Arg(0)
	var r io.Reader = e.stdin
	if name != "-" {
		file, err := os.Open(name)
		if err != nil {
			return err
		}
		defer file.Close()
		r = file
	}
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	}
	var (
		b   pendopo.Bundle
		loc *catalogio.Locator
		err error
	)
	switch *format {
	case "json":
		b, loc, err = catalogio.ReadJSON(r)
		if err == nil && *region != "" && b.Region != *region {
			return fmt.Errorf("%s is a bundle of region %s, not %s", name, b.Region, *region)
		}
	case "csv":
		if *region == "" {
			return usageError{"importing CSV needs --region"}
		}
		b, loc, err = catalogio.ReadServicesCSV(r, *region)
	default:
		return usageError{"cannot tell the format of " + name + "; use --format json or --format csv"}
	}
	if err != nil {
		return e.describe(name, err)
	}
	a, db, err := dbf.openApp(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := a.Import(ctx, pendopo.System, b, *draft)
	if err != nil {
		return e.describe(name, loc.Annotate(err))
	}
	fmt.Fprintf(e.stdout, "imported %s into %s: %d agencies, %d service points, services: %d new, %d changed, %d unchanged\n",
		name, b.Region, res.Agencies, res.ServicePoints, res.Created, res.Updated, res.Unchanged)
	return nil
}

// describe prints the problems of an import, one per line with its line
// number, and returns a short error.
func (e env) describe(name string, err error) error {
	var pe *pendopo.Error
	if !errors.As(err, &pe) {
		return err
	}
	fmt.Fprintf(e.stderr, "%s: %s\n", name, pe.Msg.English)
	for _, f := range pe.Fields {
		if f.Line > 0 {
			fmt.Fprintf(e.stderr, "%s:%d: %s: %s\n", name, f.Line, f.Field, f.Msg.English)
		} else {
			fmt.Fprintf(e.stderr, "%s: %s: %s\n", name, f.Field, f.Msg.English)
		}
	}
	return fmt.Errorf("nothing was imported: %d problem(s) in %s", max(1, len(pe.Fields)), name)
}

func (e env) exportCmd(ctx context.Context, args []string) error {
	f := e.flags("export", "Write a region's profile, agencies, service points and services as JSON, or its services as CSV.")
	dbf := f.dbFlags()
	region := f.string("region", "PENDOPO_REGION", "", "region code such as 33.74 (required)")
	format := f.string("format", "PENDOPO_FORMAT", "json", "json or csv")
	out := f.string("out", "PENDOPO_OUT", "-", "file to write, - for standard output")
	if err := f.parse(args); err != nil {
		return err
	}
	if *region == "" {
		return usageError{"export needs --region"}
	}
	if *format != "json" && *format != "csv" {
		return usageError{"--format must be json or csv"}
	}
	a, db, err := dbf.openApp(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	b, err := a.Export(ctx, *region)
	if err != nil {
		return err
	}
	w := e.stdout
	if *out != "-" {
		file, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	if *format == "csv" {
		return catalogio.WriteServicesCSV(w, b)
	}
	return catalogio.WriteJSON(w, b)
}

func (e env) token(ctx context.Context, args []string) error {
	const summary = "Manage API tokens, which let integrations write through the JSON API. People sign in\n" +
		"with accounts instead (see pendopo user add).\n\n" +
		"  pendopo token create --name NAME [--region CODE]   print a new token (shown once)\n" +
		"  pendopo token list                                 list tokens\n" +
		"  pendopo token revoke ID                            revoke a token"
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, summary)
		return usageError{"token needs a subcommand: create, list or revoke"}
	}
	sub := args[0]
	f := e.flags("token "+sub, summary)
	dbf := f.dbFlags()
	name := f.string("name", "PENDOPO_TOKEN_NAME", "", "what the token is for, such as \"admin kota semarang\" (create)")
	region := f.string("region", "PENDOPO_REGION", "", "limit the token to a region code; a province code includes its kabupaten/kota; empty for national (create)")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	a, db, err := dbf.openApp(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "create":
		t, secret, err := a.CreateToken(ctx, pendopo.System, *name, *region)
		if err != nil {
			return e.describe("token", err)
		}
		scope := "national"
		if t.Region != "" {
			scope = "region " + t.Region
		}
		fmt.Fprintf(e.stderr, "token %d (%s, %s) created; it is shown only once:\n", t.ID, t.Name, scope)
		fmt.Fprintln(e.stdout, secret)
		return nil
	case "list":
		list, err := a.Tokens(ctx, pendopo.System)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tREGION\tCREATED\tLAST USED\tREVOKED")
		for _, t := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, or(t.Region, "national"), day(t.CreatedAt), day(t.LastUsedAt), day(t.RevokedAt))
		}
		return tw.Flush()
	case "revoke":
		if f.NArg() != 1 {
			return usageError{"token revoke needs the token ID"}
		}
		id, err := strconv.ParseInt(f.Arg(0), 10, 64)
		if err != nil {
			return usageError{"token ID must be a number"}
		}
		if err := a.RevokeToken(ctx, pendopo.System, id); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token %d revoked\n", id)
		return nil
	}
	return usageError{fmt.Sprintf("unknown token subcommand %q", sub)}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}

func (e env) gen(ctx context.Context, args []string) error {
	f := e.flags("gen", "Fill the database with a generated national catalog: every kabupaten/kota gets agencies and services derived from the demo content, for benchmarks and load tests. Existing regions with services are skipped.")
	dbf := f.dbFlags()
	per := f.int("services", "PENDOPO_GEN_SERVICES", 100, "services per kabupaten/kota")
	limit := f.int("regions", "PENDOPO_GEN_REGIONS", 0, "generate only the first N kabupaten/kota (0 = all 514)")
	if err := f.parse(args); err != nil {
		return err
	}
	a, db, err := dbf.openApp(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now() // wallclock: measures how long generating took
	n, err := demo.Generate(ctx, a, demo.GenOptions{ServicesPerRegion: *per, Regions: *limit, Progress: e.stderr})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "generated %d services in %s\n", n, time.Since(start).Round(time.Millisecond)) // wallclock: measures a duration
	return nil
}
