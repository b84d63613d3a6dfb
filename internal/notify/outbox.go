package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
)

// How the outbox worker delivers. A pass leases outboxBatch messages for
// outboxLease, long enough to try each of them for outboxSendTimeout one
// after another, so that no lease ends while its message is being sent.
const (
	outboxBatch       = 20
	outboxSendTimeout = 30 * time.Second
	outboxLease       = outboxBatch*outboxSendTimeout + time.Minute
	// outboxMarkTimeout bounds recording an outcome, which happens even
	// when the worker is being stopped.
	outboxMarkTimeout = 10 * time.Second
)

// Store is what an Outbox needs of the store: a transaction's or the
// outbox's own.
type Store interface {
	pendopo.OutboxStore
	pendopo.NotificationStore
}

// Outbox queues and delivers people's messages and notifications. Create
// it with New.
type Outbox struct {
	store     Store
	now       func() time.Time
	log       *slog.Logger
	mail, sms Sender
	baseURL   string

	once sync.Once
	wake chan struct{} // wakes the delivery worker

	// detached tracks work done after a request's answer, such as
	// sending a one-time code (see Detach).
	detached detachedWork
}

// New returns an outbox over store that sends email through mail and SMS
// through sms, reads the time from now and links to baseURL.
func New(store Store, now func() time.Time, log *slog.Logger, mail, sms Sender, baseURL string) *Outbox {
	return &Outbox{store: store, now: now, log: log, mail: mail, sms: sms, baseURL: baseURL}
}

func (o *Outbox) wakeChan() chan struct{} {
	o.once.Do(func() { o.wake = make(chan struct{}, 1) })
	return o.wake
}

// SetMail replaces the email sender and returns the one before, for tests
// that send through a real SMTP server.
func (o *Outbox) SetMail(s Sender) Sender {
	old := o.mail
	o.mail = s
	return old
}

// Wake asks the delivery worker (Run) for a pass now instead
// of at its next interval. It never blocks; wakes while a pass is waiting
// to start merge into one.
func (o *Outbox) Wake() {
	select {
	case o.wakeChan() <- struct{}{}:
	default:
	}
}

// Enqueue queues an email or SMS in the database for Run to send.
// s is the store to write to: a transaction's, so that the message is
// queued exactly when the change it reports commits, or nil for the
// outbox's own. A second message with the same Key is ignored, so retried
// requests send once. The worker is woken at once when s is the outbox's
// own store; after a transaction, a caller calls Wake once it commits. Errors are
// KindInvalid for an incomplete message, or the store's.
func (o *Outbox) Enqueue(ctx context.Context, s Store, m pendopo.OutboxMessage) error {
	if s == nil {
		s = o.store
	}
	if err := m.Validate(); err != nil {
		return fmt.Errorf("enqueue %q: %w", m.Key, err)
	}
	m.CreatedAt = o.now()
	if m.NextAt.IsZero() {
		m.NextAt = m.CreatedAt
	}
	if _, _, err := s.EnqueueMessage(ctx, m); err != nil {
		return err
	}
	if s == o.store {
		o.Wake()
	}
	return nil
}

// Deliver makes one pass over the outbox: it leases up to a batch
// of due messages, sends each through the email or SMS sender and records
// the outcome. A failed message is tried again later, waiting longer each
// time (pendopo.OutboxRetry), until it is given up as dead. It returns how
// many messages went out.
//
// "Never twice" holds as far as SMTP allows. A message is leased before it
// is sent, so no other instance takes it meanwhile, and marked sent right
// after the server accepts it. If the process dies between the two, or
// the database cannot be written then, or a send times out after the
// server took the message, the message is sent again once its lease ends:
// there is no way to ask an SMTP server whether it already has a message.
// The resend carries the same Message-ID, derived from the Key, so that
// mail systems and people can recognise it as the same message.
func (o *Outbox) Deliver(ctx context.Context) (sent int, err error) {
	sent, _, err = o.deliver(ctx)
	return sent, err
}

func (o *Outbox) deliver(ctx context.Context) (sent, claimed int, err error) {
	start := time.Now() // wallclock: measures how long a round of sending takes
	msgs, err := o.store.ClaimMessages(ctx, o.now(), outboxBatch, outboxLease)
	if err != nil {
		return 0, 0, err
	}
	for _, m := range msgs {
		if err := ctx.Err(); err != nil {
			return sent, len(msgs), err
		}
		// Leave the rest for a later pass rather than send near the end of
		// their lease, when another instance may take them too.
		if time.Since(start) > outboxLease-outboxSendTimeout-time.Minute { // wallclock: measures a duration
			break
		}
		// A send that has begun is let finish, even on shutdown, so that
		// its outcome is recorded.
		bg := context.WithoutCancel(ctx)
		sendCtx, cancel := context.WithTimeout(bg, outboxSendTimeout)
		sendErr := o.sendOutbox(sendCtx, m)
		cancel()
		markCtx, cancel := context.WithTimeout(bg, outboxMarkTimeout)
		if sendErr == nil {
			err = o.store.MarkSent(markCtx, m.ID, o.now())
			cancel()
			if err != nil {
				// Sent but not recorded: it goes out again when the lease ends.
				return sent, len(msgs), fmt.Errorf("record message %d as sent: %w", m.ID, err)
			}
			sent++
			continue
		}
		attempts := m.Attempts + 1
		wait, dead := pendopo.OutboxRetry(attempts)
		next := o.now().Add(wait)
		err = o.store.MarkFailed(markCtx, m.ID, errorText(sendErr), next, dead)
		cancel()
		if err != nil {
			o.log.Error("record failed message", "id", m.ID, "err", err)
		}
		if dead {
			o.log.Error("message given up", "id", m.ID, "key", m.Key, "channel", m.Channel, "attempts", attempts, "err", sendErr)
		} else {
			o.log.Warn("message not sent, will retry", "id", m.ID, "key", m.Key, "channel", m.Channel, "attempts", attempts, "retry_at", next, "err", sendErr)
		}
	}
	return sent, len(msgs), nil
}

// sendOutbox hands a message to the sender of its channel.
func (o *Outbox) sendOutbox(ctx context.Context, m pendopo.OutboxMessage) error {
	msg := Message{To: m.To, Subject: m.Subject, Body: m.Body, ID: OutboxMessageID(m.Key), Date: o.now()}
	switch m.Channel {
	case pendopo.OutboxEmail:
		return o.mail.Send(ctx, msg)
	case pendopo.OutboxSMS:
		return o.sms.Send(ctx, msg)
	}
	return fmt.Errorf("unknown channel %q", m.Channel)
}

// OutboxMessageID is the Message.ID of the outbox message with key: the
// same for every attempt, and free of characters a Message-ID forbids.
func OutboxMessageID(key string) string {
	h := sha256.Sum256([]byte(key))
	return "outbox." + hex.EncodeToString(h[:16])
}

// errorText is what the outbox keeps of a failure.
func errorText(err error) string {
	s := err.Error()
	if len(s) > 1000 {
		s = strings.ToValidUTF8(s[:1000], "")
	}
	return s
}

// Run delivers the outbox until ctx ends: at start, whenever woken
// (Wake, Enqueue) and every interval, which also picks up retries
// and messages queued by other instances. Errors are logged.
func (o *Outbox) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	wake := o.wakeChan()
	for {
		for {
			_, claimed, err := o.deliver(ctx)
			if err != nil && ctx.Err() == nil {
				o.log.Error("deliver outbox", "err", err)
			}
			// A full batch means more may be due.
			if err != nil || claimed < outboxBatch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}

var errBadNotification = pendopo.Errorf(pendopo.KindInvalid, pendopo.M("notify.a_notification_needs_recipient_title"))

// Notify puts a notification in a person's in-app inbox. s is the store to
// write to, as for Enqueue: a transaction's or nil. A notification without
// a user or an Indonesian title is KindInvalid; an unknown user is
// KindConflict.
func (o *Outbox) Notify(ctx context.Context, s Store, n pendopo.Notification) error {
	if s == nil {
		s = o.store
	}
	if n.UserID == 0 || strings.TrimSpace(n.Title.Indonesian) == "" {
		return fmt.Errorf("notify user %d: %w", n.UserID, errBadNotification)
	}
	n.CreatedAt = o.now()
	_, err := s.AddNotification(ctx, n)
	return err
}
