// Package apptest holds what tests of the use cases and above need to
// build an *app.App: a fixed secret key, cheap password hashing and a
// configuration with a fixed clock. It sits apart from pendopotest so
// that the store's contract suite compiles without the use-case layer.
package apptest

import (
	"io"
	"log/slog"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
	"github.com/pendopo/pendopo/internal/notify"
)

// SecretKey is the fixed key that encrypts personal data in tests.
var SecretKey = []byte("pendopo-test-key-32-bytes-long!!")

// CheapPasswords keep argon2id fast in tests; production uses
// app.DefaultPasswordParams.
var CheapPasswords = app.PasswordParams{Time: 1, MemoryK: 1024, Threads: 1}

// Config is an app configuration for tests on store s: a fixed clock
// (at), a quiet logger, cheap password hashing and senders that keep
// messages in memory, returned for reading one-time codes.
func Config(s pendopo.Store, at time.Time) (app.Config, *notify.MemorySender) {
	mem := &notify.MemorySender{}
	return app.Config{
		Store: s, Now: func() time.Time { return at }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SecretKey: SecretKey, Passwords: CheapPasswords, Mail: mem, SMS: mem, BaseURL: "http://pendopo.test",
	}, mem
}
