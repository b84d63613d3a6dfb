// Command pendopo runs the Pendopo portal and its maintenance tasks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "pendopo:", err)
		}
		os.Exit(exitCode(err))
	}
}

// exitCode is 2 for usage errors, 1 for everything else.
func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

const usage = `Pendopo: the public-service portal for Indonesian regional governments.

Usage:
  pendopo <command> [flags]

Commands:
  serve     run the web portal and the JSON API
  migrate   apply database migrations (or list them with --status)
  import    import a region's agencies, service points and services (JSON or CSV)
  export    export a region as JSON, or its services as CSV
  user      add an account, such as the first admin (others are invited)
  token     create, list or revoke API tokens for integrations
  gen       fill the database with a generated national catalog, for benchmarks
  audit     verify the audit log (against a kept checkpoint), sign checkpoints, witness another instance's
  keys      manage the regions' keys that sign issued documents, and rotate the secret key
  holidays  import a later year's national holidays, or list a year's
  figures   count the dashboards' figures again from the applications, reports and surveys
  backup    write a backup of the database, the files and (sealed) the secret key to one file
  restore   restore a backup into an empty place, checking it before it says done
  doctor    check the database, migrations, secret key, audit trail and file store, and say what to do
  photos    clean the stored photos of reports and program updates of their metadata
  version   print the version

Every flag can also be set with an environment variable, named in the flag's
help (for example --data and PENDOPO_DATA). Run "pendopo <command> --help" for
the flags of a command.
`

// env is how run reads the environment; tests pass their own.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// now is the commands' clock: when a backup was made, the date in an
	// old key file's name.
	now func() time.Time
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now} // wallclock: the commands' clock itself
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return e.serve(ctx, rest)
	case "migrate":
		return e.migrate(ctx, rest)
	case "import":
		return e.importCmd(ctx, rest)
	case "export":
		return e.exportCmd(ctx, rest)
	case "user":
		return e.user(ctx, rest)
	case "token":
		return e.token(ctx, rest)
	case "gen":
		return e.gen(ctx, rest)
	case "holidays":
		return e.holidays(ctx, rest)
	case "figures":
		return e.figures(ctx, rest)
	case "photos":
		return e.photos(ctx, rest)
	case "keys":
		return e.keys(ctx, rest)
	case "audit":
		return e.audit(ctx, rest)
	case "backup":
		return e.backupCmd(ctx, rest)
	case "restore":
		return e.restoreCmd(ctx, rest)
	case "doctor":
		return e.doctor(ctx, rest)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "pendopo", version())
		return nil
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// logger makes the process logger; JSON for machines, text for people.
func (e env) logger(format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Sprintf("bad log level %q (use debug, info, warn or error)", level)}
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	}
	return nil, usageError{fmt.Sprintf("bad log format %q (use text or json)", format)}
}
