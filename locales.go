package pendopo

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// Locales holds the message catalogs, one file per language named by its
// BCP 47 tag (id.json, en.json, …) in the JSON format of go-i18n: a key
// maps to a message, or to its plural forms ("one", "other", …). Indonesian
// is the source; the web layer serves every language that has a file.
//
//go:embed locales/*.json
var Locales embed.FS

// Missing marks a key without a message; tests render every page and
// message in every language and fail when it appears.
const Missing = "⟦"

// catalogs are the Indonesian and English messages, read once: domain
// rules and the use cases build their Texts from them. Only the "other"
// form is kept here; plural forms are chosen where a count is rendered.
var catalogs = sync.OnceValue(func() [2]map[string]string {
	var out [2]map[string]string
	for i, lang := range []string{"id", "en"} {
		m, err := ReadCatalog(lang)
		if err != nil {
			panic(err) // the files are embedded; a test reads them first
		}
		out[i] = m
	}
	return out
})

// ReadCatalog reads the catalog of lang from Locales, each key with its
// "other" form.
func ReadCatalog(lang string) (map[string]string, error) {
	b, err := Locales.ReadFile("locales/" + lang + ".json")
	if err != nil {
		return nil, fmt.Errorf("read catalog %s: %w", lang, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("parse catalog %s: %w", lang, err)
	}
	m := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			m[k] = s
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil || forms["other"] == "" {
			return nil, fmt.Errorf("catalog %s: key %q is neither a message nor plural forms with \"other\"", lang, k)
		}
		m[k] = forms["other"]
	}
	return m, nil
}

// M builds the catalog message key in Indonesian and English, formatted
// with args as fmt.Sprintf does; an argument that is a Text is put in the
// same language. An unknown key shows as ⟦key⟧.
func M(key string, args ...any) Text {
	c := catalogs()
	t := Text{Indonesian: format(c[0], key, "id", args), English: format(c[1], key, "en", args), Key: key}
	if len(args) > 0 {
		t.args = &args
	}
	return t
}

// Format renders a catalog message with args as fmt.Sprintf does, each
// Text argument rendered by text: the web layer uses it for languages
// other than the two above.
func Format(msg string, args []any, text func(Text) string) string {
	if len(args) == 0 || !strings.Contains(msg, "%") {
		return msg
	}
	in := args
	copied := false
	for i, a := range args {
		if t, ok := a.(Text); ok {
			if !copied {
				in, copied = append([]any(nil), args...), true
			}
			in[i] = text(t)
		}
	}
	return fmt.Sprintf(msg, in...)
}

func format(catalog map[string]string, key, lang string, args []any) string {
	msg, ok := catalog[key]
	if !ok {
		return Missing + key + "⟧"
	}
	return Format(msg, args, func(t Text) string { return t.In(lang) })
}
