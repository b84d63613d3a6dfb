package main

import (
	"context"
	"fmt"
)

func (e env) photos(ctx context.Context, args []string) error {
	const summary = "Clean the photos of reports and program updates that were stored before photos were cleaned on\n" +
		"upload: each one that still carries metadata (EXIF with the camera's GPS position and owner,\n" +
		"comments, XMP) is decoded, turned upright and encoded again; its records then point at the\n" +
		"cleaned file and the original is deleted from the file store when nothing else refers to it.\n" +
		"A photo that cannot be decoded is taken off its report or update. serve does this once in the\n" +
		"background at start; this command does it now and says what it did. It is safe while serving.\n\n" +
		"  pendopo photos clean   clean every stored photo that still carries metadata"
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, summary)
		return usageError{"photos needs a subcommand: clean"}
	}
	sub := args[0]
	f := e.flags("photos "+sub, summary)
	dbf := f.dbFlags()
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if sub != "clean" {
		return usageError{fmt.Sprintf("unknown photos subcommand %q", sub)}
	}
	a, db, err := dbf.openApp(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := a.CleanStoredPhotos(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d photos checked: %d cleaned, %d withdrawn (unreadable), %d originals deleted, %d files missing\n",
		n.Checked, n.Cleaned, n.Withdrawn, n.Deleted, n.Missing)
	return nil
}
