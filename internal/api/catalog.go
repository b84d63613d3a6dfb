package api

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/search"
)

func (s *server) search(c *call) (SearchResults, error) {
	p := c.page()
	res, err := s.app.Search(c.ctx(), c.query("q"), c.query("region"), p)
	if err != nil {
		return SearchResults{}, err
	}
	hits := make([]SearchHit, len(res.Hits))
	for i, h := range res.Hits {
		hits[i] = SearchHit{ServiceSummary: summary(h.ServiceSummary), Score: h.Score, URL: pageURL(h.ID)}
	}
	out := SearchResults{List: list(hits, res.Total, p), Query: res.Query.Text, Corrections: res.Corrections, Answers: []SearchAnswer{}}
	if out.Corrections == nil {
		out.Corrections = map[string]string{}
	}
	region := c.query("region")
	for i, ms := range [][]search.Match{res.Leading, res.Trailing} {
		for _, m := range ms {
			a := SearchAnswer{Code: m.Code, First: i == 0}
			switch m.Kind {
			case search.ConceptReport:
				cat, ok := pendopo.ReportCategoryByCode(m.Code)
				if !ok {
					continue
				}
				a.Type, a.Title = "report", cat.Title
				if region != "" {
					a.URL = "/daerah/" + region + "/lapor?kategori=" + m.Code
				}
			case search.ConceptElsewhere:
				o, ok := s.app.OtherService(m.Code)
				if !ok {
					continue
				}
				a.Type, a.Title, a.Provider, a.URL = "elsewhere", o.Name, &o.Provider, o.URL
			default:
				continue
			}
			out.Answers = append(out.Answers, a)
		}
	}
	return out, nil
}

func (s *server) compare(c *call) (Comparison, error) {
	sort, order := c.query("sort"), c.query("order")
	if sort == "" {
		sort = string(pendopo.SortDuration)
	}
	if order == "" {
		order = "asc"
	}
	cmp, err := s.app.Compare(c.ctx(), c.query("kind"), pendopo.ServiceSort(sort), order == "desc")
	if err != nil {
		return Comparison{}, err
	}
	out := Comparison{Kind: cmp.Kind, Sort: sort, Order: order, Items: make([]ComparisonRow, len(cmp.Services)), Stats: ComparisonStats{
		Services: len(cmp.Services), FastestDays: cmp.Fastest, SlowestDays: cmp.Slowest, MedianDays: cmp.MedianDays, Free: cmp.Free,
	}}
	regions := map[string]bool{}
	for i, sv := range cmp.Services {
		regions[sv.RegionCode] = true
		out.Items[i] = ComparisonRow{
			Region: sv.RegionCode, RegionName: sv.RegionName, ServiceID: sv.ID, Name: sv.Name,
			DurationDays: sv.Duration.Days(), Duration: sv.Duration, Fee: sv.Fee, RequirementsCount: sv.Requirements,
			UpdatedAt: sv.UpdatedAt.UTC(), URL: pageURL(sv.ID),
		}
	}
	out.Stats.Regions = len(regions)
	return out, nil
}

func (s *server) listKinds(c *call) (List[pendopo.ServiceKind], error) {
	kinds := slices.SortedFunc(maps.Values(s.app.Kinds()), func(a, b pendopo.ServiceKind) int { return strings.Compare(a.Code, b.Code) })
	return paginate(kinds, c.page()), nil
}

func (s *server) listCategories(c *call) (List[pendopo.Category], error) {
	return paginate(pendopo.Categories, c.page()), nil
}

func (s *server) listLifeEvents(c *call) (List[pendopo.LifeEvent], error) {
	return paginate(pendopo.LifeEvents, c.page()), nil
}

func (s *server) stats(c *call) (pendopo.Stats, error) { return s.app.Stats(c.ctx()) }

func (s *server) getSynonyms(c *call) (Synonyms, error) {
	rules, err := s.app.Synonyms(c.ctx())
	return Synonyms{Rules: rules, Defaults: search.DefaultSynonyms}, err
}

func (s *server) putSynonyms(c *call, req SynonymsRequest) (Synonyms, error) {
	if err := s.app.SetSynonyms(c.ctx(), c.who, req.Rules); err != nil {
		return Synonyms{}, err
	}
	return s.getSynonyms(c)
}

func (s *server) openAPI(c *call) (json.RawMessage, error) { return s.doc, nil }
