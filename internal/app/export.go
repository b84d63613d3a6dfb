package app

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/blob"
)

// The download of a person's data (UU 27/2022 Pasal 7 and 13: a copy of
// their data, in a form machines read): a zip with index.json, which
// describes all of it, README.txt, and the files themselves.

// MyDataFormat names the layout of index.json.
const MyDataFormat = "pendopo.my-data/v1"

// MyData is everything Pendopo holds about a person: index.json of the
// download.
type MyData struct {
	Format   string            `json:"format"`
	Exported time.Time         `json:"exported_at"`
	Account  pendopo.User      `json:"account"`
	NIK      string            `json:"nik,omitempty"`
	Sessions []pendopo.Session `json:"sessions"`
	// Activity is what the person did, as the audit trail recorded it.
	Activity      []pendopo.AuditEntry   `json:"activity"`
	Notifications []pendopo.Notification `json:"notifications"`
	// ReadBy are the readings of the person's data by officers, as
	// /akun/akses lists them.
	ReadBy       []Access        `json:"read_by_others"`
	Applications []MyApplication `json:"applications"`
	Reports      []MyReport      `json:"reports"`
	Surveys      []MySurvey      `json:"survey_responses"`
	// Notes say what is not in the download and why.
	Notes []pendopo.Text `json:"notes"`
}

// MyApplication is one of the person's applications with its answers
// (decrypted), timeline, files and issued document.
type MyApplication struct {
	pendopo.Application
	Events  []pendopo.ApplicationEvent `json:"events"`
	Uploads []MyFile                   `json:"uploads"`
	Issued  *MyFile                    `json:"issued_document,omitempty"`
}

// MyReport is a report the person filed with their account (anonymous
// ones included), with the identity it holds, its public history and
// its photos.
type MyReport struct {
	pendopo.Report
	ReporterName    string                `json:"reporter_name,omitempty"`
	ReporterContact string                `json:"reporter_contact,omitempty"`
	Events          []pendopo.ReportEvent `json:"events"`
	Photos          []MyFile              `json:"photos"`
}

// MySurvey is a satisfaction survey response tied to one of the person's
// applications or reports.
type MySurvey struct {
	About string `json:"about"` // the application or report number
	pendopo.SurveyResponse
}

// MyFile describes a file of the download. Path is where it is inside the
// zip.
type MyFile struct {
	Path   string    `json:"path"`
	Name   string    `json:"name,omitempty"`
	Field  string    `json:"field,omitempty"`
	Code   string    `json:"code,omitempty"` // an issued document's verification code
	Title  string    `json:"title,omitempty"`
	Media  string    `json:"media,omitempty"`
	Size   int64     `json:"size,omitempty"`
	SHA256 string    `json:"sha256"`
	At     time.Time `json:"at"`
}

// DataExport is a person's data ready to be written as a zip by WriteZip:
// the index is read and the download recorded; the files are read from
// the file store one at a time as they are written.
type DataExport struct {
	Index MyData
	// FileName is the download's name: pendopo-data-<id>-<date>.zip.
	FileName string
	files    []MyFile
	blobs    blob.Store
}

// ExportMyData gathers everything Pendopo holds about the signed-in
// person, their NIK unmasked, and records the download in the audit
// trail. Nothing of anyone else is included: applications an officer
// filed at a counter for other people stay out of the officer's download.
func (a *App) ExportMyData(ctx context.Context, who pendopo.Actor) (*DataExport, error) {
	if who.UserID == 0 {
		return nil, errSignIn
	}
	u, err := a.store.User(ctx, who.UserID)
	if err != nil {
		return nil, err
	}
	now := a.now()
	x := &DataExport{blobs: a.blobs,
		FileName: fmt.Sprintf("pendopo-data-%d-%s.zip", u.ID, now.In(pendopo.WIB).Format("2006-01-02"))}
	d := &x.Index
	d.Format, d.Exported, d.Account = MyDataFormat, now, u
	if d.NIK, err = a.nik(ctx, u.ID); err != nil {
		return nil, err
	}
	if d.Sessions, err = a.store.Sessions(ctx, u.ID); err != nil {
		return nil, err
	}
	for i := range d.Sessions {
		d.Sessions[i].Hash = ""
	}
	if d.Notifications, err = a.allNotifications(ctx, u.ID); err != nil {
		return nil, err
	}
	if d.Activity, err = allPages(func(p pendopo.Page) ([]pendopo.AuditEntry, int, error) {
		return a.store.AuditLog(ctx, pendopo.AuditFilter{ActorUser: u.ID, Page: p})
	}); err != nil {
		return nil, err
	}
	if d.ReadBy, err = allPages(func(p pendopo.Page) ([]Access, int, error) { return a.WhoReadMyData(ctx, who, p) }); err != nil {
		return nil, err
	}
	if err := a.exportApplications(ctx, x, u.ID); err != nil {
		return nil, err
	}
	if err := a.exportReports(ctx, x, u.ID); err != nil {
		return nil, err
	}
	d.Notes = []pendopo.Text{
		pendopo.M("app.the_survey_responses_here_are"),
		pendopo.M("app.reports_you_sent_without_signing"),
		pendopo.M("app.officers_internal_notes_on_reports"),
	}
	e := pendopo.AuditEntry{Action: "user.export", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10),
		Diff: pendopo.Diff(map[string]int{}, map[string]int{"applications": len(d.Applications), "reports": len(d.Reports), "files": len(x.files)})}
	if err := a.audited(ctx, who, "citizen", &e, func(pendopo.Store) error { return nil }); err != nil {
		return nil, err
	}
	return x, nil
}

// allPages reads every page of a list.
func allPages[T any](list func(pendopo.Page) ([]T, int, error)) ([]T, error) {
	out := []T{}
	for page := 1; ; page++ {
		l, total, err := list(pendopo.Page{Page: page, PerPage: pendopo.MaxPerPage})
		if err != nil {
			return nil, err
		}
		out = append(out, l...)
		if len(l) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

func (a *App) exportApplications(ctx context.Context, x *DataExport, userID int64) error {
	apps, err := allPages(func(p pendopo.Page) ([]pendopo.Application, int, error) {
		return a.store.Applications(ctx, pendopo.ApplicationFilter{ApplicantID: userID, Page: p})
	})
	if err != nil {
		return err
	}
	x.Index.Applications = []MyApplication{}
	for _, app := range apps {
		if app.AssistedBy == userID {
			continue // filed at a counter for someone else: theirs
		}
		if err := a.openAnswers(&app); err != nil {
			return err
		}
		m := MyApplication{Application: app, Uploads: []MyFile{}}
		if m.Events, err = a.store.ApplicationEvents(ctx, app.ID); err != nil {
			return err
		}
		ups, err := a.store.Uploads(ctx, app.ID)
		if err != nil {
			return err
		}
		dir := "permohonan/" + app.Number + "/"
		for i, up := range ups {
			name := up.Name
			if name == "" {
				name = up.Field + extension(up.Media)
			}
			f := MyFile{Path: dir + "berkas/" + strconv.Itoa(i+1) + "-" + zipName(name), Name: up.Name, Field: up.Field,
				Media: up.Media, Size: up.Size, SHA256: up.Addr, At: up.CreatedAt}
			m.Uploads = append(m.Uploads, f)
			x.files = append(x.files, f)
		}
		if app.Document != "" {
			doc, err := a.store.Document(ctx, app.Document)
			if err != nil {
				return err
			}
			f := MyFile{Path: dir + "dokumen-" + doc.Code + ".pdf", Code: doc.Code, Title: doc.Title, Media: pendopo.MediaPDF,
				SHA256: doc.Blob, At: doc.IssuedAt}
			m.Issued = &f
			x.files = append(x.files, f)
		}
		x.Index.Applications = append(x.Index.Applications, m)
		if err := a.exportSurvey(ctx, x, app.Number); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) exportReports(ctx context.Context, x *DataExport, userID int64) error {
	reports, err := allPages(func(p pendopo.Page) ([]pendopo.Report, int, error) {
		return a.store.Reports(ctx, pendopo.ReportFilter{ReporterKey: a.reporterKey(userID, ""), Page: p})
	})
	if err != nil {
		return err
	}
	x.Index.Reports = []MyReport{}
	if len(reports) == 0 {
		return nil
	}
	ids := make([]int64, len(reports))
	for i, r := range reports {
		ids[i] = r.ID
	}
	photos, err := a.store.ReportPhotos(ctx, ids)
	if err != nil {
		return err
	}
	for _, r := range reports {
		rp, err := a.openReporter(r)
		if err != nil {
			return err
		}
		m := MyReport{Report: r, ReporterName: rp.Name, ReporterContact: rp.Contact, Events: []pendopo.ReportEvent{}, Photos: []MyFile{}}
		evs, err := a.store.ReportEvents(ctx, r.ID)
		if err != nil {
			return err
		}
		for _, e := range evs {
			if e.Public { // what the reporter sees on the report's page
				m.Events = append(m.Events, e)
			}
		}
		for i, ph := range photos[r.ID] {
			f := MyFile{Path: "laporan/" + r.Number + "/foto-" + strconv.Itoa(i+1) + extension(ph.Media), Media: ph.Media,
				Size: ph.Size, SHA256: ph.Addr, At: ph.CreatedAt}
			m.Photos = append(m.Photos, f)
			x.files = append(x.files, f)
		}
		x.Index.Reports = append(x.Index.Reports, m)
		if err := a.exportSurvey(ctx, x, r.Number); err != nil {
			return err
		}
	}
	return nil
}

// exportSurvey adds the survey response on an application or report, if
// one was given.
func (a *App) exportSurvey(ctx context.Context, x *DataExport, number string) error {
	if x.Index.Surveys == nil {
		x.Index.Surveys = []MySurvey{}
	}
	list, _, err := a.store.SurveyResponses(ctx, pendopo.SurveyFilter{Subject: number})
	for _, r := range list {
		r.DeviceKey = ""
		x.Index.Surveys = append(x.Index.Surveys, MySurvey{About: number, SurveyResponse: r})
	}
	return err
}

// extension is the file name extension of a media type.
func extension(media string) string {
	switch media {
	case pendopo.MediaPDF:
		return ".pdf"
	case pendopo.MediaJPEG:
		return ".jpg"
	case pendopo.MediaPNG:
		return ".png"
	}
	return ""
}

// zipName makes a file name safe as the last part of a path in a zip: no
// separators, no "..", nothing unprintable.
func zipName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 || r == '/' || r == '\\' || r == ':' {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimLeft(name, ".")
	if name == "" {
		name = "berkas"
	}
	return name
}

// readme is README.txt of the download.
const readme = `DATA PRIBADI ANDA DI PENDOPO

Berkas ini berisi semua data yang disimpan Pendopo tentang Anda, sesuai
hak Anda menurut Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan
Data Pribadi.

- index.json: seluruh data dalam format JSON: akun (dengan NIK utuh),
  perangkat yang masuk, pemberitahuan, kegiatan Anda, siapa yang membaca
  data Anda, permohonan (isian, riwayat, berkas, dokumen hasil), laporan
  (dengan foto dan riwayatnya) dan tanggapan survei yang terhubung.
  Setiap berkas disebut dengan "path" tempatnya di dalam zip ini dan
  "sha256" isinya.
- permohonan/<nomor>/: berkas yang Anda unggah dan dokumen hasil (PDF
  bertanda tangan elektronik; keasliannya dapat diperiksa di /verifikasi).
- laporan/<nomor>/: foto laporan Anda.
- "notes" di index.json menyebut apa yang tidak termasuk dan mengapa.

Simpan berkas ini dengan hati-hati: isinya data pribadi Anda.

----------------------------------------------------------------------

YOUR PERSONAL DATA IN PENDOPO

This file holds all the data Pendopo keeps about you, under your rights
in Indonesia's Law 27 of 2022 on Personal Data Protection.

- index.json: all of it as JSON: the account (with the whole NIK),
  signed-in devices, notifications, what you did, who read your data,
  applications (answers, timeline, files, issued documents), reports
  (with their photos and history) and the survey responses tied to them.
  Each file is named by its "path" inside this zip and the "sha256" of
  its content.
- permohonan/<number>/: the files you uploaded and the issued documents
  (electronically signed PDFs; check them at /verifikasi).
- laporan/<number>/: the photos of your reports.
- "notes" in index.json say what is not included and why.

Keep this file safe: it holds your personal data.
`

// WriteZip writes the download to w: README.txt, index.json, then each
// file, streamed from the file store one at a time so that memory stays
// small however large the files are. A file missing from the store is
// replaced by a note beside its path. An error after the first byte
// leaves w with an incomplete zip: the caller must cut the connection.
func (x *DataExport) WriteZip(ctx context.Context, w io.Writer) error {
	zw := zip.NewWriter(w)
	at := x.Index.Exported
	text := func(name string, body []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at})
		if err != nil {
			return err
		}
		_, err = f.Write(body)
		return err
	}
	if err := text("README.txt", []byte(readme)); err != nil {
		return err
	}
	index, err := json.MarshalIndent(x.Index, "", "  ")
	if err != nil {
		return err
	}
	if err := text("index.json", index); err != nil {
		return err
	}
	written := map[string]bool{}
	for _, f := range x.files {
		if written[f.Path] {
			continue
		}
		written[f.Path] = true
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := x.copyFile(ctx, zw, f); err != nil {
			return err
		}
	}
	return zw.Close()
}

// copyFile streams one stored file into the zip.
func (x *DataExport) copyFile(ctx context.Context, zw *zip.Writer, f MyFile) error {
	var (
		rc  io.ReadCloser
		err error = pendopo.ErrNotFound
	)
	if x.blobs != nil {
		rc, err = x.blobs.Open(ctx, f.SHA256)
	}
	if errors.Is(err, pendopo.ErrNotFound) {
		note, err := zw.CreateHeader(&zip.FileHeader{Name: f.Path + ".tidak-ada.txt", Method: zip.Deflate, Modified: x.Index.Exported})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(note, "Berkas %s (sha256 %s) tidak ada di penyimpanan berkas.\nThe file %s (sha256 %s) is missing from the file store.\n",
			path.Base(f.Path), f.SHA256, path.Base(f.Path), f.SHA256)
		return err
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", f.Path, err)
	}
	defer rc.Close()
	// Stored, not compressed again: PDFs and photos are compressed already.
	out, err := zw.CreateHeader(&zip.FileHeader{Name: f.Path, Method: zip.Store, Modified: f.At})
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, rc); err != nil {
		return fmt.Errorf("export %s: %w", f.Path, err)
	}
	return nil
}
