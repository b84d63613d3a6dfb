package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
)

// auditRow is one audit entry as the console shows it.
type auditRow struct {
	pendopo.AuditEntry
	Changes []auditChange
}

// auditChange is one changed field of an entry.
type auditChange struct {
	Path, Before, After string
}

// adminAuditPage browses a region's audit trail (or, for national admins
// and overseers, everyone's).
type adminAuditPage struct {
	Page
	Code    string
	Rows    []auditRow
	Pager   pager
	Total   int
	Filter  pendopo.AuditFilter
	Since   string
	Until   string
	Invalid string
}

// subPath names field k below path; the root is "" or ".".
func subPath(path, k string) string {
	if path == "" || path == "." {
		return k
	}
	return path + "." + k
}

// auditValue shows a before or after value briefly.
func auditValue(v any) string {
	if v == nil {
		return "—"
	}
	var s string
	if str, ok := v.(string); ok {
		s = str
	} else {
		b, _ := json.Marshal(v)
		s = string(b)
	}
	if r := []rune(s); len(r) > 240 {
		s = string(r[:240]) + "…"
	}
	return s
}

func changes(diff string) []auditChange {
	if diff == "" {
		return nil
	}
	var m map[string][2]any
	if err := json.Unmarshal([]byte(diff), &m); err != nil {
		return []auditChange{{Path: "diff", After: auditValue(diff)}}
	}
	out := make([]auditChange, 0, len(m))
	for path, ba := range m {
		// A record made or removed whole is shown field by field.
		before, _ := ba[0].(map[string]any)
		after, _ := ba[1].(map[string]any)
		switch {
		case ba[0] == nil && after != nil:
			for k, v := range after {
				out = append(out, auditChange{Path: subPath(path, k), Before: "—", After: auditValue(v)})
			}
		case ba[1] == nil && before != nil:
			for k, v := range before {
				out = append(out, auditChange{Path: subPath(path, k), Before: auditValue(v), After: "—"})
			}
		default:
			out = append(out, auditChange{Path: path, Before: auditValue(ba[0]), After: auditValue(ba[1])})
		}
	}
	slices.SortFunc(out, func(a, b auditChange) int { return strings.Compare(a.Path, b.Path) })
	return out
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	var p Page
	if code != "" {
		reg, rp, err := s.adminPage(r, code)
		if err != nil {
			return err
		}
		p = rp
		p.Title = p.T("audit.title", reg.Name)
		p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {reg.Name, "/admin/daerah/" + code}, {p.T("audit.crumb"), ""}}
	} else {
		p = s.rd.page(r, "")
		p.Title, p.Noindex = p.T("audit.national"), true
		p.Crumbs = []Crumb{{p.T("admin.title"), "/admin"}, {p.Title, ""}}
	}
	q := r.URL.Query()
	data := adminAuditPage{Page: p, Code: code, Since: q.Get("dari"), Until: q.Get("sampai")}
	f := pendopo.AuditFilter{Region: code, Actor: strings.TrimSpace(q.Get("oleh")), Action: strings.TrimSpace(q.Get("aksi")),
		Entity: strings.TrimSpace(q.Get("entitas")), EntityID: strings.TrimSpace(q.Get("id")), Page: pendopo.Page{Page: pageNum(r), PerPage: 50}}
	// Dates are days in WIB; "until" includes its whole day.
	for _, d := range []struct {
		in  string
		out *time.Time
		add int
	}{{data.Since, &f.Since, 0}, {data.Until, &f.Until, 1}} {
		if d.in == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, d.in, wib)
		if err != nil {
			data.Invalid = p.T("audit.bad_date", d.in)
			continue
		}
		*d.out = t.AddDate(0, 0, d.add)
	}
	data.Filter = f
	entries, total, err := s.app.AuditLog(r.Context(), current(r).Actor, f)
	if err != nil {
		return err
	}
	for _, e := range entries {
		data.Rows = append(data.Rows, auditRow{AuditEntry: e, Changes: changes(e.Diff)})
	}
	data.Total = total
	data.Pager = newPager(r, f.Page.Normalize().Page, 50, total)
	w.Header().Set("Cache-Control", "no-store")
	s.rd.render(w, r, http.StatusOK, "admin_audit", data)
	return nil
}

// Who names the actor of an entry with its role.
func (p adminAuditPage) Who(e pendopo.AuditEntry) string {
	if e.Actor == "" && e.Redacted {
		return p.T("audit.hidden_actor")
	}
	if e.Role == "" {
		return e.Actor
	}
	label := e.Role
	switch e.Role {
	case "citizen":
		label = p.T("audit.role.citizen")
	case "anonymous":
		label = p.T("audit.role.anonymous")
	}
	for _, k := range pendopo.RoleKinds {
		if string(k.Kind) == e.Role {
			label = p.Tx(k.Title)
		}
	}
	return fmt.Sprintf("%s (%s)", e.Actor, label)
}

// auditNote is the note an entry's diff records (a submission's or a
// return's), or "".
func auditNote(diff string) string {
	var m map[string][2]any
	if json.Unmarshal([]byte(diff), &m) != nil {
		return ""
	}
	if v, ok := m["note"]; ok {
		s, _ := v[1].(string)
		return s
	}
	return ""
}
