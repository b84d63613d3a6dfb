package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/pendopo/pendopo/internal/api"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/httpx"
	"github.com/pendopo/pendopo/internal/metrics"
	"github.com/pendopo/pendopo/internal/notify"
	"github.com/pendopo/pendopo/internal/open311"
	"github.com/pendopo/pendopo/internal/store"
	"github.com/pendopo/pendopo/internal/web"
)

func (e env) serve(ctx context.Context, args []string) error {
	f := e.flags("serve", "Run the web portal and the JSON API until interrupted.")
	addr := f.string("addr", "PENDOPO_ADDR", "127.0.0.1:8080", "address to listen on; GET /healthz (liveness) and GET /readyz (readiness) answer there from the start")
	metricsAddr := f.string("metrics-addr", "PENDOPO_METRICS_ADDR", "", "address of a listener of its own that serves Prometheus metrics at GET /metrics to anyone who reaches it, such as 10.0.0.5:9100 on a private network; empty serves /metrics on --addr instead, to clients on this machine only, and never to requests that came through a reverse proxy (X-Forwarded-For, X-Real-IP or Forwarded)")
	dbf := f.dbFlags()
	withDemo := f.bool("demo", "PENDOPO_DEMO", false, "load the illustrative demo content (Jawa Tengah, Kota Semarang, Kabupaten Semarang, Kota Surakarta) if it is not there, create demo accounts for every role (printed at start; never use in a real deployment), and show a demo banner")
	secure := f.bool("secure-cookies", "PENDOPO_SECURE_COOKIES", false, "mark cookies Secure and send HSTS; set this when the portal is served over HTTPS")
	follow := f.duration("sync-interval", "PENDOPO_SYNC_INTERVAL", 5*time.Second, "how often to pick up catalog changes made by other instances sharing the database")
	cache := f.int("cache-size", "PENDOPO_CACHE_SIZE", 2048, "number of service pages kept assembled in memory")
	publicCache := f.string("public-cache", "PENDOPO_PUBLIC_CACHE", "32MiB", "memory for pages, API lists and open data kept, gzipped, for visitors who are not signed in, such as 32MiB (0 for none); a change made here retires a kept page at once, one made by another instance within --sync-interval, and none is served more than a minute (or --sync-interval, if longer) after it was made")
	searchCache := f.int("search-cache", "PENDOPO_SEARCH_CACHE", 4096, "number of recent search results kept in memory; -1 for none")
	memLimit := f.string("memory-limit", "PENDOPO_MEMORY_LIMIT", "256MiB", "soft limit of the Go heap, such as 256MiB or 1GiB (0 for none); the garbage collector works harder near it, and password checks (64 MiB each) run at most as many at once as fit in half of it. GOMEMLIMIT, if set, wins")
	gcPercent := f.int("gc-percent", "PENDOPO_GC_PERCENT", 50, "how far the Go heap may grow past what is live before it is collected, in percent (Go's GOGC, which wins if set): 50 keeps the peak memory of a national catalog near 1.5 times its live heap, for a little more garbage collection")
	hashes := f.int("password-hashes", "PENDOPO_PASSWORD_HASHES", 0, "how many password checks (argon2id, 64 MiB each) may run at once; 0 fits them in half of --memory-limit and in all CPUs but one, one CPU each. More wait up to 2 s, then get 503 with Retry-After")
	proxies := f.string("trusted-proxies", "PENDOPO_TRUSTED_PROXIES", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed, such as 127.0.0.1 or 10.0.0.0/8; the client is the rightmost address in it that is not one of them. Empty (the default) believes no header: the client is the socket's peer")
	baseURL := f.string("base-url", "PENDOPO_BASE_URL", "", "the portal's public address, for links in messages (default http://ADDR)")
	smtpAddr := f.string("smtp-addr", "PENDOPO_SMTP_ADDR", "", "SMTP server host:port for email; empty writes messages to the log instead")
	smtpFrom := f.string("smtp-from", "PENDOPO_SMTP_FROM", "pendopo@localhost", "sender address of email")
	smtpUser := f.string("smtp-user", "PENDOPO_SMTP_USER", "", "SMTP user name")
	smtpPass := f.string("smtp-password", "PENDOPO_SMTP_PASSWORD", "", "SMTP password")
	outbox := f.string("outbox", "PENDOPO_OUTBOX", "", "write email and SMS messages as files in this directory instead of sending them (development); SMTP still wins for email")
	oidcIssuer := f.string("oidc-issuer", "PENDOPO_OIDC_ISSUER", "", "OpenID Connect issuer URL for officers' single sign-on; empty turns it off")
	oidcClient := f.string("oidc-client-id", "PENDOPO_OIDC_CLIENT_ID", "", "client ID registered at the OpenID Connect provider, with redirect URI BASE-URL"+app.SSOCallbackPath)
	oidcSecret := f.string("oidc-client-secret", "PENDOPO_OIDC_CLIENT_SECRET", "", "client secret at the OpenID Connect provider (prefer the variable)")
	oidcName := f.string("oidc-name", "PENDOPO_OIDC_NAME", "SSO", "label of the single sign-on button, such as \"SSO Pemkot Semarang\"")
	mapTiles := f.string("map-tiles", "PENDOPO_MAP_TILES", "", "tile server URL template drawn under report maps, such as https://tiles.example.go.id/{z}/{x}/{y}.png; empty draws the shipped boundaries only and no request leaves the server")
	logFormat := f.string("log-format", "PENDOPO_LOG_FORMAT", "text", "log format: text or json")
	logLevel := f.string("log-level", "PENDOPO_LOG_LEVEL", "info", "log level: debug, info, warn or error")
	quickCheck := f.bool("quick-check", "PENDOPO_QUICK_CHECK", true, "check a SQLite database file with quick_check before starting and refuse a damaged one (about 6 s per GB); false skips it")
	if err := f.parse(args); err != nil {
		return err
	}
	log, err := e.logger(*logFormat, *logLevel)
	if err != nil {
		return err
	}
	if e.getenv("GOMEMLIMIT") == "" {
		limit, err := parseBytes(*memLimit)
		if err != nil {
			return usageError{fmt.Sprintf("--memory-limit: %v", err)}
		}
		if limit > 0 {
			debug.SetMemoryLimit(limit)
		}
	}
	publicBytes, err := parseBytes(*publicCache)
	if err != nil {
		return usageError{fmt.Sprintf("--public-cache: %v", err)}
	}
	// Without following, changes made by other instances would never
	// retire a kept page: keep none.
	publicTTL := max(web.DefaultPublicTTL, *follow)
	if publicBytes <= 0 || *follow <= 0 {
		publicTTL = -1
	}
	trusted, err := httpx.ParseProxies(*proxies)
	if err != nil {
		return usageError{fmt.Sprintf("--trusted-proxies: %v", err)}
	}
	if *hashes < 0 {
		return usageError{"--password-hashes must be 0 or more"}
	}
	// Password checks get half of the heap's limit, whichever set it; with
	// none, only the CPUs bound them.
	hashMemory := int64(math.MaxInt64)
	if limit := debug.SetMemoryLimit(-1); limit < math.MaxInt64 {
		hashMemory = limit / 2
	}
	blobs, err := dbf.blobs()
	if err != nil {
		return err
	}
	start := time.Now() // wallclock: measures how long starting took
	// Listening first gives the real address (for --addr :0) to links, and
	// lets probes learn that the instance is starting while it migrates
	// the database and builds its search index.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	boot := &starting{}
	srv := &http.Server{
		Handler:           boot,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	defer srv.Close() // when starting failed; after Shutdown it does nothing
	// quick_check before anything is written: a damaged SQLite file used
	// to start and report ready.
	db, err := dbf.openWith(ctx, store.Options{QuickCheck: *quickCheck})
	var damaged *store.DamagedError
	if errors.As(err, &damaged) {
		return fmt.Errorf("%w.\nPendopo does not start on a damaged database. Stop every instance, keep the file for inspection (pendopo doctor tells more), "+
			"and restore the last backup into a new place (pendopo restore)", err)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	key, err := dbf.secretKey(ctx, db)
	if err != nil {
		return err
	}
	reg := metrics.New(db, db.Pools())
	metricsPage := metrics.Handler(reg, log)
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metricsPage)
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
		go msrv.Serve(mln)
		defer msrv.Close()
		*metricsAddr = mln.Addr().String()
		metricsPage = nil // not on the portal's address
	}
	if *baseURL == "" {
		*baseURL = "http://" + ln.Addr().String()
	}
	cfg := app.Config{Store: db, Logger: log, CacheSize: *cache, SearchCache: *searchCache, SecretKey: key, BaseURL: *baseURL, Blobs: blobs, Demo: *withDemo,
		HashMemory: hashMemory, PasswordHashes: *hashes}
	if *outbox == "" && *withDemo && *smtpAddr == "" {
		// The demo's year of activity sends dozens of notices: as files
		// they stay readable (one-time codes included) without burying
		// the start in email bodies.
		*outbox = filepath.Join(*dbf.data, "pesan")
	}
	if *outbox != "" {
		cfg.Mail, cfg.SMS = notify.DirSender{Dir: *outbox}, notify.DirSender{Dir: *outbox}
	}
	if *smtpAddr != "" {
		cfg.Mail = notify.SMTPSender{Addr: *smtpAddr, From: *smtpFrom, Username: *smtpUser, Password: *smtpPass}
	}
	if *oidcIssuer != "" {
		cfg.SSO = app.SSOConfig{Issuer: *oidcIssuer, ClientID: *oidcClient, ClientSecret: *oidcSecret, Name: *oidcName}
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		return dbf.keyProblem(err, db.Describe())
	}
	if *withDemo {
		loaded, err := demo.Load(ctx, a)
		if err != nil {
			return fmt.Errorf("load demo content: %w", err)
		}
		if loaded {
			log.Info("demo content loaded", "regions", demo.Regions)
		}
		if err := e.demoAccounts(ctx, a, *dbf.data, *dbf.db == ""); err != nil {
			return err
		}
		if seeded, err := demo.SeedApplications(ctx, a); err != nil {
			return fmt.Errorf("seed demo applications: %w", err)
		} else if seeded {
			log.Info("demo applications seeded")
		}
		if seeded, err := demo.SeedReports(ctx, a); err != nil {
			return fmt.Errorf("seed demo reports: %w", err)
		} else if seeded {
			log.Info("demo reports seeded")
		}
		started := time.Now() // wallclock: measures how long seeding took
		if seeded, err := demo.SeedYear(ctx, a); err != nil {
			return fmt.Errorf("seed a year of demo activity: %w", err)
		} else if seeded {
			log.Info("a year of demo activity seeded", "took", time.Since(started).Round(time.Millisecond)) // wallclock: measures a duration
		}
		if seeded, err := demo.SeedBranding(ctx, a); err != nil {
			return fmt.Errorf("seed demo branding: %w", err)
		} else if seeded {
			log.Info("demo branding seeded")
		}
	}
	if *mapTiles != "" && !strings.Contains(*mapTiles, "{z}") {
		return usageError{"--map-tiles must hold {z}, {x} and {y}"}
	}
	h, err := web.New(a, web.Config{Logger: log, Demo: *withDemo, SecureCookies: *secure, API: api.New(a, log),
		Open311: open311.New(a, log), MapTiles: *mapTiles, Metrics: reg, MetricsHandler: metricsPage, TrustedProxies: trusted,
		PublicTTL: publicTTL, PublicBytes: int(publicBytes)})
	if err != nil {
		return err
	}
	followCtx, stopFollow := context.WithCancel(ctx)
	defer stopFollow()
	go a.Follow(followCtx, *follow)
	go a.RunDeadlineAlerts(followCtx, 15*time.Minute)
	go a.RunHeartbeat(followCtx, 30*time.Second)
	go func() {
		// Photos stored before they were cleaned on upload: once per database.
		if n, done, err := a.CleanStoredPhotosOnce(followCtx); err != nil {
			log.Error("cleaning stored photos", "err", err)
		} else if done {
			log.Info("stored photos cleaned of their metadata", "checked", n.Checked, "cleaned", n.Cleaned, "withdrawn", n.Withdrawn, "deleted", n.Deleted)
		}
	}()
	outboxDone, searchLogDone := make(chan struct{}), make(chan struct{})
	go func() { a.Outbox().Run(followCtx, 30*time.Second); close(outboxDone) }()
	// The search log is written every minute and once more on the way out.
	go func() { a.RunSearchLog(followCtx, time.Minute); close(searchLogDone) }()
	defer func() { stopFollow(); <-outboxDone; <-searchLogDone }() // let a send in progress be recorded
	if e.getenv("GOGC") == "" && *gcPercent > 0 {
		// After the start, whose index build and demo content make much
		// short-lived garbage and would take seconds longer.
		debug.SetGCPercent(*gcPercent)
	}
	// Give back what the start used and no longer needs (the index build's
	// decoded pages; a demo's seeding): some 90 MB of a national catalog's
	// 210, which the runtime would otherwise keep for minutes.
	debug.FreeOSMemory()
	boot.portal.Store(&h)
	metricsURL := "http://" + ln.Addr().String() + "/metrics (loopback only)"
	if *metricsAddr != "" {
		metricsURL = "http://" + *metricsAddr + "/metrics"
	}
	log.Info("pendopo is ready", "url", "http://"+ln.Addr().String(), "metrics", metricsURL, "database", db.Dialect(),
		"trusted_proxies", trusted.String(), "took", time.Since(start).Round(time.Millisecond)) // wallclock: measures a duration
	fmt.Fprintf(e.stdout, "Metrik / metrics: %s\n", metricsURL)
	if *outbox != "" {
		fmt.Fprintf(e.stdout, "Pesan email dan SMS / email and SMS messages: %s\n", *outbox)
	}
	fmt.Fprintln(e.stdout, "Berhenti / stop: Ctrl+C")
	// Scripts and tests read the address from this line: keep it last and
	// the address at its end.
	fmt.Fprintf(e.stdout, "Pendopo berjalan di / is running at http://%s\n", ln.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	a.Outbox().WaitDetached() // one-time codes on their way out
	log.Info("stopped")
	return nil
}

// starting is the server's handler. While serve builds the portal
// (migrations, the search index, demo content) it answers /healthz that
// the process lives and everything else, /readyz included, that it is
// starting, so that an orchestrator neither restarts a slow start nor
// sends it visitors. Once portal is set, every request goes there.
type starting struct{ portal atomic.Pointer[http.Handler] }

func (s *starting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := s.portal.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if r.URL.Path == "/healthz" {
		fmt.Fprintln(w, "ok")
		return
	}
	w.Header().Set("Retry-After", "5")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.URL.Path == "/readyz" {
		fmt.Fprintln(w, "not ready: starting")
		return
	}
	fmt.Fprintln(w, "Pendopo sedang dimulai; coba lagi sebentar. / Pendopo is starting; try again shortly.")
}

// parseBytes reads a size such as 256MiB, 1GiB, 500MB or 1048576.
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = n, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a size such as 256MiB", s)
	}
	return n * mult, nil
}

// demoAccounts creates the demo's accounts, one per role and demo region,
// and prints how to sign in to them. On SQLite their password is kept in
// the data directory so that it is printed at every start; a shared
// PostgreSQL database gets the password printed once, when the accounts
// are made.
func (e env) demoAccounts(ctx context.Context, a *app.App, dataDir string, sqlite bool) error {
	path := filepath.Join(dataDir, "demo-accounts.txt")
	password := ""
	if b, err := os.ReadFile(path); err == nil {
		password = string(trimNL(b))
	}
	saved := password != ""
	if !saved {
		t := strings.ToLower(rand.Text())
		password = t[0:4] + "-" + t[4:8] + "-" + t[8:12] + "-demo"
	}
	n, err := demo.AddAccounts(ctx, a, password)
	if err != nil {
		return fmt.Errorf("demo accounts: %w", err)
	}
	if n == 0 && !saved {
		fmt.Fprintln(e.stdout, "Akun demo sudah ada; kata sandinya dicetak saat akun dibuat. / The demo accounts exist; their password was printed when they were made.")
		return nil
	}
	if sqlite && !saved {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(password+"\n"), 0o600); err != nil {
			return err
		}
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Akun demo / demo accounts — kata sandi / password: %s\n", password)
	for _, acc := range demo.Accounts() {
		role := "warga / citizen"
		if acc.Role != nil {
			role = acc.Role.Kind.Title().Indonesian
			if acc.Role.Region != "" {
				role += " " + acc.Role.Region
			}
			if acc.Role.Agency != "" {
				role += " " + acc.Role.Agency
			}
		}
		fmt.Fprintf(w, "  %s\t%s\n", acc.Login, role)
	}
	return w.Flush()
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
