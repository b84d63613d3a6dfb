package web

import (
	"strings"

	"github.com/pendopo/pendopo"
)

// diffLine is one line of a compared field: kept, added or removed.
type diffLine struct {
	Op   string // "=", "+" or "-"
	Text string
}

// fieldDiff is one field of a service compared between two versions.
type fieldDiff struct {
	Title   string
	Changed bool
	Lines   []diffLine
}

// lineDiff compares two lists of lines by their longest common
// subsequence, so that a moved or edited requirement shows as removed
// and added. Lists are short (tens of lines), so the quadratic table is
// cheap.
func lineDiff(a, b []string) []diffLine {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []diffLine
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, diffLine{"=", a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, diffLine{"-", a[i]})
			i++
		default:
			out = append(out, diffLine{"+", b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, diffLine{"-", a[i]})
	}
	for ; j < m; j++ {
		out = append(out, diffLine{"+", b[j]})
	}
	return out
}

// nonEmpty turns a single text into a list of one line, or none.
func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// contentDiff compares two versions of a service field by field, in the
// order of the service page: identity first, then the 14 components of
// the Standar Pelayanan.
func contentDiff(p Page, a, b pendopo.ServiceContent) []fieldDiff {
	type field struct {
		title string
		a, b  []string
	}
	fields := []field{
		{p.T("admin.f.service_name"), nonEmpty(a.Name), nonEmpty(b.Name)},
		{p.T("admin.f.summary"), nonEmpty(a.Summary), nonEmpty(b.Summary)},
		{p.T("admin.f.agency"), nonEmpty(a.AgencySlug), nonEmpty(b.AgencySlug)},
		{p.T("admin.f.category"), nonEmpty(a.Category), nonEmpty(b.Category)},
		{p.T("admin.f.life_events"), a.LifeEvents, b.LifeEvents},
		{p.T("admin.f.channels"), channels(a.Channels), channels(b.Channels)},
		{p.T("admin.f.online_url"), nonEmpty(a.OnlineURL), nonEmpty(b.OnlineURL)},
		{p.T("admin.f.points"), a.Points, b.Points},
	}
	sa, sb := a.Standard, b.Standard
	for _, c := range pendopo.Components {
		f := field{title: c.Letter + ". " + p.Tx(c.Title)}
		switch c.Key {
		case "requirements":
			f.a, f.b = sa.Requirements, sb.Requirements
		case "procedure":
			f.a, f.b = sa.Procedure, sb.Procedure
		case "duration":
			f.a, f.b = nonEmpty(p.Tx(sa.Duration.Label()), sa.Duration.Note), nonEmpty(p.Tx(sb.Duration.Label()), sb.Duration.Note)
		case "fee":
			f.a, f.b = nonEmpty(p.Tx(sa.Fee.Label()), sa.Fee.LegalBasis, sa.Fee.Note), nonEmpty(p.Tx(sb.Fee.Label()), sb.Fee.LegalBasis, sb.Fee.Note)
		case "product":
			f.a, f.b = nonEmpty(sa.Product), nonEmpty(sb.Product)
		case "complaints":
			f.a, f.b = sa.Complaints, sb.Complaints
		case "legal_basis":
			f.a, f.b = sa.LegalBasis, sb.LegalBasis
		case "facilities":
			f.a, f.b = sa.Facilities, sb.Facilities
		case "competence":
			f.a, f.b = sa.Competence, sb.Competence
		case "supervision":
			f.a, f.b = nonEmpty(sa.Supervision), nonEmpty(sb.Supervision)
		case "staff":
			f.a, f.b = nonEmpty(sa.Staff), nonEmpty(sb.Staff)
		case "service_guarantee":
			f.a, f.b = nonEmpty(sa.ServiceGuarantee), nonEmpty(sb.ServiceGuarantee)
		case "safety_guarantee":
			f.a, f.b = nonEmpty(sa.SafetyGuarantee), nonEmpty(sb.SafetyGuarantee)
		case "evaluation":
			f.a, f.b = nonEmpty(sa.Evaluation), nonEmpty(sb.Evaluation)
		}
		fields = append(fields, f)
	}
	out := make([]fieldDiff, 0, len(fields))
	for _, f := range fields {
		d := fieldDiff{Title: f.title, Lines: lineDiff(f.a, f.b)}
		for _, l := range d.Lines {
			if l.Op != "=" {
				d.Changed = true
			}
		}
		out = append(out, d)
	}
	return out
}

func channels(l []pendopo.Channel) []string {
	out := make([]string, len(l))
	for i, c := range l {
		out[i] = string(c)
	}
	return out
}
