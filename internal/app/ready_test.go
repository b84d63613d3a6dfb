package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store"
)

// behind is a database that lacks a migration this build knows, as after
// a restore of an older backup.
type behind struct{ *store.DB }

func (behind) PendingMigrations(context.Context) ([]string, error) {
	return []string{"0099_future"}, nil
}

func TestReady(t *testing.T) {
	db := pendopotest.DB(t)
	cfg, _ := pendopotest.AppConfig(db, now)
	a, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Ready(ctx); err != nil {
		t.Fatalf("a fresh app: %v", err)
	}
	cfg.Store = behind{db}
	lagging, err := app.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := lagging.Ready(ctx); kind(err) != pendopo.KindUnavailable || !strings.Contains(err.Error(), "0099_future") {
		t.Errorf("a database behind the build: %v", err)
	}
	db.Close()
	if err := a.Ready(ctx); kind(err) != pendopo.KindUnavailable || !strings.Contains(err.Error(), "closed") {
		t.Errorf("a closed database: %v", err)
	}
}
