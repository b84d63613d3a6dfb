package web

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/geo"
	"github.com/pendopo/pendopo/internal/httpx"
	"github.com/pendopo/pendopo/ui"
)

// Page is what every page template gets: the language, the title, the
// region whose colours and logo to use, breadcrumbs and the signed-in admin.
type Page struct {
	// Lang is the page's language, one of the catalog's.
	Lang  string
	Title string
	// Description is the meta description for search engines and previews.
	Description string
	// Theme is the region whose colour and logo the page uses; nil for
	// national pages.
	Theme  *pendopo.Region
	Crumbs []Crumb
	// Path is the request path with its query, for the language switch.
	Path string
	// Session is the signed-in person, if any.
	Session *session
	// Query prefills the search box in the header.
	Query     string
	RequestID string
	// Demo marks a portal that shows illustrative demo content.
	Demo bool
	// Noindex asks search engines not to index the page (admin, errors).
	Noindex bool
	// OwnSearch hides the header's search box on pages with a bigger one.
	OwnSearch bool
	// Indonesian marks a page without a region's theme that shows what
	// regions wrote (the comparison of a kind), for ContentNote.
	Indonesian bool
	// cat holds the messages; nil means the embedded catalog.
	cat *catalog
	// kinds are the national service kinds, for their names in lists.
	kinds map[string]pendopo.ServiceKind
	// Content is a page's content made before (see sharedContent), for
	// the shared page template.
	Content template.HTML
}

// Crumb is one link of the breadcrumb trail.
type Crumb struct {
	Label string
	URL   string
}

func (p Page) language() string {
	if p.catalog().has(p.Lang) {
		return p.Lang
	}
	return "id"
}

func (p Page) catalog() *catalog {
	if p.cat != nil {
		return p.cat
	}
	c, err := defaultCatalog()
	if err != nil {
		panic(err) // New has loaded it before any page is made
	}
	return c
}

// T translates a message key into the page's language.
func (p Page) T(key string, args ...any) string { return p.catalog().text(p.language(), key, args...) }

// N translates a message whose form depends on the count n ("1 working
// day", "2 working days"), with the plural rules of the page's language.
// Without args the message is formatted with n alone.
func (p Page) N(key string, n int, args ...any) string {
	if len(args) == 0 {
		args = []any{n}
	}
	return p.catalog().plural(p.language(), key, n, args...)
}

// Tx renders a Text in the page's language.
func (p Page) Tx(t pendopo.Text) string { return p.catalog().tx(p.language(), t) }

// Language is one entry of the language switch.
type Language struct {
	Tag, Name, URL string
}

// OtherLanguages are the languages the page can switch to, each named in
// itself.
func (p Page) OtherLanguages() []Language {
	c := p.catalog()
	out := make([]Language, 0, len(c.langs)-1)
	for _, l := range c.langs {
		if l != p.language() {
			out = append(out, Language{Tag: l, Name: c.names[l], URL: p.LangURL(l)})
		}
	}
	return out
}

// ContentLang marks content that people wrote in Indonesian on a page in
// another language (WCAG 2.1 SC 3.1.2), so that a screen reader reads it
// as Indonesian: ` lang="id"`, or nothing on an Indonesian page.
func (p Page) ContentLang() template.HTMLAttr {
	if p.language() == "id" {
		return ""
	}
	return ` lang="id"`
}

// ContentNote reports whether the page says, once, that official content
// is in Indonesian: on a page in another language that shows what a
// region wrote (a region's pages, searches, comparisons), whose parts
// ContentLang marks.
func (p Page) ContentNote() bool {
	return p.language() != "id" && (p.Theme != nil || p.Indonesian)
}

// MetaDescription is the page's description for search engines and link
// previews: its own, or what the portal (or the region's part of it) is.
func (p Page) MetaDescription() string {
	switch {
	case p.Description != "":
		return p.Description
	case p.Theme != nil:
		return p.T("meta.region", p.Theme.Name)
	}
	return p.T("footer.note")
}

// LangURL is the link that switches to the other language and back here.
func (p Page) LangURL(lang string) string {
	return "/bahasa/" + lang + "?kembali=" + url.QueryEscape(p.Path)
}

// statusAbandoned is the status logged for a visitor who left before the
// answer was ready, as nginx logs a client that closed the connection.
const statusAbandoned = 499

// wib is Western Indonesia Time; dates on pages are shown in it.
var wib = time.FixedZone("WIB", 7*3600)

var monthsID = [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
var monthsEN = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// listItem is one service in a list, with its texts ready in the page's
// language: lists render many of them, and plain fields render fast.
type listItem struct {
	ID                                 int64
	Name, Meta, Summary, Duration, Fee string
	Online, NeedsReview                bool
	// Lang marks the service's own words as Indonesian on a page in
	// another language.
	Lang template.HTMLAttr
	// Kind is the name of the service's national kind in the page's
	// language, beside its Indonesian name; only on a page in another
	// language.
	Kind string
}

// items prepares services for the "service-item" partial; showRegion puts
// the region's name before the agency's.
func (p Page) items(list []pendopo.ServiceSummary, showRegion bool) []listItem {
	out := make([]listItem, len(list))
	for i, s := range list {
		meta := s.AgencyName
		if showRegion {
			meta = s.RegionName + " · " + s.AgencyName
		}
		out[i] = listItem{ID: s.ID, Name: s.Name, Meta: meta, Summary: s.Summary, Duration: p.Tx(s.Duration.Label()),
			Fee: p.Tx(s.Fee.Label()), Online: slices.Contains(s.Channels, pendopo.ChannelOnline), NeedsReview: s.NeedsReview, Lang: p.ContentLang(),
			Kind: p.KindName(s.Kind)}
	}
	return out
}

// KindName is the name of the national service kind code in the page's
// language, shown beside a service's Indonesian name on a page in another
// language; "" on an Indonesian page, or for an unknown kind.
func (p Page) KindName(code string) string {
	k, ok := p.kinds[code]
	if !ok || p.language() == "id" {
		return ""
	}
	return p.Tx(k.Name)
}

// pageValue is the data of a partial that needs the page (for its
// language) and one value.
type pageValue struct {
	P Page
	V any
}

// formField is the data of the admin-text and admin-area partials.
type formField struct {
	Name, Label, Value, Hint, Error, Rows string
	// Type and Auto are the input's type and autocomplete attributes.
	Type, Auto string
}

// pagerData is the data of the "pager" partial.
type pagerData struct {
	P Page
	G pager
}

// renderer holds the page templates, each parsed once at start-up with the
// layout.
type renderer struct {
	// pages holds each page template by language, then name.
	pages map[string]map[string]*template.Template
	// kinds are the national service kinds, given to every page.
	kinds  map[string]pendopo.ServiceKind
	assets *assets
	log    *slog.Logger
	demo   bool
	cat    *catalog
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func newRenderer(as *assets, cat *catalog, log *slog.Logger, demo bool) (*renderer, error) {
	funcs := template.FuncMap{
		"asset": as.url,
		"add":   func(a, b int) int { return a + b },
		"sub":   func(a, b int) int { return a - b },
		"join": func(l []string, sep string) string {
			return strings.Join(l, sep)
		},
		"pg": func(p Page, g pager) pagerData { return pagerData{P: p, G: g} },
		// pv pairs the page with a value for a partial: {{template "x" (pv $.Page .)}}.
		"pv":   func(p Page, v any) pageValue { return pageValue{P: p, V: v} },
		"neg":  func(n int) int { return -n },
		"list": func(s ...string) []string { return s },
		// kecamatan names the kecamatan of region (a kabupaten/kota) a
		// pin lies in, "" when the boundaries do not say.
		"kecamatan": func(region string, l pendopo.ReportLocation) string {
			if !l.Has() || strings.Count(region, ".") != 1 {
				return ""
			}
			if d, ok := geo.Default().Locate(region, *l.Lat, *l.Lng); ok {
				return d.Name
			}
			return ""
		},
		"deref": func(f *float64) float64 {
			if f == nil {
				return 0
			}
			return *f
		},
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i + 1
			}
			return out
		},
		// onlineIn builds one input of the online editor.
		"onlineIn": func(p onlinePage, kind string, i int, attr, value, label, typ string) onlineInput {
			name := p.In(kind, i, attr)
			errPath := name
			if attr == "max_mb" {
				errPath = p.In(kind, i, "max_bytes")
			}
			return onlineInput{Name: name, Value: value, Label: label, Type: typ, Err: p.Err(errPath)}
		},
		"hex": func(b []byte) string { return hex.EncodeToString(b) },
		"b64": func(b []byte) string { return base64.StdEncoding.EncodeToString(b) },
		// applyField pairs an application page with one form field.
		"applyField": func(p applicationPage, f pendopo.FormField) applyFieldData { return applyFieldData{P: p, F: f} },
		// lastNote is the note of an application's latest return.
		"lastNote": func(evs []pendopo.ApplicationEvent) string {
			for i := len(evs) - 1; i >= 0; i-- {
				if evs[i].Action == pendopo.ActReturn {
					return evs[i].Note
				}
			}
			return ""
		},
		// field builds the data of the admin-text and admin-area partials;
		// rest may hold the error path (when it is not the name) and rows.
		"field": func(f interface{ Err(string) string }, name, label, value, hint string, rest ...string) formField {
			ff := formField{Name: name, Label: label, Value: value, Hint: hint}
			errPath := name
			if len(rest) > 0 && rest[0] != "" {
				errPath = rest[0]
			}
			if len(rest) > 1 {
				ff.Rows = rest[1]
			}
			ff.Error = f.Err(errPath)
			return ff
		},
		// input builds the data of an account form field: its type
		// ("text", "password", "email", …) and autocomplete token.
		"input": func(f interface{ Err(string) string }, name, label, value, hint, typ, auto string) formField {
			return formField{Name: name, Label: label, Value: value, Hint: hint, Type: typ, Auto: auto, Error: f.Err(name)}
		},
		"qs": func(kv ...string) template.URL {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i+1] != "" {
					v.Set(kv[i], kv[i+1])
				}
			}
			if len(v) == 0 {
				return ""
			}
			return template.URL("?" + v.Encode())
		},
	}
	r := &renderer{pages: map[string]map[string]*template.Template{}, assets: as, log: log, demo: demo, cat: cat}
	for _, lang := range cat.langs {
		src := func(name string) (string, error) {
			b, err := fs.ReadFile(ui.Templates, "templates/"+name)
			if err != nil {
				return "", err
			}
			baked, missing := cat.bake(string(b), lang)
			if len(missing) > 0 {
				return "", fmt.Errorf("%s: no %s message for %s", name, lang, strings.Join(missing, ", "))
			}
			return baked, nil
		}
		layoutSrc, err := src("layout.html")
		if err != nil {
			return nil, err
		}
		partials, err := src("partials.html")
		if err != nil {
			return nil, err
		}
		// One set of templates per language, shared by every page: the
		// layout split around its content into a head and a foot, the
		// partials, and each page's content under a name of its own. A
		// copy of the layout and partials per page and language was 22 MB
		// of a server's memory.
		head, foot, ok := strings.Cut(layoutSrc, contentCall)
		if !ok || strings.Contains(foot, contentCall) {
			return nil, fmt.Errorf("layout.html must call %s once, outside any action", contentCall)
		}
		set, err := template.New("layout-head").Funcs(funcs).Parse(head)
		if err == nil {
			_, err = set.New("layout-foot").Parse(foot)
		}
		if err == nil {
			_, err = set.New("partials.html").Parse(partials)
		}
		if err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		names, err := fs.Glob(ui.Templates, "templates/*.html")
		if err != nil {
			return nil, err
		}
		r.pages[lang] = map[string]*template.Template{}
		// What each file defines, so that no page overrides a partial or
		// another page's.
		defined := map[string]string{}
		for _, m := range definition.FindAllStringSubmatch(partials, -1) {
			defined[m[1]] = "partials.html"
		}
		for _, n := range names {
			file := strings.TrimPrefix(n, "templates/")
			base := strings.TrimSuffix(file, ".html")
			if base == "layout" || base == "partials" {
				continue
			}
			text, err := src(file)
			if err != nil {
				return nil, err
			}
			if c := strings.Count(text, `{{define "content"}}`); c != 1 {
				return nil, fmt.Errorf("template %s defines \"content\" %d times, not once", n, c)
			}
			for _, m := range definition.FindAllStringSubmatch(text, -1) {
				if other, ok := defined[m[1]]; ok && m[1] != "content" {
					return nil, fmt.Errorf("templates %s and %s both define %q", other, file, m[1])
				}
				defined[m[1]] = file
			}
			text = strings.Replace(text, `{{define "content"}}`, fmt.Sprintf("{{define %q}}", contentOf(base)), 1)
			if _, err := set.New(file).Parse(text); err != nil {
				return nil, fmt.Errorf("parse %s: %w", n, err)
			}
			if _, err := set.New(base).Parse(fmt.Sprintf(`{{template "layout-head" .}}{{template %q .}}{{template "layout-foot" .}}`, contentOf(base))); err != nil {
				return nil, fmt.Errorf("parse %s: %w", n, err)
			}
			r.pages[lang][base] = set
		}
	}
	return r, nil
}

// contentCall is where the layout puts a page's content.
const contentCall = `{{template "content" .}}`

// contentOf names the content of the page template base in the shared set.
func contentOf(base string) string { return "content:" + base }

// definition finds the templates a file defines.
var definition = regexp.MustCompile(`\{\{-? ?define "([^"]+)"`)

// plainMessage matches a template action that only shows a message without
// arguments, such as {{.T "search.button"}}.
var plainMessage = regexp.MustCompile(`\{\{\$?\.(?:P\.)?T "([a-z0-9_.]+)"\}\}`)

// bake writes the messages without arguments into the template source of
// one language, so that rendering does not look them up: a page has dozens
// of them, and each lookup is a reflective method call.
// Keys without a message are returned, so that the portal refuses to start
// rather than show them.
func (c *catalog) bake(src, lang string) (string, []string) {
	var unknown []string
	out := plainMessage.ReplaceAllStringFunc(src, func(m string) string {
		key := plainMessage.FindStringSubmatch(m)[1]
		msg := c.text(lang, key)
		if strings.HasPrefix(msg, missing) {
			unknown = append(unknown, key)
			return m
		}
		return html.EscapeString(msg)
	})
	return out, unknown
}

// page fills the common fields of a page for request r.
func (rd *renderer) page(r *http.Request, title string) Page {
	p := Page{
		Lang: httpx.Lang(r.Context()), Title: title, Path: r.URL.RequestURI(),
		RequestID: httpx.RequestID(r.Context()), Demo: rd.demo, cat: rd.cat, kinds: rd.kinds,
	}
	p.Session = current(r)
	return p
}

// render executes page name with data into a buffer first, so that a
// template error becomes a clean error page instead of half a page.
func (rd *renderer) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	lang := "id"
	if l, ok := data.(interface{ language() string }); ok {
		lang = l.language()
	}
	t, ok := rd.pages[lang][name]
	if !ok {
		panic("unknown page template " + name)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := t.ExecuteTemplate(buf, name, data); err != nil {
		rd.log.Error("render page", "page", name, "err", err, "request_id", httpx.RequestID(r.Context()))
		http.Error(w, "Terjadi kesalahan pada sistem. / Internal error.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// content executes the content of page alone, for content made once and
// given to many (see sharedContent).
func (rd *renderer) content(page string, data interface{ language() string }) (template.HTML, error) {
	t, ok := rd.pages[data.language()][page]
	if !ok {
		panic("unknown page template " + page)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, contentOf(page), data); err != nil {
		return "", fmt.Errorf("render the content of %s: %w", page, err)
	}
	return template.HTML(b.String()), nil // escaped by html/template as it was made
}

// errorPage is the data of the error page.
type errorPage struct {
	Page
	Status  int
	Message string
	Fields  []pendopo.FieldError
}

// fail renders err as a friendly page: its message for user errors, a
// generic one with the request id for anything else (logged in full).
func (rd *renderer) fail(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		// The visitor left (or took too long): nobody reads an error page,
		// and nothing went wrong on our side.
		rd.log.Debug("request abandoned", "path", r.URL.Path, "request_id", httpx.RequestID(r.Context()))
		w.WriteHeader(statusAbandoned)
		return
	}
	ue := httpx.UserError(err)
	status := httpx.Status(ue.Kind)
	if status >= 500 {
		rd.log.Error("request failed", "err", err, "path", r.URL.Path, "request_id", httpx.RequestID(r.Context()))
	}
	p := rd.page(r, "")
	p.Noindex, p.OwnSearch = true, true
	msg := p.Tx(ue.Msg)
	switch status {
	case http.StatusNotFound:
		p.Title = p.T("error.notfound.title")
		// A specific reason (an expired invitation, say) is kept; the
		// store's generic "not found" gets the page's friendlier text.
		if ue.Msg == pendopo.ErrNotFound.Msg || ue.Msg.Indonesian == "" {
			msg = p.T("error.notfound.body")
		}
	case http.StatusInternalServerError:
		p.Title = p.T("error.internal.title")
	default:
		p.Title = p.T("error.title")
	}
	h := w.Header()
	h.Del("Content-Encoding")
	h.Set("Cache-Control", "no-store")
	httpx.SetRetryAfter(h, ue)
	rd.render(w, r, status, "error", errorPage{Page: p, Status: status, Message: msg, Fields: ue.Fields})
}
