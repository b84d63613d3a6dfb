package pendopo

import "fmt"

// BundleFormat names the version of the region bundle format used by
// `pendopo import` and `pendopo export`.
const BundleFormat = "pendopo.region/v1"

// Bundle is a region's agencies, service points and services in one
// document: the unit of import and export. Items are keyed by their slug
// within the region; importing a bundle adds new items and updates existing
// ones, all or nothing.
type Bundle struct {
	Format        string          `json:"format"`
	Region        string          `json:"region"`
	Profile       *RegionProfile  `json:"profile,omitempty"`
	Agencies      []Agency        `json:"agencies"`
	ServicePoints []ServicePoint  `json:"service_points"`
	Services      []BundleService `json:"services"`
}

// BundleService is a service's content with the change note recorded on
// the version that importing it creates.
type BundleService struct {
	ServiceContent
	Note string `json:"note,omitempty"`
}

// Validate checks every item of the bundle on its own and that slugs are
// unique; references to agencies and points are checked on import, where
// the region's existing items are known. Field paths are JSON paths such as
// "services[3].standard.fee.amount".
func (b *Bundle) Validate() error {
	var probs Problems
	if b.Format != BundleFormat {
		probs.Add("format", M("rule.format_must_be", BundleFormat))
	}
	if !ValidRegionCode(b.Region) {
		probs.Add("region", M("rule.invalid_region_code_use_kemendagri"))
	}
	nest := func(prefix string, err error) {
		if e, ok := err.(*Error); ok {
			for _, f := range e.Fields {
				f.Field = prefix + "." + f.Field
				probs = append(probs, f)
			}
		}
	}
	if b.Profile != nil {
		nest("profile", b.Profile.Validate())
	}
	dup := func(field string, seen map[string]bool, slug string) {
		if slug == "" {
			return
		}
		if seen[slug] {
			probs.Add(field, M("rule.slug_used_more_than_once", quote(slug)))
		}
		seen[slug] = true
	}
	seen := map[string]bool{}
	for i := range b.Agencies {
		p := fmt.Sprintf("agencies[%d]", i)
		nest(p, b.Agencies[i].Validate())
		dup(p+".slug", seen, b.Agencies[i].Slug)
	}
	seen = map[string]bool{}
	for i := range b.ServicePoints {
		p := fmt.Sprintf("service_points[%d]", i)
		nest(p, b.ServicePoints[i].Validate())
		dup(p+".slug", seen, b.ServicePoints[i].Slug)
	}
	seen = map[string]bool{}
	for i := range b.Services {
		p := fmt.Sprintf("services[%d]", i)
		nest(p, b.Services[i].Validate())
		dup(p+".slug", seen, b.Services[i].Slug)
		if len(b.Services[i].Note) > 500 || !ValidText(b.Services[i].Note) {
			probs.Add(p+".note", M("rule.the_change_note_has_at"))
		}
	}
	return probs.Err()
}
