package chart

import (
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		lang     string
		want     string
	}{
		{0, 0, "id", "0"},
		{7, 0, "id", "7"},
		{999, 0, "id", "999"},
		{1000, 0, "id", "1.000"},
		{1234567, 0, "id", "1.234.567"},
		{1234567, 0, "en", "1,234,567"},
		{1234.5, 1, "id", "1.234,5"},
		{1234.5, 1, "en", "1,234.5"},
		{88.31, 2, "id", "88,31"},
		{88.3, 2, "id", "88,30"},
		{0.05, 1, "id", "0,1"},
		{0.04, 1, "id", "0,0"},
		{-0.04, 1, "id", "0,0"},
		{-1500, 0, "id", "-1.500"},
		{999.96, 1, "id", "1.000,0"},
		{1e15, 0, "id", "1.000.000.000.000.000"},
		{12.345678, 2, "id", "12,35"},
		{3, -1, "id", "3"},
	}
	for _, tt := range tests {
		if got := Number(tt.v, tt.decimals, tt.lang); got != tt.want {
			t.Errorf("Number(%v, %d, %q) = %q, want %q", tt.v, tt.decimals, tt.lang, got, tt.want)
		}
	}
}

func TestUnitFormat(t *testing.T) {
	tests := []struct {
		u    Unit
		v    float64
		lang string
		want string
	}{
		{Count, 12345, "id", "12.345"},
		{Count, 12345, "en", "12,345"},
		{Count, 2.6, "id", "3"},
		{Percent, 87.5, "id", "87,5%"},
		{Percent, 87.5, "en", "87.5%"},
		{Percent, 100, "id", "100,0%"},
		{Days, 4.25, "id", "4,3 hari"},
		{Days, 4.25, "en", "4.3 days"},
		{Score, 88.31, "id", "88,31"},
		{Score, 88.31, "en", "88.31"},
		{Score, 3000.5, "id", "3.000,50"},
	}
	for _, tt := range tests {
		if got := tt.u.Format(tt.v, tt.lang); got != tt.want {
			t.Errorf("Unit(%d).Format(%v, %q) = %q, want %q", tt.u, tt.v, tt.lang, got, tt.want)
		}
	}
}

func TestTickLabel(t *testing.T) {
	tests := []struct {
		u      Unit
		lo, hi float64
		lang   string
		want   []string
	}{
		{Count, 0, 47, "id", []string{"0", "10", "20", "30", "40", "50"}},
		{Percent, 0, 100, "id", []string{"0%", "20%", "40%", "60%", "80%", "100%"}},
		{Score, 0, 1.8, "id", []string{"0", "0,5", "1,0", "1,5", "2,0"}},
		{Score, 0, 1.8, "en", []string{"0", "0.5", "1.0", "1.5", "2.0"}},
		{Count, 0, 2_300_000, "id", []string{"0", "0,5 jt", "1,0 jt", "1,5 jt", "2,0 jt", "2,5 jt"}},
		{Count, 0, 2_300_000, "en", []string{"0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"}},
		{Count, 0, 9e9, "id", []string{"0", "2 M", "4 M", "6 M", "8 M", "10 M"}},
		{Count, 0, 9e9, "en", []string{"0", "2B", "4B", "6B", "8B", "10B"}},
		{Count, 0, 45000, "id", []string{"0", "10.000", "20.000", "30.000", "40.000", "50.000"}},
		{Percent, 0, 0.003, "id", []string{"0%", "0,0005%", "0,0010%", "0,0015%", "0,0020%", "0,0025%", "0,0030%"}},
	}
	for _, tt := range tests {
		s := niceScale(tt.lo, tt.hi, tt.u.whole())
		var got []string
		for _, v := range s.Ticks() {
			got = append(got, tt.u.tickLabel(v, s, tt.lang))
		}
		if !equal(got, tt.want) {
			t.Errorf("ticks of %v..%v (%d, %s) = %q, want %q", tt.lo, tt.hi, tt.u, tt.lang, got, tt.want)
		}
	}
}

func TestNiceScale(t *testing.T) {
	tests := []struct {
		name           string
		lo, hi         float64
		whole          bool
		min, max, step float64
	}{
		{"percent", 0, 100, false, 0, 100, 20},
		{"just over a step", 0, 101, false, 0, 120, 20},
		{"counts", 0, 47, true, 0, 50, 10},
		{"few counts stay whole", 0, 3, true, 0, 3, 1},
		{"one report", 1, 1, true, 0, 1, 1},
		{"all zeros, counts", 0, 0, true, 0, 5, 1},
		{"all zeros", 0, 0, false, 0, 1, 0.2},
		{"single value", 88.31, 88.31, false, 0, 100, 20},
		{"IKM near target", 85.2, 89.9, false, 85, 90, 1},
		{"days", 0, 7.3, false, 0, 8, 2},
		{"small", 0, 0.034, false, 0, 0.04, 0.01},
		{"tiny", 0, 1e-9, false, 0, 1e-6, 2e-7},
		{"large", 0, 1.234e12, false, 0, 1.5e12, 5e11},
		{"tenths do not add a step", 0, 0.3, false, 0, 0.3, 0.05},
		{"2.5 steps are not used", 0, 12, false, 0, 12, 2},
		{"whole steps for few counts", 0, 2, true, 0, 2, 1},
		{"non-zero start", 40, 95, false, 40, 100, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := niceScale(tt.lo, tt.hi, tt.whole)
			if !near(s.Min, tt.min) || !near(s.Max, tt.max) || !near(s.Step, tt.step) {
				t.Fatalf("niceScale(%v, %v, %v) = %v..%v step %v, want %v..%v step %v",
					tt.lo, tt.hi, tt.whole, s.Min, s.Max, s.Step, tt.min, tt.max, tt.step)
			}
			ticks := s.Ticks()
			if n := len(ticks) - 1; n < 1 || n > ticksWanted+1 {
				t.Errorf("%d intervals: %v", n, ticks)
			}
			if !near(ticks[0], s.Min) || !near(ticks[len(ticks)-1], s.Max) {
				t.Errorf("ticks %v do not run from %v to %v", ticks, s.Min, s.Max)
			}
			if s.Min > tt.lo || s.Max < tt.hi {
				t.Errorf("axis %v..%v does not cover %v..%v", s.Min, s.Max, tt.lo, tt.hi)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
