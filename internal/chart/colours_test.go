package chart

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
)

// TestColours reads the series colours from the stylesheet: each must
// stand out 3:1 against the white background (WCAG 2.1, 1.4.11), and
// every series a chart can have must have its fill and stroke rules.
func TestColours(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "ui", "static", "pendopo.css"))
	if err != nil {
		t.Fatal(err)
	}
	css := string(b)
	rule := regexp.MustCompile(`(?m)^\.chart\{([^}]*)\}`).FindStringSubmatch(css)
	if rule == nil {
		t.Fatal("no .chart rule in pendopo.css")
	}
	vars := regexp.MustCompile(`--(c\d):(#[0-9a-f]{6})`).FindAllStringSubmatch(rule[1], -1)
	if len(vars) != MaxSeries-1 {
		t.Errorf("%d series colours besides --brand, want %d", len(vars), MaxSeries-1)
	}
	for _, v := range vars {
		if r, ok := pendopo.ContrastWithWhite(v[2]); !ok || r < 3 {
			t.Errorf("--%s %s has contrast %.2f:1 with white, want at least 3:1", v[1], v[2], r)
		}
	}
	// The first series is the region's colour, which the region's
	// profile already holds to 4.5:1 with white.
	if !strings.Contains(css, ".chart .f0{fill:var(--brand)}") {
		t.Error("the first series is not drawn in --brand")
	}
	for i := range MaxSeries {
		for _, want := range []string{fmt.Sprintf(".chart .f%d{fill:", i), fmt.Sprintf(".chart .k%d{stroke:", i)} {
			if !strings.Contains(css, want) {
				t.Errorf("pendopo.css has no %s…}", want)
			}
		}
	}
}
