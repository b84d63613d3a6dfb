package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkSignInFlood starts the real pendopo binary (production
// argon2id: 64 MiB, t=3, p=1; default --memory-limit 256MiB; SQLite),
// fires a flood of parallel sign-ins with unknown logins, each from an
// address of its own behind a trusted proxy (so that no per-address limit
// stops them and every one reaches the password check), and samples
// /healthz while the flood lasts. It reports the server's peak resident
// memory (VmHWM) and /healthz latency; each run is a fresh process.
//
//	go test ./cmd/pendopo -run '^$' -bench SignInFlood -benchtime 1x -count 5
//
// "bounded" is the default bound on concurrent password checks;
// "unbounded" sets --password-hashes 100000, as before the bound, for a
// baseline in the same run: only 32 parallel, since 200 unbounded would
// take some 13 GB. Linux only (it reads /proc).
func BenchmarkSignInFlood(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	bin := floodBinary(b)
	for _, c := range []struct {
		name     string
		parallel int
		flags    []string
	}{
		{"bounded/200", 200, nil},
		{"bounded/32", 32, nil},
		{"unbounded/32", 32, []string{"--password-hashes", "100000"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var last floodResult
			for range b.N {
				last = flood(b, bin, c.parallel, c.flags)
			}
			b.ReportMetric(last.peakMB, "peak-RSS-MB")
			b.ReportMetric(last.startMB, "start-RSS-MB")
			b.ReportMetric(last.idleP50, "idle-healthz-p50-ms")
			b.ReportMetric(last.idleMax, "idle-healthz-max-ms")
			b.ReportMetric(last.healthP50, "healthz-p50-ms")
			b.ReportMetric(last.healthP99, "healthz-p99-ms")
			b.ReportMetric(last.healthMax, "healthz-max-ms")
			b.ReportMetric(last.signInP50, "signin-p50-ms")
			b.ReportMetric(last.wallS, "flood-s")
			b.ReportMetric(float64(last.codes[http.StatusUnauthorized]), "401s")
			b.ReportMetric(float64(last.codes[http.StatusServiceUnavailable]), "503s")
		})
	}
}

var (
	floodOnce sync.Once
	floodBin  string
	floodErr  error
)

// floodBinary builds pendopo once per test process.
func floodBinary(b *testing.B) string {
	floodOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pendopo-flood")
		if err != nil {
			floodErr = err
			return
		}
		floodBin = filepath.Join(dir, "pendopo")
		out, err := exec.Command("go", "build", "-o", floodBin, ".").CombinedOutput()
		if err != nil {
			floodErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if floodErr != nil {
		b.Fatal(floodErr)
	}
	return floodBin
}

type floodResult struct {
	peakMB, startMB                            float64
	idleP50, idleMax                           float64
	healthP50, healthP99, healthMax, signInP50 float64
	wallS                                      float64
	codes                                      map[int]int
}

// flood runs one server through one flood of parallel sign-ins.
func flood(b *testing.B, bin string, parallel int, flags []string) floodResult {
	b.Helper()
	b.StopTimer()
	data := b.TempDir()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--log-level", "error",
		"--trusted-proxies", "127.0.0.1"}, flags...)...)
	cmd.Env = append(os.Environ(), "GOMEMLIMIT=") // --memory-limit decides
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	logs := &logBuffer{} // the server's log, shown if the run fails
	cmd.Stderr = logs
	defer func() {
		if b.Failed() {
			b.Log(logs.String())
		}
	}()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	base := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, u, ok := strings.Cut(sc.Text(), "running at "); ok {
			base = u
			break
		}
	}
	if base == "" {
		b.Fatal("server did not start")
	}
	go io.Copy(io.Discard, stdout)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: parallel + 4}, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, err := client.Get(base + "/readyz"); err != nil || res.StatusCode != 200 {
		b.Fatalf("not ready: %v", err)
	} else {
		res.Body.Close()
	}
	startMB := procStatusMB(b, cmd.Process.Pid, "VmRSS")
	// /healthz of the idle server first: the machine's own noise, measured
	// in the same run.
	hc := &http.Client{Timeout: 30 * time.Second}
	idleStop := make(chan struct{})
	time.AfterFunc(2*time.Second, func() { close(idleStop) })
	idle := sampleHealth(hc, base, idleStop)

	b.StartTimer()
	start := time.Now() // wallclock: measures a duration
	stop := make(chan struct{})
	var health []float64
	healthDone := make(chan struct{})
	go func() {
		defer close(healthDone)
		health = sampleHealth(hc, base, stop)
	}()
	var (
		mu      sync.Mutex
		codes   = map[int]int{}
		signIns []float64
		wg      sync.WaitGroup
	)
	for i := range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"login": {fmt.Sprintf("banjir%d@contoh.test", i)}, "password": {"tebakan yang salah"}}
			req, _ := http.NewRequest("POST", base+"/masuk", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", "10."+strconv.Itoa(i/250)+"."+strconv.Itoa(i%250)+".1")
			t0 := time.Now() // wallclock: measures a duration
			res, err := client.Do(req)
			ms := float64(time.Since(t0).Microseconds()) / 1000 // wallclock: measures a duration
			code := 0
			if err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				code = res.StatusCode
			}
			mu.Lock()
			codes[code]++
			signIns = append(signIns, ms)
			mu.Unlock()
		}()
	}
	wg.Wait()
	wall := time.Since(start) // wallclock: measures a duration
	close(stop)
	<-healthDone
	b.StopTimer()
	r := floodResult{peakMB: procStatusMB(b, cmd.Process.Pid, "VmHWM"), startMB: startMB, codes: codes, wallS: wall.Seconds()}
	r.idleP50, r.idleMax = quantile(idle, 0.5), quantile(idle, 1)
	r.healthP50, r.healthP99, r.healthMax = quantile(health, 0.5), quantile(health, 0.99), quantile(health, 1)
	r.signInP50 = quantile(signIns, 0.5)
	return r
}

// sampleHealth asks for /healthz every 20 ms until stop and returns how
// long each answer took, in ms.
func sampleHealth(hc *http.Client, base string, stop <-chan struct{}) []float64 {
	var out []float64
	for {
		select {
		case <-stop:
			return out
		default:
		}
		t0 := time.Now() // wallclock: measures a duration
		res, err := hc.Get(base + "/healthz")
		if err != nil {
			continue
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		out = append(out, float64(time.Since(t0).Microseconds())/1000) // wallclock: measures a duration
		time.Sleep(20 * time.Millisecond)
	}
}

// logBuffer lets the server's output be written from its pipe's
// goroutine while the benchmark may read it.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// procStatusMB reads a memory line of /proc/PID/status in MB.
func procStatusMB(b *testing.B, pid int, field string) float64 {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb / 1000
		}
	}
	b.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s)-1)+0.5))]
}

// TestServeSignInFlags: --trusted-proxies and --password-hashes are
// checked before anything starts, and documented with their variables.
func TestServeSignInFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--trusted-proxies", "localhost"},
		{"--trusted-proxies", "10.0.0.0/33"},
		{"--password-hashes", "-1"},
	} {
		_, _, err := cli(t, dbEnv(t), "", append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: %v", args, err)
		}
	}
	env := dbEnv(t)
	env["PENDOPO_TRUSTED_PROXIES"] = "127.0.0.1,nope"
	if _, _, err := cli(t, env, "", "serve", "--addr", "127.0.0.1:0"); exitCode(err) != 2 {
		t.Errorf("bad PENDOPO_TRUSTED_PROXIES: %v", err)
	}
	_, help, _ := cli(t, nil, "", "serve", "--help")
	for _, want := range []string{"PENDOPO_TRUSTED_PROXIES", "PENDOPO_PASSWORD_HASHES"} {
		if !strings.Contains(help, want) {
			t.Errorf("serve --help does not mention %s", want)
		}
	}
}
