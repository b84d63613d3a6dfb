// Package notify tells people what happened: in-app notifications, the
// outbox of email and SMS that a worker delivers with retries, and
// messages sent directly after a request's answer (one-time codes). It
// needs only the domain and the store's outbox and notification methods.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
)

// Message is a short notice to a person: a one-time code, an invitation.
type Message struct {
	// To is an email address or a phone number in +62 form.
	To      string
	Subject string
	Body    string
	// ID, when set, identifies the message stably across resends: SMTP
	// sends it as the Message-ID (ID@ the sender's domain).
	ID string
	// Date is when the app sent it, by the app's clock; email carries it
	// in the Date header, which is left to the mail server when zero.
	Date time.Time
}

// Sender delivers messages: by email, SMS or WhatsApp. Gateways for SMS and
// WhatsApp plug in through this interface.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender writes messages to the log instead of sending them, for
// development: the one-time codes appear in the server's output.
type LogSender struct{ Log *slog.Logger }

// Send logs the message.
func (s LogSender) Send(ctx context.Context, m Message) error {
	s.Log.Info("message not sent (log-only sender)", "to", m.To, "subject", m.Subject, "body", m.Body)
	return nil
}

// DirSender writes each message as a text file in Dir instead of sending
// it, for development and for end-to-end tests that read one-time codes.
// Files are named by time and recipient, so the newest sorts last.
type DirSender struct{ Dir string }

// Send writes the message to a new file.
func (s DirSender) Send(ctx context.Context, m Message) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	stamp := time.Now().UnixNano() // wallclock: a unique, sortable file name, not a rule
	name := fmt.Sprintf("%d-%s.txt", stamp, strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' {
			return '_'
		}
		return r
	}, m.To))
	body := "To: " + m.To + "\nSubject: " + m.Subject + "\n\n" + m.Body + "\n"
	return os.WriteFile(filepath.Join(s.Dir, name), []byte(body), 0o600)
}

// MemorySender keeps messages, for tests.
type MemorySender struct {
	mu   sync.Mutex
	sent []Message
}

// Send keeps the message.
func (s *MemorySender) Send(ctx context.Context, m Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	return nil
}

// Last returns the last message sent to to.
func (s *MemorySender) Last(to string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.sent) - 1; i >= 0; i-- {
		if s.sent[i].To == to {
			return s.sent[i], true
		}
	}
	return Message{}, false
}

// SMTPSender sends email through an SMTP server with
// github.com/wneessen/go-mail: STARTTLS when the server offers it, and
// PLAIN authentication when Username is set, which refuses to send the
// password unencrypted except to localhost.
type SMTPSender struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
	// Timeout bounds connecting and each SMTP command, also when ctx has
	// no deadline; zero means 30 seconds.
	Timeout time.Duration
}

// Send sends one plain-text email. It returns when ctx ends, with
// ctx's error, and then leaves no connection or goroutine behind.
func (s SMTPSender) Send(ctx context.Context, m Message) error {
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("smtp address %q: %w", s.Addr, err)
	}
	portNum, err := strconv.Atoi(port)
	if err != nil {
		return fmt.Errorf("smtp address %q: port: %w", s.Addr, err)
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(s.From); err != nil {
		return fmt.Errorf("smtp sender %q: %w", s.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("smtp recipient %q: %w", m.To, err)
	}
	msg.Subject(strings.NewReplacer("\r", " ", "\n", " ").Replace(m.Subject))
	if !m.Date.IsZero() {
		msg.SetDateWithValue(m.Date)
	}
	if id := messageID(m.ID, s.From); id != "" {
		msg.SetMessageIDWithValue(id)
	}
	msg.SetBodyString(mail.TypeTextPlain, m.Body)

	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	// go-mail stops waiting for ctx once connected; closing the connection
	// when ctx ends makes the command under way fail at once.
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	hangUp := func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close() // after QUIT it is closed already; after a failure maybe not
		}
		conns = nil
	}
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		if err := ctx.Err(); err != nil { // ended before hangUp could see c
			c.Close()
			return nil, err
		}
		conns = append(conns, c)
		return c, nil
	}
	defer hangUp()
	opts := []mail.Option{
		mail.WithPort(portNum),
		mail.WithTimeout(timeout),
		mail.WithTLSPolicy(mail.TLSOpportunistic),
		mail.WithHELO("localhost"),
		mail.WithDialContextFunc(dial),
	}
	if s.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.Username), mail.WithPassword(s.Password))
	}
	client, err := mail.NewClient(host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	stop := context.AfterFunc(ctx, hangUp)
	err = client.DialAndSendWithContext(ctx, msg)
	stop()
	if ctx.Err() != nil {
		return fmt.Errorf("smtp %s: %w", s.Addr, ctx.Err())
	}
	return err
}

// messageID is the Message-ID for id, without its angle brackets, on the
// domain of the from address; empty when id is.
func messageID(id, from string) string {
	if id == "" {
		return ""
	}
	id = strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune(".-_+=", r) {
			return r
		}
		return '-'
	}, id)
	domain := "localhost"
	if addr, err := netmail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(addr.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return id + "@" + domain
}
