package app

import (
	"context"
	"strconv"
	"time"

	"github.com/pendopo/pendopo"
)

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
