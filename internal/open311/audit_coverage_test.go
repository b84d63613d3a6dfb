package open311_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/open311"
)

// TestEveryOpen311WriteIsAudited files through every Open311 resource
// that is not a GET, generated from the route table, and checks that the
// audit trail has it: naming the integration that filed it, and nothing
// of the reporter when the report is anonymous.
func TestEveryOpen311WriteIsAudited(t *testing.T) {
	e := newEnv(t)
	probes := map[string]struct {
		action string
		path   string
		form   func() map[string][]string
	}{
		"POST requests": {"report.submit", "requests.json", func() map[string][]string { return e.streetLight("privacy", "anonim", "first_name", "Sari") }},
	}
	for _, r := range open311.Resources() {
		if r.Method == http.MethodGet {
			continue
		}
		key := r.Method + " " + r.Name
		if r.Arg {
			key += "/{id}"
		}
		pr, ok := probes[key]
		if !ok {
			t.Errorf("%s changes state but has no probe here; it must leave an audit entry", key)
			continue
		}
		head, err := e.App.Store().AuditHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		res := e.post(pr.path, pr.form())
		if res.StatusCode >= 400 {
			t.Fatalf("%s: %d %s", key, res.StatusCode, res.Body)
		}
		entries, err := e.App.Store().AuditChain(ctx, head, 100)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(entries, func(en pendopo.AuditEntry) bool { return en.Action == pr.action })
		if i < 0 {
			t.Fatalf("%s left no %s entry: %+v", key, pr.action, entries)
		}
		if en := entries[i]; en.ActorToken == 0 || en.Role != "token" || strings.Contains(en.Actor+en.Diff, "Sari") || strings.Contains(en.Actor+en.Diff, "warga@contoh.id") {
			t.Errorf("%s: the entry names %q (token %d, role %s, %s), want the integration and nothing of the reporter", key, en.Actor, en.ActorToken, en.Role, en.Diff)
		}
	}
}
