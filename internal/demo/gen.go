package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// GenOptions configure Generate.
type GenOptions struct {
	// ServicesPerRegion is how many services each kabupaten/kota gets.
	ServicesPerRegion int
	// Regions limits how many kabupaten/kota are filled; 0 means all.
	Regions int
	// Progress receives a line every 50 regions; nil for silence.
	Progress io.Writer
}

// variants turn a template service into another plausible one, so that a
// region can have more services than the demo content has.
var variants = []struct{ slug, name, summary string }{
	{"keliling", "%s (Layanan Keliling)", "Layanan jemput bola dengan mobil keliling ke kecamatan dan desa. "},
	{"kolektif", "%s secara Kolektif", "Pengajuan bersama melalui sekolah, kantor, atau RT/RW. "},
	{"prioritas", "%s bagi Lansia dan Penyandang Disabilitas", "Loket dan jalur prioritas. "},
	{"daring", "%s melalui Anjungan Mandiri", "Diajukan sendiri melalui anjungan di kantor kecamatan. "},
}

// Generate fills every kabupaten/kota that has no services yet with
// agencies, service points and services derived from the demo content of
// the three demo kab/kota, varied per region. It returns the number of
// services created. Regions are written one transaction each.
func Generate(ctx context.Context, a *app.App, opt GenOptions) (int, error) {
	if opt.ServicesPerRegion <= 0 {
		opt.ServicesPerRegion = 100
	}
	var templates []demoBundle
	for _, code := range []string{"33.74", "33.22", "33.72"} {
		raw, err := files.ReadFile("data/" + code + ".json")
		if err != nil {
			return 0, err
		}
		var b demoBundle
		if err := json.Unmarshal(raw, &b); err != nil {
			return 0, fmt.Errorf("template %s: %w", code, err)
		}
		templates = append(templates, b)
	}
	names := map[string]string{"33.74": "Kota Semarang", "33.22": "Kabupaten Semarang", "33.72": "Kota Surakarta"}
	var all []pendopo.Region
	for page := 1; ; page++ {
		l, total, err := a.Regions(ctx, pendopo.RegionFilter{Page: pendopo.Page{Page: page, PerPage: pendopo.MaxPerPage}})
		if err != nil {
			return 0, err
		}
		all = append(all, l...)
		if len(all) >= total || len(l) == 0 {
			break
		}
	}
	now := a.Now()
	created, done := 0, 0
	for _, reg := range all {
		if reg.Level == pendopo.LevelProvinsi || reg.ServiceCount > 0 {
			continue
		}
		if opt.Regions > 0 && done >= opt.Regions {
			break
		}
		h := fnv.New32a()
		h.Write([]byte(reg.Code))
		seed := h.Sum32()
		tpl := templates[int(seed)%len(templates)]
		replace := strings.NewReplacer(names[tpl.Region], reg.Name)
		err := a.Store().InTx(ctx, func(tx pendopo.Store) error {
			for _, ag := range tpl.Agencies {
				ag.RegionCode = reg.Code
				ag.Name = replace.Replace(ag.Name)
				ag.Description = replace.Replace(ag.Description)
				if _, err := tx.SaveAgency(ctx, ag, now); err != nil {
					return err
				}
			}
			for _, p := range tpl.ServicePoints {
				p.RegionCode = reg.Code
				p.Name = replace.Replace(p.Name)
				p.Lat, p.Lng = nil, nil
				if _, err := tx.SaveServicePoint(ctx, p, now); err != nil {
					return err
				}
			}
			for i := range opt.ServicesPerRegion {
				base := tpl.Services[i%len(tpl.Services)]
				c := base.ServiceContent
				c.Name, c.Summary = replace.Replace(c.Name), replace.Replace(c.Summary)
				c.LifeEvents = append([]string(nil), c.LifeEvents...)
				c.Standard.Requirements = append([]string(nil), c.Standard.Requirements...)
				if round := i / len(tpl.Services); round > 0 {
					v := variants[(round-1)%len(variants)]
					c.Slug = c.Slug + "-" + v.slug
					c.Name = fmt.Sprintf(v.name, c.Name)
					c.Summary = v.summary + c.Summary
				}
				// Vary time and requirements so that comparisons differ.
				if !c.Standard.Duration.SameDay {
					c.Standard.Duration.WorkingDays = max(1, c.Standard.Duration.WorkingDays+int((seed>>uint(i%16))%3)-1)
				}
				if (seed>>uint(i%8))&1 == 1 && len(c.Standard.Requirements) > 1 {
					c.Standard.Requirements = c.Standard.Requirements[:len(c.Standard.Requirements)-1]
				}
				ch := pendopo.Change{Author: "generator", Note: "Katalog nasional hasil generator", At: now}
				if _, err := tx.CreateService(ctx, reg.Code, c, ch, true); err != nil {
					return fmt.Errorf("service %s: %w", c.Slug, err)
				}
				created++
			}
			return nil
		})
		if err != nil {
			return created, fmt.Errorf("generate %s: %w", reg.Code, err)
		}
		done++
		if opt.Progress != nil && done%50 == 0 {
			fmt.Fprintf(opt.Progress, "%d regions, %d services\n", done, created)
		}
	}
	return created, a.Sync(ctx)
}
