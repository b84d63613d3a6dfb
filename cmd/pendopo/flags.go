package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/store"
)

// flags is a flag set whose flags fall back to PENDOPO_* variables.
type flags struct {
	*flag.FlagSet
	e env
	// problems are environment values that did not parse.
	problems []string
}

func (e env) flags(name, summary string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	f := &flags{FlagSet: fs, e: e}
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: pendopo %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return f
}

func (f *flags) string(name, envName, def, usage string) *string {
	if v := f.e.getenv(envName); v != "" {
		def = v
	}
	return f.String(name, def, usage+" (env "+envName+")")
}

func (f *flags) bool(name, envName string, def bool, usage string) *bool {
	if v := f.e.getenv(envName); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			f.problems = append(f.problems, fmt.Sprintf("%s=%q is not true or false", envName, v))
		}
		def = b
	}
	return f.Bool(name, def, usage+" (env "+envName+")")
}

func (f *flags) int(name, envName string, def int, usage string) *int {
	if v := f.e.getenv(envName); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.problems = append(f.problems, fmt.Sprintf("%s=%q is not a number", envName, v))
		}
		def = n
	}
	return f.Int(name, def, usage+" (env "+envName+")")
}

func (f *flags) duration(name, envName string, def time.Duration, usage string) *time.Duration {
	if v := f.e.getenv(envName); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			f.problems = append(f.problems, fmt.Sprintf("%s=%q is not a duration such as 5s", envName, v))
		}
		def = d
	}
	return f.Duration(name, def, usage+" (env "+envName+")")
}

// parse parses args and reports bad environment values as usage errors.
func (f *flags) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err.Error()}
	}
	if len(f.problems) > 0 {
		return usageError{f.problems[0]}
	}
	return nil
}

// dbFlags are the flags of every command that opens the database.
type dbFlags struct {
	data    *string
	db      *string
	keyFile *string
	files   *string
	s3      s3Flags
	e       env
}

// s3Flags choose S3-compatible object storage for files instead of a
// directory. Its keys are read from the environment only, to keep them
// out of process lists.
type s3Flags struct {
	endpoint, bucket, region, prefix *string
	pathStyle                        *bool
}

// blobs is the store of uploaded files and issued documents: the S3
// bucket when an endpoint is set, else the directory.
func (d dbFlags) blobs() (blob.Store, error) {
	if *d.s3.endpoint != "" {
		s := blob.S3{Endpoint: *d.s3.endpoint, Bucket: *d.s3.bucket, Region: *d.s3.region, Prefix: *d.s3.prefix, PathStyle: *d.s3.pathStyle,
			AccessKey: d.e.getenv("PENDOPO_FILES_S3_ACCESS_KEY"), SecretKey: d.e.getenv("PENDOPO_FILES_S3_SECRET_KEY")}
		if u, err := url.Parse(s.Endpoint); err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return nil, usageError{"--files-s3-endpoint must be https://host[:port], or http:// for a server on the same network"}
		}
		if s.Bucket == "" || s.AccessKey == "" || s.SecretKey == "" {
			return nil, usageError{"--files-s3-endpoint needs --files-s3-bucket, PENDOPO_FILES_S3_ACCESS_KEY and PENDOPO_FILES_S3_SECRET_KEY"}
		}
		return s, nil
	}
	dir := *d.files
	if dir == "" {
		dir = filepath.Join(*d.data, "berkas")
	}
	return blob.Dir{Path: dir}, nil
}

func (f *flags) dbFlags() dbFlags {
	return dbFlags{
		data:  f.string("data", "PENDOPO_DATA", "pendopo-data", "data directory; the default SQLite database is DIR/pendopo.db"),
		db:    f.string("db", "PENDOPO_DB", "", "database URL: empty for SQLite in the data directory, postgres://… for PostgreSQL, or sqlite:PATH"),
		files: f.string("files", "PENDOPO_FILES", "", "directory of uploaded files and issued documents (default DIR/berkas); every instance sharing a database needs the same one, such as a network mount"),
		s3: s3Flags{
			endpoint:  f.string("files-s3-endpoint", "PENDOPO_FILES_S3_ENDPOINT", "", "keep files in S3-compatible object storage at https://host[:port] instead of --files, for instances on several machines; keys in PENDOPO_FILES_S3_ACCESS_KEY and PENDOPO_FILES_S3_SECRET_KEY"),
			bucket:    f.string("files-s3-bucket", "PENDOPO_FILES_S3_BUCKET", "", "S3 bucket of the files; keep it private"),
			region:    f.string("files-s3-region", "PENDOPO_FILES_S3_REGION", "us-east-1", "S3 region, part of every request's signature"),
			prefix:    f.string("files-s3-prefix", "PENDOPO_FILES_S3_PREFIX", "", "put before every S3 object name, such as berkas/"),
			pathStyle: f.bool("files-s3-path-style", "PENDOPO_FILES_S3_PATH_STYLE", false, "name the S3 bucket in the path rather than the host name, as MinIO and most self-hosted servers need"),
		},
		keyFile: f.string("secret-key-file", "PENDOPO_SECRET_KEY_FILE", "", "file with the 32-byte key that encrypts personal data (default DIR/secret.key, created when missing); PENDOPO_SECRET_KEY (base64) wins. Every instance sharing a database needs the same key"),
		e:       f.e,
	}
}

func (d dbFlags) open(ctx context.Context) (*store.DB, error) {
	return store.Open(ctx, *d.db, *d.data)
}

// openWith opens the database with options, such as without migrating.
func (d dbFlags) openWith(ctx context.Context, o store.Options) (*store.DB, error) {
	return store.OpenWith(ctx, *d.db, *d.data, o)
}

// openApp opens the database and the app with its search index.
func (d dbFlags) openApp(ctx context.Context, e env) (*app.App, *store.DB, error) {
	return d.openAppAt(ctx, e, "")
}

// openAppAt is openApp for commands that need the portal's public
// address, such as those that may make the audit log's key.
func (d dbFlags) openAppAt(ctx context.Context, e env, baseURL string) (*app.App, *store.DB, error) {
	blobs, err := d.blobs()
	if err != nil {
		return nil, nil, err
	}
	db, err := d.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	log, _ := e.logger("text", "warn")
	key, err := d.secretKey(ctx, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	a, err := app.New(ctx, app.Config{Store: db, Logger: log, SecretKey: key, Blobs: blobs, BaseURL: baseURL})
	if err != nil {
		db.Close()
		return nil, nil, d.keyProblem(err, db.Describe())
	}
	return a, db, nil
}

// Version is set at build time with -ldflags "-X main.Version=v1.2.3".
var Version = ""

func version() string {
	v := Version
	info, ok := debug.ReadBuildInfo()
	if v == "" && ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	if v == "" {
		v = "dev"
	}
	if ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		v += " " + info.GoVersion
	}
	return v
}
