package figures

import (
	"testing"

	"github.com/pendopo/pendopo"
)

// TestRank orders a ranking best first, ties by code, with regions that
// have not started after those that have, and equal scores sharing a place.
func TestRank(t *testing.T) {
	ri := func(code string, score float64, started bool) RegionIndex {
		return RegionIndex{Region: pendopo.Region{Code: code}, EgovIndex: pendopo.EgovIndex{Score: score, Started: started}}
	}
	l := []RegionIndex{ri("33.74", 60, true), ri("33.01", 0, false), ri("33.02", 80, true), ri("33.03", 60, true), ri("33.00", 0, true)}
	rank(l)
	want := []struct {
		code string
		rank int
	}{{"33.02", 1}, {"33.03", 2}, {"33.74", 2}, {"33.00", 4}, {"33.01", 4}}
	for i, w := range want {
		if l[i].Region.Code != w.code || l[i].Rank != w.rank {
			t.Errorf("place %d: %s ranked %d, want %s ranked %d", i, l[i].Region.Code, l[i].Rank, w.code, w.rank)
		}
	}
}
