package storetest

import (
	"slices"
	"testing"

	"github.com/pendopo/pendopo"
)

// testFigures checks that monthly figures add up (also when one batch
// repeats a row, also inside a transaction that rolls back), roll up from
// services to agencies to regions, and are read one level at a time.
func testFigures(t *testing.T, s pendopo.Store) {
	kota := pendopo.StatScope{Region: "33.74"}
	dinas := pendopo.StatScope{Region: "33.74", Agency: "disdukcapil"}
	svc := pendopo.StatScope{Region: "33.74", Agency: "disdukcapil", ServiceID: 7}
	other := pendopo.StatScope{Region: "33.72"}
	d := func(s pendopo.StatScope, m pendopo.Month, metric pendopo.Metric, n int64) pendopo.StatDelta {
		return pendopo.StatDelta{StatScope: s, Month: m, Metric: metric, N: n}
	}
	if err := s.AddStats(ctx, []pendopo.StatDelta{
		d(kota, "2026-10", pendopo.MetricRepReceived, 1), d(kota, "2026-10", pendopo.MetricRepReceived, 1),
		d(dinas, "2026-10", pendopo.MetricRepDisposed, 1), d(svc, "2026-10", pendopo.MetricAppReceived, 3),
		d(svc, "2026-11", pendopo.MetricAppDays.Bucket(4), 1), d(other, "2026-11", pendopo.MetricRepReceived, 5),
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStats(ctx, []pendopo.StatDelta{d(kota, "2026-10", pendopo.MetricRepReceived, 2)}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStats(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// A failed transaction adds nothing.
	_ = s.InTx(ctx, func(tx pendopo.Store) error {
		if err := tx.AddStats(ctx, []pendopo.StatDelta{d(kota, "2026-10", pendopo.MetricRepReceived, 100)}); err != nil {
			t.Fatal(err)
		}
		return pendopo.ErrConflict
	})
	for _, tt := range []struct {
		f    pendopo.StatFilter
		want []pendopo.StatRow
	}{
		{pendopo.StatFilter{Region: "33.74"}, []pendopo.StatRow{
			{Month: "2026-10", Metric: pendopo.MetricAppReceived, N: 3},
			{Month: "2026-10", Metric: pendopo.MetricRepDisposed, N: 1},
			{Month: "2026-10", Metric: pendopo.MetricRepReceived, N: 4},
			{Month: "2026-11", Metric: "app_days:4", N: 1},
		}},
		{pendopo.StatFilter{Region: "33.74", Agency: "disdukcapil", From: "2026-11"}, []pendopo.StatRow{
			{Month: "2026-11", Metric: "app_days:4", N: 1},
		}},
		{pendopo.StatFilter{ServiceID: 7, To: "2026-10"}, []pendopo.StatRow{
			{Month: "2026-10", Metric: pendopo.MetricAppReceived, N: 3},
		}},
		{pendopo.StatFilter{GroupBy: "region", From: "2026-11", To: "2026-11"}, []pendopo.StatRow{
			{StatScope: other, Month: "2026-11", Metric: pendopo.MetricRepReceived, N: 5},
			{StatScope: kota, Month: "2026-11", Metric: "app_days:4", N: 1},
		}},
		// Each agency's own level: the service's application rolled up,
		// not the region's own reports.
		{pendopo.StatFilter{Region: "33.74", GroupBy: "agency", From: "2026-10", To: "2026-10"}, []pendopo.StatRow{
			{StatScope: dinas, Month: "2026-10", Metric: pendopo.MetricAppReceived, N: 3},
			{StatScope: dinas, Month: "2026-10", Metric: pendopo.MetricRepDisposed, N: 1},
		}},
		{pendopo.StatFilter{Region: "33.74", GroupBy: "service", Agency: "disdukcapil", To: "2026-10"}, []pendopo.StatRow{
			{StatScope: svc, Month: "2026-10", Metric: pendopo.MetricAppReceived, N: 3},
		}},
		// Summed over the months, and for some metrics only.
		{pendopo.StatFilter{Region: "33.74", Totals: true}, []pendopo.StatRow{
			{Metric: "app_days:4", N: 1}, {Metric: pendopo.MetricAppReceived, N: 3},
			{Metric: pendopo.MetricRepDisposed, N: 1}, {Metric: pendopo.MetricRepReceived, N: 4},
		}},
		{pendopo.StatFilter{Region: "33.74", GroupBy: "service", Totals: true, Metrics: []pendopo.Metric{pendopo.MetricAppReceived}}, []pendopo.StatRow{
			{StatScope: svc, Metric: pendopo.MetricAppReceived, N: 3},
		}},
	} {
		got, err := s.StatRows(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%+v:\n got %+v\nwant %+v", tt.f, got, tt.want)
		}
	}
	if _, err := s.StatRows(ctx, pendopo.StatFilter{GroupBy: "kecamatan"}); err == nil {
		t.Error("an unknown grouping was accepted")
	}
	if err := s.ResetStats(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.StatRows(ctx, pendopo.StatFilter{GroupBy: "region"}); len(got) != 0 {
		t.Errorf("after a reset: %v", got)
	}
}
