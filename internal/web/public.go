package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/httpx"
	"github.com/pendopo/pendopo/internal/search"
)

var (
	errNotFound    = fmt.Errorf("page: %w", pendopo.ErrNotFound)
	errCrossOrigin = pendopo.Errorf(pendopo.KindForbidden, pendopo.M("web.the_request_was_refused_because"))
)

// maxChoices is the most regions a page offers in a drop-down list; with
// more, people choose their region through the province pages.
const maxChoices = 40

// listPage is how many services a list page shows.
const listPage = 50

// pageNum reads ?hal= (page number); anything odd is page 1.
func pageNum(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("hal"))
	if err != nil || n < 1 || n > 10000 {
		return 1
	}
	return n
}

// pager is the data of a pagination nav.
type pager struct {
	Page, Pages, Total int
	// Uncounted lists do not know their number of pages, only whether
	// another follows (Pages is then at most Page+1).
	Uncounted bool
	// Link is the URL of this list without the page parameter, ending in
	// "?" or "&" so that "hal=N" can follow.
	Link string
}

func newPager(r *http.Request, page, perPage, total int) pager {
	q := r.URL.Query()
	q.Del("hal")
	link := r.URL.Path + "?"
	if enc := q.Encode(); enc != "" {
		link += enc + "&"
	}
	return pager{Page: page, Pages: (total + perPage - 1) / perPage, Total: total, Link: link}
}

// newUncountedPager pages a list read with NoTotal, whose total says only
// whether another page follows.
func newUncountedPager(r *http.Request, page, perPage, total int) pager {
	p := newPager(r, page, perPage, total)
	p.Uncounted, p.Total = true, 0
	return p
}

func (s *Server) regionPage(r *http.Request, reg pendopo.Region, title string) Page {
	p := s.rd.page(r, title)
	p.Theme = &reg
	return p
}

// regionCrumbs is the trail home › province › region.
func regionCrumbs(p Page, reg pendopo.Region, parent *pendopo.Region) []Crumb {
	c := []Crumb{{p.T("nav.home"), "/"}}
	if parent != nil {
		c = append(c, Crumb{parent.Name, "/daerah/" + parent.Code})
	}
	return append(c, Crumb{reg.Name, "/daerah/" + reg.Code})
}

type homePage struct {
	Page
	Stats     pendopo.Stats
	Provinces []pendopo.Region
	// Live are the regions that have published services.
	Live  []pendopo.Region
	Kinds []app.KindCount
	// Mine is the region the visitor last opened, remembered in a cookie,
	// whose tasks lead the page; nil for a first visit.
	Mine *app.RegionHome
	// Popular are the nationally most needed kinds, for a visitor whose
	// region is not known yet.
	Popular []app.KindCount
}

// regionCookie remembers the last region a visitor opened, so that the
// landing page can lead with its tasks. It holds only a region code.
const regionCookie = "daerah"

// rememberRegion keeps the region a visitor opened for a year; a region
// without published services is not worth coming back to.
func (s *Server) rememberRegion(w http.ResponseWriter, r *http.Request, reg pendopo.Region) {
	if reg.ServiceCount == 0 {
		return
	}
	if c, err := r.Cookie(regionCookie); err == nil && c.Value == reg.Code {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: regionCookie, Value: reg.Code, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// rememberedRegion is the home of the region in the visitor's cookie, or
// nil when there is none or it no longer has services.
func (s *Server) rememberedRegion(r *http.Request) (*app.RegionHome, error) {
	c, err := r.Cookie(regionCookie)
	if err != nil || !pendopo.ValidRegionCode(c.Value) {
		return nil, nil
	}
	h, err := s.app.RegionHome(r.Context(), c.Value)
	if errors.Is(err, pendopo.ErrNotFound) || (err == nil && h.Region.ServiceCount == 0) {
		return nil, nil
	}
	return h, err
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := s.rd.page(r, "")
	p.Title, p.OwnSearch = p.T("home.title"), true
	p.Description = p.T("home.lead")
	st, err := s.app.Stats(ctx)
	if err != nil {
		return err
	}
	provs, _, err := s.app.Regions(ctx, pendopo.RegionFilter{Level: pendopo.LevelProvinsi})
	if err != nil {
		return err
	}
	var live []pendopo.Region
	// Nationwide, the province list below is the way in; a list of
	// hundreds of regions would make the page heavy.
	if s.app.LiveRegionCount() <= maxChoices {
		live = s.app.LiveRegions()
	}
	kinds := s.app.ComparableKinds()
	mine, err := s.rememberedRegion(r)
	if err != nil {
		return err
	}
	// Only the remembered region's services are the regions' own words.
	p.Indonesian = mine != nil
	data := homePage{Page: p, Stats: st, Provinces: provs, Live: live, Kinds: kinds[:min(8, len(kinds))], Mine: mine}
	if mine == nil {
		data.Popular = s.app.PopularKinds(6)
	}
	s.rd.render(w, r, http.StatusOK, "home", data)
	return nil
}

type regionsPage struct {
	Page
	Q         string
	Matches   []pendopo.Region
	Provinces []provinceGroup
}

type provinceGroup struct {
	Province pendopo.Region
	Children []pendopo.Region
}

// regions lists all provinces with their kabupaten/kota, or the regions
// whose name matches ?q=.
func (s *Server) regions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := s.rd.page(r, "")
	p.Title = p.T("regions.title")
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.Title, "/daerah"}}
	data := regionsPage{Page: p, Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	if data.Q != "" {
		m, err := s.app.SearchRegions(ctx, data.Q, 50)
		if err != nil {
			return err
		}
		if len(m) == 1 {
			http.Redirect(w, r, "/daerah/"+m[0].Code, http.StatusSeeOther)
			return nil
		}
		data.Matches = m
	} else {
		all, _, err := s.app.Regions(ctx, pendopo.RegionFilter{Page: pendopo.Page{PerPage: pendopo.MaxPerPage}})
		if err != nil {
			return err
		}
		for _, reg := range all {
			if reg.Level == pendopo.LevelProvinsi {
				data.Provinces = append(data.Provinces, provinceGroup{Province: reg})
			} else if n := len(data.Provinces); n > 0 && data.Provinces[n-1].Province.Code == reg.ParentCode {
				data.Provinces[n-1].Children = append(data.Provinces[n-1].Children, reg)
			}
		}
	}
	s.rd.render(w, r, http.StatusOK, "regions", data)
	return nil
}

type regionHomePage struct {
	Page
	*app.RegionHome
	RecentItems []listItem
}

func (s *Server) region(w http.ResponseWriter, r *http.Request) error {
	h, err := s.app.RegionHome(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	p := s.regionPage(r, h.Region, h.Region.Name)
	p.Description, p.OwnSearch = h.Region.Profile.Tagline, true
	p.Crumbs = regionCrumbs(p, h.Region, h.Parent)
	p.Crumbs[len(p.Crumbs)-1].URL = ""
	s.rememberRegion(w, r, h.Region)
	s.rd.render(w, r, http.StatusOK, "region", regionHomePage{Page: p, RegionHome: h, RecentItems: p.items(h.Recent, false)})
	return nil
}

type servicesPage struct {
	Page
	Heading  string
	Lead     string
	Agency   *pendopo.Agency
	Services []pendopo.ServiceSummary
	Items    []listItem
	Pager    pager
	// Sort is the chosen order ("nama", "durasi", "biaya", "diperbarui").
	Sort string
	// In the order of names the whole list is shown at once, grouped by
	// category (in the national order) with the groups to jump to, and
	// narrowed by the words of Filter.
	Groups []serviceGroup
	Filter string
}

// maxFilter bounds the words a list is filtered by, as the form does.
const maxFilter = 80

type serviceGroup struct {
	Code, Title string
	Items       []listItem
}

// categoryGroups groups a list in name order by category, in the national
// order of categories; services of an unknown category come last.
func (p Page) categoryGroups(list []pendopo.ServiceSummary) []serviceGroup {
	by := map[string][]pendopo.ServiceSummary{}
	for _, s := range list {
		by[s.Category] = append(by[s.Category], s)
	}
	var out []serviceGroup
	for _, c := range pendopo.Categories {
		if l := by[c.Code]; len(l) > 0 {
			out = append(out, serviceGroup{Code: c.Code, Title: p.Tx(c.Title), Items: p.items(l, false)})
			delete(by, c.Code)
		}
	}
	var rest []pendopo.ServiceSummary
	for _, s := range list {
		if _, ok := by[s.Category]; ok {
			rest = append(rest, s)
		}
	}
	if len(rest) > 0 {
		out = append(out, serviceGroup{Code: "lain", Title: p.T("list.other"), Items: p.items(rest, false)})
	}
	return out
}

// filterServices keeps the services whose name or agency holds every
// word of the filter, in any case.
func filterServices(list []pendopo.ServiceSummary, filter string) []pendopo.ServiceSummary {
	words := strings.Fields(strings.ToLower(filter))
	if len(words) == 0 {
		return list
	}
	var out []pendopo.ServiceSummary
next:
	for _, s := range list {
		text := strings.ToLower(s.Name + " " + s.AgencyName)
		for _, w := range words {
			if !strings.Contains(text, w) {
				continue next
			}
		}
		out = append(out, s)
	}
	return out
}

// sortParams maps the ?urut= values of lists to store orders.
var sortParams = map[string]pendopo.ServiceSort{
	"nama": pendopo.SortName, "durasi": pendopo.SortDuration, "biaya": pendopo.SortFee,
	"persyaratan": pendopo.SortRequirements, "diperbarui": pendopo.SortUpdated, "daerah": pendopo.SortRegion,
}

// regionServices lists a region's services: all of them, or those of a
// category, a life event or an agency, depending on the route.
func (s *Server) regionServices(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.app.Region(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	p := s.regionPage(r, reg, "")
	f := pendopo.ServiceFilter{Region: reg.Code, Page: pendopo.Page{Page: pageNum(r), PerPage: listPage}}
	data := servicesPage{Sort: r.URL.Query().Get("urut")}
	if srt, ok := sortParams[data.Sort]; ok {
		f.Sort = srt
		f.Desc = data.Sort == "diperbarui"
	} else {
		data.Sort = "nama"
	}
	switch {
	case r.PathValue("cat") != "":
		c, ok := pendopo.CategoryByCode(r.PathValue("cat"))
		if !ok {
			return errNotFound
		}
		f.Category = c.Code
		data.Heading = p.Tx(c.Title)
	case r.PathValue("event") != "":
		e, ok := pendopo.LifeEventByCode(r.PathValue("event"))
		if !ok {
			return errNotFound
		}
		f.LifeEvent = e.Code
		data.Heading = p.Tx(e.Title)
		data.Lead = p.Tx(e.Blurb)
	case r.PathValue("slug") != "":
		a, err := s.app.Agency(ctx, reg.Code, r.PathValue("slug"))
		if err != nil {
			return err
		}
		f.Agency = a.Slug
		data.Heading = a.Name
		data.Agency = &a
	default:
		data.Heading = p.T("services.all")
	}
	byName := data.Sort == "nama"
	if byName {
		f.Page = pendopo.Page{PerPage: pendopo.MaxPerPage}
	}
	list, total, err := s.app.Services(ctx, f)
	if err != nil {
		return err
	}
	p.Title = data.Heading + " · " + reg.Name
	var parent *pendopo.Region
	if reg.ParentCode != "" {
		if pr, err := s.app.Region(ctx, reg.ParentCode); err == nil {
			parent = &pr
		}
	}
	p.Crumbs = append(regionCrumbs(p, reg, parent), Crumb{data.Heading, ""})
	if byName && total <= pendopo.MaxPerPage {
		data.Filter = strings.TrimSpace(r.URL.Query().Get("saring"))
		if len(data.Filter) > maxFilter {
			data.Filter = strings.ToValidUTF8(data.Filter[:maxFilter], "")
		}
		list = filterServices(list, data.Filter)
		data.Page, data.Services, data.Pager = p, list, newPager(r, 1, pendopo.MaxPerPage, len(list))
		data.Groups = p.categoryGroups(list)
		s.rd.render(w, r, http.StatusOK, "services", data)
		return nil
	}
	data.Page, data.Services, data.Items, data.Pager = p, list, p.items(list, false), newPager(r, f.Page.Page, listPage, total)
	s.rd.render(w, r, http.StatusOK, "services", data)
	return nil
}

type agenciesPage struct {
	Page
	Agencies []pendopo.Agency
}

func (s *Server) agencies(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.app.Region(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	list, _, err := s.app.Agencies(ctx, reg.Code, pendopo.Page{PerPage: pendopo.MaxPerPage})
	if err != nil {
		return err
	}
	p := s.regionPage(r, reg, "")
	p.Title = p.T("agencies.title") + " · " + reg.Name
	p.Crumbs = append(regionCrumbs(p, reg, nil), Crumb{p.T("agencies.title"), ""})
	s.rd.render(w, r, http.StatusOK, "agencies", agenciesPage{Page: p, Agencies: list})
	return nil
}

type pointsPage struct {
	Page
	Points []pendopo.ServicePoint
}

func (s *Server) servicePoints(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.app.Region(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	list, err := s.app.ServicePoints(ctx, reg.Code)
	if err != nil {
		return err
	}
	p := s.regionPage(r, reg, "")
	p.Title = p.T("points.title") + " · " + reg.Name
	p.Crumbs = append(regionCrumbs(p, reg, nil), Crumb{p.T("points.title"), ""})
	s.rd.render(w, r, http.StatusOK, "points", pointsPage{Page: p, Points: list})
	return nil
}

// logo serves a region's logo; with ?v= matching its hash it is cached for
// a year. SVG logos get a policy that keeps any script in them from running.
func (s *Server) logo(w http.ResponseWriter, r *http.Request) error {
	l, err := s.app.RegionLogo(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", l.ContentType)
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	h.Set("ETag", `"`+l.Hash+`"`)
	if r.URL.Query().Get("v") == l.Hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if r.Header.Get("If-None-Match") == `"`+l.Hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Write(l.Data)
	return nil
}

// themeCSS gives a region's pages its colour; the URL carries the colour,
// so it is cached for a year.
func (s *Server) themeCSS(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	color := reg.Profile.Color
	if color == "" {
		color = pendopo.DefaultColor
	}
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	if r.URL.Query().Get("v") == strings.TrimPrefix(color, "#") {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	// The colour was validated as #rrggbb when saved.
	fmt.Fprintf(w, ":root{--brand:%s}\n", color)
	return nil
}

type servicePage struct {
	Page
	*app.ServiceView
	NeedsReview bool
	// Peers is the number of other services of the same kind.
	Peers int
	// Old is set when an earlier version is shown.
	Old *pendopo.Version
	// Content is what is shown: the current or an old version's.
	Content pendopo.ServiceContent
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

func (s *Server) serviceView(r *http.Request) (servicePage, error) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return servicePage{}, errNotFound
	}
	v, err := s.app.ServiceView(r.Context(), id)
	if err != nil {
		return servicePage{}, err
	}
	p := s.regionPage(r, v.Region, v.Service.Name+" · "+v.Region.Name)
	p.Description = v.Service.Summary
	p.Crumbs = append(regionCrumbs(p, v.Region, v.Parent), Crumb{v.Agency.Label(), "/daerah/" + v.Region.Code + "/opd/" + v.Agency.Slug})
	return servicePage{Page: p, ServiceView: v, NeedsReview: s.app.NeedsReview(v.Service), Peers: max(0, s.app.KindCount(v.Service.Kind)-1), Content: v.Service.ServiceContent}, nil
}

func (s *Server) service(w http.ResponseWriter, r *http.Request) error {
	data, err := s.serviceView(r)
	if err != nil {
		return err
	}
	// Visitors who are not signed in get it from the public cache.
	data.Crumbs = append(data.Crumbs, Crumb{data.Service.Name, ""})
	s.rd.render(w, r, http.StatusOK, "service", data)
	return nil
}

func (s *Server) history(w http.ResponseWriter, r *http.Request) error {
	data, err := s.serviceView(r)
	if err != nil {
		return err
	}
	data.Title = data.T("history.title") + " · " + data.Service.Name
	data.Crumbs = append(data.Crumbs, Crumb{data.Service.Name, fmt.Sprintf("/layanan/%d", data.Service.ID)}, Crumb{data.T("history.title"), ""})
	s.rd.render(w, r, http.StatusOK, "history", data)
	return nil
}

func (s *Server) version(w http.ResponseWriter, r *http.Request) error {
	data, err := s.serviceView(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return errNotFound
	}
	if n == data.Service.Version {
		http.Redirect(w, r, fmt.Sprintf("/layanan/%d", data.Service.ID), http.StatusSeeOther)
		return nil
	}
	v, err := s.app.PublishedVersion(r.Context(), data.Service.ID, n)
	if err != nil {
		return err
	}
	data.Old, data.Content = &v, v.Content
	data.Noindex = true
	data.Title = data.T("version.title", n) + " · " + v.Content.Name
	data.Crumbs = append(data.Crumbs, Crumb{data.Service.Name, fmt.Sprintf("/layanan/%d", data.Service.ID)}, Crumb{data.T("version.title", n), ""})
	s.rd.render(w, r, http.StatusOK, "service", data)
	return nil
}

type searchPage struct {
	Page
	Q       string
	Daerah  string
	Result  *app.SearchResult
	Items   []listItem
	Live    []pendopo.Region
	Regions []pendopo.Region // regions whose names match the query
	Pager   pager
	// Compare suggests comparing the first hit's kind across regions.
	Compare *app.KindCount
	// Leading answers go above the services, Trailing ones below.
	Leading, Trailing []answer
	// Others are other regions' services of kinds the region lacks.
	Others []listItem
}

// answer is a search result that is not a region's service: a problem to
// report, or a service another institution provides.
type answer struct {
	// Report is set for a report category, else the answer is elsewhere.
	Report bool
	Title  string
	// URL is the region's report form with the category chosen, or the
	// provider's official site; "" when the region is still to choose.
	URL      string
	Provider string
}

// answers turns search matches into what the page shows.
func (s *Server) answers(p Page, region string, ms []search.Match) []answer {
	var out []answer
	for _, m := range ms {
		switch m.Kind {
		case search.ConceptReport:
			c, ok := pendopo.ReportCategoryByCode(m.Code)
			if !ok {
				continue
			}
			a := answer{Report: true, Title: p.Tx(c.Title)}
			if region != "" {
				a.URL = "/daerah/" + region + "/lapor?kategori=" + url.QueryEscape(c.Code)
			}
			out = append(out, a)
		case search.ConceptElsewhere:
			o, ok := s.app.OtherService(m.Code)
			if !ok {
				continue
			}
			out = append(out, answer{Title: p.Tx(o.Name), URL: o.URL, Provider: p.Tx(o.Provider)})
		}
	}
	return out
}

const searchPageSize = 20

func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	data := searchPage{Q: q, Daerah: r.URL.Query().Get("daerah")}
	p := s.rd.page(r, "")
	p.Query, p.Noindex, p.OwnSearch, p.Indonesian = q, true, true, true
	if data.Daerah != "" {
		reg, err := s.app.Region(ctx, data.Daerah)
		if err != nil {
			return err
		}
		p.Theme = &reg
	}
	if q == "" {
		p.Title = p.T("search.title")
	} else {
		p.Title = p.T("search.results_for", q)
		res, err := s.app.Search(ctx, q, data.Daerah, pendopo.Page{Page: pageNum(r), PerPage: searchPageSize})
		if err != nil {
			return err
		}
		data.Result = res
		data.Leading, data.Trailing = s.answers(p, data.Daerah, res.Leading), s.answers(p, data.Daerah, res.Trailing)
		if pageNum(r) == 1 {
			found, before := len(res.Hits)+len(res.Leading)+len(res.Trailing) > 0, r.URL.Query().Get("sebelum")
			onEveryVisit(w, func() { s.app.LogSearch(data.Daerah, q, found, before) })
		}
		hits := make([]pendopo.ServiceSummary, len(res.Hits))
		for i, h := range res.Hits {
			hits[i] = h.ServiceSummary
		}
		data.Items = p.items(hits, res.Region == nil)
		others := make([]pendopo.ServiceSummary, len(res.OtherRegions))
		for i, h := range res.OtherRegions {
			others[i] = h.ServiceSummary
		}
		data.Others = p.items(others, true)
		data.Pager = newPager(r, pageNum(r), searchPageSize, res.Total)
		if data.Daerah == "" {
			data.Regions, _ = s.app.SearchRegions(ctx, q, 5)
		}
		if len(res.Hits) > 0 && len(res.Leading) == 0 {
			if n := s.app.KindCount(res.Hits[0].Kind); n > 1 {
				k, _ := s.app.Kind(res.Hits[0].Kind)
				data.Compare = &app.KindCount{Kind: k, Services: n}
			}
		}
	}
	if s.app.LiveRegionCount() <= maxChoices {
		data.Live = s.app.LiveRegions()
	}
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.T("search.title"), ""}}
	data.Page = p
	s.rd.render(w, r, http.StatusOK, "search", data)
	return nil
}

type compareIndexPage struct {
	Page
	Kinds []app.KindCount
}

func (s *Server) compareIndex(w http.ResponseWriter, r *http.Request) error {
	p := s.rd.page(r, "")
	p.Title = p.T("compare.index.title")
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.Title, ""}}
	s.rd.render(w, r, http.StatusOK, "compare_index", compareIndexPage{Page: p, Kinds: s.app.ComparableKinds()})
	return nil
}

type comparePage struct {
	Page
	*app.Comparison
	Sort string // "durasi", "biaya", "persyaratan", "daerah", "diperbarui"
	Desc bool
	// Columns are the sortable column headers.
	Columns []compareColumn
}

type compareColumn struct {
	Key, Label string
	// AriaSort is "ascending", "descending" or "" for the sorted column.
	AriaSort string
	URL      string
}

func (s *Server) compare(w http.ResponseWriter, r *http.Request) error {
	key := r.URL.Query().Get("urut")
	srt, ok := sortParams[key]
	if !ok || key == "nama" {
		key, srt = "durasi", pendopo.SortDuration
	}
	desc := r.URL.Query().Get("arah") == "turun"
	c, err := s.app.Compare(r.Context(), r.PathValue("kind"), srt, desc)
	if err != nil {
		return err
	}
	p := s.rd.page(r, "")
	// The regions' names of their services stay Indonesian.
	p.Indonesian = true
	p.Title = p.T("compare.title", p.Tx(c.Kind.Name))
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.T("compare.index.title"), "/bandingkan"}, {p.Tx(c.Kind.Name), ""}}
	data := comparePage{Page: p, Comparison: c, Sort: key, Desc: desc}
	for _, col := range []struct{ key, label string }{
		{"daerah", "compare.col.region"}, {"durasi", "compare.col.duration"}, {"biaya", "compare.col.fee"},
		{"persyaratan", "compare.col.requirements"}, {"diperbarui", "compare.col.updated"},
	} {
		cc := compareColumn{Key: col.key, Label: p.T(col.label)}
		dir := "naik"
		if col.key == key {
			cc.AriaSort = "ascending"
			if desc {
				cc.AriaSort = "descending"
			} else {
				dir = "turun"
			}
		}
		cc.URL = "/bandingkan/" + url.PathEscape(c.Kind.Code) + "?urut=" + col.key + "&arah=" + dir
		data.Columns = append(data.Columns, cc)
	}
	s.rd.render(w, r, http.StatusOK, "compare", data)
	return nil
}

// setLang remembers the chosen language for a year and goes back.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	if !s.rd.cat.has(lang) {
		return errNotFound
	}
	http.SetCookie(w, &http.Cookie{Name: "bahasa", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	// Only paths on this site, never "//other.host" however disguised.
	back := safeBack(r.URL.Query().Get("kembali"), "/")
	// Drop a ?lang= in the way back, so that the cookie decides.
	if u, err := url.Parse(back); err == nil {
		q := u.Query()
		q.Del("lang")
		u.RawQuery = q.Encode()
		back = safeBack(u.RequestURI(), "/")
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

type aboutPage struct {
	Page
	Components []pendopo.Component
}

func (s *Server) about(w http.ResponseWriter, r *http.Request) error {
	p := s.rd.page(r, "")
	p.Title = p.T("about.title")
	p.Crumbs = []Crumb{{p.T("nav.home"), "/"}, {p.Title, ""}}
	s.rd.render(w, r, http.StatusOK, "about", aboutPage{Page: p, Components: pendopo.Components})
	return nil
}

// healthz is the liveness check: it answers while the process can serve
// at all, and touches nothing else, so that an orchestrator restarts
// the process only when restarting can help. A database outage is
// readyz's business.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
	return nil
}

// readyTimeout bounds readyz's checks, below the usual probe timeouts.
const readyTimeout = time.Second

// readyz is the readiness check: 200 when the portal can take visitors
// (app.Ready), otherwise 503 with a short reason; the details go to the
// log.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.app.Ready(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "not ready:", httpx.UserError(err).Msg.English)
		return nil
	}
	fmt.Fprintln(w, "ready")
	return nil
}

// manifest makes the portal installable: a phone can add it to its home
// screen and open it like an app (in the language of the request).
func (s *Server) manifest(w http.ResponseWriter, r *http.Request) error {
	p := s.rd.page(r, "")
	m := map[string]any{
		"name": "Pendopo", "short_name": "Pendopo", "description": p.T("footer.note"),
		"lang": p.language(), "start_url": "/", "scope": "/", "display": "standalone",
		"background_color": "#ffffff", "theme_color": "#0b5d5b",
		"icons": []map[string]string{
			{"src": s.assets.url("icon-192.png"), "sizes": "192x192", "type": "image/png"},
			{"src": s.assets.url("icon-512.png"), "sizes": "512x512", "type": "image/png"},
			{"src": s.assets.url("pendopo.svg"), "sizes": "any", "type": "image/svg+xml"},
		},
	}
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	return json.NewEncoder(w).Encode(m)
}

func (s *Server) robots(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, "User-agent: *\nDisallow: /admin\nDisallow: /cari\nDisallow: /api/\n")
	return nil
}
