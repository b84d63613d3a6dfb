package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/pendopo/pendopo"
)

// Track reads a tracking number as someone typed it (from a receipt, a
// text message, over the phone) and tells what it names: a report, whose
// page anyone may open (it shows the reporter's view only with the key),
// or else an application, which only its applicant sees after signing in.
// Reports and applications share the number format; nothing about an
// application is looked up here, so the answer says nothing about whose
// it is. A malformed or mistyped number is invalid, with the reason.
func (a *App) Track(ctx context.Context, typed string) (number string, report bool, err error) {
	number, err = pendopo.ParseTrackingNumber(typed)
	if err != nil {
		return "", false, err
	}
	switch _, err := a.store.ReportByNumber(ctx, number); {
	case err == nil:
		return number, true, nil
	case errors.Is(err, pendopo.ErrNotFound):
		return number, false, nil
	default:
		return "", false, fmt.Errorf("track %s: %w", number, err)
	}
}
