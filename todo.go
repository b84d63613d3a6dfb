package pendopo

// WorkCount is how much of one kind of work (applications or reports)
// waits at an agency on a day: past its deadline, due that day, and new
// (nobody has acted on it yet and its deadline is later). Each item is
// counted once, in the first of these that fits. Agency is "" for work
// that is the region's, not one agency's (reports to verify).
type WorkCount struct {
	Agency   string
	Overdue  int
	DueToday int
	New      int
}

// Total is the work counted.
func (w WorkCount) Total() int { return w.Overdue + w.DueToday + w.New }

// Todo is what waits for one person in a region's console ("Perlu
// tindakan"): only what their roles let them act on or see of their own
// agencies, counted on the region's today. The lists hold the first few
// items only; the counts are complete.
type Todo struct {
	Region string
	Today  Day
	// Applications counts applications in progress per agency, by name of
	// agency slug; Urgent lists the first ones past due or due today,
	// soonest first, and Fresh the newest ones nobody has acted on.
	Applications []WorkCount
	Urgent       []Application
	Fresh        []Application
	// Reports counts open reports: the coordinator's (to verify and
	// dispose, agency "") or those of the person's agencies (to answer).
	// UrgentReports lists the first ones past due or due today; Flagged
	// counts reports held for moderation (coordinators only).
	Reports       []WorkCount
	UrgentReports []Report
	Flagged       int
	// Drafts are service versions submitted for approval that the person
	// may publish; Surveys the walk-in survey bursts held for them to
	// accept or reject.
	Drafts  []PendingVersion
	Surveys []HeldSurveyGroup
}

// Sum adds up counts of several agencies.
func Sum(counts []WorkCount) WorkCount {
	var s WorkCount
	for _, c := range counts {
		s.Overdue += c.Overdue
		s.DueToday += c.DueToday
		s.New += c.New
	}
	return s
}

// Empty reports whether nothing waits.
func (t Todo) Empty() bool {
	return Sum(t.Applications).Total() == 0 && Sum(t.Reports).Total() == 0 && t.Flagged == 0 && len(t.Drafts) == 0 && len(t.Surveys) == 0
}

// Overdue is how many applications and reports are past their deadline.
func (t Todo) Overdue() int { return Sum(t.Applications).Overdue + Sum(t.Reports).Overdue }

// DueToday is how many applications and reports are due today.
func (t Todo) DueToday() int { return Sum(t.Applications).DueToday + Sum(t.Reports).DueToday }

// WorkFilter selects the work a store counts for a Todo.
type WorkFilter struct {
	Region string
	// Agencies keeps the work of these agencies; all when empty.
	Agencies []string
	Today    Day
	// Statuses are the report statuses counted, Fresh the one that is new
	// (reports only).
	Statuses []ReportStatus
	Fresh    ReportStatus
}
