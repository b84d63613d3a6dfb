package httpx

import (
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pendopo/pendopo"
)

// TestCheckText: a NUL or invalid UTF-8 anywhere a handler could read it
// is refused as a bad request, before it reaches the database.
func TestCheckText(t *testing.T) {
	ok := []string{"/daerah/33.74/opd/dinas-kependudukan", "/cari?q=akte+lahir&daerah=33.74", "/cari?q=caf%C3%A9", "/a?%zz"}
	for _, target := range ok {
		if err := CheckText(httptest.NewRequest("GET", target, nil)); err != nil {
			t.Errorf("%s refused: %v", target, err)
		}
	}
	bad := []string{"/daerah/33.74/opd/%00", "/daerah/33.74/kinerja?opd=%00", "/cari?q=%ff", "/x?%00=1", "/%C0%AF", "/a?b=%00&c=%zz"}
	for _, target := range bad {
		if err := CheckText(httptest.NewRequest("GET", target, nil)); pendopo.KindOf(err) != pendopo.KindBadRequest {
			t.Errorf("%s: %v", target, err)
		}
	}
	post := func(body string) *http.Request {
		r := httptest.NewRequest("POST", "/masuk", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if err := CheckText(post("login=budi%40contoh.id&password=x")); err != nil {
		t.Errorf("good form: %v", err)
	}
	if err := CheckText(post("login=budi%00&password=x")); err != ErrBadText {
		t.Errorf("NUL in a form: %v", err)
	}
	var b strings.Builder
	mw := multipart.NewWriter(&b)
	mw.WriteField("judul", "lampu\x00mati")
	mw.Close()
	r := httptest.NewRequest("POST", "/lapor", strings.NewReader(b.String()))
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		t.Fatal(err)
	}
	if err := CheckText(r); err != ErrBadText {
		t.Errorf("NUL in a multipart field: %v", err)
	}
	b.Reset()
	mw = multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("foto", "foto\xff.jpg")
	fw.Write([]byte("x"))
	mw.Close()
	r = httptest.NewRequest("POST", "/lapor", strings.NewReader(b.String()))
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		t.Fatal(err)
	}
	if err := CheckText(r); err != ErrBadText {
		t.Errorf("bad file name: %v", err)
	}
}
