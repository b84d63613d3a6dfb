package web

import (
	"net/url"
	"strconv"

	"github.com/pendopo/pendopo"
)

// The console's start, "Perlu tindakan": one line per kind of work that
// waits, overdue first, then what is due today, then what is new, then
// what waits for the person's decision, each a link to the queue or page
// where it is done, with the first few items under it.

// todoLevel orders the lines and names their label; the label is text,
// so overdue work does not stand out by colour alone.
type todoLevel string

const (
	todoOverdue todoLevel = "overdue"
	todoToday   todoLevel = "today"
	todoNew     todoLevel = "new"
	todoDecide  todoLevel = "decide"
)

// todoLine is one line of "Perlu tindakan".
type todoLine struct {
	Level todoLevel
	// Label names the level in words ("Terlambat").
	Label string
	Text  string
	Href  string
	Items []todoItem
}

// todoItem is an application, report or draft under a line.
type todoItem struct {
	Text, Href, Meta string
}

// todoLines turns a Todo into the lines of the console's start, in order.
func todoLines(p Page, t pendopo.Todo, agencies []pendopo.Agency, points []pendopo.ServicePoint) []todoLine {
	names := map[string]string{}
	for _, a := range agencies {
		names[a.Slug] = a.Name
	}
	base := "/admin/daerah/" + t.Region
	queue := func(path, agency string, extra ...string) string {
		q := url.Values{}
		if agency != "" {
			q.Set("opd", agency)
		}
		for i := 0; i+1 < len(extra); i += 2 {
			q.Set(extra[i], extra[i+1])
		}
		if len(q) == 0 {
			return base + path
		}
		return base + path + "?" + q.Encode()
	}
	where := func(agency string) string {
		if agency == "" {
			return p.T("todo.coordinator")
		}
		if n, ok := names[agency]; ok {
			return n
		}
		return agency
	}
	appItem := func(a pendopo.Application) todoItem {
		return todoItem{Text: a.Number + " · " + a.ServiceName, Href: "/admin/permohonan/" + a.Number, Meta: p.T("todo.deadline", p.DayLabel(a.Deadline))}
	}
	reportItem := func(r pendopo.Report) todoItem {
		return todoItem{Text: r.Number + " · " + r.Title, Href: "/admin/laporan/" + r.Number, Meta: p.T("todo.deadline", p.DayLabel(r.Due))}
	}
	var lines []todoLine
	for _, level := range []todoLevel{todoOverdue, todoToday, todoNew} {
		for _, c := range t.Applications {
			n, extra := levelCount(c, level)
			if n == 0 {
				continue
			}
			l := todoLine{Level: level, Text: p.N("todo.applications."+string(level), n, n, where(c.Agency)), Href: queue("/permohonan", c.Agency, extra...)}
			src := t.Urgent
			if level == todoNew {
				src = t.Fresh
			}
			for _, a := range src {
				if a.Agency == c.Agency && dueLevel(a.Deadline, t.Today, level) {
					l.Items = append(l.Items, appItem(a))
				}
			}
			lines = append(lines, l)
		}
		for _, c := range t.Reports {
			n, extra := levelCount(c, level)
			if n == 0 {
				continue
			}
			l := todoLine{Level: level, Text: p.N("todo.reports."+string(level), n, n, where(c.Agency)), Href: queue("/laporan", c.Agency, extra...)}
			if level != todoNew {
				for _, r := range t.UrgentReports {
					if (c.Agency == "" || r.Agency == c.Agency) && dueLevel(r.Due, t.Today, level) {
						l.Items = append(l.Items, reportItem(r))
					}
				}
			}
			lines = append(lines, l)
		}
	}
	if t.Flagged > 0 {
		lines = append(lines, todoLine{Level: todoDecide, Text: p.N("todo.moderation", t.Flagged), Href: queue("/laporan", "", "moderasi", "1")})
	}
	if len(t.Drafts) > 0 {
		l := todoLine{Level: todoDecide, Text: p.N("todo.drafts", len(t.Drafts)), Href: base + "#h-pending"}
		for _, d := range t.Drafts {
			l.Items = append(l.Items, todoItem{Text: d.Name + " · " + p.T("diff.version", d.Number),
				Href: "/admin/layanan/" + strconv.FormatInt(d.ServiceID, 10) + "/beda?ke=" + strconv.Itoa(d.Number),
				Meta: p.T("todo.submitted_by", d.SubmittedBy, p.Date(d.SubmittedAt))})
		}
		if len(t.Drafts) == 1 {
			l.Href = l.Items[0].Href
		}
		lines = append(lines, l)
	}
	if len(t.Surveys) > 0 {
		n := 0
		pointNames := map[int64]string{}
		for _, pt := range points {
			pointNames[pt.ID] = pt.Name
		}
		l := todoLine{Level: todoDecide, Href: base + "/survei"}
		for _, g := range t.Surveys {
			n += g.Tally.Respondents
			name, ok := pointNames[g.ServicePointID]
			if !ok {
				name = p.T("sdesk.no_point")
			}
			l.Items = append(l.Items, todoItem{Text: name, Href: base + "/survei", Meta: p.T("todo.held_on", p.DayLabel(g.Day), g.Tally.Respondents)})
		}
		l.Text = p.N("todo.surveys", n)
		lines = append(lines, l)
	}
	for i := range lines {
		lines[i].Label = p.T("todo.level." + string(lines[i].Level))
	}
	return lines
}

// dueLevel reports whether a deadline belongs on a line of level.
func dueLevel(due, today pendopo.Day, level todoLevel) bool {
	switch level {
	case todoOverdue:
		return due < today
	case todoToday:
		return due == today
	}
	return due > today
}

// levelCount is a count's number at a level, with what the queue's link
// adds to show only those.
func levelCount(c pendopo.WorkCount, level todoLevel) (int, []string) {
	switch level {
	case todoOverdue:
		return c.Overdue, []string{"terlambat", "1"}
	case todoToday:
		return c.DueToday, nil
	}
	return c.New, nil
}
