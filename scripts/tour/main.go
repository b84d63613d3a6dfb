// Command tour takes the README's "Tour" screenshots from the demo, so that
// they show the pages as they are. scripts/tour.sh builds pendopo and runs
// it:
//
//	go run ./scripts/tour -bin /tmp/pendopo -out docs/tour
//
// It starts `pendopo serve --demo` on a new data directory and a free
// port, signs in with the demo accounts' password (kept in the data
// directory's demo-accounts.txt), and saves the first screen of each page
// at a phone's size (390×844) and a desktop's (1280×800), at one device
// pixel per CSS pixel to keep the files small, as docs/tour/<page>-phone.png
// and -desktop.png. scripts/tour.sh then shrinks them with pngquant.
//
// It drives the binary from outside, as a visitor would, and imports none
// of Pendopo's packages.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// A shot is one page of the tour: where it is, or how to find it from
// the page before, and who must be signed in to see it.
type shot struct {
	name string
	as   string // demo login, "" for a visitor
	path string
	// find, when set, reads the path from the page at path.
	find string
}

// shots are the tour's pages in the README's order. The paths are the
// demo's: Kota Semarang (33.74) has officers, applications and reports.
var shots = []shot{
	{name: "landing", path: "/"},
	{name: "region", path: "/daerah/33.74"},
	{name: "search", path: "/cari?q=bikin+ktp&daerah=33.74"},
	{name: "service", path: "/cari?q=bikin+ktp&daerah=33.74", find: `document.querySelector("ul.cards li h3 a").getAttribute("href")`},
	{name: "apply-form", as: "warga@pendopo.test", path: "/permohonan",
		find: `"/permohonan/" + [...document.querySelectorAll(".app-cards li")].find(li => li.querySelector(".status-draft")).querySelector(".tracking").textContent.trim() + "/isi"`},
	{name: "applications", as: "warga@pendopo.test", path: "/permohonan"},
	{name: "report-form", as: "warga@pendopo.test", path: "/daerah/33.74/lapor"},
	{name: "report-map", path: "/daerah/33.74/laporan"},
	{name: "report", path: "/daerah/33.74/laporan?status=selesai", find: `document.querySelector('main a[href^="/laporan/33"]').getAttribute("href")`},
	{name: "performance", path: "/daerah/33.74/kinerja"},
	{name: "index", path: "/indeks"},
	{name: "console", as: "admin.3374@pendopo.test", path: "/admin/daerah/33.74"},
}

// sizes are the two windows, with the name each file ends in.
var sizes = []struct {
	name          string
	width, height int64
}{{"phone", 390, 844}, {"desktop", 1280, 800}}

func main() {
	bin := flag.String("bin", "", "the pendopo binary to run (required)")
	out := flag.String("out", "docs/tour", "directory for the PNG files")
	chromium := flag.String("chromium", envOr("PENDOPO_TEST_BROWSER", "/usr/bin/chromium"), "Chromium binary")
	only := flag.String("only", "", "comma-separated page names to take, all when empty")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "tour: -bin is required")
		os.Exit(2)
	}
	if err := run(*bin, *out, *chromium, *only); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func run(bin, out, chromium, only string) error {
	data, err := os.MkdirTemp("", "pendopo-tour-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(data)
	url, stop, err := serve(bin, data)
	if err != nil {
		return err
	}
	defer stop()
	pw, err := os.ReadFile(filepath.Join(data, "demo-accounts.txt"))
	if err != nil {
		return fmt.Errorf("demo password: %w", err)
	}
	password := strings.TrimSpace(string(pw))
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}

	profile, err := os.MkdirTemp("", "pendopo-tour-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.Flag("lang", "id-ID"), chromedp.UserDataDir(profile))
	defer cancelA()
	ctx, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	defer cancelT()

	want := map[string]bool{}
	for n := range strings.SplitSeq(only, ",") {
		if n != "" {
			want[n] = true
		}
	}
	signedIn := ""
	for _, s := range shots {
		if len(want) > 0 && !want[s.name] {
			continue
		}
		if s.as != signedIn {
			if err := signIn(ctx, url, s.as, password, signedIn != ""); err != nil {
				return err
			}
			signedIn = s.as
		}
		path := s.path
		if s.find != "" {
			if err := chromedp.Do(ctx, chromedp.Navigate(url+s.path), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			if path, err = chromedp.Run(ctx, chromedp.Evaluate[string](s.find)); err != nil {
				return fmt.Errorf("%s: find the page: %w", s.name, err)
			}
		}
		for _, size := range sizes {
			if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
				Width: size.width, Height: size.height, DeviceScaleFactor: 1, Mobile: size.width < 500}); err != nil {
				return err
			}
			png, err := take(ctx, url+path)
			if err != nil {
				return fmt.Errorf("%s at %s: %w", s.name, size.name, err)
			}
			file := filepath.Join(out, s.name+"-"+size.name+".png")
			if err := os.WriteFile(file, png, 0o644); err != nil {
				return err
			}
			fmt.Printf("%-40s %s\n", file, path)
		}
	}
	return nil
}

// take loads the page and captures its first screen, once its fonts are
// in and nothing is still being laid out.
func take(ctx context.Context, url string) ([]byte, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r(true))))`,
		chromedp.EvalAwaitPromise)); err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.CaptureScreenshot())
}

// signIn signs out whoever is signed in, then signs in as login ("" stays
// a visitor).
func signIn(ctx context.Context, url, login, password string, out bool) error {
	if out {
		if err := chromedp.Do(ctx, chromedp.Navigate(url+"/"), chromedp.WaitReady(chromedp.CSS(`form[action="/keluar"] button`)),
			chromedp.Click(chromedp.CSS(`form[action="/keluar"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/masuk"]`))); err != nil {
			return fmt.Errorf("sign out: %w", err)
		}
	}
	if login == "" {
		return nil
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/masuk"), chromedp.WaitVisible(chromedp.CSS("#f-login")),
		chromedp.SendKeys(chromedp.CSS("#f-login"), login), chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		chromedp.Submit(chromedp.CSS("#f-password")), chromedp.WaitVisible(chromedp.CSS(`form[action="/keluar"] button`))); err != nil {
		return fmt.Errorf("sign in as %s: %w", login, err)
	}
	return nil
}

// serve starts the demo on a free port and returns its address once it
// answers; stop ends it.
func serve(bin, data string) (url string, stop func(), err error) {
	cmd := exec.Command(bin, "serve", "--demo", "--data", data, "--addr", "127.0.0.1:0", "--log-level", "error")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop = func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, u, ok := strings.Cut(sc.Text(), "running at "); ok {
			go io.Copy(io.Discard, stdout)
			return strings.TrimSpace(u), stop, nil
		}
	}
	stop()
	return "", nil, errors.New("the demo did not start")
}
