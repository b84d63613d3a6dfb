// Package web serves the portal's HTML pages: the national landing page,
// region pages, service pages with their standard, search, cross-region
// comparison and the admin pages.
package web

import (
	"cmp"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
	"github.com/pendopo/pendopo/internal/ratelimit"
)

// Config configures the web server.
type Config struct {
	Logger *slog.Logger
	// Demo shows a banner that the content is illustrative.
	Demo bool
	// SecureCookies marks cookies Secure; set it when served over HTTPS.
	SecureCookies bool
	// API serves /api/v1/; nil leaves it out.
	API http.Handler
	// MapTiles is a tile server URL template ({z}/{x}/{y}) drawn under
	// report maps; empty (the default) draws the shipped boundaries and pins only, so that no
	// request leaves for another server.
	MapTiles string
	// Open311 serves /open311/v2/; nil leaves it out.
	Open311 http.Handler
	// Metrics, when set, receives the count and latency of requests by
	// route.
	Metrics prometheus.Registerer
	// MetricsHandler serves GET /metrics to clients on this machine only
	// (see localOnly); nil leaves it out, as when metrics are served on
	// an address of their own.
	MetricsHandler http.Handler
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (see httpx.Proxies.Client); none by default, so
	// that the client is the socket's peer.
	TrustedProxies httpx.Proxies
	// PublicTTL is how long a page kept for anonymous visitors may be
	// served when nothing it was made from changed (see publicCache), so
	// that what a page shows of the time (overdue reports, this month's
	// figures) is never older than that. Changes retire pages sooner: at
	// once when made here, at the next sync when made on another instance.
	// Zero means DefaultPublicTTL; a negative value keeps nothing.
	PublicTTL time.Duration
	// PublicBytes bounds the memory of the kept pages, gzipped; zero
	// means DefaultPublicBytes.
	PublicBytes int
	// Locales holds the message catalogs (locales/*.json, one per
	// language); nil means those embedded in the program. The portal
	// offers every language that has a file.
	Locales fs.FS
}

// DefaultPublicTTL and DefaultPublicBytes are the public cache's defaults:
// a minute, and room for some 3,000 pages.
const (
	DefaultPublicTTL   = time.Minute
	DefaultPublicBytes = 32 << 20
)

// consoleTTL is how long the console's start may show what it read.
const consoleTTL = 2 * time.Second

// Server is the portal.
type Server struct {
	app    *app.App
	rd     *renderer
	assets *assets
	log    *slog.Logger
	cfg    Config
	mux    *http.ServeMux
	// public keeps what anonymous visitors are sent; nil when turned off.
	public *publicCache
	// console keeps the reads of the console's start for a moment.
	console *consoleMemo
	// verifyLimit bounds anonymous PDF checks per address; startLimit
	// new drafts per person.
	verifyLimit, startLimit *ratelimit.Limiter
	// reportLimit bounds reports (and report look-ups) per address.
	reportLimit *ratelimit.Limiter
	surveyLimit *ratelimit.Limiter
	// trackLimit bounds tracking look-ups per address, so that report
	// numbers cannot be probed in bulk.
	trackLimit *ratelimit.Limiter
	// frames keeps each region's report map before its pins (region
	// code → *mapFrame): at most one per region, some 10 KB each.
	frames sync.Map
}

// route is one entry of the route table.
type route struct {
	pattern string
	handler handlerFunc
	// user routes need a signed-in person; admin routes an officer.
	user, admin bool
	// probe routes answer load balancers and orchestrators: they read no
	// session, so that a liveness check never touches the database.
	probe bool
	// public routes answer anonymous visitors from the public cache;
	// byRegion ones differ by the region the visitor opened last.
	public, byRegion bool
	// quiet writes change nothing that anonymous visitors see (signing
	// in, a citizen's own application), so they keep the public cache.
	quiet bool
}

// handlerFunc is a page handler; its error is rendered by one function.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) routes() []route {
	return []route{
		{pattern: "GET /{$}", handler: s.home, public: true, byRegion: true},
		{pattern: "GET /daerah", handler: s.regions, public: true},
		{pattern: "GET /daerah/{code}", handler: s.region, public: true, byRegion: true},
		{pattern: "GET /daerah/{code}/layanan", handler: s.regionServices, public: true},
		{pattern: "GET /daerah/{code}/kategori/{cat}", handler: s.regionServices, public: true},
		{pattern: "GET /daerah/{code}/peristiwa/{event}", handler: s.regionServices, public: true},
		{pattern: "GET /daerah/{code}/opd", handler: s.agencies, public: true},
		{pattern: "GET /daerah/{code}/opd/{slug}", handler: s.regionServices, public: true},
		{pattern: "GET /daerah/{code}/unit-layanan", handler: s.servicePoints, public: true},
		{pattern: "GET /daerah/{code}/logo", handler: s.logo},
		{pattern: "GET /daerah/{code}/tema.css", handler: s.themeCSS, public: true},
		{pattern: "GET /layanan/{id}", handler: s.service, public: true},
		{pattern: "GET /layanan/{id}/riwayat", handler: s.history, public: true},
		{pattern: "GET /layanan/{id}/versi/{n}", handler: s.version, public: true},
		{pattern: "GET /cari", handler: s.search, public: true},
		{pattern: "GET /bandingkan", handler: s.compareIndex, public: true},
		{pattern: "GET /bandingkan/{kind}", handler: s.compare, public: true},
		{pattern: "GET /bahasa/{lang}", handler: s.setLang},
		{pattern: "GET /tentang", handler: s.about, public: true},
		{pattern: "GET /healthz", handler: s.healthz, probe: true},
		{pattern: "GET /readyz", handler: s.readyz, probe: true},
		{pattern: "GET /robots.txt", handler: s.robots, public: true},
		{pattern: "GET /manifest.webmanifest", handler: s.manifest, public: true},
		{pattern: "GET /audit/checkpoint", handler: s.auditHandler(s.auditCheckpoint)},
		{pattern: "GET /audit/key", handler: s.auditHandler(s.auditKey)},
		{pattern: "GET /audit/proof/leaf/{entry}", handler: s.auditHandler(s.auditLeaf)},
		{pattern: "GET /audit/proof/inclusion/{entry}/{size}", handler: s.auditHandler(s.auditInclusion)},
		{pattern: "GET /audit/proof/consistency/{old}/{new}", handler: s.auditHandler(s.auditConsistency)},

		{pattern: "GET /masuk", handler: s.loginForm, public: true},
		{pattern: "POST /masuk", handler: s.login, quiet: true},
		{pattern: "POST /keluar", handler: s.logout, quiet: true},
		{pattern: "GET /masuk/sso", handler: s.ssoStart},
		{pattern: "GET /masuk/sso/kembali", handler: s.ssoReturn},
		{pattern: "GET /daftar", handler: s.registerForm, public: true},
		{pattern: "POST /daftar", handler: s.register, quiet: true},
		{pattern: "GET /konfirmasi", handler: s.confirmForm},
		{pattern: "POST /konfirmasi", handler: s.confirm, quiet: true},
		{pattern: "POST /konfirmasi/kirim-ulang", handler: s.resendCode, quiet: true},
		{pattern: "GET /lupa-sandi", handler: s.forgotForm, public: true},
		{pattern: "POST /lupa-sandi", handler: s.forgot, quiet: true},
		{pattern: "GET /atur-ulang-sandi", handler: s.resetForm},
		{pattern: "POST /atur-ulang-sandi", handler: s.reset, quiet: true},
		{pattern: "GET /undangan/{secret}", handler: s.invitationForm},
		{pattern: "POST /undangan/{secret}", handler: s.acceptInvitation},
		{pattern: "GET /privasi", handler: s.privacy, public: true},
		{pattern: "GET /daerah/{code}/online", handler: s.onlineServices, public: true},
		{pattern: "GET /daerah/{code}/laporan", handler: s.reportList, public: true},
		{pattern: "GET /daerah/{code}/laporan.csv", handler: s.reportsCSV, public: true},
		{pattern: "GET /daerah/{code}/laporan.geojson", handler: s.reportsGeoJSON, public: true},
		{pattern: "GET /daerah/{code}/lapor", handler: s.reportForm, public: true},
		{pattern: "GET /survei/permohonan/{number}", handler: s.surveyForm, user: true},
		{pattern: "POST /survei/permohonan/{number}", handler: s.surveySubmit, user: true},
		{pattern: "GET /survei/laporan/{number}", handler: s.surveyForm},
		{pattern: "POST /survei/laporan/{number}", handler: s.surveySubmit},
		{pattern: "GET /daerah/{code}/survei", handler: s.surveyForm},
		{pattern: "POST /daerah/{code}/survei", handler: s.surveySubmit},
		{pattern: "GET /daerah/{code}/survei/qr.png", handler: s.surveyQR, admin: true},
		{pattern: "GET /daerah/{code}/kinerja", handler: s.dashboard, public: true},
		{pattern: "GET /daerah/{code}/branding", handler: s.branding, public: true},
		{pattern: "GET /daerah/{code}/branding/foto/{addr}", handler: s.brandingPhoto},
		{pattern: "GET /daerah/{code}/opd/{slug}/rapor", handler: s.rapor, public: true},
		{pattern: "GET /indeks", handler: s.ranking, public: true},
		{pattern: "GET /indeks/{code}", handler: s.ranking, public: true},
		{pattern: "GET /admin/pemantauan", handler: s.oversight, admin: true},
		{pattern: "GET /data/catalog.json", handler: s.dataCatalog, public: true},
		{pattern: "GET /data/{file}", handler: s.dataNational, public: true},
		{pattern: "GET /data/daerah/{code}/{file}", handler: s.dataRegional, public: true},
		{pattern: "POST /daerah/{code}/lapor", handler: s.reportSubmit},
		{pattern: "GET /laporan/{number}", handler: s.reportView},
		{pattern: "POST /laporan/{number}", handler: s.reportReporterAct},
		{pattern: "GET /laporan/{number}/foto/{addr}", handler: s.reportPhoto},
		{pattern: "POST /laporan/cek", handler: s.reportCheck, quiet: true},
		{pattern: "GET /laporan/kunci", handler: s.reportKeyForm},
		{pattern: "POST /laporan/kunci", handler: s.reportKeyRequest, quiet: true},
		{pattern: "GET /akun/laporan", handler: s.myReports, user: true},
		{pattern: "GET /lacak", handler: s.track, public: true},
		{pattern: "GET /verifikasi", handler: s.verifyForm, public: true},
		{pattern: "POST /verifikasi", handler: s.verifyUpload, quiet: true},
		{pattern: "GET /verifikasi/{code}", handler: s.verifyCode},
		{pattern: "GET /layanan/{id}/ajukan", handler: s.applyStart, user: true},
		{pattern: "POST /layanan/{id}/ajukan", handler: s.applyCreate, user: true},
		{pattern: "GET /permohonan", handler: s.myApplications, user: true},
		{pattern: "GET /permohonan/{number}", handler: s.applicationStatus, user: true},
		{pattern: "GET /permohonan/{number}/isi", handler: s.applyForm, user: true},
		{pattern: "POST /permohonan/{number}/isi", handler: s.applySave, user: true},
		{pattern: "GET /permohonan/{number}/periksa", handler: s.applyReview, user: true},
		{pattern: "POST /permohonan/{number}/kirim", handler: s.applyAct(pendopo.ActSubmit, "terkirim"), user: true},
		{pattern: "POST /permohonan/{number}/kirim-ulang", handler: s.applyAct(pendopo.ActResubmit, "dikirim-ulang"), user: true},
		{pattern: "POST /permohonan/{number}/batal", handler: s.applyAct(pendopo.ActWithdraw, "dibatalkan"), user: true},
		{pattern: "GET /permohonan/{number}/berkas/{addr}", handler: s.applicationFile, user: true},
		{pattern: "GET /permohonan/{number}/dokumen.pdf", handler: s.applicationDocument, user: true},
		{pattern: "GET /akun", handler: s.account, user: true},
		{pattern: "POST /akun/nama", handler: s.accountName, user: true},
		{pattern: "POST /akun/nik", handler: s.accountNIK, user: true},
		{pattern: "POST /akun/nik/hapus", handler: s.accountRemoveNIK, user: true},
		{pattern: "POST /akun/sandi", handler: s.accountPassword, user: true},
		{pattern: "POST /akun/keluar-semua", handler: s.accountLogoutAll, user: true},
		{pattern: "GET /akun/data", handler: s.accountData, user: true},
		{pattern: "GET /akun/akses", handler: s.accountAccess, user: true},
		{pattern: "GET /akun/pemberitahuan", handler: s.inbox, user: true},
		{pattern: "POST /akun/pemberitahuan/dibaca", handler: s.inboxRead, user: true},
		{pattern: "GET /akun/hapus", handler: s.deleteAccountForm, user: true},
		{pattern: "POST /akun/hapus", handler: s.deleteAccount, user: true},
		{pattern: "GET /akun/dihapus", handler: s.accountDeleted},
		{pattern: "GET /admin/masuk", handler: s.oldLogin},
		{pattern: "GET /admin", handler: s.adminHome, admin: true},
		{pattern: "GET /admin/daerah/{code}", handler: s.adminRegion, admin: true},
		{pattern: "GET /admin/daerah/{code}/pencarian", handler: s.adminSearchLog, admin: true},
		{pattern: "GET /admin/pencarian", handler: s.adminSearchLog, admin: true},
		{pattern: "POST /admin/daerah/{code}/pencarian/sinonim", handler: s.adminLearnSynonym, admin: true},
		{pattern: "POST /admin/pencarian/sinonim", handler: s.adminLearnSynonym, admin: true},
		{pattern: "POST /admin/daerah/{code}/profil", handler: s.adminSaveProfile, admin: true},
		{pattern: "GET /admin/daerah/{code}/layanan/baru", handler: s.adminServiceForm, admin: true},
		{pattern: "POST /admin/daerah/{code}/layanan/baru", handler: s.adminServiceSave, admin: true},
		{pattern: "GET /admin/layanan/{id}", handler: s.adminServiceForm, admin: true},
		{pattern: "POST /admin/layanan/{id}", handler: s.adminServiceSave, admin: true},
		{pattern: "POST /admin/layanan/{id}/terbitkan", handler: s.adminPublish, admin: true},
		{pattern: "POST /admin/layanan/{id}/tinjau", handler: s.adminReview, admin: true},
		{pattern: "GET /admin/layanan/{id}/beda", handler: s.adminDiff, admin: true},
		{pattern: "GET /admin/layanan/{id}/online", handler: s.consoleOnline, admin: true},
		{pattern: "POST /admin/layanan/{id}/online", handler: s.consoleOnlineSave, admin: true},
		{pattern: "POST /admin/layanan/{id}/ajukan", handler: s.adminSubmit, admin: true},
		{pattern: "POST /admin/layanan/{id}/kembalikan", handler: s.adminReturn, admin: true},
		{pattern: "GET /admin/daerah/{code}/opd/baru", handler: s.adminAgencyForm, admin: true},
		{pattern: "POST /admin/daerah/{code}/opd/baru", handler: s.adminAgencySave, admin: true},
		{pattern: "GET /admin/daerah/{code}/opd/{slug}", handler: s.adminAgencyForm, admin: true},
		{pattern: "POST /admin/daerah/{code}/opd/{slug}", handler: s.adminAgencySave, admin: true},
		{pattern: "GET /admin/daerah/{code}/unit-layanan/baru", handler: s.adminPointForm, admin: true},
		{pattern: "POST /admin/daerah/{code}/unit-layanan/baru", handler: s.adminPointSave, admin: true},
		{pattern: "GET /admin/daerah/{code}/unit-layanan/{slug}", handler: s.adminPointForm, admin: true},
		{pattern: "POST /admin/daerah/{code}/unit-layanan/{slug}", handler: s.adminPointSave, admin: true},
		{pattern: "GET /admin/daerah/{code}/pengguna", handler: s.adminUsers, admin: true},
		{pattern: "POST /admin/daerah/{code}/pengguna/undang", handler: s.adminInvite, admin: true},
		{pattern: "POST /admin/daerah/{code}/pengguna/undangan/{id}/batal", handler: s.adminCancelInvitation, admin: true},
		{pattern: "POST /admin/daerah/{code}/pengguna/{uid}/cabut", handler: s.adminRevokeRole, admin: true},
		{pattern: "GET /admin/daerah/{code}/audit", handler: s.adminAudit, admin: true},
		{pattern: "GET /admin/audit", handler: s.adminAudit, admin: true},
		{pattern: "GET /admin/token", handler: s.adminTokens, admin: true},
		{pattern: "POST /admin/token", handler: s.adminTokenCreate, admin: true},
		{pattern: "POST /admin/token/{id}/cabut", handler: s.adminTokenRevoke, admin: true},
		{pattern: "GET /admin/daerah/{code}/permohonan", handler: s.consoleQueue, admin: true},
		{pattern: "GET /admin/permohonan/{number}", handler: s.consoleApplication, admin: true},
		{pattern: "POST /admin/permohonan/{number}/tindak", handler: s.consoleAct, admin: true},
		{pattern: "GET /admin/daerah/{code}/libur", handler: s.consoleHolidays, admin: true},
		{pattern: "POST /admin/daerah/{code}/libur", handler: s.consoleHolidayAdd, admin: true},
		{pattern: "POST /admin/daerah/{code}/libur/{date}/hapus", handler: s.consoleHolidayDelete, admin: true},
		{pattern: "GET /admin/daerah/{code}/survei", handler: s.consoleSurveys, admin: true},
		{pattern: "GET /admin/daerah/{code}/survei/cetak", handler: s.consoleSurveySheet, admin: true},
		{pattern: "POST /admin/daerah/{code}/survei/tertahan", handler: s.consoleSurveyDecide, admin: true},
		{pattern: "GET /admin/daerah/{code}/laporan", handler: s.consoleReports, admin: true},
		{pattern: "GET /admin/daerah/{code}/laporan/rute", handler: s.consoleRoutes, admin: true},
		{pattern: "POST /admin/daerah/{code}/laporan/rute", handler: s.consoleRoutesSave, admin: true},
		{pattern: "POST /admin/daerah/{code}/laporan/rute/area", handler: s.consoleAreaRouteAdd, admin: true},
		{pattern: "POST /admin/daerah/{code}/laporan/rute/area/{id}/hapus", handler: s.consoleAreaRouteDelete, admin: true},
		{pattern: "GET /admin/laporan/{number}", handler: s.consoleReport, admin: true},
		{pattern: "POST /admin/laporan/{number}", handler: s.consoleReportAct, admin: true},
		{pattern: "GET /admin/daerah/{code}/branding", handler: s.consoleBranding, admin: true},
		{pattern: "GET /admin/daerah/{code}/branding/sektor/baru", handler: s.consoleSector, admin: true},
		{pattern: "POST /admin/daerah/{code}/branding/sektor/baru", handler: s.consoleSectorSave, admin: true},
		{pattern: "GET /admin/daerah/{code}/branding/sektor/{id}", handler: s.consoleSector, admin: true},
		{pattern: "POST /admin/daerah/{code}/branding/sektor/{id}", handler: s.consoleSectorSave, admin: true},
		{pattern: "GET /admin/daerah/{code}/branding/program/baru", handler: s.consoleProgram, admin: true},
		{pattern: "POST /admin/daerah/{code}/branding/program/baru", handler: s.consoleProgramSave, admin: true},
		{pattern: "GET /admin/daerah/{code}/branding/program/{id}", handler: s.consoleProgram, admin: true},
		{pattern: "POST /admin/daerah/{code}/branding/program/{id}", handler: s.consoleProgramSave, admin: true},
		{pattern: "POST /admin/daerah/{code}/branding/program/{id}/kabar", handler: s.consoleUpdateAdd, admin: true},
		{pattern: "GET /admin/daerah/{code}/branding/pemetaan", handler: s.consoleMap, admin: true},
		{pattern: "POST /admin/daerah/{code}/branding/pemetaan", handler: s.consoleMapSave, admin: true},
		{pattern: "GET /admin/sinonim", handler: s.adminSynonyms, admin: true},
		{pattern: "POST /admin/sinonim", handler: s.adminSynonymsSave, admin: true},
	}
}

// contentSecurityPolicy allows only the portal's own resources: no inline
// scripts, no other origins, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// New builds the portal's handler, with all middleware applied.
func New(a *app.App, cfg Config) (http.Handler, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	cat, err := defaultCatalog()
	if cfg.Locales != nil {
		cat, err = loadCatalog(cfg.Locales)
	}
	if err != nil {
		return nil, err
	}
	rd, err := newRenderer(as, cat, cfg.Logger, cfg.Demo)
	if err != nil {
		return nil, err
	}
	rd.kinds = a.Kinds()
	s := &Server{app: a, rd: rd, assets: as, log: cfg.Logger, cfg: cfg, mux: http.NewServeMux(),
		verifyLimit: &ratelimit.Limiter{N: 30, Window: time.Minute}, startLimit: &ratelimit.Limiter{N: 30, Window: time.Hour},
		reportLimit: &ratelimit.Limiter{N: 20, Window: time.Hour}, surveyLimit: &ratelimit.Limiter{N: 30, Window: time.Hour},
		trackLimit: &ratelimit.Limiter{N: 30, Window: time.Minute}}
	s.console = newConsoleMemo(consoleTTL, a.Now, a.DataVersion, a.Writes)
	if cfg.PublicTTL >= 0 {
		s.public = newPublicCache(cmp.Or(cfg.PublicTTL, DefaultPublicTTL), cmp.Or(cfg.PublicBytes, DefaultPublicBytes), a.Now, a.DataVersion)
	}
	var metrics *httpx.Metrics
	if cfg.Metrics != nil {
		if metrics, err = httpx.NewMetrics(cfg.Metrics); err != nil {
			return nil, err
		}
	}
	for _, rt := range s.routes() {
		h := rt.handler
		switch {
		case rt.admin:
			h = s.requireOfficer(h)
		case rt.user:
			h = s.requireUser(h)
		}
		if rt.probe {
			s.mux.Handle(rt.pattern, s.wrap(h))
			continue
		}
		hh := s.withSession(s.wrap(h))
		switch {
		case rt.public:
			hh = s.public.handler(hh, rt.byRegion)
		case !strings.HasPrefix(rt.pattern, "GET ") && !rt.quiet && !(rt.user && rt.pattern != "POST /akun/hapus"):
			// A citizen's own application or account changes no public
			// page; deleting an account may take reports away.
			hh = s.public.writes(hh)
		}
		s.mux.Handle(rt.pattern, hh)
	}
	s.mux.Handle("GET /static/{hash}/{name}", as)
	if cfg.API != nil {
		s.mux.Handle("/api/v1/", s.public.handler(s.public.writes(cfg.API), false))
	}
	if cfg.Open311 != nil {
		s.mux.Handle("/open311/v2/", s.public.handler(s.public.writes(cfg.Open311), false))
	}
	if cfg.MetricsHandler != nil {
		s.mux.Handle("GET /metrics", s.localOnly(cfg.MetricsHandler))
	}
	s.mux.Handle("/", s.withSession(s.wrap(func(w http.ResponseWriter, r *http.Request) error {
		return errNotFound
	})))
	// Cross-origin form posts are refused (CSRF); same-origin and
	// non-browser clients pass. The API authenticates with bearer tokens,
	// which browsers never send on their own, so it is safe to exempt.
	csrf := http.NewCrossOriginProtection()
	csrf.AddInsecureBypassPattern("/api/v1/")
	csrf.AddInsecureBypassPattern("/open311/v2/") // POST carries api_key, never cookies
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.rd.fail(w, r, errCrossOrigin)
	}))
	csp := contentSecurityPolicy
	if cfg.MapTiles != "" {
		if u, err := url.Parse(cfg.MapTiles); err == nil && u.Host != "" {
			csp = strings.Replace(csp, "img-src 'self' data:", "img-src 'self' data: "+u.Scheme+"://"+u.Host, 1)
		}
	}
	return httpx.Chain(csrf.Handler(s.mux), httpx.Options{Logger: cfg.Logger, Languages: cat.langs, CSP: csp, Metrics: metrics, HSTS: cfg.SecureCookies, Proxies: cfg.TrustedProxies}), nil
}

// localOnly serves h to clients on this machine and answers everyone else
// as though the path did not exist. A request that carries a forwarding
// header is refused even from a loopback address: a reverse proxy on the
// same machine relays visitors from anywhere.
func (s *Server) localOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() ||
			r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("X-Real-Ip") != "" || r.Header.Get("Forwarded") != "" {
			s.rd.fail(w, r, errNotFound)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// wrap turns a handler that returns an error into an http.Handler. A
// path or query holding NUL or invalid UTF-8 is refused first, so that no
// handler passes such text on to the database.
func (s *Server) wrap(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := httpx.CheckText(r)
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.rd.fail(w, r, err)
		}
	})
}
