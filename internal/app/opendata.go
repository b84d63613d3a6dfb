package app

import (
	"github.com/pendopo/pendopo"
)

// EachService calls fn with every published service's summary, in one
// pass over the search index (no database read), for open data.
func (a *App) EachService(fn func(*pendopo.ServiceSummary)) {
	now := a.now()
	a.index.Each(func(s *pendopo.ServiceSummary) {
		c := *s
		c.NeedsReview = (pendopo.Service{ReviewedAt: c.ReviewedAt}).NeedsReview(now)
		fn(&c)
	})
}
