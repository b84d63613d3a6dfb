package pendopo_test

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// layerOf gives every package of the module, by its directory, a layer.
// A new package fails TestLayers until it is given one here.
var layerOf = map[string]string{
	".":                        "domain", // package pendopo: types, rules, store interfaces
	"data":                     "helper", // national reference data
	"ui":                       "helper", // embedded templates and static files
	"internal/blob":            "helper",
	"internal/catalogio":       "helper",
	"internal/chart":           "helper",
	"internal/document":        "helper",
	"internal/figures":         "helper", // public figures: dashboards, e-gov ranking, oversight
	"internal/geo":             "helper", // administrative boundaries: outlines, kecamatan, point in region
	"internal/geo/gen":         "cmd",    // one-off converter of the boundary SQL into data/batas
	"internal/metrics":         "helper",
	"internal/notify":          "helper", // in-app notifications, the email/SMS outbox and its senders
	"internal/photo":           "helper",
	"internal/ratelimit":       "helper",
	"internal/search":          "helper",
	"internal/store":           "store",
	"internal/app":             "usecase",
	"internal/httpx":           "http",
	"internal/web":             "surface",
	"internal/api":             "surface",
	"internal/open311":         "surface",
	"internal/demo":            "seed",
	"internal/backup":          "ops",
	"cmd/pendopo":              "cmd",
	"internal/pendopotest":     "storetesting",
	"internal/store/storetest": "storetesting",
	"internal/photo/phototest": "storetesting",
	"internal/apptest":         "apptesting",
	"internal/portaltest":      "portaltesting",
	"scripts/tour":             "tool", // drives the built binary from outside, as a visitor
	"scripts/ceiling":          "tool", // the load test's yardstick, bare net/http
}

// mayImport lists, for each layer, the layers its packages may import.
// Only helpers and test helpers may import their own layer: the store,
// the use cases and the HTTP core never import each other, and neither
// do the three surfaces.
var mayImport = map[string][]string{
	"domain":        nil,
	"helper":        {"domain", "helper"},
	"store":         {"domain", "helper"},
	"usecase":       {"domain", "helper"},
	"http":          {"domain", "helper"},
	"surface":       {"domain", "helper", "usecase", "http"},
	"seed":          {"domain", "helper", "usecase"},
	"ops":           {"domain", "helper", "store"},
	"cmd":           {"domain", "helper", "store", "usecase", "http", "surface", "seed", "ops"},
	"storetesting":  {"domain", "helper", "store", "storetesting"},
	"apptesting":    {"domain", "helper", "usecase", "storetesting"},
	"portaltesting": {"domain", "helper", "store", "usecase", "http", "surface", "seed", "storetesting", "apptesting"},
	"tool":          nil,
}

// testsMayImport are the layers a package's _test.go files may import on
// top of its own: the test helpers, and the real store and demo content
// that tests run the use cases on. An external test package (package
// x_test) also imports the package it tests.
var testsMayImport = []string{"helper", "store", "seed", "storetesting", "apptesting", "portaltesting"}

// TestLayers keeps dependencies pointing one way (issue 12 §2):
//
//	cmd → web | api | open311 → app → pendopo ← store
//
// with helpers (search, blob, document, …) under the use cases, the HTTP
// core (httpx) beside them, and test helpers that build on the store
// (pendopotest) apart from those that build on the use cases (apptest),
// so that the store's contract suite compiles without the use cases. It
// reads the import lines of every Go file, whatever its build tags.
func TestLayers(t *testing.T) {
	module := modulePath(t)
	seen := map[string]bool{} // directories holding Go files
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(p))
		test := strings.HasSuffix(p, "_test.go")
		external := strings.HasSuffix(f.Name.Name, "_test")
		layer, known := layerOf[dir]
		if !known && !seen[dir] {
			t.Errorf("%s: package has no layer; add it to layerOf in layers_test.go", dir)
		}
		seen[dir] = true
		if !known {
			return nil
		}
		for _, imp := range f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			var to string
			switch {
			case ip == module:
				to = "."
			case strings.HasPrefix(ip, module+"/"):
				to = strings.TrimPrefix(ip, module+"/")
			default:
				continue
			}
			toLayer, ok := layerOf[to]
			switch {
			case !ok:
				t.Errorf("%s: imports %s, which has no layer", p, to)
			case external && to == dir:
				// x_test imports x.
			case slices.Contains(mayImport[layer], toLayer):
			case test && slices.Contains(testsMayImport, toLayer):
			default:
				t.Errorf("%s: %s (%s) imports %s (%s); dependencies point one way, see layers_test.go", p, dir, layer, to, toLayer)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir := range layerOf {
		if !seen[dir] {
			t.Errorf("layerOf names %s, which holds no Go files", dir)
		}
	}
}

// TestStoreBehindUseCases keeps the surfaces and the commands from going
// around the use cases through App.Store(): they import no store package,
// and this test sees that they do not reach one through the app either.
// It looks for any call of a method Store without arguments (an
// atomic.Pointer's Store takes one); the demo loader and tests may.
func TestStoreBehindUseCases(t *testing.T) {
	fset := token.NewFileSet()
	for dir, layer := range layerOf {
		if layer != "surface" && layer != "cmd" {
			continue
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range files {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok && len(c.Args) == 0 {
					if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Store" {
						t.Errorf("%s: calls Store(); go through a use case of internal/app", fset.Position(c.Pos()))
					}
				}
				return true
			})
		}
	}
}

// modulePath reads the module's path from go.mod.
func modulePath(t *testing.T) string {
	t.Helper()
	f, err := os.Open("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m, ok := strings.CutPrefix(sc.Text(), "module "); ok {
			return strings.TrimSpace(m)
		}
	}
	t.Fatal("go.mod names no module")
	return ""
}
