package app

import (
	"context"
	"encoding/json"
	"maps"
	"time"

	"github.com/pendopo/pendopo"
)

// Personal-data rights (UU 27/2022): people see who read their data, take
// all of it with them, and have it erased with their account.

// auditRead records that who read personal data held in a record: e names
// the action and the record. The entry carries the role who read it under
// and where that role is held (its agency in the diff as "agency", its
// region as "role_region"), so that the person whose data it is can see
// which office read it (/akun/akses). details are added to the diff; they
// must hold no personal data, since the trail outlives the record's.
func (a *App) auditRead(ctx context.Context, who pendopo.Actor, act pendopo.Action, s pendopo.Scope, e pendopo.AuditEntry, details map[string]string) error {
	role, info := "", map[string]string{}
	switch {
	case who.IsSystem():
		role = "system"
	case who.TokenID != 0:
		role = "token"
	default:
		if r, ok := who.RoleFor(act, s); ok {
			role = string(r.Kind)
			if r.Agency != "" {
				info["agency"] = r.Agency
			}
			if r.Region != "" {
				info["role_region"] = r.Region
			}
		}
	}
	maps.Copy(info, details)
	if len(info) > 0 {
		e.Diff = pendopo.Diff(map[string]string{}, info) // {"agency": [null, "…"], …}
	}
	return a.audited(ctx, who, role, &e, func(pendopo.Store) error { return nil })
}

// accessActions are the officers' readings a person is shown: of their
// account, their applications, the files and documents in them, and their
// identity on their reports.
var accessActions = []string{"user.read_personal", "application.read", "upload.download", "document.download", "report.read_personal"}

// Access is one reading of a person's data by someone else, as the
// person is shown it: when, by which role where, and what was read. It
// names the office, not the officer, as Estonia's state portal does: the
// office answers to the citizen for its staff and can name them on a
// complaint (its admins see names in the audit trail), while a list of
// names would expose clerks to pressure for doing their work.
type Access struct {
	At time.Time `json:"at"`
	// Role is the role the reading was done under; "" when the trail did
	// not record it (readings before roles were recorded). System is true
	// for Pendopo itself.
	Role   pendopo.RoleKind `json:"role,omitempty"`
	System bool             `json:"system,omitempty"`
	// Agency and Region name where the role is held, "" when it is not an
	// agency's or a region's.
	Agency string       `json:"agency,omitempty"`
	Region string       `json:"region,omitempty"`
	What   pendopo.Text `json:"what"`
	// Link is the record read, on the person's own pages.
	Link string `json:"link,omitempty"`
}

// WhoReadMyData lists the readings of the signed-in person's data by
// officers (and the system), newest first: their account's contact and
// NIK, their applications with their files and documents, and their
// identity on their reports.
func (a *App) WhoReadMyData(ctx context.Context, who pendopo.Actor, page pendopo.Page) ([]Access, int, error) {
	if who.UserID == 0 {
		return nil, 0, errSignIn
	}
	log, total, err := a.store.AuditLog(ctx, pendopo.AuditFilter{Actions: accessActions, Page: page,
		Subject: &pendopo.AuditSubject{UserID: who.UserID, ReporterKey: a.reporterKey(who.UserID, "")}})
	if err != nil {
		return nil, 0, err
	}
	files := map[string]map[string]string{} // application → address → file name
	out := make([]Access, 0, len(log))
	for _, e := range log {
		d := diffValues(e.Diff)
		x := Access{At: e.At, Role: pendopo.RoleKind(e.Role), System: e.Role == "system"}
		if x.System || e.Role == "token" {
			x.Role = ""
		}
		region := d["role_region"]
		if x.Role == "" && !x.System {
			region = e.Region // not recorded: the record's region says where at least
		}
		if region != "" {
			x.Region = region
			if r, err := a.Region(ctx, region); err == nil {
				x.Region = r.Name
			}
		}
		if d["agency"] != "" {
			x.Agency = a.agencyName(ctx, d["role_region"], d["agency"])
		}
		n := e.EntityID
		switch e.Action {
		case "user.read_personal":
			x.What = pendopo.M("app.read_your_account_data_contact")
			x.Link = "/akun"
		case "application.read":
			x.What = pendopo.M("app.opened_application_answers_files", n)
			x.Link = "/permohonan/" + n
		case "upload.download":
			name := a.uploadName(ctx, files, n, d["sha256"])
			if name == "" {
				name = d["file"] // entries written before files were named by field
			}
			if name == "" {
				name = d["field"]
			}
			x.What = pendopo.M("app.downloaded_file_application", name, n)
			x.Link = "/permohonan/" + n
		case "document.download":
			x.What = pendopo.M("app.downloaded_issued_document_application", n)
			x.Link = "/permohonan/" + n
		case "report.read_personal":
			x.What = pendopo.M("app.read_your_identity_on_report", n)
			x.Link = "/laporan/" + n
		}
		out = append(out, x)
	}
	return out, total, nil
}

// uploadName finds the name an upload of application number was given,
// by its address; files caches each application's uploads.
func (a *App) uploadName(ctx context.Context, files map[string]map[string]string, number, addr string) string {
	names, ok := files[number]
	if !ok {
		names = map[string]string{}
		if app, err := a.store.ApplicationByNumber(ctx, number); err == nil {
			if ups, err := a.store.Uploads(ctx, app.ID); err == nil {
				for _, u := range ups {
					names[u.Addr] = u.Name
				}
			}
		}
		files[number] = names
	}
	return names[addr]
}

// diffValues reads the "after" values of an audit entry's diff, as
// auditRead writes them: {"agency": [null, "disdukcapil"], …}.
func diffValues(diff string) map[string]string {
	out := map[string]string{}
	var d map[string][2]any
	if json.Unmarshal([]byte(diff), &d) != nil {
		return out
	}
	for k, v := range d {
		if s, ok := v[1].(string); ok {
			out[k] = s
		}
	}
	return out
}
