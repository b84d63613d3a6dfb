package api_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/api"
	"github.com/pendopo/pendopo/internal/pendopotest"
)

// FuzzDecodeServiceRequest feeds arbitrary bodies to the decoding of a
// service write. It must never panic; what it refuses must be a user
// error (400) and never an internal one; what it accepts must survive
// validation and a round trip through JSON unchanged.
//
//	go test ./internal/api -run '^$' -fuzz FuzzDecodeServiceRequest -fuzztime 30s
func FuzzDecodeServiceRequest(f *testing.F) {
	good, _ := json.Marshal(api.ServiceUpdateRequest{ServiceRequest: api.ServiceRequest{ServiceContent: pendopotest.Content("akta", "akta-kelahiran", "disdukcapil"), Note: "n", Publish: true}, BaseVersion: 3})
	for _, s := range []string{
		string(good), `{}`, `{"slug": 5}`, `{"standard": {"fee": {"amount": 1e30}}}`, `{"lat": 1}`, `{"a": 1} {}`,
		`{"standard": {"duration": {"working_days": -1}}}`, `{"life_events": null, "channels": ["x"]}`, "\xff", `{"name": "\ud800"}`, `[`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var req api.ServiceUpdateRequest
		err := api.DecodeJSON(data, &req)
		if err != nil {
			e, ok := err.(*pendopo.Error)
			if !ok || e.Kind != pendopo.KindBadRequest || len(e.Fields) != 1 {
				t.Fatalf("decode %q: %#v", data, err)
			}
			return
		}
		again, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("marshal %+v: %v", req, err)
		}
		var back api.ServiceUpdateRequest
		if err := api.DecodeJSON(again, &back); err != nil {
			t.Fatalf("decode own output %s: %v", again, err)
		}
		if !reflect.DeepEqual(req, back) {
			t.Fatalf("round trip changed %+v into %+v", req, back)
		}
		c := req.ServiceContent
		if err := c.Validate(); err != nil && pendopo.KindOf(err) != pendopo.KindInvalid {
			t.Fatalf("validate: %v", err)
		}
	})
}
