// Package demo loads the illustrative demo content (Jawa Tengah, Kota
// Semarang, Kabupaten Semarang, Kota Surakarta) and generates a national
// catalog for benchmarks. See data/README.md for what the content is.
package demo

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

//go:embed data/*.json data/*.svg
var files embed.FS

// Regions are the codes of the demo regions, province first.
var Regions = []string{"33", "33.74", "33.22", "33.72"}

// loadedSetting marks a database that holds the demo content.
const loadedSetting = "demo.loaded"

type demoService struct {
	pendopo.BundleService
	ReviewedAt string   `json:"demo_reviewed_at"`
	History    []string `json:"demo_history"`
}

type demoBundle struct {
	pendopo.Bundle
	Services []demoService `json:"services"`
}

// Loaded reports whether the demo content is in the database.
func Loaded(ctx context.Context, a *app.App) (bool, error) {
	_, err := a.Store().Setting(ctx, loadedSetting)
	if errors.Is(err, pendopo.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Load puts the demo content into the database unless it is there already.
// Each region's bundle goes in through the same import as `pendopo import`;
// the loader then dates the versions in the past, so that "last updated",
// version histories and the "needs review" flag have something to show.
func Load(ctx context.Context, a *app.App) (bool, error) {
	if ok, err := Loaded(ctx, a); ok || err != nil {
		return false, err
	}
	now := a.Now()
	for _, code := range Regions {
		raw, err := files.ReadFile("data/" + code + ".json")
		if err != nil {
			return false, err
		}
		var db demoBundle
		dec := json.NewDecoder(bytes.NewReader(raw))
		if err := dec.Decode(&db); err != nil {
			return false, fmt.Errorf("demo %s: %w", code, err)
		}
		b := db.Bundle
		b.Services = nil
		if _, err := a.Import(ctx, pendopo.System, b, false); err != nil {
			return false, fmt.Errorf("demo %s: %w", code, err)
		}
		if logo, err := files.ReadFile("data/logo-" + code + ".svg"); err == nil {
			r, err := a.Region(ctx, code)
			if err != nil {
				return false, err
			}
			if _, err := a.UpdateRegion(ctx, pendopo.System, code, r.Name, r.Profile, &pendopo.Logo{Data: logo}); err != nil {
				return false, fmt.Errorf("demo %s logo: %w", code, err)
			}
		}
		err = a.Store().InTx(ctx, func(tx pendopo.Store) error {
			for i, s := range db.Services {
				if isOnline(code, s.Slug) {
					s.Apply = online(s.ServiceContent)
					if !s.HasChannel(pendopo.ChannelOnline) {
						s.Channels = append(s.Channels, pendopo.ChannelOnline)
					}
				}
				if err := s.Validate(); err != nil {
					return fmt.Errorf("services[%d]: %w", i, err)
				}
				if err := loadService(ctx, tx, code, s, now); err != nil {
					return fmt.Errorf("services[%d] %s: %w", i, s.Slug, err)
				}
			}
			return nil
		})
		if err != nil {
			return false, fmt.Errorf("demo %s: %w", code, err)
		}
	}
	if err := a.Store().PutSetting(ctx, loadedSetting, now.UTC().Format(time.RFC3339)); err != nil {
		return false, err
	}
	return true, a.Sync(ctx)
}

// loadService creates a service with its earlier versions dated in the past.
func loadService(ctx context.Context, tx pendopo.Store, region string, s demoService, now time.Time) error {
	// Spread publication dates over the last months, the same for every run.
	h := fnv.New32a()
	h.Write([]byte(region + "/" + s.Slug))
	published := now.AddDate(0, 0, -int(h.Sum32()%200)-3).Truncate(time.Hour)
	if s.ReviewedAt != "" {
		t, err := time.Parse(time.DateOnly, s.ReviewedAt)
		if err != nil {
			return fmt.Errorf("demo_reviewed_at: %w", err)
		}
		published = t.Add(9 * time.Hour)
	}
	at := published.AddDate(0, -4*len(s.History)-2, 0)
	first := pendopo.Change{Author: "admin " + region, Note: "Standar pelayanan pertama diterbitkan", At: at}
	svc, err := tx.CreateService(ctx, region, s.ServiceContent, first, true)
	if err != nil {
		return err
	}
	// The demo's load is in the audit trail like any other write.
	if _, err := tx.AppendAudit(ctx, pendopo.AuditEntry{At: now, Actor: pendopo.System.Name, Role: "system", Action: "demo.service_create",
		Entity: "service", EntityID: strconv.FormatInt(svc.ID, 10), Region: region, Diff: pendopo.Diff(nil, s.ServiceContent)}); err != nil {
		return err
	}
	for _, note := range s.History {
		at = at.AddDate(0, 4, 0)
		if _, err := tx.UpdateService(ctx, svc.ID, s.ServiceContent, pendopo.Change{Author: "admin " + region, Note: note, At: at}, true, 0); err != nil {
			return err
		}
	}
	note := s.Note
	if note == "" {
		note = "Pembaruan berkala standar pelayanan"
	}
	_, err = tx.UpdateService(ctx, svc.ID, s.ServiceContent, pendopo.Change{Author: "admin " + region, Note: note, At: published}, true, 0)
	return err
}
