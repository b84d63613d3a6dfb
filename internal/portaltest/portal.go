// Package portaltest builds the whole portal (pages and API) over the demo
// content for tests that exercise it end to end.
package portaltest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/api"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/apptest"
	"github.com/pendopo/pendopo/internal/blob"
	"github.com/pendopo/pendopo/internal/demo"
	"github.com/pendopo/pendopo/internal/metrics"
	"github.com/pendopo/pendopo/internal/notify"
	"github.com/pendopo/pendopo/internal/open311"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store"
	"github.com/pendopo/pendopo/internal/web"
	"github.com/prometheus/client_golang/prometheus"
)

// Now is the fixed clock of portal tests.
var Now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// Portal is the whole portal with the demo content on a fresh database.
type Portal struct {
	App     *app.App
	Handler http.Handler
	// Token is a national API token; RegionToken one limited to 33.74.
	Token, RegionToken string
	// Admin and RegionAdmin are session secrets of a national admin and of
	// the region admin of 33.74, for PostForm and GetAs.
	Admin, RegionAdmin string
	// Mail keeps the messages the portal sent.
	Mail *notify.MemorySender
	// Metrics is the portal's Prometheus registry, served at /metrics to
	// loopback clients as "pendopo serve" does by default.
	Metrics *prometheus.Registry
}

// NewPortal builds the portal (pages and API) over the demo content;
// options may change the application's configuration first.
func NewPortal(t testing.TB, options ...func(*app.Config)) *Portal {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db := pendopotest.DB(t)
	cfg, mem := apptest.Config(db, Now)
	cfg.Logger = log
	cfg.Blobs = blob.Dir{Path: t.TempDir()}
	cfg.Demo = true // as the web side: a demo portal
	for _, o := range options {
		o(&cfg)
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, a); err != nil {
		t.Fatal(err)
	}
	_, tok, err := a.CreateToken(ctx, pendopo.System, "penguji nasional", "")
	if err != nil {
		t.Fatal(err)
	}
	_, rtok, err := a.CreateToken(ctx, pendopo.System, "admin semarang", "33.74")
	if err != nil {
		t.Fatal(err)
	}
	reg := metrics.New(cfg.Store, db.Pools())
	h, err := web.New(a, web.Config{Logger: log, Demo: true, API: api.New(a, log), Open311: open311.New(a, log),
		Metrics: reg, MetricsHandler: metrics.Handler(reg, log)})
	if err != nil {
		t.Fatal(err)
	}
	p := &Portal{App: a, Handler: h, Token: tok, RegionToken: rtok, Mail: mem, Metrics: reg}
	p.Admin = p.Officer(t, "Admin Nasional", "nasional@pendopo.test", pendopo.Role{Kind: pendopo.RoleNationalAdmin})
	p.RegionAdmin = p.Officer(t, "Admin Semarang", "admin@semarangkota.test", pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.74"})
	return p
}

// OnlineService makes a published service take applications with a
// small form (a name, an optional PDF and consent) and the default
// workflow, and returns it.
func (p *Portal) OnlineService(t testing.TB, region, slug string) pendopo.Service {
	t.Helper()
	ctx := context.Background()
	svc, err := p.App.Store().ServiceBySlug(ctx, region, slug)
	if err != nil {
		t.Fatal(err)
	}
	c := svc.ServiceContent
	c.Channels = []pendopo.Channel{pendopo.ChannelOffline, pendopo.ChannelOnline}
	c.Apply = &pendopo.Online{
		Form: pendopo.Form{Fields: []pendopo.FormField{
			{Key: "nama", Label: pendopo.T("Nama lengkap", "Full name"), Type: pendopo.FieldText, Required: true},
			{Key: "lampiran", Label: pendopo.T("Lampiran", "Attachment"), Type: pendopo.FieldFile, Accept: []string{pendopo.MediaPDF}},
			{Key: "setuju", Label: pendopo.T("Data saya benar.", "My data is true."), Type: pendopo.FieldConsent, Required: true},
		}},
		Workflow: pendopo.DefaultWorkflow(),
		Output:   pendopo.Output{Title: "SURAT KETERANGAN", Body: "Diterangkan bahwa {nama} telah mengajukan {layanan}."},
	}
	s, err := p.App.UpdateService(ctx, pendopo.System, svc.ID, app.ServiceWrite{Content: c, Publish: true, Note: "online"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Apply makes an application by user for service id, filled in with an
// attachment and, when submit is set, sent; it returns the number.
func (p *Portal) Apply(t testing.TB, user int64, id int64, submit bool) string {
	t.Helper()
	ctx := context.Background()
	who := pendopo.Actor{Name: "pemohon", UserID: user}
	a, err := p.App.StartApplication(ctx, who, id, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.App.SaveAnswers(ctx, who, a.Number, map[string][]string{"nama": {"Budi Santoso"}, "setuju": {"1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.App.Upload(ctx, who, a.Number, "lampiran", "lampiran.pdf", strings.NewReader(MinimalPDF)); err != nil {
		t.Fatal(err)
	}
	if submit {
		if _, err := p.App.Act(ctx, who, a.Number, app.ApplicationAct{Action: pendopo.ActSubmit}); err != nil {
			t.Fatal(err)
		}
	}
	return a.Number
}

// MinimalPDF is a tiny file that is a PDF by its content.
const MinimalPDF = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

// Password is the password of the officers Officer creates.
const Password = "pendopo-uji-coba-2026"

// Officer adds a confirmed account with role and returns the secret of a
// session signed in to it.
func (p *Portal) Officer(t testing.TB, name, email string, role pendopo.Role) string {
	t.Helper()
	ctx := context.Background()
	if _, err := p.App.AddUser(ctx, name, email, Password, &role); err != nil {
		t.Fatal(err)
	}
	secret, _, err := p.App.Login(ctx, email, Password, "192.0.2.1", "portaltest")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// Citizen adds a confirmed account without roles and returns the secret
// of a session signed in to it.
func (p *Portal) Citizen(t testing.TB, name, email string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := p.App.AddUser(ctx, name, email, Password, nil); err != nil {
		t.Fatal(err)
	}
	secret, _, err := p.App.Login(ctx, email, Password, "192.0.2.2", "portaltest")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// Response is a recorded response with its body as text.
type Response struct {
	*http.Response
	Body string
}

// Do sends a request through the portal's handler.
func (p *Portal) Do(t testing.TB, r *http.Request) Response {
	t.Helper()
	w := httptest.NewRecorder()
	p.Handler.ServeHTTP(w, r)
	res := w.Result()
	return Response{Response: res, Body: w.Body.String()}
}

// Get fetches a path.
func (p *Portal) Get(t testing.TB, path string, header ...string) Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return p.Do(t, r)
}

// SessionCookie is the name of the portal's session cookie.
const SessionCookie = "pendopo_sesi"

// PostForm posts a form as a same-origin browser would, with the session
// cookie when session is not empty.
func (p *Portal) PostForm(t testing.TB, path string, form url.Values, session string) Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if session != "" {
		r.AddCookie(&http.Cookie{Name: SessionCookie, Value: session})
	}
	return p.Do(t, r)
}

// GetAs fetches a path signed in with the session's secret.
func (p *Portal) GetAs(t testing.TB, path, session string) Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.AddCookie(&http.Cookie{Name: SessionCookie, Value: session})
	return p.Do(t, r)
}

var (
	nationalOnce sync.Once
	nationalApp  *app.App
	nationalErr  error
)

// National opens the national catalog for benchmarks: 514 kabupaten/kota
// × 100 services on SQLite, built once per process with the generator of
// `pendopo gen` (about half a minute), or reused from PENDOPO_BENCH_DATA, a
// data directory filled earlier with `pendopo gen --data DIR`. Its search
// result cache is off, so that benchmarks measure searching.
func National(tb testing.TB) *app.App {
	tb.Helper()
	nationalOnce.Do(func() {
		ctx := context.Background()
		dir := os.Getenv("PENDOPO_BENCH_DATA")
		if dir == "" {
			if dir, nationalErr = os.MkdirTemp("", "pendopo-bench-"); nationalErr != nil {
				return
			}
		}
		db, err := store.Open(ctx, "", dir)
		if err != nil {
			nationalErr = err
			return
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		// No result cache: benchmarks measure the search itself.
		cfg, _ := apptest.Config(db, time.Time{})
		cfg.Now, cfg.Logger, cfg.SearchCache = time.Now, log, -1 // wallclock: the benchmark portal runs on the real clock, as a deployment does
		a, err := app.New(ctx, cfg)
		if err != nil {
			nationalErr = err
			return
		}
		if st, _ := a.Stats(ctx); st.Services < 50_000 {
			if _, err := demo.Generate(ctx, a, demo.GenOptions{ServicesPerRegion: 100}); err != nil {
				nationalErr = err
				return
			}
		}
		nationalApp = a
	})
	if nationalErr != nil {
		tb.Fatal(nationalErr)
	}
	return nationalApp
}

// PostMultipart posts a multipart form with files (field → file name →
// content) as a same-origin browser would.
func (p *Portal) PostMultipart(t testing.TB, path string, form url.Values, files map[string][2]string, session string) Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for field, f := range files {
		w, err := mw.CreateFormFile(field, f[0])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f[1])
	}
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if session != "" {
		r.AddCookie(&http.Cookie{Name: SessionCookie, Value: session})
	}
	return p.Do(t, r)
}
