package web

// LocalPath is localPath, for the fuzz test of return addresses.
func LocalPath(s string) bool { return localPath(s) }

// AsBrowser is asBrowser: a URL as a browser's parser reads it.
func AsBrowser(s string) string { return asBrowser(s) }

// RouteInfo is a row of the route table as tests see it.
type RouteInfo struct {
	Pattern string
	// User routes need a signed-in person; Admin routes an officer.
	User, Admin bool
}

// RouteTable returns the portal's route table.
func RouteTable() []RouteInfo {
	var out []RouteInfo
	for _, rt := range (*Server)(nil).routes() {
		out = append(out, RouteInfo{Pattern: rt.pattern, User: rt.user, Admin: rt.admin})
	}
	return out
}
