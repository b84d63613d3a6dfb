package web

import (
	"reflect"
	"testing"

	"github.com/pendopo/pendopo"
)

func TestLineDiff(t *testing.T) {
	tests := []struct {
		a, b []string
		want []diffLine
	}{
		{nil, nil, nil},
		{[]string{"KTP"}, []string{"KTP"}, []diffLine{{"=", "KTP"}}},
		{nil, []string{"KTP"}, []diffLine{{"+", "KTP"}}},
		{[]string{"KTP", "KK"}, []string{"KK"}, []diffLine{{"-", "KTP"}, {"=", "KK"}}},
		{[]string{"KTP", "KK", "Akta"}, []string{"KTP", "Surat nikah", "Akta"}, []diffLine{{"=", "KTP"}, {"-", "KK"}, {"+", "Surat nikah"}, {"=", "Akta"}}},
		{[]string{"a", "b"}, []string{"b", "a"}, []diffLine{{"-", "a"}, {"=", "b"}, {"+", "a"}}},
	}
	for _, tt := range tests {
		if got := lineDiff(tt.a, tt.b); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("lineDiff(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestContentDiff(t *testing.T) {
	a := pendopo.ServiceContent{Name: "Akta", Standard: pendopo.Standard{Requirements: []string{"KTP", "KK"}, Duration: pendopo.Duration{WorkingDays: 3}}}
	b := a
	b.Standard.Requirements = []string{"KTP"}
	b.Standard.Duration = pendopo.Duration{SameDay: true}
	got := contentDiff(Page{Lang: "id"}, a, b)
	if len(got) != 8+len(pendopo.Components) {
		t.Fatalf("%d fields", len(got))
	}
	changed := map[string]bool{}
	for _, f := range got {
		if f.Changed {
			changed[f.Title] = true
		}
	}
	if len(changed) != 2 || !changed["b. Persyaratan"] || !changed["d. Jangka waktu penyelesaian"] {
		t.Errorf("changed fields: %v", changed)
	}
}

func TestDevice(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36":                      "Chrome, Android",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1": "Safari, iPhone",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0":                                                        "Firefox, Windows",
		"portaltest": "portaltest",
		"":           "—",
	} {
		if got := (accountPage{}).Device(ua); got != want {
			t.Errorf("Device(%q) = %q, want %q", ua, got, want)
		}
	}
}
