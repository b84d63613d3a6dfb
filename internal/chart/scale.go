package chart

import "math"

// scale is a value axis from Min to Max in steps of Step, all round
// numbers, so that gridlines fall on values a reader can name.
type scale struct {
	Min, Max, Step float64
	// Decimals is how many decimals a tick needs to show Step exactly.
	Decimals int
}

// ticksWanted is about how many intervals an axis gets: enough to read a
// value off, few enough for a phone.
const ticksWanted = 5

// niceScale covers lo..hi (lo ≤ hi, both finite) with 1, 2 or 5 times a
// power of ten per step; whole keeps steps at 1 or more. An empty range
// (a single value, or all zeros) still gets an axis that starts at zero,
// so that a lone bar is drawn against something.
func niceScale(lo, hi float64, whole bool) scale {
	if hi <= lo {
		lo = math.Min(lo, 0)
		if hi <= lo {
			// All zeros: an axis 0..1 (0..5 for counts).
			hi = 1
			if whole {
				hi = ticksWanted
			}
		}
	}
	// Below a millionth the axis would need more decimals than a reader
	// can take in; such values are drawn against 0..0,000001.
	hi = math.Max(hi, lo+1e-6)
	// The smallest round step that needs at most one interval more than
	// wanted: 0..101 gets 0..120 in steps of 20, not 0..150 in steps of 50.
	mag := math.Pow(10, math.Floor(math.Log10((hi-lo)/ticksWanted)))
	var step float64
	for _, m := range []float64{1, 2, 5, 10, 20} {
		step = m * mag
		if whole && step < 1 {
			continue
		}
		if n := math.Ceil(hi/step-1e-9) - math.Floor(lo/step+1e-9); n <= ticksWanted+1 {
			break
		}
	}
	d := max(0, decimalsOf(step))
	s := scale{Step: step, Decimals: d}
	// The small tolerance keeps 0.30000000000000004 from growing an
	// axis by one step.
	s.Min = round(math.Floor(lo/step+1e-9)*step, d)
	s.Max = round(math.Ceil(hi/step-1e-9)*step, d)
	return s
}

// Ticks lists the values of the axis's gridlines, Min and Max included.
func (s scale) Ticks() []float64 {
	var out []float64
	for i := 0; ; i++ {
		v := round(s.Min+float64(i)*s.Step, s.Decimals)
		if v > s.Max+s.Step*1e-9 {
			return out
		}
		out = append(out, v)
	}
}

// decimalsOf is how many decimals it takes to write step, a power of ten
// times 1, 2 or 5: 0.5 takes one, 0.0002 four, 20 none (negative).
func decimalsOf(step float64) int {
	return -int(math.Floor(math.Log10(step) + 1e-9))
}

// round rounds v to d decimals.
func round(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}
