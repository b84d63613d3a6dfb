package web

import (
	"reflect"
	"testing"
)

func TestAuditChanges(t *testing.T) {
	tests := []struct {
		diff string
		want []auditChange
	}{
		{"", nil},
		{`{"name":["a","b"],"fee.amount":[0,5000]}`, []auditChange{{"fee.amount", "0", "5000"}, {"name", "a", "b"}}},
		{`{".":[null,{"slug":"x","n":[1,2]}]}`, []auditChange{{"n", "—", "[1,2]"}, {"slug", "—", "x"}}},
		{`{"role":[{"kind":"officer"},null]}`, []auditChange{{"role.kind", "officer", "—"}}},
		{`not json`, []auditChange{{"diff", "", "not json"}}},
	}
	for _, tt := range tests {
		if got := changes(tt.diff); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("changes(%q) = %+v, want %+v", tt.diff, got, tt.want)
		}
	}
}
