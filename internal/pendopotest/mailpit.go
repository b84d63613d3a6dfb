package pendopotest

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Environment variables for tests against a real SMTP server.
const (
	// EnvMailpit is the path of the mailpit binary; without it mailpit is
	// looked up in PATH.
	EnvMailpit = "PENDOPO_TEST_MAILPIT"
	// EnvRequireMailpit set to 1 makes a missing mailpit fail the tests
	// that need it instead of skipping them. CI sets it.
	EnvRequireMailpit = "PENDOPO_TEST_REQUIRE_MAILPIT"
)

// Mailpit is a mailpit SMTP server run for one test
// (go install github.com/axllent/mailpit@v1.33.1).
type Mailpit struct {
	// SMTP is the host:port that takes mail.
	SMTP string
	// API is the base URL of its web interface and REST API.
	API string
}

// MailpitMessage is a message as mailpit's REST API lists it.
type MailpitMessage struct {
	ID        string
	MessageID string
	Subject   string
	From      struct{ Address string }
	To        []struct{ Address string }
}

// StartMailpit runs mailpit until the test ends, taking mail on smtpAddr
// ("" for a free port on loopback), and waits until it answers. It skips
// the test when mailpit is not installed, unless PENDOPO_TEST_REQUIRE_MAILPIT=1.
func StartMailpit(t testing.TB, smtpAddr string) Mailpit {
	t.Helper()
	bin := os.Getenv(EnvMailpit)
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("mailpit"); err != nil {
			if os.Getenv(EnvRequireMailpit) == "1" {
				t.Fatalf("mailpit is required (%s=1) but not found; set %s or put it in PATH", EnvRequireMailpit, EnvMailpit)
			}
			t.Skipf("SMTP tests need mailpit (go install github.com/axllent/mailpit@v1.33.1) in PATH or in %s", EnvMailpit)
		}
	} else if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s=%s: %v", EnvMailpit, bin, err)
	}
	if smtpAddr == "" {
		smtpAddr = FreeAddr(t)
	}
	m := Mailpit{SMTP: smtpAddr}
	httpAddr := FreeAddr(t)
	m.API = "http://" + httpAddr
	dir := t.TempDir()
	logFile, err := os.Create(filepath.Join(dir, "mailpit.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	output := func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
	cmd := exec.Command(bin, "--smtp", smtpAddr, "--listen", httpAddr, "--database", filepath.Join(dir, "mailpit.db"))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	// Wait until both the API and the SMTP port answer, or mailpit exits.
	deadline := time.Now().Add(20 * time.Second) // wallclock: a timeout while mailpit starts
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := m.ready()
		if err == nil {
			return m
		}
		if time.Now().After(deadline) { // wallclock: the same timeout
			t.Fatalf("mailpit did not start within 20s: %v\n%s", err, output())
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("mailpit exited: %v\n%s", err, output())
		case <-tick.C:
		}
	}
}

func (m Mailpit) ready() error {
	res, err := http.Get(m.API + "/api/v1/messages")
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return errors.New(res.Status)
	}
	c, err := net.DialTimeout("tcp", m.SMTP, time.Second)
	if err != nil {
		return err
	}
	return c.Close()
}

// Messages lists the messages mailpit received, newest first.
func (m Mailpit) Messages(t testing.TB) []MailpitMessage {
	t.Helper()
	res, err := http.Get(m.API + "/api/v1/messages?limit=1000")
	if err != nil {
		t.Fatalf("mailpit messages: %v", err)
	}
	defer res.Body.Close()
	var body struct {
		Total    int
		Messages []MailpitMessage
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("mailpit messages: %v", err)
	}
	if body.Total != len(body.Messages) {
		t.Fatalf("mailpit lists %d of %d messages", len(body.Messages), body.Total)
	}
	return body.Messages
}

// FreeAddr returns a loopback host:port that nothing listens on now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
