package web_test

import (
	"context"
	"os"
	"regexp"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/portaltest"
)

func TestZZDump(t *testing.T) {
	p := portaltest.NewPortal(t)
	ctx := context.Background()
	for i, pt := range [][2]float64{{-6.99, 110.423}, {-7.05, 110.44}, {-7.0, 110.33}, {-6.96, 110.48}, {-7.1, 110.35}} {
		lat, lng := pt[0], pt[1]
		_, err := p.App.SubmitReport(ctx, pendopo.Actor{}, "33.74", pendopo.ReportInput{Kind: pendopo.ReportComplaint, Title: "Jalan berlubang " + string(rune('A'+i)),
			Description: "lubang besar di depan pasar.", Category: "jalan", Privacy: pendopo.PrivacyPublic,
			Contact: "x@contoh.id", Location: pendopo.ReportLocation{Lat: &lat, Lng: &lng}}, "")
		if err != nil {
			t.Log(pt, err)
		}
	}
	for _, u := range []string{"/daerah/33.74/laporan", "/daerah/33.74/lapor", "/daerah/33.72/laporan", "/daerah/33/laporan"} {
		res := p.Get(t, u)
		body := regexp.MustCompile(`href="/static/pendopo\.[0-9a-f]+\.css"`).ReplaceAllString(res.Body, `href="/work/wt-map/ui/static/pendopo.css"`)
		os.WriteFile("/tmp/map"+regexp.MustCompile(`\W`).ReplaceAllString(u, "_")+".html", []byte(body), 0o644)
		m := regexp.MustCompile(`(?s)<svg viewBox.*?</svg>`).FindString(res.Body)
		t.Logf("%s: %d, svg %d bytes", u, res.StatusCode, len(m))
	}
}
