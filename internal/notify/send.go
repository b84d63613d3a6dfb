package notify

import (
	"context"
	"fmt"
	"strings"

	"github.com/pendopo/pendopo"
)

type quietKey struct{}

// Quiet marks ctx so that application events write in-app notifications
// but queue no email or SMS: the demo's history is not news to anyone.
func Quiet(ctx context.Context) context.Context { return context.WithValue(ctx, quietKey{}, true) }

// IsQuiet reports whether ctx was marked by Quiet.
func IsQuiet(ctx context.Context) bool { return ctx.Value(quietKey{}) != nil }

// Tell queues an email (or, for accounts with only a phone, an SMS)
// to a user, in both languages, Indonesian first.
func (o *Outbox) Tell(ctx context.Context, s Store, u pendopo.User, key string, title, body pendopo.Text, link string) error {
	if IsQuiet(ctx) {
		return nil
	}
	m := pendopo.OutboxMessage{UserID: u.ID, Subject: title.Indonesian + " / " + title.English, Key: key}
	switch {
	case u.Email != "":
		m.Channel, m.To = pendopo.OutboxEmail, u.Email
		m.Body = "Yth. " + u.Name + ",\n\n" + body.Indonesian + "\n\nLihat: " + o.baseURL + link +
			"\n\n— English —\n\n" + body.English + "\n\nSee: " + o.baseURL + link + "\n\nPendopo\n"
	case u.Phone != "":
		m.Channel, m.To = pendopo.OutboxSMS, u.Phone
		m.Body = title.Indonesian + ". " + o.baseURL + link
	default:
		return nil
	}
	m.Key += ":" + m.Channel
	return o.Enqueue(ctx, s, m)
}

// SendLater sends a message after the answer (see Detach), directly as
// one-time codes are and never through the outbox, whose rows would keep
// a secret such as a reporter's key in the database. A quiet context (the
// demo's seeding) sends nothing.
func (o *Outbox) SendLater(ctx context.Context, to string, subject, body pendopo.Text) {
	if IsQuiet(ctx) {
		return
	}
	o.Detach(ctx, "send message", func(ctx context.Context) error { return o.Send(ctx, to, subject, body) })
}

// Send delivers a message in both languages by email or, for a phone
// number, through the SMS/WhatsApp sender.
func (o *Outbox) Send(ctx context.Context, to string, subject, body pendopo.Text) error {
	m := Message{To: to, Subject: subject.Indonesian + " / " + subject.English, Body: body.Indonesian + "\n\n" + body.English, Date: o.now()}
	s := o.mail
	if strings.HasPrefix(to, "+") {
		s = o.sms
		m.Subject = ""
	}
	if err := s.Send(ctx, m); err != nil {
		return fmt.Errorf("send message: %w", err)
	}
	return nil
}
