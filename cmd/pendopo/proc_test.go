package main

// Helpers for the tests that run the real binary as its own process:
// the durability check (kill -9 under load) and the backup drill.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/demo"
)

var (
	binMu sync.Mutex
	bins  = map[*testing.T]string{}
)

// pendopoBinary builds the command once per test, into the test's
// temporary directory, which goes with it.
func pendopoBinary(t *testing.T) string {
	t.Helper()
	binMu.Lock()
	defer binMu.Unlock()
	if p, ok := bins[t]; ok {
		return p
	}
	p := filepath.Join(t.TempDir(), "pendopo")
	if out, err := exec.Command("go", "build", "-o", p, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	bins[t] = p
	t.Cleanup(func() {
		binMu.Lock()
		delete(bins, t)
		binMu.Unlock()
	})
	return p
}

// environ turns a test environment into a process's, with PATH and HOME
// kept so that the binary runs as it would for an operator.
func environ(env map[string]string) []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// runBinary runs a command of the binary to its end.
func runBinary(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(pendopoBinary(t), args...)
	cmd.Env = environ(env)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// portal is a running "pendopo serve" process.
type portal struct {
	cmd    *exec.Cmd
	url    string
	logs   *bytes.Buffer
	exited chan struct{} // closed when the process ended
	err    error         // how it ended
	once   sync.Once
}

var runningRE = regexp.MustCompile(`is running at (http://\S+)`)

// startPortal starts serve on a free port and waits until /readyz says
// ready, polling with a deadline.
func startPortal(t *testing.T, env map[string]string, args ...string) *portal {
	t.Helper()
	cmd := exec.Command(pendopoBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...)...)
	cmd.Env = environ(env)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &portal{cmd: cmd, logs: new(bytes.Buffer), exited: make(chan struct{})}
	cmd.Stderr = &lockedWriter{w: p.logs}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.kill() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := runningRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		p.err = cmd.Wait()
		close(p.exited)
	}()
	deadline := time.After(3 * time.Minute)
	select {
	case p.url = <-found:
	case <-p.exited:
		t.Fatalf("serve ended before it listened: %v\n%s", p.err, p.logs)
	case <-deadline:
		t.Fatalf("serve did not start within 3 minutes\n%s", p.logs)
	}
	for {
		res, err := http.Get(p.url + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-deadline:
			t.Fatalf("serve was not ready within 3 minutes\n%s", p.logs)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would.
func (p *portal) kill() {
	p.once.Do(func() {
		p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.exited
	})
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// online is a portal prepared for writes: a service of Kota Semarang that
// takes applications, citizens and officers, and an Open311 token.
type online struct {
	service  int64
	citizens []string // logins; the password is onlinePassword
	officer  string   // an officer of the service's agency
	head     string   // its supervisor
	token    string   // Open311 api_key for 33.74
}

const onlinePassword = "kopi tubruk pagi hari"

// prepareOnline prepares env's database in this process, before any
// server runs on it.
func prepareOnline(t *testing.T, env map[string]string, citizens int) online {
	t.Helper()
	secret, _, err := cli(t, env, "", "token", "create", "--name", "uji", "--region", "33.74")
	if err != nil {
		t.Fatal(err)
	}
	o := online{token: strings.TrimSpace(secret)}
	a, db := openEnv(t, env)
	defer db.Close()
	ctx := context.Background()
	if _, err := demo.Load(ctx, a); err != nil {
		t.Fatal(err)
	}
	svc, err := db.ServiceBySlug(ctx, "33.74", "penerbitan-ktp-el")
	if err != nil {
		t.Fatal(err)
	}
	c := svc.ServiceContent
	c.Channels = []pendopo.Channel{pendopo.ChannelOffline, pendopo.ChannelOnline}
	c.Standard.Duration = pendopo.Duration{WorkingDays: 5}
	c.Apply = &pendopo.Online{
		Form: pendopo.Form{Fields: []pendopo.FormField{
			{Key: "nama", Label: pendopo.T("Nama lengkap", "Full name"), Type: pendopo.FieldText, Required: true},
			{Key: "kk", Label: pendopo.T("Kartu Keluarga", "Family card"), Type: pendopo.FieldFile, Required: true,
				Accept: []string{pendopo.MediaPDF}, MaxBytes: 1 << 20},
		}},
		Workflow: pendopo.DefaultWorkflow(),
		Output:   pendopo.Output{Title: "SURAT KETERANGAN", Body: "Diterangkan bahwa {nama} telah mengajukan {layanan}."},
	}
	if _, err := a.UpdateService(ctx, pendopo.System, svc.ID, app.ServiceWrite{Content: c, Publish: true, Note: "online"}); err != nil {
		t.Fatal(err)
	}
	o.service = svc.ID
	for i := range citizens {
		login := fmt.Sprintf("warga%02d@contoh.id", i)
		if _, err := a.AddUser(ctx, fmt.Sprintf("Warga %02d", i), login, onlinePassword, nil); err != nil {
			t.Fatal(err)
		}
		o.citizens = append(o.citizens, login)
	}
	o.officer, o.head = "petugas@semarang.test", "kepala@semarang.test"
	for login, kind := range map[string]pendopo.RoleKind{o.officer: pendopo.RoleOfficer, o.head: pendopo.RoleSupervisor} {
		r := pendopo.Role{Kind: kind, Region: "33.74", Agency: svc.AgencySlug}
		if _, err := a.AddUser(ctx, login, login, onlinePassword, &r); err != nil {
			t.Fatal(err)
		}
	}
	// Reports are filed too: 33.74 takes them only with a coordinator.
	coordinator := pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.74"}
	if _, err := a.AddUser(ctx, "koordinator@semarang.test", "koordinator@semarang.test", onlinePassword, &coordinator); err != nil {
		t.Fatal(err)
	}
	return o
}

// apiClient is a client of the JSON API with a session.
type apiClient struct {
	base, token string
	hc          *http.Client
}

func newClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
}

func apiSignIn(base, login string) (*apiClient, error) {
	c := &apiClient{base: base, hc: newClient()}
	var out struct{ Token string }
	if err := c.do(http.MethodPost, "/api/v1/sessions", map[string]string{"login": login, "password": onlinePassword}, &out); err != nil {
		return nil, fmt.Errorf("sign in %s: %w", login, err)
	}
	c.token = out.Token
	return c, nil
}

// do sends a JSON request (or, for a []byte body, a PDF) and decodes the
// answer into out.
func (c *apiClient) do(method, path string, body, out any) error {
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(b), pendopo.MediaPDF
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", ctype)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

type application struct {
	Number   string `json:"number"`
	Status   string `json:"status"`
	Rev      int    `json:"rev"`
	Document string `json:"document"`
	Uploads  []struct {
		Addr string `json:"addr"`
	} `json:"uploads"`
}

// apply starts, fills and submits an application; the number is
// acknowledged once submit answered.
func (c *apiClient) apply(service int64, key string) (string, error) {
	var a application
	if err := c.do(http.MethodPost, fmt.Sprintf("/api/v1/services/%d/applications", service), map[string]string{"key": key}, &a); err != nil {
		return "", err
	}
	if err := c.do(http.MethodPut, "/api/v1/applications/"+a.Number+"/answers", map[string]any{"answers": map[string][]string{"nama": {"Warga " + key}}}, nil); err != nil {
		return "", err
	}
	pdf := []byte("%PDF-1.4\n% " + key + "\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	if err := c.do(http.MethodPut, "/api/v1/applications/"+a.Number+"/files/kk?name=kk.pdf", pdf, nil); err != nil {
		return "", err
	}
	if err := c.do(http.MethodPost, "/api/v1/applications/"+a.Number+"/actions", map[string]string{"action": "submit"}, &a); err != nil {
		return "", err
	}
	return a.Number, nil
}

func (c *apiClient) application(number string) (application, error) {
	var a application
	err := c.do(http.MethodGet, "/api/v1/applications/"+number, nil, &a)
	return a, err
}

// fileReport files a public report through Open311; the number is
// acknowledged once the answer came.
func fileReport(hc *http.Client, base, token, key string) (string, error) {
	form := url.Values{"api_key": {token}, "jurisdiction_id": {"33.74"}, "service_code": {"penerangan-jalan"},
		"email": {"pelapor." + key + "@contoh.id"}, "device_id": {key}, "lat": {"-6.99"}, "long": {"110.42"},
		"description": {"Lampu jalan " + key + " mati sejak seminggu; jalan gelap malam hari."}}
	res, err := hc.PostForm(base+"/open311/v2/requests.json", form)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out []struct {
		ID string `json:"service_request_id"`
	}
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated || json.Unmarshal(b, &out) != nil || len(out) != 1 || out[0].ID == "" {
		return "", fmt.Errorf("open311 create: %d %s", res.StatusCode, b)
	}
	return out[0].ID, nil
}

type openReport struct {
	ID       string `json:"service_request_id"`
	MediaURL string `json:"media_url"`
}

func getReport(hc *http.Client, base, number string) (openReport, error) {
	res, err := hc.Get(base + "/open311/v2/requests/" + number + ".json")
	if err != nil {
		return openReport{}, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out []openReport
	if res.StatusCode != http.StatusOK || json.Unmarshal(b, &out) != nil || len(out) != 1 {
		return openReport{}, fmt.Errorf("report %s: %d %s", number, res.StatusCode, b)
	}
	return out[0], nil
}

var trackingRE = regexp.MustCompile(`\b\d{4}-\d{4}-[0-9A-Z]{6}-[0-9A-Z]\b`)

// reportWithPhoto files a public report with a photo through the web form.
func reportWithPhoto(hc *http.Client, base, key string) (string, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"kind": "pengaduan", "category": "penerangan-jalan", "privacy": "publik", "tetap": "1", "key": key,
		"title": "Lampu jalan mati " + key, "description": "Lampu jalan di gang " + key + " mati sejak seminggu; gelap malam hari.",
		"contact": "foto." + key + "@contoh.id", "name": "Pelapor " + key, "lat": "-6.99", "lng": "110.42"} {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("photo", "lampu.png")
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for i := range img.Pix {
		img.Pix[i] = byte(len(key) * (i + 7))
	}
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	png.Encode(fw, img)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/daerah/33.74/lapor", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 400 {
		return "", fmt.Errorf("report form: %d %s", res.StatusCode, b)
	}
	if n := trackingRE.FindString(res.Header.Get("Location")); n != "" {
		return n, nil
	}
	if n := trackingRE.FindString(string(b)); n != "" {
		return n, nil
	}
	return "", fmt.Errorf("report form: no tracking number in %d %s", res.StatusCode, res.Header.Get("Location"))
}
