package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/data"
)

func (e env) holidays(ctx context.Context, args []string) error {
	const summary = "Manage the working-day calendar that sets applications' deadlines. The national holidays\n" +
		"and cuti bersama of 2026 ship with Pendopo; import later years from the SKB 3 Menteri as CSV\n" +
		"with the columns date,name,kind (kind: libur_nasional or cuti_bersama), like\n" +
		"data/libur-nasional-2026.csv. Region admins add their region's holidays in the console.\n\n" +
		"  pendopo holidays import FILE.csv             add a year's national holidays (all or nothing)\n" +
		"  pendopo holidays list --year Y [--region C]  the holidays of a year, national and the region's"
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, summary)
		return usageError{"holidays needs a subcommand: import or list"}
	}
	sub := args[0]
	f := e.flags("holidays "+sub, summary)
	dbf := f.dbFlags()
	year := f.int("year", "PENDOPO_YEAR", 0, "year to list (list); the current year when unset")
	region := f.string("region", "PENDOPO_REGION", "", "region code whose own holidays to include (list)")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	switch sub {
	case "import":
		if f.NArg() != 1 {
			return usageError{"holidays import needs one CSV file"}
		}
		b, err := os.ReadFile(f.Arg(0))
		if err != nil {
			return err
		}
		hs, err := data.ReadHolidays(b)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Arg(0), err)
		}
		a, db, err := dbf.openApp(ctx, e)
		if err != nil {
			return err
		}
		defer db.Close()
		n, err := a.ImportHolidays(ctx, pendopo.System, hs)
		if err != nil {
			return e.describe("holidays", err)
		}
		fmt.Fprintf(e.stdout, "%d holidays imported\n", n)
		return nil
	case "list":
		a, db, err := dbf.openApp(ctx, e)
		if err != nil {
			return err
		}
		defer db.Close()
		if *year == 0 {
			*year = a.Now().Year()
		}
		hs, err := a.Holidays(ctx, *region, *year)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "DATE\tKIND\tREGION\tNAME")
		for _, h := range hs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", h.Date, h.Kind, or(h.Region, "national"), h.Name)
		}
		return tw.Flush()
	}
	return usageError{fmt.Sprintf("unknown holidays subcommand %q", sub)}
}
