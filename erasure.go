package pendopo

import (
	"context"
	"time"
)

// ErasureStore removes and seals what a deleted account leaves behind
// (UU 27/2022); the app's DeleteAccount decides what goes and what an
// agency must keep.
type ErasureStore interface {
	// DeleteApplication removes an application with its timeline and
	// uploads, for a draft no agency ever received, and returns the
	// addresses of the uploads' files.
	DeleteApplication(ctx context.Context, id int64) ([]string, error)
	// ClearApplication removes an application's personal data and keeps
	// its bare record (number, service, dates, status, the steps of its
	// timeline) for the published figures: the applicant's name, the
	// answers and the idempotency key, the uploads (it returns the
	// addresses of their files) and the notes of its timeline.
	ClearApplication(ctx context.Context, id int64, at time.Time) ([]string, error)
	// ArchiveApplication keeps a decided application as its agency's
	// record without the applicant's identity in the clear: the
	// applicant's name becomes applicant (their initials), and the names
	// the applicant gave their files, which may name them, become the
	// field's key with the file's extension.
	ArchiveApplication(ctx context.Context, id int64, applicant string, at time.Time) error
	// AnonymizeReport unlinks a report from its reporter: no account, no
	// reporter key or idempotency key, sealed as the identity (one that
	// names nobody), privacy as given.
	AnonymizeReport(ctx context.Context, id int64, sealed []byte, privacy Privacy, at time.Time) error
	// FileInUse reports whether a record still refers to the file at
	// addr: an upload, an issued document, a report photo or a program
	// update's photo.
	FileInUse(ctx context.Context, addr string) (bool, error)
}
