package open311

// Resource is one row of the route table, for tests.
type Resource struct {
	Method, Name string
	Arg          bool
}

// Resources returns the route table.
func Resources() []Resource {
	out := make([]Resource, len(resources))
	for i, r := range resources {
		out[i] = Resource{Method: r.method, Name: r.name, Arg: r.arg}
	}
	return out
}
