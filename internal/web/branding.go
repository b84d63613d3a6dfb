package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/chart"
	"github.com/pendopo/pendopo/internal/figures"
	"github.com/pendopo/pendopo/internal/httpx"
)

// City branding: the public page of a region's priority sectors and
// programs beside what its people ask for, and the console pages where
// its admin keeps them.

// latestUpdates is how many updates the public page shows per program.
const latestUpdates = 3

type programView struct {
	pendopo.Program
	// Updates are the program's latest few, newest first.
	Updates []pendopo.ProgramUpdate
	// Percent is the progress towards the target value, -1 without one.
	Percent int
}

type sectorView struct {
	pendopo.Sector
	Programs []programView
}

// needView is one row of the community needs panel.
type needView struct {
	Label        string
	Unmapped     bool
	Reports      int64
	Applications int64
	// Categories name the categories counted, with their counts.
	Categories []string
}

type brandingPage struct {
	Page
	Region  pendopo.Region
	Period  figures.Period
	Sectors []sectorView
	Needs   []needView
	Charts  []figure
}

// programViews groups programs by sector, with each one's latest updates.
func programViews(b app.Branding, perProgram int) []sectorView {
	updates := map[int64][]pendopo.ProgramUpdate{}
	for _, u := range b.Updates {
		if perProgram <= 0 || len(updates[u.ProgramID]) < perProgram {
			updates[u.ProgramID] = append(updates[u.ProgramID], u)
		}
	}
	out := make([]sectorView, len(b.Sectors))
	at := map[int64]int{}
	for i, s := range b.Sectors {
		out[i].Sector, at[s.ID] = s, i
	}
	for _, p := range b.Programs {
		i, ok := at[p.SectorID]
		if !ok {
			continue
		}
		pct := -1
		if share := p.Progress(); share >= 0 {
			pct = int(share*100 + 0.5)
		}
		out[i].Programs = append(out[i].Programs, programView{Program: p, Updates: updates[p.ID], Percent: pct})
	}
	return out
}

// categoryLabel names a report or service category in lang.
func categoryLabel(p Page, kind pendopo.CategoryKind, code string) string {
	if kind == pendopo.KindReportCategory {
		if c, ok := pendopo.ReportCategoryByCode(code); ok {
			return p.Tx(c.Title)
		}
	} else if c, ok := pendopo.CategoryByCode(code); ok {
		return p.Tx(c.Title)
	}
	if code == "" {
		return p.T("brand.no_category")
	}
	return code
}

// branding is a region's public branding page.
func (s *Server) branding(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	b, err := s.app.Branding(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	period := s.app.Figures().LastMonths(b.Region.Code, 12)
	needs, err := s.app.SectorNeeds(ctx, b, period)
	if err != nil {
		return err
	}
	p := s.regionPage(r, b.Region, "")
	p.Title = p.T("brand.title", b.Region.Name)
	p.Description = b.Region.Profile.Tagline
	p.Crumbs = append(regionCrumbs(p, b.Region, nil), Crumb{p.T("brand.crumb"), ""})
	data := brandingPage{Page: p, Region: b.Region, Period: period, Sectors: programViews(b, latestUpdates)}
	var (
		labels                []string
		reports, applications []float64
	)
	for _, n := range needs {
		v := needView{Reports: n.Reports, Applications: n.Applications}
		if n.Sector == nil {
			v.Label, v.Unmapped = p.T("brand.unmapped"), true
		} else {
			v.Label = n.Sector.Name
		}
		for _, c := range n.Categories {
			kind := p.T("brand.kind." + string(c.Kind))
			v.Categories = append(v.Categories, categoryLabel(p, c.Kind, c.Code)+" ("+kind+": "+p.Number(int(c.N))+")")
		}
		data.Needs = append(data.Needs, v)
		if n.Reports+n.Applications > 0 {
			labels = append(labels, v.Label)
			reports, applications = append(reports, float64(n.Reports)), append(applications, float64(n.Applications))
		}
	}
	// Horizontal bars take one series: one chart for reports, one for
	// applications, each with its table.
	for _, c := range []struct {
		id, title, desc, series string
		values                  []float64
	}{
		{"c-brand-reports", p.T("brand.c_reports"), p.T("brand.c_reports_desc"), p.T("brand.reports"), reports},
		{"c-brand-apps", p.T("brand.c_apps"), p.T("brand.c_apps_desc"), p.T("brand.applications"), applications},
	} {
		ch, err := chart.New(chart.Spec{Kind: chart.HBars, ID: c.id, Title: c.title, Description: c.desc,
			CategoryLabel: p.T("brand.sector"), ValueLabel: p.T("brand.count"), Categories: labels, Unit: chart.Count, Lang: p.Lang,
			Series: []chart.Series{{Name: c.series, Values: c.values}}})
		if err != nil {
			return err
		}
		svg, err := ch.SVG()
		if err != nil {
			return err
		}
		data.Charts = append(data.Charts, figure{ID: c.id, Heading: c.title, Chart: ch, SVG: svg, Table: ch.Table()})
	}
	s.rd.render(w, r, http.StatusOK, "branding", data)
	return nil
}

// brandingPhoto sends the photo of a program update; like the page, it
// is public.
func (s *Server) brandingPhoto(w http.ResponseWriter, r *http.Request) error {
	rc, u, err := s.app.BrandingPhoto(r.Context(), r.PathValue("code"), r.PathValue("addr"))
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", u.PhotoMedia)
	h.Set("X-Content-Type-Options", "nosniff")
	// The address is the content's hash: it never changes.
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Length", strconv.FormatInt(u.PhotoSize, 10))
	_, err = io.Copy(w, rc)
	return err
}

// brandingConsole starts a console page of a region's branding: only
// those who may edit the region (its admin, national admins) see it.
func (s *Server) brandingConsole(r *http.Request) (app.Branding, Page, error) {
	code := r.PathValue("code")
	reg, p, err := s.adminPage(r, code)
	if err != nil {
		return app.Branding{}, p, err
	}
	if _, ok := current(r).Actor.Can(pendopo.ActEditRegion, pendopo.Scope{Region: reg.Code}); !ok {
		return app.Branding{}, p, errForbiddenPage
	}
	b, err := s.app.Branding(r.Context(), reg.Code)
	return b, p, err
}

// consoleCrumbs is the trail of a branding console page ending in title.
func consoleCrumbs(p Page, reg pendopo.Region, title string) []Crumb {
	return []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + reg.Code},
		{p.T("brand.console"), "/admin/daerah/" + reg.Code + "/branding"}, {title, ""}}
}

type brandingConsolePage struct {
	Page
	Form
	Code    string
	Region  pendopo.Region
	Sectors []sectorView
	Links   int
}

func (s *Server) consoleBranding(w http.ResponseWriter, r *http.Request) error {
	b, p, err := s.brandingConsole(r)
	if err != nil {
		return err
	}
	p.Title = p.T("brand.console") + " · " + b.Region.Name
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {b.Region.Name, "/admin/daerah/" + b.Region.Code}, {p.T("brand.console"), ""}}
	data := brandingConsolePage{Page: p, Code: b.Region.Code, Region: b.Region, Sectors: programViews(b, 1), Links: len(b.Links)}
	if r.URL.Query().Get("pesan") == "tersimpan" {
		data.Notice = p.T("admin.notice.tersimpan")
	}
	s.rd.render(w, r, http.StatusOK, "admin_branding", data)
	return nil
}

// formStatus is the status of a form shown again with its errors: 422,
// or the error's own for a file too large or of the wrong type.
func formStatus(err error) int {
	switch k := pendopo.KindOf(err); k {
	case pendopo.KindTooLarge, pendopo.KindUnsupported:
		return httpx.Status(k)
	}
	return http.StatusUnprocessableEntity
}

// pathID reads the {id} of a console path, 0 for a "baru" (new) page.
func pathID(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return 0, errNotFound
	}
	return id, nil
}

type sectorFormPage struct {
	Page
	Form
	Code   string
	Sector pendopo.Sector
	// Position is the order as typed, shown again when it did not parse.
	Position string
}

func (s *Server) sectorForm(r *http.Request, b app.Branding, p Page, sec pendopo.Sector) sectorFormPage {
	if sec.ID == 0 {
		p.Title = p.T("brand.sector_new")
	} else {
		p.Title = p.T("brand.sector_edit", sec.Name)
	}
	p.Crumbs = consoleCrumbs(p, b.Region, p.Title)
	return sectorFormPage{Page: p, Code: b.Region.Code, Sector: sec, Position: strconv.Itoa(sec.Position)}
}

func (s *Server) consoleSector(w http.ResponseWriter, r *http.Request) error {
	b, p, err := s.brandingConsole(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sec := pendopo.Sector{Region: b.Region.Code, Position: (len(b.Sectors) + 1) * 10}
	if id != 0 {
		found := b.Sector(id)
		if found == nil {
			return errNotFound
		}
		sec = *found
	}
	s.rd.render(w, r, http.StatusOK, "admin_brand_sector", s.sectorForm(r, b, p, sec))
	return nil
}

func (s *Server) consoleSectorSave(w http.ResponseWriter, r *http.Request) error {
	b, p, err := s.brandingConsole(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r, 64<<10); err != nil {
		return err
	}
	f := r.PostForm
	sec := pendopo.Sector{ID: id, Region: b.Region.Code, Slug: f.Get("slug"), Name: f.Get("name"), Rationale: f.Get("rationale")}
	pos, perr := strconv.Atoi(strings.TrimSpace(f.Get("position")))
	sec.Position = pos
	if perr != nil {
		err = invalidField("position", pendopo.M("web.write_order_as_whole_number"))
	} else {
		_, err = s.app.SaveSector(r.Context(), current(r).Actor, sec)
	}
	return s.settle(w, r, err, "/admin/daerah/"+b.Region.Code+"/branding?pesan=tersimpan", "admin_brand_sector", func(fm Form) (any, error) {
		data := s.sectorForm(r, b, p, sec)
		data.Form, data.Position = fm, f.Get("position")
		return data, nil
	})
}

// invalidField is a validation error of one field.
func invalidField(field string, msg pendopo.Text) error {
	var p pendopo.Problems
	p.Add(field, msg)
	return p.Err()
}

// programFormPage edits a program and, once it exists, adds updates.
type programFormPage struct {
	Page
	Form
	Code    string
	Program pendopo.Program
	Sectors []pendopo.Sector
	// V holds the fields as shown: the program's, or what was posted.
	V       map[string]string
	Updates []pendopo.ProgramUpdate
	// Update is the form of a new update, with its own errors.
	Update     map[string]string
	UpdateForm Form
	Statuses   []pendopo.ProgramStatus
}

// programValues writes a program's fields as the form shows them.
func programValues(p pendopo.Program) map[string]string {
	v := map[string]string{"sector": strconv.FormatInt(p.SectorID, 10), "name": p.Name, "description": p.Description,
		"target": p.Target, "indicator": p.Indicator, "unit": p.Unit, "status": string(p.Status),
		"target_value": strconv.FormatFloat(p.TargetValue, 'f', -1, 64), "current_value": strconv.FormatFloat(p.CurrentValue, 'f', -1, 64),
		"budget": strconv.FormatInt(p.Budget, 10)}
	if p.Start != 0 {
		v["start"] = p.Start.String()
	}
	if p.End != 0 {
		v["end"] = p.End.String()
	}
	return v
}

func (s *Server) programForm(r *http.Request, b app.Branding, p Page, prog pendopo.Program) (programFormPage, error) {
	if prog.ID == 0 {
		p.Title = p.T("brand.program_new")
	} else {
		p.Title = p.T("brand.program_edit", prog.Name)
	}
	p.Crumbs = consoleCrumbs(p, b.Region, p.Title)
	data := programFormPage{Page: p, Code: b.Region.Code, Program: prog, Sectors: b.Sectors, V: programValues(prog),
		Update: map[string]string{"day": s.app.Now().In(wib).Format("2006-01-02")}}
	for _, st := range pendopo.ProgramStatuses {
		data.Statuses = append(data.Statuses, st.Status)
	}
	for _, u := range b.Updates {
		if prog.ID != 0 && u.ProgramID == prog.ID {
			data.Updates = append(data.Updates, u)
		}
	}
	return data, nil
}

// StatusTitle names a program status in the page's language.
func (p Page) StatusTitle(st pendopo.ProgramStatus) string { return p.Tx(st.Title()) }

func (s *Server) consoleProgram(w http.ResponseWriter, r *http.Request) error {
	b, p, err := s.brandingConsole(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	prog := pendopo.Program{Region: b.Region.Code, Status: pendopo.ProgramPlanned}
	if id != 0 {
		if prog, err = s.app.Program(r.Context(), b.Region.Code, id); err != nil {
			return err
		}
	} else if sid, ok := parseID(r.URL.Query().Get("sektor")); ok {
		prog.SectorID = sid
	}
	data, err := s.programForm(r, b, p, prog)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("pesan") == "tersimpan" {
		data.Notice = p.T("admin.notice.tersimpan")
	}
	s.rd.render(w, r, http.StatusOK, "admin_brand_program", data)
	return nil
}

// parseValue reads an indicator value as Indonesians write it: a comma
// for decimals and dots between thousands ("1.250,5"). Without a comma,
// dots followed by groups of three digits are thousands ("1.000.000"),
// and any other dot is a decimal point ("12.5").
func parseValue(s string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	} else if groups := strings.Split(s, "."); len(groups) > 1 && thousands(groups[1:]) {
		s = strings.Join(groups, "")
	}
	return strconv.ParseFloat(s, 64)
}

func thousands(groups []string) bool {
	for _, g := range groups {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// parseRupiah reads a whole amount of rupiah, with or without "Rp" and
// thousands separators.
func parseRupiah(s string) (int64, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "Rp")
	s = strings.NewReplacer(".", "", ",", "", " ", "").Replace(s)
	return strconv.ParseInt(s, 10, 64)
}

// programFromForm reads the program form; numbers and dates that do not
// parse are field errors.
func programFromForm(r *http.Request, prog pendopo.Program) (pendopo.Program, pendopo.Problems) {
	var probs pendopo.Problems
	f := r.PostForm
	prog.Name, prog.Description, prog.Target = f.Get("name"), f.Get("description"), f.Get("target")
	prog.Indicator, prog.Unit, prog.Status = f.Get("indicator"), f.Get("unit"), pendopo.ProgramStatus(f.Get("status"))
	prog.SectorID, _ = strconv.ParseInt(f.Get("sector"), 10, 64)
	notNumber := pendopo.M("web.write_number_such_as_1250")
	for _, x := range []struct {
		field string
		to    *float64
	}{{"target_value", &prog.TargetValue}, {"current_value", &prog.CurrentValue}} {
		if v := strings.TrimSpace(f.Get(x.field)); v == "" {
			*x.to = 0
		} else if n, err := parseValue(v); err != nil {
			probs.Add(x.field, notNumber)
		} else {
			*x.to = n
		}
	}
	if v := strings.TrimSpace(f.Get("budget")); v == "" {
		prog.Budget = 0
	} else if n, err := parseRupiah(v); err != nil {
		probs.Add("budget", pendopo.M("web.write_budget_whole_rupiah_such"))
	} else {
		prog.Budget = n
	}
	for _, x := range []struct {
		field string
		to    *pendopo.Day
	}{{"start", &prog.Start}, {"end", &prog.End}} {
		*x.to = 0
		if v := strings.TrimSpace(f.Get(x.field)); v != "" {
			d, err := pendopo.ParseDay(v)
			if err != nil {
				probs.Add(x.field, pendopo.M("web.write_date_as_yyyy_mm"))
			}
			*x.to = d
		}
	}
	return prog, probs
}

func (s *Server) consoleProgramSave(w http.ResponseWriter, r *http.Request) error {
	b, p, err := s.brandingConsole(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	prog := pendopo.Program{Region: b.Region.Code}
	if id != 0 {
		if prog, err = s.app.Program(r.Context(), b.Region.Code, id); err != nil {
			return err
		}
	}
	if err := parseForm(w, r, 64<<10); err != nil {
		return err
	}
	prog, probs := programFromForm(r, prog)
	var saved pendopo.Program
	if err = probs.Err(); err == nil {
		saved, err = s.app.SaveProgram(r.Context(), current(r).Actor, prog)
	} else {
		// Show what did not parse together with the program's other
		// problems, without saving anything.
		check := prog
		if verr := check.Validate(); verr != nil {
			for _, fe := range verr.(*pendopo.Error).Fields {
				if !hasField(probs, fe.Field) {
					probs = append(probs, fe)
				}
			}
			err = probs.Err()
		}
	}
	next := "/admin/daerah/" + b.Region.Code + "/branding/program/" + strconv.FormatInt(saved.ID, 10) + "?pesan=tersimpan"
	return s.settle(w, r, err, next, "admin_brand_program", func(fm Form) (any, error) {
		data, err := s.programForm(r, b, p, prog)
		if err != nil {
			return nil, err
		}
		data.Form = fm
		for k := range data.V {
			data.V[k] = r.PostForm.Get(k)
		}
		return data, nil
	})
}

func hasField(p pendopo.Problems, field string) bool {
	for _, f := range p {
		if f.Field == field {
			return true
		}
	}
	return false
}

// maxUpdatePost bounds an update form: its photo and the text around it.
const maxUpdatePost = app.MaxProgramPhotoBytes + 64<<10

// consoleUpdateAdd records progress on a program, with an optional photo.
func (s *Server) consoleUpdateAdd(w http.ResponseWriter, r *http.Request) error {
	b, p, err := s.brandingConsole(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	prog, err := s.app.Program(r.Context(), b.Region.Code, id)
	if err != nil {
		return err
	}
	show := func(cause error, in map[string]string) error {
		fm, err := formErrors(cause, p.Lang)
		if err != nil {
			return err
		}
		data, derr := s.programForm(r, b, p, prog)
		if derr != nil {
			return derr
		}
		data.UpdateForm = fm
		for k, v := range in {
			data.Update[k] = v
		}
		s.rd.render(w, r, formStatus(cause), "admin_brand_program", data)
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpdatePost)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return show(&pendopo.Error{Kind: pendopo.KindTooLarge, Msg: photoTooLarge, Fields: []pendopo.FieldError{{Field: "photo", Msg: photoTooLarge}}}, nil)
		}
		return tooLargeOr(err)
	}
	defer func() {
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
	}()
	if err := httpx.CheckText(r); err != nil {
		return err
	}
	f := r.PostForm
	in := map[string]string{"day": f.Get("day"), "text": f.Get("text"), "value": f.Get("value"), "photo_alt": f.Get("photo_alt")}
	u := pendopo.ProgramUpdate{ProgramID: prog.ID, Text: in["text"], PhotoAlt: in["photo_alt"]}
	var probs pendopo.Problems
	if v := strings.TrimSpace(in["day"]); v != "" {
		if u.Day, err = pendopo.ParseDay(v); err != nil {
			probs.Add("day", pendopo.M("web.write_date_as_yyyy_mm"))
		}
	}
	if v := strings.TrimSpace(in["value"]); v != "" {
		n, err := parseValue(v)
		if err != nil {
			probs.Add("value", pendopo.M("web.write_number_such_as_1250"))
		}
		u.Value = &n
	}
	if err := probs.Err(); err != nil {
		return show(err, in)
	}
	var photo io.Reader
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["photo"]; len(fhs) > 0 && fhs[0].Size > 0 {
			fh, err := fhs[0].Open()
			if err != nil {
				return err
			}
			defer fh.Close()
			photo = fh
		}
	}
	if _, err := s.app.AddProgramUpdate(r.Context(), current(r).Actor, b.Region.Code, u, photo); err != nil {
		return show(err, in)
	}
	http.Redirect(w, r, "/admin/daerah/"+b.Region.Code+"/branding/program/"+strconv.FormatInt(prog.ID, 10)+"?pesan=tersimpan", http.StatusSeeOther)
	return nil
}

var photoTooLarge = pendopo.M("web.the_photo_too_large_at")

// mapRow is one category of the mapping form.
type mapRow struct {
	Name, Label string
	Sector      int64
}

type mapFormPage struct {
	Page
	Form
	Code           string
	Sectors        []pendopo.Sector
	Reports        []mapRow
	ServiceMapping []mapRow
}

func (s *Server) mapForm(b app.Branding, p Page, chosen func(kind pendopo.CategoryKind, code string) int64) mapFormPage {
	p.Title = p.T("brand.map_title")
	p.Crumbs = consoleCrumbs(p, b.Region, p.Title)
	data := mapFormPage{Page: p, Code: b.Region.Code, Sectors: b.Sectors}
	for _, c := range pendopo.ReportCategories {
		data.Reports = append(data.Reports, mapRow{Name: string(pendopo.KindReportCategory) + "_" + c.Code, Label: p.Tx(c.Title),
			Sector: chosen(pendopo.KindReportCategory, c.Code)})
	}
	for _, c := range pendopo.Categories {
		data.ServiceMapping = append(data.ServiceMapping, mapRow{Name: string(pendopo.KindServiceCategory) + "_" + c.Code, Label: p.Tx(c.Title),
			Sector: chosen(pendopo.KindServiceCategory, c.Code)})
	}
	return data
}

func (s *Server) consoleMap(w http.ResponseWriter, r *http.Request) error {
	b, p, err := s.brandingConsole(r)
	if err != nil {
		return err
	}
	data := s.mapForm(b, p, b.Link)
	if r.URL.Query().Get("pesan") == "tersimpan" {
		data.Notice = p.T("admin.notice.tersimpan")
	}
	s.rd.render(w, r, http.StatusOK, "admin_brand_map", data)
	return nil
}

// consoleMapSave stores the whole mapping: a category left at "none" is
// mapped to no sector.
func (s *Server) consoleMapSave(w http.ResponseWriter, r *http.Request) error {
	b, p, err := s.brandingConsole(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r, 16<<10); err != nil {
		return err
	}
	var links []pendopo.SectorLink
	add := func(kind pendopo.CategoryKind, code string) {
		v := strings.TrimSpace(r.PostFormValue(string(kind) + "_" + code))
		if v == "" {
			return
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			id = -1 // no sector has it: refused as not the region's
		}
		links = append(links, pendopo.SectorLink{Kind: kind, Category: code, SectorID: id})
	}
	for _, c := range pendopo.ReportCategories {
		add(pendopo.KindReportCategory, c.Code)
	}
	for _, c := range pendopo.Categories {
		add(pendopo.KindServiceCategory, c.Code)
	}
	err = s.app.SetSectorLinks(r.Context(), current(r).Actor, b.Region.Code, links)
	return s.settle(w, r, err, "/admin/daerah/"+b.Region.Code+"/branding/pemetaan?pesan=tersimpan", "admin_brand_map", func(fm Form) (any, error) {
		data := s.mapForm(b, p, func(kind pendopo.CategoryKind, code string) int64 {
			id, _ := strconv.ParseInt(r.PostFormValue(string(kind)+"_"+code), 10, 64)
			return id
		})
		data.Form = fm
		return data, nil
	})
}

// ProgressText says how far a program got, beside its progress bar.
func (p Page) ProgressText(v programView) string {
	unit := v.Unit
	if unit != "" {
		unit = " " + unit
	}
	if v.Percent < 0 {
		return p.T("brand.progress_none", p.Value(v.CurrentValue)+unit)
	}
	return p.T("brand.progress", p.Value(v.CurrentValue), p.Value(v.TargetValue)+unit, v.Percent)
}
