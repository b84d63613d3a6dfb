package notify_test

import (
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pendopo/pendopo/internal/notify"
)

// silentSMTP is a mail server that accepts connections and never says a
// word. Each connection's end, when the client hangs up, is sent on hungUp.
func silentSMTP(t *testing.T) (addr string, accepted, hungUp <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	acc, hup := make(chan struct{}, 10), make(chan struct{}, 10)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			acc <- struct{}{}
			go func() {
				io.Copy(io.Discard, c) // until the client closes it
				hup <- struct{}{}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String(), acc, hup
}

// smtpGoroutines lists the goroutines still inside an SMTP client.
func smtpGoroutines() []string {
	buf := make([]byte, 1<<20)
	var left []string
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "net/smtp") || strings.Contains(g, "wneessen/go-mail") {
			left = append(left, g)
		}
	}
	return left
}

// TestSMTPSenderGivesUp sends to a server that accepts and says nothing:
// Send returns when its context ends or its timeout passes, hangs up, and
// leaves no goroutine behind. Not parallel, so that other tests' SMTP goroutines do not count.
func TestSMTPSenderGivesUp(t *testing.T) {
	m := notify.Message{To: "budi@contoh.id", Subject: "Kode", Body: "123456", ID: "code:1"}
	expire := func(ctx context.Context, accepted <-chan struct{}) (context.Context, context.CancelFunc) {
		return context.WithTimeout(ctx, 300*time.Millisecond)
	}
	cancel := func(ctx context.Context, accepted <-chan struct{}) (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancel(ctx)
		go func() {
			<-accepted
			time.Sleep(50 * time.Millisecond) // the client now waits for the greeting
			cancel()
		}()
		return ctx, cancel
	}
	background := func(ctx context.Context, accepted <-chan struct{}) (context.Context, context.CancelFunc) {
		return ctx, func() {}
	}
	for _, tt := range []struct {
		name    string
		ctx     func(context.Context, <-chan struct{}) (context.Context, context.CancelFunc)
		timeout time.Duration
		want    error // nil: any error
	}{
		{"deadline", expire, time.Minute, context.DeadlineExceeded},
		{"cancelled", cancel, time.Minute, context.Canceled},
		{"timeout", background, 300 * time.Millisecond, nil}, // a context that never ends
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr, accepted, hungUp := silentSMTP(t)
			s := notify.SMTPSender{Addr: addr, From: "pendopo@pendopo.test", Timeout: tt.timeout}
			ctx, cancel := tt.ctx(t.Context(), accepted)
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- s.Send(ctx, m) }()
			select {
			case err := <-done:
				if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
					t.Errorf("Send: %v, want %v", err, tt.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Send did not return")
			}
			select {
			case <-hungUp:
			case <-time.After(2 * time.Second):
				t.Error("the connection is still open")
			}
			for range 200 { // a goroutine on its way out gets 2 s
				if len(smtpGoroutines()) == 0 {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			if left := smtpGoroutines(); len(left) > 0 {
				t.Errorf("%d goroutines left in the SMTP client:\n%s", len(left), strings.Join(left, "\n\n"))
			}
		})
	}
}
