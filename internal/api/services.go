package api

import (
	"context"
	"fmt"
	"strconv"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// pageURL is the address of a service's public HTML page.
func pageURL(id int64) string { return "/layanan/" + strconv.FormatInt(id, 10) }

// serviceID reads the {id} path parameter; anything but a positive whole
// number names no service.
func serviceID(c *call) (int64, error) {
	id, err := strconv.ParseInt(c.path("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, fmt.Errorf("service %q: %w", c.path("id"), pendopo.ErrNotFound)
	}
	return id, nil
}

func (s *server) listServices(c *call) (List[ServiceItem], error) {
	code := c.path("code")
	if _, err := s.app.Region(c.ctx(), code); err != nil {
		return List[ServiceItem]{}, err
	}
	p := c.page()
	l, total, err := s.app.Services(c.ctx(), pendopo.ServiceFilter{
		Region: code, Agency: c.query("agency"), Category: c.query("category"), LifeEvent: c.query("life_event"), Kind: c.query("kind"),
		Sort: pendopo.ServiceSort(c.query("sort")), Desc: c.query("order") == "desc", Page: p,
	})
	if err != nil {
		return List[ServiceItem]{}, err
	}
	items := make([]ServiceItem, len(l))
	for i, sv := range l {
		items[i] = ServiceItem{ServiceSummary: summary(sv), URL: pageURL(sv.ID)}
	}
	return list(items, total, p), nil
}

// summary makes empty lists of a summary show as [] rather than null.
func summary(s pendopo.ServiceSummary) pendopo.ServiceSummary {
	if s.LifeEvents == nil {
		s.LifeEvents = []string{}
	}
	if s.Channels == nil {
		s.Channels = []pendopo.Channel{}
	}
	return s
}

func (s *server) getService(c *call) (ServiceDetail, error) {
	id, err := serviceID(c)
	if err != nil {
		return ServiceDetail{}, err
	}
	v, err := s.app.ServiceView(c.ctx(), id)
	if err != nil {
		return ServiceDetail{}, err
	}
	return s.detail(v.Service, v.Kind, v.Region.Name, v.Agency.Name), nil
}

func (s *server) detail(sv pendopo.Service, kind pendopo.ServiceKind, region, agency string) ServiceDetail {
	return ServiceDetail{
		Service: sv, KindName: kind.Name, RegionName: region, AgencyName: agency,
		Published: sv.Published(), NeedsReview: sv.Published() && s.app.NeedsReview(sv),
		DeliveryComponents: pendopo.DeliveryComponents(), URL: pageURL(sv.ID),
	}
}

// written describes a service that a write returned. The write has
// happened, so names that cannot be looked up are logged and left empty
// rather than failing the response.
func (s *server) written(ctx context.Context, sv pendopo.Service) ServiceDetail {
	var region, agency string
	if r, err := s.app.Region(ctx, sv.RegionCode); err == nil {
		region = r.Name
	} else {
		s.log.WarnContext(ctx, "api: region of written service", "service", sv.ID, "err", err)
	}
	if a, err := s.app.Agency(ctx, sv.RegionCode, sv.AgencySlug); err == nil {
		agency = a.Name
	} else {
		s.log.WarnContext(ctx, "api: agency of written service", "service", sv.ID, "err", err)
	}
	kind, err := s.app.Kind(sv.Kind)
	if err != nil {
		kind = pendopo.ServiceKind{Code: sv.Kind, Name: pendopo.T(sv.Kind, sv.Kind)}
	}
	return s.detail(sv, kind, region, agency)
}

func (s *server) createService(c *call, req ServiceRequest) (ServiceDetail, error) {
	sv, err := s.app.CreateService(c.ctx(), c.who, c.path("code"), app.ServiceWrite{Content: req.ServiceContent, Note: req.Note, Publish: req.Publish})
	if err != nil {
		return ServiceDetail{}, err
	}
	c.w.Header().Set("Location", "/api/v1/services/"+strconv.FormatInt(sv.ID, 10))
	return s.written(c.ctx(), sv), nil
}

func (s *server) updateService(c *call, req ServiceUpdateRequest) (ServiceDetail, error) {
	id, err := serviceID(c)
	if err != nil {
		return ServiceDetail{}, err
	}
	sv, err := s.app.UpdateService(c.ctx(), c.who, id, app.ServiceWrite{Content: req.ServiceContent, Note: req.Note, Publish: req.Publish, BaseVersion: req.BaseVersion})
	if err != nil {
		return ServiceDetail{}, err
	}
	return s.written(c.ctx(), sv), nil
}

func (s *server) publishService(c *call, req PublishRequest) (ServiceDetail, error) {
	id, err := serviceID(c)
	if err != nil {
		return ServiceDetail{}, err
	}
	sv, err := s.app.PublishService(c.ctx(), c.who, id, req.Version, req.Note)
	if err != nil {
		return ServiceDetail{}, err
	}
	return s.written(c.ctx(), sv), nil
}

func (s *server) reviewService(c *call) (ServiceDetail, error) {
	id, err := serviceID(c)
	if err != nil {
		return ServiceDetail{}, err
	}
	sv, err := s.app.ReviewService(c.ctx(), c.who, id)
	if err != nil {
		return ServiceDetail{}, err
	}
	return s.written(c.ctx(), sv), nil
}

// editorVersions returns all versions of a service, drafts included, when
// the caller's token may edit it; ok is false for everyone else, who get
// the public view. A token never makes a read fail for lack of rights.
func (s *server) editorVersions(c *call, id int64) (l []pendopo.Version, ok bool, err error) {
	if !c.authed {
		return nil, false, nil
	}
	l, err = s.app.Versions(c.ctx(), c.who, id)
	if pendopo.KindOf(err) == pendopo.KindForbidden {
		return nil, false, nil
	}
	return l, err == nil, err
}

func (s *server) listVersions(c *call) (List[VersionInfo], error) {
	id, err := serviceID(c)
	if err != nil {
		return List[VersionInfo]{}, err
	}
	l, ok, err := s.editorVersions(c, id)
	if err != nil {
		return List[VersionInfo]{}, err
	}
	if !ok {
		v, err := s.app.ServiceView(c.ctx(), id)
		if err != nil {
			return List[VersionInfo]{}, err
		}
		l = v.Versions
	}
	out := make([]VersionInfo, len(l))
	for i, v := range l {
		out[i] = VersionInfo{ServiceID: id, Version: v.Number, Author: v.Author, Note: v.Note, CreatedAt: v.CreatedAt.UTC(), Published: v.Published}
	}
	return paginate(out, c.page()), nil
}

func (s *server) getVersion(c *call) (pendopo.Version, error) {
	id, err := serviceID(c)
	if err != nil {
		return pendopo.Version{}, err
	}
	n, err := strconv.Atoi(c.path("n"))
	if err != nil || n < 1 {
		return pendopo.Version{}, fmt.Errorf("version %q: %w", c.path("n"), pendopo.ErrNotFound)
	}
	if c.authed {
		// An editor reads drafts too; anyone else, as an anonymous
		// client, only published versions.
		v, err := s.app.Version(c.ctx(), c.who, id, n)
		if pendopo.KindOf(err) != pendopo.KindForbidden {
			return v, err
		}
	}
	return s.app.PublishedVersion(c.ctx(), id, n)
}
