package main

import (
	"context"
	"fmt"
)

func (e env) figures(ctx context.Context, args []string) error {
	const summary = "Maintain the monthly service-level figures behind the dashboards, the IKM and the e-gov index.\n" +
		"They are counted as work happens; rebuild counts them again from every application, report\n" +
		"(replaying its history) and survey response, for a database that holds work from before they\n" +
		"were kept. Run it on a quiet portal: work done meanwhile may be counted twice or not at all.\n\n" +
		"  pendopo figures rebuild   count every figure again and replace the ones kept"
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, summary)
		return usageError{"figures needs a subcommand: rebuild"}
	}
	sub := args[0]
	f := e.flags("figures "+sub, summary)
	dbf := f.dbFlags()
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if sub != "rebuild" {
		return usageError{fmt.Sprintf("unknown figures subcommand %q", sub)}
	}
	a, db, err := dbf.openApp(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := a.RebuildFigures(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "figures counted again from %d applications, %d reports and %d survey responses\n", n.Applications, n.Reports, n.Surveys)
	return nil
}
