package open311

import (
	"strconv"
	"strings"

	"github.com/pendopo/pendopo"
)

// mySociety's servicerequestupdates extension: what happened to a
// region's reports in a time window, for systems such as FixMyStreet that
// keep their copy of a report up to date.

type updateOut struct {
	ID          string `json:"update_id" xml:"update_id"`
	RequestID   string `json:"service_request_id" xml:"service_request_id"`
	Status      string `json:"status" xml:"status"`
	Updated     string `json:"updated_datetime" xml:"updated_datetime"`
	Description string `json:"description" xml:"description"`
	MediaURL    opt    `json:"media_url" xml:"media_url"`
}

// updateActions are the steps published as updates: not the filing
// itself (the request is there already), nor internal ones.
var updateActions = []pendopo.ReportAction{
	pendopo.ActReportVerify, pendopo.ActReportReject, pendopo.ActReportArchive, pendopo.ActReportDispose,
	pendopo.ActReportAnswer, pendopo.ActReportComplete, pendopo.ActReportExtend, pendopo.ActReportReply,
	pendopo.ActReportRate, pendopo.ActReportReopen, pendopo.ActReportMerge,
}

// updateText describes a step for the public: the note written for it
// (an answer, a reason, a reply) or what happened.
func updateText(e pendopo.ReportEvent, agency string) string {
	switch e.Action {
	case pendopo.ActReportVerify:
		return "Laporan diverifikasi."
	case pendopo.ActReportDispose:
		return "Laporan diteruskan kepada " + agency + " untuk ditindaklanjuti."
	case pendopo.ActReportRate:
		return "Pelapor memberi nilai " + e.Note + " dari 5."
	case pendopo.ActReportMerge:
		// The other report's number is left out: it may not be public.
		return "Laporan digabungkan dengan laporan lain tentang hal yang sama."
	case pendopo.ActReportComplete:
		if e.Note == "" {
			return "Laporan selesai ditindaklanjuti."
		}
	}
	return e.Note
}

// updates lists the public steps of public reports in the window, oldest
// first.
func (s *server) updates(c *call) (reply, error) {
	ctx := c.r.Context()
	q := c.r.URL.Query()
	region := strings.TrimSpace(q.Get("jurisdiction_id"))
	if err := s.jurisdiction(ctx, region); err != nil {
		return reply{}, err
	}
	since, until, err := parseWindow(q, s.app.Now())
	if err != nil {
		return reply{}, err
	}
	page, err := parsePage(q)
	if err != nil {
		return reply{}, err
	}
	list, total, err := s.app.PublicReportUpdates(ctx, pendopo.ReportEventFilter{Region: region, Since: since, Until: until,
		Actions: updateActions, Page: page, NoTotal: true})
	if err != nil {
		return reply{}, err
	}
	names := &agencyNames{s: s}
	out := make([]any, len(list))
	for i, u := range list {
		agency, err := names.name(ctx, u.Report.Region, u.Agency)
		if err != nil {
			return reply{}, err
		}
		out[i] = updateOut{ID: strconv.FormatInt(u.ID, 10), RequestID: u.Report.Number, Status: openStatus(u.Status),
			Updated: stamp(u.At, u.Report.Region), Description: updateText(u.ReportEvent, agency)}
	}
	return reply{root: "service_request_updates", item: "request_update", list: out, next: nextPage(page, total)}, nil
}
