package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/pendopo/pendopo"
)

// TestLearnSynonym: only a query of the region's log can be learnt; two
// admins learning at once both keep their rule; a query searched once in
// a day never reaches the database.
func TestLearnSynonym(t *testing.T) {
	a := demoApp(t)
	ctx := context.Background()
	res, err := a.Search(ctx, "surat keterangan sehat", "33.74", pendopo.Page{PerPage: 1})
	if err != nil || len(res.Hits) == 0 {
		t.Fatal("no health certificate in Semarang")
	}
	id := res.Hits[0].ID
	if err := a.LearnSynonym(ctx, pendopo.System, "33.74", "never searched", id, ""); pendopo.KindOf(err) != pendopo.KindInvalid {
		t.Errorf("a query nobody searched: %v", err)
	}
	for _, q := range []string{"qwkeur satu", "qwkeur dua"} {
		a.LogSearch("33.74", q, false, "")
		a.LogSearch("33.74", q, false, "")
	}
	a.LogSearch("33.74", "budi santoso sekali", false, "")
	if err := a.FlushSearchLog(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, q := range []string{"qwkeur satu", "qwkeur dua"} {
		wg.Go(func() { errs[i] = a.LearnSynonym(ctx, pendopo.System, "33.74", q, id, "") })
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("learn at once: %v", errs)
	}
	rules, err := a.Synonyms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rules, "@33.74 qwkeur satu => ") || !strings.Contains(rules, "@33.74 qwkeur dua => ") {
		t.Errorf("a rule was lost:\n%s", rules)
	}
	log, err := a.SearchLog(ctx, pendopo.System, "33.74", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range log {
		if strings.Contains(c.Query, "budi") {
			t.Errorf("a query searched once was written: %+v", c)
		}
	}
	// Learning the same rule again changes nothing.
	if err := a.LearnSynonym(ctx, pendopo.System, "33.74", "qwkeur satu", id, ""); err != nil {
		t.Fatal(err)
	}
	if again, _ := a.Synonyms(ctx); again != rules {
		t.Errorf("the same rule twice:\n%s", again)
	}
}
