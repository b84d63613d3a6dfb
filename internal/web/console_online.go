package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/document"
)

// The online editor: a service's application form, workflow and output
// document, saved as a new version of the service like any other change
// (a draft for officers, published by those who may).

// blankFields and blankSteps are the empty rows the editor offers for new
// fields and steps; without JavaScript, more come after saving.
const blankFields, blankSteps = 3, 2

type onlinePage struct {
	Page
	Form
	Service    pendopo.Service
	Enabled    bool
	Online     pendopo.Online
	Fields     []pendopo.FormField // the form's fields and blank rows
	Steps      []pendopo.WorkflowStep
	Types      []pendopo.FieldType
	Roles      []pendopo.RoleKind
	Builtins   []string
	BaseVer    int
	Note       string
	CanPublish bool
}

// In names the input of a field or step attribute, which is also the path
// its validation errors use.
func (onlinePage) In(kind string, i int, attr string) string {
	if kind == "step" {
		return fmt.Sprintf("apply.workflow.steps[%d].%s", i, attr)
	}
	return fmt.Sprintf("apply.form.fields[%d].%s", i, attr)
}

// Accepts reports whether a file field takes media.
func (onlinePage) Accepts(f pendopo.FormField, media string) bool {
	return slices.Contains(f.Accept, media)
}

// MaxMB is a file field's limit in whole megabytes, empty for the default.
func (onlinePage) MaxMB(f pendopo.FormField) string {
	if f.MaxBytes == 0 {
		return ""
	}
	return strconv.FormatInt(f.MaxBytes>>20, 10)
}

// TypeName names a field type.
func (p onlinePage) TypeName(t pendopo.FieldType) string {
	for _, ft := range pendopo.FieldTypes {
		if ft.Type == t {
			return p.Tx(ft.Title)
		}
	}
	return string(t)
}

func (s *Server) onlineData(r *http.Request) (onlinePage, error) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return onlinePage{}, errNotFound
	}
	who := current(r).Actor
	svc, err := s.app.ServiceForEdit(r.Context(), who, id)
	if err != nil {
		return onlinePage{}, err
	}
	latest := svc.ServiceContent // the latest version, draft or not
	reg, err := s.app.Region(r.Context(), svc.RegionCode)
	if err != nil {
		return onlinePage{}, err
	}
	p := s.regionPage(r, reg, "")
	p.Title, p.Noindex = p.T("online.title")+" · "+svc.Name, true
	p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + reg.Code},
		{svc.Name, fmt.Sprintf("/admin/layanan/%d", svc.ID)}, {p.T("online.title"), ""}}
	data := onlinePage{Page: p, Service: svc, BaseVer: svc.LatestVersion, Types: fieldTypes(), Builtins: document.BuiltinPlaceholders,
		Roles: []pendopo.RoleKind{pendopo.RoleOfficer, pendopo.RoleSupervisor, pendopo.RoleAgencyAdmin}}
	_, data.CanPublish = who.Can(pendopo.ActPublishService, pendopo.Scope{Region: svc.RegionCode, Agency: svc.AgencySlug})
	if latest.Apply != nil {
		data.Enabled, data.Online = true, *latest.Apply
	} else {
		// A first form from the standard: one upload per requirement.
		t := document.DefaultTemplate(latest.Standard.Product)
		data.Online = pendopo.Online{Form: pendopo.DefaultForm(latest.Standard), Workflow: pendopo.DefaultWorkflow(),
			Output: pendopo.Output{Title: t.Title, Body: t.Body}}
	}
	data.fill()
	return data, nil
}

func fieldTypes() []pendopo.FieldType {
	out := make([]pendopo.FieldType, len(pendopo.FieldTypes))
	for i, ft := range pendopo.FieldTypes {
		out[i] = ft.Type
	}
	return out
}

// fill lays out the rows: the form's fields and steps and blank ones.
func (p *onlinePage) fill() {
	p.Fields = append(slices.Clone(p.Online.Form.Fields), make([]pendopo.FormField, blankFields)...)
	p.Steps = append(slices.Clone(p.Online.Workflow.Steps), make([]pendopo.WorkflowStep, blankSteps)...)
}

func (s *Server) consoleOnline(w http.ResponseWriter, r *http.Request) error {
	data, err := s.onlineData(r)
	if err != nil {
		return err
	}
	data.Notice = notice(data.Page, r.URL.Query().Get("pesan"))
	s.rd.render(w, r, http.StatusOK, "admin_online", data)
	return nil
}

// onlineFromForm reads the editor: rows with an empty key are blank and
// left out, as are rows ticked for removal; rows are ordered by their
// order number.
func onlineFromForm(r *http.Request) (pendopo.Online, pendopo.Problems) {
	f := r.PostForm
	var probs pendopo.Problems
	type ordered struct {
		at    int
		field pendopo.FormField
		step  pendopo.WorkflowStep
	}
	var fields, steps []ordered
	for i := 0; i < 100; i++ {
		key := fmt.Sprintf("apply.form.fields[%d].", i)
		if _, ok := f[key+"key"]; !ok {
			break
		}
		k := strings.TrimSpace(f.Get(key + "key"))
		if k == "" || f.Get(key+"remove") != "" {
			continue
		}
		fd := pendopo.FormField{Key: k, Label: pendopo.T(strings.TrimSpace(f.Get(key+"label")), strings.TrimSpace(f.Get(key+"label_en"))),
			Help: pendopo.T(strings.TrimSpace(f.Get(key+"help")), ""), Type: pendopo.FieldType(f.Get(key + "type")),
			Required: f.Get(key+"required") != "", Accept: f[key+"accept"]}
		for _, o := range strings.Split(strings.ReplaceAll(f.Get(key+"options"), "\r\n", "\n"), "\n") {
			if o = strings.TrimSpace(o); o != "" {
				fd.Options = append(fd.Options, o)
			}
		}
		if fd.Type != pendopo.FieldFile {
			fd.Accept = nil
		} else if mb := strings.TrimSpace(f.Get(key + "max_mb")); mb != "" {
			n, err := strconv.Atoi(mb)
			if err != nil || n < 1 || n > pendopo.MaxUploadBytes>>20 {
				probs.Add(key+"max_bytes", pendopo.M("web.the_limit_1_10_mb"))
			}
			fd.MaxBytes = int64(n) << 20
		}
		at, _ := strconv.Atoi(f.Get(key + "order"))
		fields = append(fields, ordered{at: at*1000 + i, field: fd})
	}
	for i := 0; i < 20; i++ {
		key := fmt.Sprintf("apply.workflow.steps[%d].", i)
		if _, ok := f[key+"key"]; !ok {
			break
		}
		k := strings.TrimSpace(f.Get(key + "key"))
		if k == "" || f.Get(key+"remove") != "" {
			continue
		}
		at, _ := strconv.Atoi(f.Get(key + "order"))
		steps = append(steps, ordered{at: at*1000 + i, step: pendopo.WorkflowStep{Key: k,
			Name: pendopo.T(strings.TrimSpace(f.Get(key+"name")), strings.TrimSpace(f.Get(key+"name_en"))), Role: pendopo.RoleKind(f.Get(key + "role"))}})
	}
	byAt := func(a, b ordered) int { return a.at - b.at }
	slices.SortStableFunc(fields, byAt)
	slices.SortStableFunc(steps, byAt)
	on := pendopo.Online{LeaveWorks: f.Get("leave_works") != "",
		Output: pendopo.Output{Title: f.Get("output_title"), Body: strings.ReplaceAll(f.Get("output_body"), "\r\n", "\n")}}
	for _, o := range fields {
		on.Form.Fields = append(on.Form.Fields, o.field)
	}
	for _, o := range steps {
		on.Workflow.Steps = append(on.Workflow.Steps, o.step)
	}
	return on, probs
}

// consoleOnlineSave stores the editor's form, workflow and output as a new
// version of the service: a draft, or published at once by those who may.
func (s *Server) consoleOnlineSave(w http.ResponseWriter, r *http.Request) error {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return errNotFound
	}
	if err := parseForm(w, r, 256<<10); err != nil {
		return err
	}
	who := current(r).Actor
	svc, err := s.app.ServiceForEdit(r.Context(), who, id)
	if err != nil {
		return err
	}
	c := svc.ServiceContent
	on, probs := onlineFromForm(r)
	enabled := r.PostFormValue("enabled") != ""
	c.Apply = nil
	if enabled {
		c.Apply = &on
		if !c.HasChannel(pendopo.ChannelOnline) {
			c.Channels = append(c.Channels, pendopo.ChannelOnline)
		}
	}
	base, _ := strconv.Atoi(r.PostFormValue("base_version"))
	publish := r.PostFormValue("aksi") == "terbit"
	wr := app.ServiceWrite{Content: c, Note: r.PostFormValue("note"), Publish: publish, BaseVersion: base}
	err = probs.Err()
	if err == nil {
		_, err = s.app.UpdateService(r.Context(), who, id, wr)
	} else if verr := c.Validate(); verr != nil {
		err = append(probs, verr.(*pendopo.Error).Fields...).Err()
	}
	if err != nil {
		data, derr := s.onlineData(r)
		if derr != nil {
			return derr
		}
		if data.Form, err = formErrors(err, data.Lang); err != nil {
			return err
		}
		data.Enabled, data.Online, data.Note = enabled, on, wr.Note
		data.fill()
		s.rd.render(w, r, http.StatusUnprocessableEntity, "admin_online", data)
		return nil
	}
	msg := "draf"
	if publish {
		msg = "terbit"
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/layanan/%d/online?pesan=%s", id, msg), http.StatusSeeOther)
	return nil
}

// onlineInput is the data of the "online-input" partial.
type onlineInput struct {
	Name, Value, Label, Type, Err string
}
