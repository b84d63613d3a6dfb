package app

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
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

// SMTPSender sends email through an SMTP server (STARTTLS when offered).
type SMTPSender struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
}

// Send sends one plain-text email.
func (s SMTPSender) Send(ctx context.Context, m Message) error {
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("smtp address %q: %w", s.Addr, err)
	}
	var auth smtp.Auth
	if s.Username != "" {
		auth = smtp.PlainAuth("", s.Username, s.Password, host)
	}
	subject := mime.QEncoding.Encode("utf-8", strings.NewReplacer("\r", " ", "\n", " ").Replace(m.Subject))
	date := ""
	if !m.Date.IsZero() {
		date = "\r\nDate: " + m.Date.Format(time.RFC1123Z)
	}
	msg := "From: " + s.From + "\r\nTo: " + m.To + "\r\nSubject: " + subject +
		date + messageIDHeader(m.ID, s.From) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(m.Body, "\n", "\r\n")
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(s.Addr, auth, s.From, []string{m.To}, []byte(msg)) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
