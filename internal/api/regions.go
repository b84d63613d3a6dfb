package api

import (
	"strconv"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/catalogio"
)

func (s *server) listRegions(c *call) (List[pendopo.Region], error) {
	p := c.page()
	l, total, err := s.app.Regions(c.ctx(), pendopo.RegionFilter{Level: pendopo.RegionLevel(c.query("level")), Parent: c.query("parent"), Page: p})
	if err != nil {
		return List[pendopo.Region]{}, err
	}
	return list(l, total, p), nil
}

func (s *server) getRegion(c *call) (pendopo.Region, error) {
	return s.app.Region(c.ctx(), c.path("code"))
}

func (s *server) updateRegion(c *call, req RegionRequest) (pendopo.Region, error) {
	if req.Profile == nil {
		return pendopo.Region{}, invalid("profile", pendopo.M("api.required_region_profile"))
	}
	r, err := s.app.UpdateRegion(c.ctx(), c.who, c.path("code"), req.Name, *req.Profile, nil)
	return r, underProfile(err)
}

// underProfile moves the field paths of a profile's validation errors to
// where the fields are in a RegionRequest ("color" → "profile.color").
func underProfile(err error) error {
	e, ok := err.(*pendopo.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]pendopo.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if f.Field != "name" {
			f.Field = "profile." + f.Field
		}
		out.Fields[i] = f
	}
	return &out
}

func (s *server) putLogo(c *call) (pendopo.Region, error) {
	data, err := readBody(c.r.Body)
	if err != nil {
		return pendopo.Region{}, err
	}
	if len(data) == 0 {
		return pendopo.Region{}, invalid("logo", pendopo.M("api.send_logo_image_as_request"))
	}
	return s.setLogo(c, &pendopo.Logo{Data: data})
}

func (s *server) deleteLogo(c *call) (pendopo.Region, error) {
	return s.setLogo(c, &pendopo.Logo{})
}

// setLogo changes the logo and keeps the name and profile.
func (s *server) setLogo(c *call, logo *pendopo.Logo) (pendopo.Region, error) {
	code := c.path("code")
	r, err := s.app.Region(c.ctx(), code)
	if err != nil {
		return r, err
	}
	return s.app.UpdateRegion(c.ctx(), c.who, code, r.Name, r.Profile, logo)
}

func (s *server) listAgencies(c *call) (List[pendopo.Agency], error) {
	p := c.page()
	l, total, err := s.app.Agencies(c.ctx(), c.path("code"), p)
	if err != nil {
		return List[pendopo.Agency]{}, err
	}
	return list(l, total, p), nil
}

func (s *server) putAgency(c *call, req AgencyRequest) (pendopo.Agency, error) {
	return s.app.SaveAgency(c.ctx(), c.who, pendopo.Agency{
		RegionCode: c.path("code"), Slug: c.path("slug"), Name: req.Name, ShortName: req.ShortName, Description: req.Description,
		Address: req.Address, Phone: req.Phone, Email: req.Email, Website: req.Website,
	})
}

func (s *server) listServicePoints(c *call) (List[pendopo.ServicePoint], error) {
	l, err := s.app.ServicePoints(c.ctx(), c.path("code"))
	if err != nil {
		return List[pendopo.ServicePoint]{}, err
	}
	return paginate(l, c.page()), nil
}

func (s *server) putServicePoint(c *call, req ServicePointRequest) (pendopo.ServicePoint, error) {
	return s.app.SaveServicePoint(c.ctx(), c.who, pendopo.ServicePoint{
		RegionCode: c.path("code"), Slug: c.path("slug"), Name: req.Name, AgencySlug: req.Agency, Address: req.Address,
		Hours: req.Hours, Phone: req.Phone, Email: req.Email, Lat: req.Lat, Lng: req.Lng,
	})
}

// exportRegion returns a region's bundle. Services that were never
// published exist only as drafts; they are left out unless the caller's
// token may edit the region.
func (s *server) exportRegion(c *call) (pendopo.Bundle, error) {
	code := c.path("code")
	b, err := s.app.Export(c.ctx(), code)
	if _, ok := c.who.Can(pendopo.ActViewConsole, pendopo.Scope{Region: code}); err != nil || c.authed && ok {
		return b, err
	}
	drafts := map[string]bool{}
	for p := (pendopo.Page{Page: 1, PerPage: pendopo.MaxPerPage}); ; p.Page++ {
		// Listing drafts needs an editor; the system actor reads them only
		// to leave them out.
		l, total, err := s.app.AdminServices(c.ctx(), pendopo.System, code, "", p)
		if err != nil {
			return pendopo.Bundle{}, err
		}
		for _, sv := range l {
			if sv.Version == 0 {
				drafts[sv.Slug] = true
			}
		}
		if p.Page*p.PerPage >= total || len(l) == 0 {
			break
		}
	}
	if len(drafts) > 0 {
		kept := make([]pendopo.BundleService, 0, len(b.Services))
		for _, sv := range b.Services {
			if !drafts[sv.Slug] {
				kept = append(kept, sv)
			}
		}
		b.Services = kept
	}
	return b, nil
}

func (s *server) importRegion(c *call) (app.ImportResult, error) {
	code := c.path("code")
	if _, err := s.app.Region(c.ctx(), code); err != nil {
		return app.ImportResult{}, err
	}
	if err := s.app.CheckImport(c.who, code); err != nil {
		return app.ImportResult{}, err
	}
	b, loc, err := catalogio.ReadJSON(c.r.Body)
	if err == nil {
		err = loc.Annotate(checkText(b))
	}
	if err != nil {
		return app.ImportResult{}, err
	}
	if b.Region != code {
		var p pendopo.Problems
		p.Add("region", pendopo.M("api.this_bundle_for_region_not", strconv.Quote(b.Region), code))
		return app.ImportResult{}, loc.Annotate(p.Err())
	}
	draft, _ := strconv.ParseBool(c.query("draft")) // checked by checkQuery
	res, err := s.app.Import(c.ctx(), c.who, b, draft)
	return res, loc.Annotate(err)
}

// invalid returns a KindInvalid error for one field.
func invalid(field string, msg pendopo.Text) error {
	var p pendopo.Problems
	p.Add(field, msg)
	return p.Err()
}

// list makes a page of a list; items is never null in JSON.
func list[T any](items []T, total int, p pendopo.Page) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, Total: total, Page: p.Page, PerPage: p.PerPage}
}

// paginate cuts one page out of a list held in memory.
func paginate[T any](all []T, p pendopo.Page) List[T] {
	lo := min(p.Offset(), len(all))
	hi := min(lo+p.PerPage, len(all))
	return list(all[lo:hi:hi], len(all), p)
}
