package web

import (
	"cmp"
	"html/template"
	"math"
	"net/http"
	"slices"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/chart"
	"github.com/pendopo/pendopo/internal/figures"
)

// Public performance dashboards: a region's (or one agency's) service
// levels, reports, satisfaction and e-gov index over a period, with
// charts drawn on the server as SVG, each followed by its data as a
// table. They read the monthly figures only, never the applications and
// reports themselves.

// figure is a chart with its heading, ready for the dashboard template.
type figure struct {
	ID      string
	Heading string
	Chart   *chart.Chart
	SVG     template.HTML
	Table   chart.Table
}

type agencyRow struct {
	Slug, Name string
	pendopo.Figures
}

type needRow struct {
	Label string
	N     int64
}

type dashboardPage struct {
	Page
	Region    pendopo.Region
	Agency    *pendopo.Agency
	Period    figures.Period
	Months    []pendopo.Figures
	Total     pendopo.Figures
	IKMTarget int
	// Held is how many walk-in survey responses of the period are held
	// for review and left out of the figures.
	Held       int
	Index      *figures.RegionIndex
	Charts     []figure
	Agencies   []agencyRow
	Needs      []needRow
	Demand     []needRow
	Components []pendopo.EgovComponent
	DataQuery  string
	Print      bool
}

func nanIfNone(v float64) float64 {
	if v < 0 {
		return math.NaN()
	}
	return v
}

// dashboard is a region's public performance page, or an agency's with
// ?opd=, for ?dari=…&sampai=… (the last 12 months by default).
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	data, err := s.dashboardData(r, r.URL.Query().Get("opd"))
	if err != nil {
		return err
	}
	s.rd.render(w, r, http.StatusOK, "dashboard", data)
	return nil
}

// rapor is an agency's printable one-page report card.
func (s *Server) rapor(w http.ResponseWriter, r *http.Request) error {
	data, err := s.dashboardData(r, r.PathValue("slug"))
	if err != nil {
		return err
	}
	data.Print = true
	data.Title = data.T("dash.rapor_title", data.Agency.Name)
	s.rd.render(w, r, http.StatusOK, "rapor", data)
	return nil
}

func (s *Server) dashboardData(r *http.Request, agencySlug string) (dashboardPage, error) {
	ctx := r.Context()
	reg, err := s.app.Region(ctx, r.PathValue("code"))
	if err != nil {
		return dashboardPage{}, err
	}
	period, err := s.period(r, reg.Code)
	if err != nil {
		return dashboardPage{}, err
	}
	p := s.regionPage(r, reg, "")
	data := dashboardPage{Page: p, Region: reg, Period: period, DataQuery: "?dari=" + string(period.From) + "&sampai=" + string(period.To)}
	if agencySlug != "" {
		ag, err := s.app.Agency(ctx, reg.Code, agencySlug)
		if err != nil {
			return data, err
		}
		data.Agency = &ag
		data.DataQuery += "&opd=" + ag.Slug
	}
	dash, err := s.app.Figures().RegionDashboard(ctx, reg.Code, period)
	if err != nil {
		return data, err
	}
	data.Months, data.Total = dash.Months, dash.Total
	if data.Agency != nil {
		if data.Months, data.Total, err = s.app.Figures().Figures(ctx, reg.Code, agencySlug, 0, period); err != nil {
			return data, err
		}
	}
	data.IKMTarget = pendopo.KrejcieMorgan(int(data.Total.AppReceived + data.Total.RepAnswered))
	data.Held = dash.Held.Region
	if data.Agency != nil {
		data.Held = dash.Held.Agency[data.Agency.Slug]
	}
	if data.Agency == nil {
		data.Title = p.T("dash.title", reg.Name)
		agencies, _, err := s.app.Agencies(ctx, reg.Code, pendopo.Page{PerPage: pendopo.MaxPerPage})
		if err != nil {
			return data, err
		}
		for _, a := range agencies {
			if f, ok := dash.AgencyTotals[a.Slug]; ok {
				data.Agencies = append(data.Agencies, agencyRow{Slug: a.Slug, Name: a.Name, Figures: f})
			}
		}
		slices.SortFunc(data.Agencies, func(a, b agencyRow) int { return cmp.Compare(a.Name, b.Name) })
		s.needs(dash, &data)
		ranking, err := s.app.Figures().EgovRanking(ctx, "", period)
		if err != nil {
			return data, err
		}
		for i := range ranking {
			if ranking[i].Region.Code == reg.Code {
				data.Index = &ranking[i]
			}
		}
	} else {
		data.Title = p.T("dash.agency_title", data.Agency.Name)
	}
	data.Crumbs = append(regionCrumbs(p, reg, nil), Crumb{p.T("dash.crumb"), ""})
	if data.Agency != nil {
		data.Crumbs = append(regionCrumbs(p, reg, nil), Crumb{p.T("dash.crumb"), "/daerah/" + reg.Code + "/kinerja"}, Crumb{data.Agency.Name, ""})
	}
	data.Charts, err = s.dashboardCharts(data)
	return data, err
}

// needs fills the community needs panel: reports by category and
// applications by service category over the period.
func (s *Server) needs(dash *figures.Dashboard, data *dashboardPage) {
	for code, n := range dash.Categories {
		data.Needs = append(data.Needs, needRow{Label: data.CategoryTitle(code), N: n})
	}
	slices.SortFunc(data.Needs, func(a, b needRow) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Label, b.Label)) })
	category := map[int64]string{}
	for _, sv := range s.app.RegionServiceList(data.Region.Code, "") {
		category[sv.ID] = sv.Category
	}
	demand := map[string]int64{}
	for id, n := range dash.ServiceDemand {
		demand[category[id]] += n
	}
	for code, n := range demand {
		label := code
		if c, ok := pendopo.CategoryByCode(code); ok {
			label = data.Tx(c.Title)
		}
		data.Demand = append(data.Demand, needRow{Label: label, N: n})
	}
	slices.SortFunc(data.Demand, func(a, b needRow) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Label, b.Label)) })
}

func (s *Server) dashboardCharts(d dashboardPage) ([]figure, error) {
	lang := d.Lang
	var months []string
	series := func(f func(pendopo.Figures) float64) []float64 {
		out := make([]float64, len(d.Months))
		for i, m := range d.Months {
			out[i] = f(m)
		}
		return out
	}
	for _, m := range d.Months {
		months = append(months, d.MonthLabel(m.Month))
	}
	specs := []struct {
		heading string
		spec    chart.Spec
	}{
		{d.T("dash.c_apps"), chart.Spec{Kind: chart.Bars, ID: "c-apps", Title: d.T("dash.c_apps"), Description: d.T("dash.c_apps_desc"),
			CategoryLabel: d.T("dash.month"), ValueLabel: d.T("dash.count_apps"), Categories: months, Unit: chart.Count, Lang: lang,
			Series: []chart.Series{
				{Name: d.T("dash.received"), Values: series(func(f pendopo.Figures) float64 { return float64(f.AppReceived) })},
				{Name: d.T("dash.completed"), Values: series(func(f pendopo.Figures) float64 { return float64(f.AppCompleted) })},
			}}},
		{d.T("dash.c_ontime"), chart.Spec{Kind: chart.Lines, ID: "c-ontime", Title: d.T("dash.c_ontime"), Description: d.T("dash.c_ontime_desc"),
			CategoryLabel: d.T("dash.month"), ValueLabel: d.T("dash.percent"), Categories: months, Unit: chart.Percent, Lang: lang,
			Series: []chart.Series{
				{Name: d.T("dash.apps_ontime"), Values: series(func(f pendopo.Figures) float64 { return nanIfNone(f.AppOnTimeShare) * 100 })},
				{Name: d.T("dash.verify_ontime"), Values: series(func(f pendopo.Figures) float64 { return nanIfNone(f.RepVerifyOnTime) * 100 })},
				{Name: d.T("dash.answer_ontime"), Values: series(func(f pendopo.Figures) float64 { return nanIfNone(f.RepAnswerOnTime) * 100 })},
			}}},
		{d.T("dash.c_reports"), chart.Spec{Kind: chart.Bars, ID: "c-reports", Title: d.T("dash.c_reports"), Description: d.T("dash.c_reports_desc"),
			CategoryLabel: d.T("dash.month"), ValueLabel: d.T("dash.count_reports"), Categories: months, Unit: chart.Count, Lang: lang,
			Series: []chart.Series{
				{Name: d.T("dash.received"), Values: series(func(f pendopo.Figures) float64 { return float64(f.RepReceived) })},
				{Name: d.T("dash.answered"), Values: series(func(f pendopo.Figures) float64 { return float64(f.RepAnswered) })},
			}}},
	}
	ikm := d.Total.IKM
	var unsurNames []string
	var unsurScores []float64
	for i, u := range pendopo.Unsurs {
		unsurNames = append(unsurNames, d.Tx(u.Name))
		if ikm.Unsurs[i].Count == 0 {
			unsurScores = append(unsurScores, math.NaN())
		} else {
			unsurScores = append(unsurScores, ikm.Unsurs[i].NRR*25)
		}
	}
	if ikm.Respondents == 0 {
		unsurNames, unsurScores = nil, nil
	}
	specs = append(specs, struct {
		heading string
		spec    chart.Spec
	}{d.T("dash.c_ikm"), chart.Spec{Kind: chart.HBars, ID: "c-ikm", Title: d.T("dash.c_ikm"), Description: d.T("dash.c_ikm_desc"),
		CategoryLabel: d.T("dash.unsur"), ValueLabel: d.T("dash.score"), Categories: unsurNames, Unit: chart.Score, Lang: lang,
		Series: []chart.Series{{Name: "IKM", Values: unsurScores}}, Refs: []chart.Ref{{Label: d.T("dash.grade_a"), Value: 88.31}}}})
	if d.Agency == nil && len(d.Needs) > 0 {
		var labels []string
		var counts []float64
		for _, n := range d.Needs[:min(10, len(d.Needs))] {
			labels, counts = append(labels, n.Label), append(counts, float64(n.N))
		}
		specs = append(specs, struct {
			heading string
			spec    chart.Spec
		}{d.T("dash.c_needs"), chart.Spec{Kind: chart.HBars, ID: "c-needs", Title: d.T("dash.c_needs"), Description: d.T("dash.c_needs_desc"),
			CategoryLabel: d.T("dash.category"), ValueLabel: d.T("dash.count_reports"), Categories: labels, Unit: chart.Count, Lang: lang,
			Series: []chart.Series{{Name: d.T("dash.reports"), Values: counts}}}})
	}
	out := make([]figure, 0, len(specs))
	for _, sp := range specs {
		c, err := chart.New(sp.spec)
		if err != nil {
			return nil, err
		}
		svg, err := c.SVG()
		if err != nil {
			return nil, err
		}
		out = append(out, figure{ID: sp.spec.ID, Heading: sp.heading, Chart: c, SVG: svg, Table: c.Table()})
	}
	return out, nil
}
