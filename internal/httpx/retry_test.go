package httpx

import (
	"net/http"
	"testing"
	"time"

	"github.com/pendopo/pendopo"
)

func TestSetRetryAfter(t *testing.T) {
	h := http.Header{}
	SetRetryAfter(h, &pendopo.Error{Kind: pendopo.KindUnavailable, RetryAfter: 1500 * time.Millisecond})
	if h.Get("Retry-After") != "2" {
		t.Errorf("Retry-After %q", h.Get("Retry-After"))
	}
	h = http.Header{}
	SetRetryAfter(h, pendopo.Errorf(pendopo.KindRateLimited, pendopo.T("a", "b")))
	SetRetryAfter(h, nil)
	if _, ok := h["Retry-After"]; ok {
		t.Error("Retry-After without a delay")
	}
}
