package storetest

import (
	"context"
	"testing"

	"github.com/pendopo/pendopo"
)

// testSearchLog: counts of the same day, region and query add up; a
// province's scope covers its kabupaten/kota; the worst queries come
// first; old days are forgotten.
func testSearchLog(t *testing.T, s pendopo.Store) {
	ctx := context.Background()
	day := pendopo.Day(20794) // 2026-12-07
	add := func(cs ...pendopo.SearchCount) {
		t.Helper()
		if err := s.AddSearchCounts(ctx, cs); err != nil {
			t.Fatal(err)
		}
	}
	add(pendopo.SearchCount{Day: day, Region: "33.74", Query: "keur", Searches: 2, Empty: 2},
		pendopo.SearchCount{Day: day, Region: "33.74", Query: "ktp", Searches: 9},
		pendopo.SearchCount{Day: day, Region: "", Query: "residence letter", Searches: 3, Refined: 1},
		pendopo.SearchCount{Day: day - 40, Region: "33.74", Query: "keur", Searches: 5, Empty: 5})
	add(pendopo.SearchCount{Day: day, Region: "33.74", Query: "keur", Searches: 1, Empty: 1},
		pendopo.SearchCount{Day: day - 1, Region: "33.74", Query: "keur", Searches: 1, Empty: 1},
		pendopo.SearchCount{Day: day, Region: "32.73", Query: "keur", Searches: 1, Empty: 1})

	got, err := s.SearchCounts(ctx, "33", day-29, day, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []pendopo.SearchCount{{Region: "33.74", Query: "keur", Searches: 4, Empty: 4}, {Region: "33.74", Query: "ktp", Searches: 9}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("province 33, last 30 days: %+v, want %+v", got, want)
	}
	all, err := s.SearchCounts(ctx, "", day-29, day, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Query != "keur" || all[0].Region != "33.74" || all[1].Query != "residence letter" {
		t.Errorf("national, two rows: %+v", all)
	}
	if err := s.DeleteSearchCountsBefore(ctx, day-29); err != nil {
		t.Fatal(err)
	}
	if old, _ := s.SearchCounts(ctx, "33.74", day-100, day-30, 10); len(old) != 0 {
		t.Errorf("forgotten days still counted: %+v", old)
	}
}
