package open311_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pendopo/pendopo/internal/portaltest"
)

// FuzzRequestsQuery sends any query string to GET requests and
// servicerequestupdates: the answer is never a panic nor a 500, and is
// always the specification's JSON (a list of requests, of updates, or of
// errors).
func FuzzRequestsQuery(f *testing.F) {
	for _, q := range []string{
		"",
		"jurisdiction_id=33.74&status=open,closed&service_code=jalan,sampah",
		"start_date=2026-11-01T00:00:00+07:00&end_date=2026-11-27T00:00:00Z",
		"start_date=2026-11-01T00:00:00%2B07:00",
		"service_request_id=3374-2611-K7Q2M9-X,3374-2611-k7q2m9-x",
		"page=2&page_size=1000",
		"page=99999999999999999999&page_size=-1",
		"start_date=9999-12-31T23:59:59Z&end_date=0001-01-01T00:00:00Z",
		"end_date=0000-01-01T00:00:00Z",
		"start_date=9999-12-31T23:59:59Z",
		"start_date=2026-11-01T00:00:00.999999999-23:59",
		"jurisdiction_id=%00&status=%ff",
		"service_request_id=,,,&service_code=,",
		"lang=en&api_key=pdp_",
		"%zz=1&;=;",
	} {
		f.Add(q)
	}
	p := portaltest.NewPortal(f)
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/open311/v2/requests.json", "/open311/v2/servicerequestupdates.json"} {
			r := httptest.NewRequest(http.MethodGet, path, nil)
			r.URL.RawQuery = query
			w := httptest.NewRecorder()
			p.Handler.ServeHTTP(w, r)
			switch w.Code {
			case http.StatusOK, http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
			default:
				t.Fatalf("%s?%s: status %d: %s", path, query, w.Code, w.Body)
			}
			var list []map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil {
				t.Fatalf("%s?%s: not a JSON list: %v: %s", path, query, err, w.Body)
			}
			if w.Code != http.StatusOK && (len(list) == 0 || list[0]["code"] != float64(w.Code)) {
				t.Fatalf("%s?%s: %d with %s", path, query, w.Code, w.Body)
			}
		}
	})
}
