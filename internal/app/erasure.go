package app

import (
	"context"
	"slices"
	"strconv"

	"github.com/pendopo/pendopo"
)

// Deleting an account (UU 27/2022 Pasal 8 and 43: the right to have one's
// data deleted) erases everything Pendopo holds about the person except
// what an agency must keep as its record, which is sealed:
//
//   - The account: name, email, phone number, NIK, password, sessions,
//     codes, single sign-on links, officer roles, notifications, queued
//     messages, failed sign-ins counted against the contact, the contact
//     on invitations. The row stays, empty, so that records kept refer to
//     nobody.
//   - Drafts, which no agency ever received: deleted whole, with their
//     files.
//   - Applications in progress or returned: withdrawn, and the staff of
//     the step they were at are told. Without the account the agency can
//     neither ask for a correction nor hand over a result, and no decision
//     was made that the archive rules would have it keep. Their name,
//     answers, files and the notes of their timeline are erased; the bare
//     record (number, service, dates, the steps it went through) stays,
//     holding nothing personal, so that the published performance figures
//     do not change behind the public's back. Applications withdrawn
//     earlier are cleared the same way.
//   - Decided applications (completed with a document issued, or
//     rejected): the agency's decision and what it was based on are its
//     archive (arsip, UU 43/2009 tentang Kearsipan), which it keeps for
//     the period of its Jadwal Retensi Arsip and may not destroy before;
//     UU 27/2022 lets data be destroyed at the end of that period rather
//     than on request. They are kept sealed: unlinked from any account,
//     the name reduced to the initials the public verification page shows
//     anyway, the names the person gave their files replaced by the
//     field's, the answers encrypted as they always are, the files and the
//     signed document kept (so that a document the person holds still
//     verifies), opened only by the agency's staff, each opening recorded
//     in the audit trail. Officers' notes on the timeline (a reason for
//     a refusal) are part of the decision and stay as written.
//   - Reports filed with the account, anonymous ones included, stay as
//     public records of a complaint but name nobody: no account, no
//     reporter key, a sealed identity without name or contact, and public
//     ones become anonymous. What the person wrote in them stays as
//     written.
//   - Survey responses hold no identity and stay in the satisfaction
//     index.
//   - The audit trail stays (UU 27/2022 asks that processing be
//     recorded, and the trail cannot be edited): it names citizens only
//     as "warga #id" and holds no name, contact or NIK of theirs.
//
// Applications an officer filed at a counter for someone else are that
// person's, not the officer's, and are left as they are.

// Erasure counts what deleting an account does (or would do).
type Erasure struct {
	// Drafts were deleted with their files.
	Drafts int `json:"drafts"`
	// Withdrawn were in progress or returned: withdrawn, their agencies
	// told, their personal data erased.
	Withdrawn int `json:"withdrawn"`
	// Cleared were withdrawn before: their personal data erased.
	Cleared int `json:"cleared"`
	// Archived were decided: kept sealed as the agency's record.
	Archived int `json:"archived"`
	// Reports were made anonymous.
	Reports int `json:"reports"`
	// Files were deleted from the file store.
	Files int `json:"files"`
}

// erasureKind says what deleting the account does to an application:
// "draft", "withdraw", "clear", "archive", or "" to leave it.
func erasureKind(app pendopo.Application, userID int64) string {
	if app.AssistedBy == userID {
		return "" // filed at a counter for someone else
	}
	switch app.Status {
	case pendopo.StatusDraft:
		return "draft"
	case pendopo.StatusInProgress, pendopo.StatusReturned:
		return "withdraw"
	case pendopo.StatusWithdrawn:
		return "clear"
	case pendopo.StatusCompleted, pendopo.StatusRejected:
		return "archive"
	}
	return ""
}

func (e *Erasure) count(kind string) {
	switch kind {
	case "draft":
		e.Drafts++
	case "withdraw":
		e.Withdrawn++
	case "clear":
		e.Cleared++
	case "archive":
		e.Archived++
	}
}

// ErasurePlan says what deleting the signed-in person's account would do,
// for the page that asks them to confirm it.
func (a *App) ErasurePlan(ctx context.Context, who pendopo.Actor) (Erasure, error) {
	var plan Erasure
	if who.UserID == 0 {
		return plan, errSignIn
	}
	apps, reports, err := a.accountRecords(ctx, who.UserID)
	if err != nil {
		return plan, err
	}
	for _, app := range apps {
		plan.count(erasureKind(app, who.UserID))
	}
	plan.Reports = len(reports)
	return plan, nil
}

// accountRecords lists the applications and reports of an account.
func (a *App) accountRecords(ctx context.Context, userID int64) ([]pendopo.Application, []pendopo.Report, error) {
	apps, err := allPages(func(p pendopo.Page) ([]pendopo.Application, int, error) {
		return a.store.Applications(ctx, pendopo.ApplicationFilter{ApplicantID: userID, Page: p})
	})
	if err != nil {
		return nil, nil, err
	}
	reports, err := allPages(func(p pendopo.Page) ([]pendopo.Report, int, error) {
		return a.store.Reports(ctx, pendopo.ReportFilter{ReporterKey: a.reporterKey(userID, ""), Page: p})
	})
	return apps, reports, err
}

// erasedNote is the timeline's line on an application withdrawn because
// its applicant deleted their account.
const erasedNote = "Dicabut karena pemohon menghapus akunnya; isian dan berkasnya sudah dihapus. / Withdrawn because the applicant deleted their account; the answers and files were erased."

// Staff hear of an application withdrawn by an account's deletion.
var erasedStaffNotice = [2]pendopo.Text{
	pendopo.M("app.application_withdrawn"),
	pendopo.M("app.the_applicant_for_deleted_their"),
}

// DeleteAccount erases the signed-in person's account after they confirm
// with their password, by the policy above, in one transaction, then
// deletes from the file store the files no record uses any more. It
// returns what it did.
func (a *App) DeleteAccount(ctx context.Context, who pendopo.Actor, password string) (Erasure, error) {
	var res Erasure
	u, err := a.recheck(ctx, who, password, "password")
	if err != nil {
		return res, err
	}
	// An erased region admin may have been their region's last.
	defer a.forgetJoined()
	apps, reports, err := a.accountRecords(ctx, u.ID)
	if err != nil {
		return res, err
	}
	// What the transaction needs is read before it: the staff to tell,
	// the sealed empty identity of each report.
	staff := map[int64][]pendopo.User{}
	for _, app := range apps {
		if erasureKind(app, u.ID) != "withdraw" {
			continue
		}
		v, err := a.version(ctx, a.store, app.ServiceID, app.ServiceVersion)
		if err != nil {
			return res, err
		}
		if on := v.Content.Apply; on != nil && app.Step < len(on.Workflow.Steps) {
			if staff[app.ID], err = a.stepStaff(ctx, a.store, app, on.Workflow.Steps[app.Step]); err != nil {
				return res, err
			}
		}
	}
	nobody := map[int64][]byte{}
	for _, r := range reports {
		if nobody[r.ID], err = a.sealReporter(r.Number, reporter{}); err != nil {
			return res, err
		}
	}
	var files []string
	anon := pendopo.Actor{Name: "warga #" + strconv.FormatInt(u.ID, 10), UserID: u.ID, IP: who.IP}
	e := pendopo.AuditEntry{Action: "user.erase", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10)}
	err = a.audited(ctx, anon, "citizen", &e, func(tx pendopo.Store) error {
		res, files = Erasure{}, nil
		now := a.now()
		for _, app := range apps {
			// Read again inside the transaction: an officer may have acted
			// since.
			cur, err := tx.Application(ctx, app.ID)
			if err != nil {
				return err
			}
			kind := erasureKind(cur, u.ID)
			var addrs []string
			switch kind {
			case "draft":
				addrs, err = tx.DeleteApplication(ctx, cur.ID)
			case "withdraw":
				addrs, err = a.withdrawErased(ctx, tx, cur, staff[cur.ID])
			case "clear":
				addrs, err = tx.ClearApplication(ctx, cur.ID, now)
			case "archive":
				err = tx.ArchiveApplication(ctx, cur.ID, initials(cur.ApplicantName), now)
			}
			if err != nil {
				return err
			}
			res.count(kind)
			files = append(files, addrs...)
		}
		for _, r := range reports {
			privacy := r.Privacy
			if privacy == pendopo.PrivacyPublic {
				privacy = pendopo.PrivacyAnonymous
			}
			if err := tx.AnonymizeReport(ctx, r.ID, nobody[r.ID], privacy, now); err != nil {
				return err
			}
			res.Reports++
		}
		if err := tx.EraseUser(ctx, u.ID, now); err != nil {
			return err
		}
		e.Diff = pendopo.Diff(map[string]int{}, map[string]int{"drafts": res.Drafts, "withdrawn": res.Withdrawn,
			"cleared": res.Cleared, "archived": res.Archived, "reports": res.Reports})
		return nil
	})
	if err != nil {
		return Erasure{}, err
	}
	res.Files = a.deleteFiles(ctx, files)
	return res, nil
}

// withdrawErased withdraws an application in progress or returned whose
// applicant deleted their account, erases its personal data, says why on
// its timeline and tells the staff of its step. It returns the addresses
// of the files it let go.
func (a *App) withdrawErased(ctx context.Context, tx pendopo.Store, app pendopo.Application, staff []pendopo.User) ([]string, error) {
	now := a.now()
	app.Status, app.ClosedAt, app.UpdatedAt, app.PausedSince = pendopo.StatusWithdrawn, now, now, 0
	if _, err := tx.UpdateApplication(ctx, app); err != nil {
		return nil, err
	}
	addrs, err := tx.ClearApplication(ctx, app.ID, now)
	if err != nil {
		return nil, err
	}
	if err := tx.AddApplicationEvent(ctx, pendopo.ApplicationEvent{ApplicationID: app.ID, At: now, ActorID: app.ApplicantID,
		Action: pendopo.ActWithdraw, Step: app.Step, Status: pendopo.StatusWithdrawn, Note: erasedNote}); err != nil {
		return nil, err
	}
	title := pendopo.T(fill(erasedStaffNotice[0], "id", app.ServiceName, app.Number), fill(erasedStaffNotice[0], "en", app.ServiceName, app.Number))
	body := pendopo.T(fill(erasedStaffNotice[1], "id", app.ServiceName, app.Number), fill(erasedStaffNotice[1], "en", app.ServiceName, app.Number))
	link := "/admin/permohonan/" + app.Number
	for _, s := range staff {
		if err := a.out.Notify(ctx, tx, pendopo.Notification{UserID: s.ID, Title: title, Body: body, Link: link}); err != nil {
			return nil, err
		}
		if err := a.out.Tell(ctx, tx, s, "app:"+app.Number+":erased:staff:"+strconv.FormatInt(s.ID, 10), title, body, link); err != nil {
			return nil, err
		}
	}
	return addrs, nil
}

// deleteFiles deletes from the file store the files at addrs that no
// record uses any more (content is shared by address: the same PDF
// uploaded by two people is one file), and returns how many it deleted.
// A file that cannot be deleted is logged by address, which names no one,
// for an operator to remove. Someone uploading the very same bytes at the
// very moment of the check could lose their copy; content-addressed
// storage makes that a matter of identical files, and they would be asked
// to upload again.
func (a *App) deleteFiles(ctx context.Context, addrs []string) int {
	if a.blobs == nil {
		return 0
	}
	slices.Sort(addrs)
	n := 0
	for _, addr := range slices.Compact(addrs) {
		used, err := a.store.FileInUse(ctx, addr)
		if err != nil {
			a.log.Error("erased account: cannot tell whether a file is still used; left in the file store", "file", addr, "err", err)
			continue
		}
		if used {
			continue
		}
		if err := a.blobs.Delete(ctx, addr); err != nil {
			a.log.Error("erased account: a file could not be deleted from the file store; delete it by hand", "file", addr, "err", err)
			continue
		}
		n++
	}
	return n
}
