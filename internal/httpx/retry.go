package httpx

import (
	"net/http"
	"strconv"

	"github.com/pendopo/pendopo"
)

// SetRetryAfter tells the client when to try again, for an error that
// says so (pendopo.Error.RetryAfter): sign-in locked out, or password
// checks all busy. Every error renderer calls it.
func SetRetryAfter(h http.Header, e *pendopo.Error) {
	if e == nil || e.RetryAfter <= 0 {
		return
	}
	secs := int64((e.RetryAfter + 999_999_999) / 1e9) // rounded up
	h.Set("Retry-After", strconv.FormatInt(secs, 10))
}
