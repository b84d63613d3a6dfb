package pendopo_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
)

// TestCatalogs checks the message catalogs against the code: every file
// has the keys of id.json and no others, every key the code or a template
// names exists, and every key is used somewhere.
func TestCatalogs(t *testing.T) {
	source, err := pendopo.ReadCatalog("id")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := fs.Glob(pendopo.Locales, "locales/*.json")
	for _, f := range files {
		lang := strings.TrimSuffix(filepath.Base(f), ".json")
		m, err := pendopo.ReadCatalog(lang)
		if err != nil {
			t.Fatal(err)
		}
		for k := range source {
			if _, ok := m[k]; !ok {
				t.Errorf("%s lacks %s", f, k)
			}
		}
		for k := range m {
			if _, ok := source[k]; !ok {
				t.Errorf("%s has %s, which id.json does not", f, k)
			}
		}
	}

	// All Go sources and templates, tests left out: a key only a test
	// names is dead.
	var all strings.Builder
	// A message written inline, T("…", "…"), bypasses the catalogs; only
	// content (the demo's, the data files') may be written so.
	inline := regexp.MustCompile(`(?:pendopo\.|[^.\w])T\("[^"]*",`)
	content := regexp.MustCompile(`^(internal/(demo|pendopotest|portaltest|apptest|store/storetest)|data)/`)
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "locales") {
			return filepath.SkipDir
		}
		if (strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go")) || strings.HasSuffix(path, ".html") {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			all.Write(b)
			all.WriteByte('\n')
			if loc := inline.FindIndex(b); loc != nil && strings.HasSuffix(path, ".go") && !content.MatchString(filepath.ToSlash(path)) {
				t.Errorf("%s:%d: a message written inline; give it a key in locales/ and use M", path, 1+strings.Count(string(b[:loc[0]]), "\n"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	src := all.String()
	// Keys named in calls: M("key" in Go, .T "key" and .N "key" in
	// templates (including $.T and .P.T).
	used := regexp.MustCompile(`(?:\bM\(|\.[TN]\(|\.[TN] )"([a-z0-9_]+\.[a-z0-9_.]*[a-z0-9_])"`)
	for _, m := range used.FindAllStringSubmatch(src, -1) {
		if _, ok := source[m[1]]; !ok && !strings.HasPrefix(m[1], "component.") {
			t.Errorf("%s is used but not in the catalogs", m[1])
		}
	}
	var unused []string
	for k := range source {
		// A key is used when it is named in full, or built from a prefix
		// that ends with its last dot ("status." + s).
		prefix := k[:strings.LastIndex(k, ".")+1]
		if !strings.Contains(src, `"`+k+`"`) && !strings.Contains(src, `"`+prefix+`"`) {
			unused = append(unused, k)
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Errorf("%d message keys never used: %v", len(unused), unused)
	}
}

// TestMessages checks M: both languages from the catalogs, arguments
// formatted, Text arguments in the same language, unknown keys marked.
func TestMessages(t *testing.T) {
	if got := pendopo.ErrNotFound.Msg; got.Indonesian != "Data tidak ditemukan." || got.English != "Not found." || got.Key != "rule.not_found" {
		t.Errorf("ErrNotFound = %+v", got)
	}
	d := pendopo.Duration{WorkingDays: 5}.Label()
	if d.Indonesian != "5 hari kerja" || d.English != "5 working days" || len(d.Args()) != 1 {
		t.Errorf("duration label = %+v", d)
	}
	nested := pendopo.M("app.someone_holding_key_acted", "3374-0001", pendopo.M("app.reopened_it"), "https://x.test")
	if !strings.Contains(nested.Indonesian, "baru saja membuka kembali") || !strings.Contains(nested.English, "just reopened it") {
		t.Errorf("a Text argument is not in its language: %+v", nested)
	}
	if got := pendopo.M("no.such_key"); got.Indonesian != pendopo.Missing+"no.such_key⟧" {
		t.Errorf("unknown key = %q", got.Indonesian)
	}
	// Texts stay comparable, and equal when made the same way.
	if pendopo.M("rule.not_found") != pendopo.ErrNotFound.Msg || pendopo.M("rule.not_found").IsZero() || !(pendopo.Text{}).IsZero() {
		t.Error("Text equality")
	}
}
