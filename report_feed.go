package pendopo

import "time"

// ReportEventFilter selects events across reports, for feeds of what
// happened to a region's reports in a time window (such as Open311's
// service request updates); zero fields do not filter.
type ReportEventFilter struct {
	Region string
	// Since and Until bound the event time (Until exclusive).
	Since, Until time.Time
	// Actions keeps events of these actions.
	Actions []ReportAction
	// Public keeps public events of reports the public may see, as
	// ReportFilter.Public does.
	Public bool
	Page   Page
	// NoTotal skips counting, as ReportFilter.NoTotal does.
	NoTotal bool
	// ReportIDs keeps the events of these reports.
	ReportIDs []int64
}
