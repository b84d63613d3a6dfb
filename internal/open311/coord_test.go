package open311

import "testing"

// TestCoordRounded: coordinates print to six decimals at most, without
// the float's noise.
func TestCoordRounded(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want string
	}{{110.33500000000001, "110.335"}, {-6.98999999, "-6.99"}, {-7.1234567, "-7.123457"}, {110, "110"}} {
		v := tt.in
		if got, _ := coordOf(&v).MarshalText(); string(got) != tt.want {
			t.Errorf("%v → %s, want %s", tt.in, got, tt.want)
		}
	}
}
