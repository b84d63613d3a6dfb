package pendopotest

import (
	"io"
	"log/slog"
	"time"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// SecretKey is the fixed key that encrypts personal data in tests.
var SecretKey = []byte("pendopo-test-key-32-bytes-long!!")

// CheapPasswords keep argon2id fast in tests; production uses
// app.DefaultPasswordParams.
var CheapPasswords = app.PasswordParams{Time: 1, MemoryK: 1024, Threads: 1}

// AppConfig is an app configuration for tests on store s: a fixed clock
// (at), a quiet logger, cheap password hashing and senders that keep
// messages in memory, returned for reading one-time codes.
func AppConfig(s pendopo.Store, at time.Time) (app.Config, *app.MemorySender) {
	mem := &app.MemorySender{}
	return app.Config{
		Store: s, Now: func() time.Time { return at }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		SecretKey: SecretKey, Passwords: CheapPasswords, Mail: mem, SMS: mem, BaseURL: "http://pendopo.test",
	}, mem
}
