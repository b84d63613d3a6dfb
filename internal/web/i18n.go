package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"

	"github.com/pendopo/pendopo"
)

// missing marks a message key without a translation; a test renders every
// page in every language and fails when it appears.
const missing = pendopo.Missing

// catalog holds the interface messages of every language that has a file
// in the locales (pendopo.Locales unless configured), read with go-i18n,
// which also knows each language's plural rules. Indonesian is the source:
// every other file must have every one of its keys, or the portal refuses
// to start.
type catalog struct {
	// langs are the tags of the files: Indonesian, then English, then the
	// rest in order of their tag.
	langs []string
	// names are each language's name in itself (the key language.name),
	// for the language switch.
	names map[string]string
	// plain are the messages in their "other" form, by language and key:
	// most messages have no plural, and a map lookup is cheap.
	plain map[string]map[string]string
	// localizers choose plural forms.
	localizers map[string]*i18n.Localizer
	// plurals are the keys with more than one form in some language.
	plurals map[string]bool
}

// defaultCatalog is the catalog of the embedded locales.
var defaultCatalog = sync.OnceValues(func() (*catalog, error) { return loadCatalog(pendopo.Locales) })

// loadCatalog reads every locales/*.json of fsys.
func loadCatalog(fsys fs.FS) (*catalog, error) {
	files, err := fs.Glob(fsys, "locales/*.json")
	if err != nil {
		return nil, err
	}
	bundle := i18n.NewBundle(language.Indonesian)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &catalog{names: map[string]string{}, plain: map[string]map[string]string{}, localizers: map[string]*i18n.Localizer{}, plurals: map[string]bool{}}
	keys := map[string][]string{}
	for _, f := range files {
		lang := strings.TrimSuffix(path.Base(f), ".json")
		tag, err := language.Parse(lang)
		if err != nil || tag.String() != lang {
			return nil, fmt.Errorf("%s: the file name must be a BCP 47 language tag such as id, en or jv", f)
		}
		mf, err := bundle.LoadMessageFileFS(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", f, err)
		}
		c.langs = append(c.langs, lang)
		plain := make(map[string]string, len(mf.Messages))
		for _, m := range mf.Messages {
			if m.Other == "" {
				return nil, fmt.Errorf("%s: %s has no \"other\" form", f, m.ID)
			}
			plain[m.ID] = m.Other
			if m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != "" {
				c.plurals[m.ID] = true
			}
			keys[lang] = append(keys[lang], m.ID)
		}
		c.plain[lang] = plain
		c.names[lang] = plain["language.name"]
	}
	order := func(l string) string {
		switch l {
		case "id":
			return "0"
		case "en":
			return "1"
		}
		return "2" + l
	}
	slices.SortFunc(c.langs, func(a, b string) int { return strings.Compare(order(a), order(b)) })
	if len(c.langs) == 0 || c.langs[0] != "id" {
		return nil, fmt.Errorf("locales: no id.json, the source catalog")
	}
	for _, lang := range c.langs {
		c.localizers[lang] = i18n.NewLocalizer(bundle, lang)
		var lacking []string
		for _, k := range keys["id"] {
			if _, ok := c.plain[lang][k]; !ok {
				lacking = append(lacking, k)
			}
		}
		if len(lacking) > 0 {
			slices.Sort(lacking)
			return nil, fmt.Errorf("locales/%s.json lacks %d keys of id.json: %s", lang, len(lacking), strings.Join(lacking[:min(len(lacking), 10)], ", "))
		}
		if c.names[lang] == "" {
			return nil, fmt.Errorf("locales/%s.json: no language.name", lang)
		}
	}
	return c, nil
}

// has reports whether lang has a catalog.
func (c *catalog) has(lang string) bool { _, ok := c.plain[lang]; return ok }

// text returns the message key in lang, formatted with args.
func (c *catalog) text(lang, key string, args ...any) string {
	m, ok := c.plain[lang][key]
	if !ok {
		if s, ok := c.component(lang, key); ok {
			return s
		}
		return missing + key + "⟧"
	}
	return pendopo.Format(m, args, func(t pendopo.Text) string { return c.tx(lang, t) })
}

// component names the Standar Pelayanan components ("component.<key>").
func (c *catalog) component(lang, key string) (string, bool) {
	k, ok := strings.CutPrefix(key, "component.")
	if !ok {
		return "", false
	}
	for _, comp := range pendopo.Components {
		if comp.Key == k {
			return c.tx(lang, comp.Title), true
		}
	}
	return "", false
}

// plural returns the form of key that lang uses for the count n, formatted
// with args (which usually hold n too).
func (c *catalog) plural(lang, key string, n int, args ...any) string {
	if !c.plurals[key] {
		return c.text(lang, key, args...)
	}
	loc, ok := c.localizers[lang]
	if !ok {
		return missing + key + "⟧"
	}
	m, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key, PluralCount: n, TemplateParser: template.IdentityParser{}})
	if err != nil {
		return missing + key + "⟧"
	}
	return pendopo.Format(m, args, func(t pendopo.Text) string { return c.tx(lang, t) })
}

// tx renders a Text in lang: Indonesian and English are in the Text; other
// languages render a catalog message from their own file, and show content
// written by people in Indonesian.
func (c *catalog) tx(lang string, t pendopo.Text) string {
	if lang == "id" || lang == "en" || t.Key == "" {
		return t.In(lang)
	}
	if m, ok := c.plain[lang][t.Key]; ok {
		return pendopo.Format(m, t.Args(), func(t pendopo.Text) string { return c.tx(lang, t) })
	}
	return t.Indonesian
}
