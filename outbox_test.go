package pendopo

import (
	"testing"
	"time"
)

func TestOutboxRetry(t *testing.T) {
	for _, tt := range []struct {
		attempts int
		wait     time.Duration
		dead     bool
	}{
		{1, time.Minute, false},
		{2, 2 * time.Minute, false},
		{3, 4 * time.Minute, false},
		{9, 256 * time.Minute, false},
		{OutboxMaxAttempts, 0, true},
		{OutboxMaxAttempts + 5, 0, true},
	} {
		wait, dead := OutboxRetry(tt.attempts)
		if wait != tt.wait || dead != tt.dead {
			t.Errorf("OutboxRetry(%d) = %v, %v; want %v, %v", tt.attempts, wait, dead, tt.wait, tt.dead)
		}
	}
	// Waits grow and never pass the cap.
	prev := time.Duration(0)
	for n := 1; n < OutboxMaxAttempts; n++ {
		wait, _ := OutboxRetry(n)
		if wait < prev || wait > OutboxMaxRetryWait {
			t.Errorf("OutboxRetry(%d) = %v after %v", n, wait, prev)
		}
		prev = wait
	}
}

func TestOutboxMessageValidate(t *testing.T) {
	ok := OutboxMessage{Channel: OutboxEmail, To: "budi@contoh.id", Body: "Isi", Key: "k"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, m := range map[string]OutboxMessage{
		"channel": {Channel: "fax", To: "x", Body: "x", Key: "k"},
		"to":      {Channel: OutboxSMS, To: " ", Body: "x", Key: "k"},
		"key":     {Channel: OutboxEmail, To: "x", Body: "x"},
		"body":    {Channel: OutboxEmail, To: "x", Key: "k"},
	} {
		err := m.Validate()
		e, isErr := err.(*Error)
		if !isErr || e.Kind != KindInvalid || len(e.Fields) != 1 || e.Fields[0].Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}
