package pendopo

import (
	"context"
	"strings"
	"time"
)

// Outbox channels: how a message reaches a person (not to be confused with
// a service's Channel, how a citizen reaches the service).
const (
	OutboxEmail = "email"
	OutboxSMS   = "sms"
)

// OutboxMessage is an email or SMS waiting in the database to be sent.
// Queuing it in the same transaction as the change it reports means the
// message exists exactly when the change does; a worker then delivers it,
// retrying with backoff, and marks it sent.
type OutboxMessage struct {
	ID      int64  `json:"id"`
	Channel string `json:"channel"` // OutboxEmail or OutboxSMS
	// To is an email address or a phone number in +62 form.
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// Key is chosen by the caller and unique across the outbox, such as
	// "app:3374-…:event:12:email": queuing a second message with the same
	// key does nothing, so a retried request cannot send twice.
	Key string `json:"key"`
	// UserID is the person the message is for, 0 when it is not an
	// account; erasing the account deletes their messages.
	UserID    int64     `json:"user_id,omitempty"`
	Attempts  int       `json:"attempts"`
	NextAt    time.Time `json:"next_at"`
	CreatedAt time.Time `json:"created_at"`
	SentAt    time.Time `json:"sent_at"` // zero until sent
	LastError string    `json:"last_error,omitempty"`
	// Dead messages failed too often and are no longer tried.
	Dead bool `json:"dead"`
}

// Validate reports what is missing or wrong in a message about to be
// queued, as a KindInvalid error.
func (m OutboxMessage) Validate() error {
	var p Problems
	if m.Channel != OutboxEmail && m.Channel != OutboxSMS {
		p.Add("channel", M("rule.the_channel_must_be_email"))
	}
	if strings.TrimSpace(m.To) == "" {
		p.Add("to", M("rule.a_recipient_required"))
	}
	if strings.TrimSpace(m.Key) == "" {
		p.Add("key", M("rule.a_message_key_required"))
	}
	if m.Body == "" {
		p.Add("body", M("rule.a_message_body_required"))
	}
	return p.Err()
}

// Outbox retry schedule: the first retry waits OutboxFirstRetry, each later
// one twice as long up to OutboxMaxRetryWait, and a message that failed
// OutboxMaxAttempts times is dead.
const (
	OutboxFirstRetry   = time.Minute
	OutboxMaxRetryWait = 6 * time.Hour
	OutboxMaxAttempts  = 10
)

// OutboxRetry says how long to wait before trying a message again after
// its attempts-th failed attempt (counting from 1), or that it should be
// given up (dead).
func OutboxRetry(attempts int) (wait time.Duration, dead bool) {
	if attempts >= OutboxMaxAttempts {
		return 0, true
	}
	wait = OutboxFirstRetry
	for i := 1; i < attempts && wait < OutboxMaxRetryWait; i++ {
		wait *= 2
	}
	return min(wait, OutboxMaxRetryWait), false
}

// OutboxStore keeps the messages waiting to be sent, and those sent, so
// that a message survives a restart and is sent once.
type OutboxStore interface {
	// EnqueueMessage queues m (ID, Attempts, SentAt, LastError and Dead are
	// ignored; a zero NextAt means at CreatedAt). When a message with the
	// same Key exists it does nothing and returns that message's id with
	// added false.
	EnqueueMessage(ctx context.Context, m OutboxMessage) (id int64, added bool, err error)
	// ClaimMessages leases up to limit messages that are due at now, not
	// sent, not dead and not leased by someone else, until now+lease, and
	// returns them oldest due first. A leased message is not claimed
	// again, by this or any other instance, until its lease ends or it is
	// marked failed.
	ClaimMessages(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]OutboxMessage, error)
	// MarkSent records a message as sent at at and counts the attempt; a
	// message sent before keeps its first time. A sent message keeps no
	// recipient, body or account (only its key, channel and subject), so
	// that the outbox does not become a lasting record of who was told
	// what, such as the contact of an anonymous report's reporter. An
	// unknown id is ErrNotFound.
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkFailed counts a failed attempt, keeps errText, ends the lease and
	// makes the message due again at nextAt, or dead; a dead message loses
	// its recipient, body and account as a sent one does. A message that
	// is already sent or unknown is ErrNotFound.
	MarkFailed(ctx context.Context, id int64, errText string, nextAt time.Time, dead bool) error
	// OutboxMessage returns the message with a key, for showing whether it
	// went out.
	OutboxMessage(ctx context.Context, key string) (OutboxMessage, error)
	// OutboxStats counts messages still to be sent (leased or not) and dead ones.
	OutboxStats(ctx context.Context) (pending, dead int, err error)
}

// Notification is a notice in a person's in-app inbox, such as a change in
// the status of their application or new work for an officer.
type Notification struct {
	ID     int64 `json:"id"`
	UserID int64 `json:"-"`
	Title  Text  `json:"title"`
	Body   Text  `json:"body"`
	// Link is a path in the portal to what the notice is about.
	Link      string    `json:"link,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	ReadAt    time.Time `json:"read_at"` // zero while unread
}

// Unread reports whether the person has not seen the notification yet.
func (n Notification) Unread() bool { return n.ReadAt.IsZero() }

// NotificationStore keeps people's in-app notifications.
type NotificationStore interface {
	// AddNotification stores n for n.UserID; an unknown user is KindConflict.
	AddNotification(ctx context.Context, n Notification) (Notification, error)
	// Notifications lists a page of a person's notifications, newest first,
	// with how many they have and how many of those are unread.
	Notifications(ctx context.Context, userID int64, p Page) (list []Notification, total, unread int, err error)
	// MarkNotificationsRead marks the person's unread notifications created
	// at or before upTo as read at upTo, leaving newer ones (which the
	// person has not seen) unread.
	MarkNotificationsRead(ctx context.Context, userID int64, upTo time.Time) error
}
