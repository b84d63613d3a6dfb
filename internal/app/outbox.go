package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strconv"
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

// outboxState wakes the delivery worker; the zero value is ready.
type outboxState struct {
	once sync.Once
	wake chan struct{}
}

func (a *App) outboxWake() chan struct{} {
	a.outbox.once.Do(func() { a.outbox.wake = make(chan struct{}, 1) })
	return a.outbox.wake
}

// WakeOutbox asks the delivery worker (RunOutbox) for a pass now instead
// of at its next interval. It never blocks; wakes while a pass is waiting
// to start merge into one.
func (a *App) WakeOutbox() {
	select {
	case a.outboxWake() <- struct{}{}:
	default:
	}
}

// Enqueue queues an email or SMS in the database for RunOutbox to send.
// s is the store to write to: a transaction's, so that the message is
// queued exactly when the change it reports commits, or nil for the
// app's own. A second message with the same Key is ignored, so retried
// requests send once. The worker is woken at once when s is the app's
// store, and when a.audited's transaction ends; after a transaction of
// its own, a caller calls WakeOutbox once it commits. Errors are
// KindInvalid for an incomplete message, or the store's.
func (a *App) Enqueue(ctx context.Context, s pendopo.Store, m pendopo.OutboxMessage) error {
	if s == nil {
		s = a.store
	}
	if err := m.Validate(); err != nil {
		return fmt.Errorf("enqueue %q: %w", m.Key, err)
	}
	m.CreatedAt = a.now()
	if m.NextAt.IsZero() {
		m.NextAt = m.CreatedAt
	}
	if _, _, err := s.EnqueueMessage(ctx, m); err != nil {
		return err
	}
	if s == a.store {
		a.WakeOutbox()
	}
	return nil
}

// DeliverOutbox makes one pass over the outbox: it leases up to a batch
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
func (a *App) DeliverOutbox(ctx context.Context) (sent int, err error) {
	sent, _, err = a.deliverOutbox(ctx)
	return sent, err
}

func (a *App) deliverOutbox(ctx context.Context) (sent, claimed int, err error) {
	start := time.Now() // wallclock: measures how long a round of sending takes
	msgs, err := a.store.ClaimMessages(ctx, a.now(), outboxBatch, outboxLease)
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
		sendErr := a.sendOutbox(sendCtx, m)
		cancel()
		markCtx, cancel := context.WithTimeout(bg, outboxMarkTimeout)
		if sendErr == nil {
			err = a.store.MarkSent(markCtx, m.ID, a.now())
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
		next := a.now().Add(wait)
		err = a.store.MarkFailed(markCtx, m.ID, errorText(sendErr), next, dead)
		cancel()
		if err != nil {
			a.log.Error("record failed message", "id", m.ID, "err", err)
		}
		if dead {
			a.log.Error("message given up", "id", m.ID, "key", m.Key, "channel", m.Channel, "attempts", attempts, "err", sendErr)
		} else {
			a.log.Warn("message not sent, will retry", "id", m.ID, "key", m.Key, "channel", m.Channel, "attempts", attempts, "retry_at", next, "err", sendErr)
		}
	}
	return sent, len(msgs), nil
}

// sendOutbox hands a message to the sender of its channel.
func (a *App) sendOutbox(ctx context.Context, m pendopo.OutboxMessage) error {
	msg := Message{To: m.To, Subject: m.Subject, Body: m.Body, ID: OutboxMessageID(m.Key), Date: a.now()}
	switch m.Channel {
	case pendopo.OutboxEmail:
		return a.mail.Send(ctx, msg)
	case pendopo.OutboxSMS:
		return a.sms.Send(ctx, msg)
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
	if addr, err := mail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(addr.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return id + "@" + domain
}

// RunOutbox delivers the outbox until ctx ends: at start, whenever woken
// (WakeOutbox, Enqueue) and every interval, which also picks up retries
// and messages queued by other instances. Errors are logged.
func (a *App) RunOutbox(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	wake := a.outboxWake()
	for {
		for {
			_, claimed, err := a.deliverOutbox(ctx)
			if err != nil && ctx.Err() == nil {
				a.log.Error("deliver outbox", "err", err)
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

var errBadNotification = pendopo.Errorf(pendopo.KindInvalid, pendopo.T("Pemberitahuan perlu penerima dan judul.", "A notification needs a recipient and a title."))

// Notify puts a notification in a person's in-app inbox. s is the store to
// write to, as for Enqueue: a transaction's or nil. A notification without
// a user or an Indonesian title is KindInvalid; an unknown user is
// KindConflict.
func (a *App) Notify(ctx context.Context, s pendopo.Store, n pendopo.Notification) error {
	if s == nil {
		s = a.store
	}
	if n.UserID == 0 || strings.TrimSpace(n.Title.ID) == "" {
		return fmt.Errorf("notify user %d: %w", n.UserID, errBadNotification)
	}
	n.CreatedAt = a.now()
	_, err := s.AddNotification(ctx, n)
	return err
}

// Inbox is a page of a person's notifications.
type Inbox struct {
	Notifications []pendopo.Notification
	Total, Unread int
	// Seen is when the page was read, to pass to MarkRead so that what
	// arrived after it stays unread.
	Seen time.Time
}

// Inbox returns a page of the signed-in person's notifications, newest
// first. Someone not signed in is KindUnauthorized.
func (a *App) Inbox(ctx context.Context, who pendopo.Actor, p pendopo.Page) (Inbox, error) {
	if who.UserID == 0 {
		return Inbox{}, errNoSession
	}
	in := Inbox{Seen: a.now()}
	var err error
	in.Notifications, in.Total, in.Unread, err = a.store.Notifications(ctx, who.UserID, p)
	return in, err
}

// MarkRead marks the signed-in person's notifications up to seen (Inbox's
// Seen; zero or a future time means now) as read.
func (a *App) MarkRead(ctx context.Context, who pendopo.Actor, seen time.Time) error {
	if who.UserID == 0 {
		return errNoSession
	}
	if now := a.now(); seen.IsZero() || seen.After(now) {
		seen = now
	}
	e := pendopo.AuditEntry{Action: "notification.mark_read", Entity: "user", EntityID: strconv.FormatInt(who.UserID, 10)}
	return a.audited(ctx, who, roleCitizen, &e, func(tx pendopo.Store) error { return tx.MarkNotificationsRead(ctx, who.UserID, seen) })
}

// allNotifications returns all of a person's notifications, for their data
// download.
func (a *App) allNotifications(ctx context.Context, userID int64) ([]pendopo.Notification, error) {
	out := []pendopo.Notification{}
	for page := 1; ; page++ {
		l, total, _, err := a.store.Notifications(ctx, userID, pendopo.Page{Page: page, PerPage: pendopo.MaxPerPage})
		if err != nil {
			return nil, err
		}
		out = append(out, l...)
		if len(l) == 0 || len(out) >= total {
			return out, nil
		}
	}
}
