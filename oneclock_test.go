package pendopo_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestOneClock keeps one clock in the whole program: the app's. Rules,
// handlers and limiters read the time from the clock the app was given
// (app.Config.Now), which tests fix, so that a test means the same on any
// date. A read of the wall clock (time.Now, time.Since, time.Until) is
// allowed only where the line says why with a "wallclock:" comment: a
// duration being measured, the age of a cache entry, a protocol whose
// other side checks the real time, or the app's clock itself. SQL that
// asks the database for its own clock is refused outright.
//
// This is the proof that no test depends on today's date; CI also runs the
// whole suite once with the process's wall clock a year ahead (see
// scripts/future-clock), which catches what this check cannot see, such as
// a library reading the wall clock on our behalf.
func TestOneClock(t *testing.T) {
	sqlClock := regexp.MustCompile(`(?i)\b(current_timestamp|current_date|current_time|localtimestamp|localtime|now\s*\(\s*\)|clock_timestamp|statement_timestamp|transaction_timestamp)\b|'now'`)
	fset := token.NewFileSet()
	allowed := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".sql":
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, line := range strings.Split(string(b), "\n") {
				if code, _, _ := strings.Cut(line, "--"); sqlClock.MatchString(code) {
					t.Errorf("%s:%d: SQL reads the database's clock; pass the app's time as a parameter instead", path, i+1)
				}
			}
		case ".go":
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				return err
			}
			allowed += checkClock(t, fset, f, sqlClock)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if allowed == 0 {
		t.Fatal("no wall-clock reads found at all: is the check looking at the source tree?")
	}
	t.Logf("%d wall-clock reads, each with its reason", allowed)
}

// checkClock reports the wall-clock reads of one file that carry no
// "wallclock:" reason and SQL strings that read the database's clock; it
// returns how many reads have a reason.
func checkClock(t *testing.T, fset *token.FileSet, f *ast.File, sqlClock *regexp.Regexp) int {
	t.Helper()
	timePkg := ""
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "time" {
			timePkg = "time"
			if imp.Name != nil {
				timePkg = imp.Name.Name
			}
		}
	}
	reasons := map[int]bool{}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if strings.Contains(c.Text, "wallclock:") {
				reasons[fset.Position(c.Pos()).Line] = true
			}
		}
	}
	allowed := 0
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			id, ok := n.X.(*ast.Ident)
			if !ok || timePkg == "" || id.Name != timePkg || id.Obj != nil {
				return true
			}
			switch n.Sel.Name {
			case "Now", "Since", "Until":
				pos := fset.Position(n.Pos())
				if reasons[pos.Line] {
					allowed++
				} else {
					t.Errorf("%s:%d: time.%s reads the wall clock; use the app's clock (a.now(), s.app.Now()), or say on the line why the wall clock is right with a \"// wallclock: reason\" comment",
						pos.Filename, pos.Line, n.Sel.Name)
				}
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING && sqlClock.MatchString(n.Value) && strings.Contains(strings.ToUpper(n.Value), "SELECT") ||
				n.Kind == token.STRING && sqlClock.MatchString(n.Value) && regexp.MustCompile(`(?i)\b(insert|update|delete|where|default)\b`).MatchString(n.Value) {
				pos := fset.Position(n.Pos())
				t.Errorf("%s:%d: SQL reads the database's clock; pass the app's time as a parameter instead", pos.Filename, pos.Line)
			}
		}
		return true
	})
	return allowed
}
