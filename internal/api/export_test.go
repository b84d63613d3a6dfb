package api

import "net/http"

// What the external tests (package api_test, which may import pendopotest)
// need to see of the package's insides.

// RouteInfo is a row of the route table as tests see it.
type RouteInfo struct {
	Method, Pattern string
	// Auth is true when the route needs a token.
	Auth bool
}

// RouteTable returns the route table.
func RouteTable() []RouteInfo {
	var out []RouteInfo
	for _, rt := range (&server{}).routes() {
		out = append(out, RouteInfo{Method: rt.method, Pattern: rt.pattern, Auth: rt.auth == authRequired})
	}
	return out
}

// Document builds the OpenAPI document as New does.
func Document() ([]byte, error) { return marshalDocument((&server{}).routes()) }

// ServedDocument returns the document a handler from New serves.
func ServedDocument(h http.Handler) []byte { return h.(*server).doc }

// PatternOf returns the pattern of the route that answers r, or "".
func PatternOf(h http.Handler, r *http.Request) string {
	_, p := h.(*server).mux.Handler(r)
	return p
}

// DecodeJSON is the request-body decoding of the API.
func DecodeJSON(data []byte, v any) error { return decodeJSON(data, v) }
