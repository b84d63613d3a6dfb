package blob_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/blob"
)

// The examples of AWS's guide to signing S3 requests in the Authorization
// header, all made with its example keys at 2013-05-24T00:00:00Z.
func TestS3Signature(t *testing.T) {
	s := blob.S3{Region: "us-east-1", AccessKey: "AKIAIOSFODNN7EXAMPLE", SecretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	at := time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)
	const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	tests := []struct {
		name, method, url string
		header            map[string]string
		payload           string
		signed, signature string
	}{
		{"GET Object", "GET", "https://examplebucket.s3.amazonaws.com/test.txt",
			map[string]string{"Range": "bytes=0-9"}, empty,
			"host;range;x-amz-content-sha256;x-amz-date", "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
		{"PUT Object", "PUT", "https://examplebucket.s3.amazonaws.com/test$file.text",
			map[string]string{"Date": "Fri, 24 May 2013 00:00:00 GMT", "X-Amz-Storage-Class": "REDUCED_REDUNDANCY"},
			"44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
			"date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class", "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"},
		{"GET Bucket Lifecycle", "GET", "https://examplebucket.s3.amazonaws.com/?lifecycle", nil, empty,
			"host;x-amz-content-sha256;x-amz-date", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
		{"GET Bucket (List Objects)", "GET", "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J", nil, empty,
			"host;x-amz-content-sha256;x-amz-date", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, tt.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range tt.header {
			req.Header.Set(k, v)
		}
		blob.Sign(s, req, tt.payload, at)
		want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=" +
			tt.signed + ",Signature=" + tt.signature
		if got := req.Header.Get("Authorization"); got != want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, want)
		}
		if req.Header.Get("X-Amz-Date") != "20130524T000000Z" || req.Header.Get("X-Amz-Content-Sha256") != tt.payload {
			t.Errorf("%s: headers %v", tt.name, req.Header)
		}
	}
}

const (
	bucket    = "pendopo"
	prefix    = "uji coba/" // a space, to exercise the encoding of paths
	accessKey = "PENDOPOTESTKEY"
	secretKey = "rahasia/JANGAN+bocor"
)

// fakeS3 is an in-process S3 server with one bucket. It counts requests
// by method and checks each one's signature by signing again what
// arrived: the path, host and headers as sent, and the body's hash.
type fakeS3 struct {
	*httptest.Server
	backend *s3mem.Backend
	mu      sync.Mutex
	calls   map[string]int
}

func newFakeS3(t *testing.T, opts ...gofakes3.Option) *fakeS3 {
	f := &fakeS3{backend: s3mem.New(), calls: map[string]int{}}
	if err := f.backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	h := gofakes3.New(f.backend, opts...).Server()
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.calls[r.Method]++
		f.mu.Unlock()
		if err := checkSignature(r); err != nil {
			t.Errorf("%s %s: %v", r.Method, r.URL, err)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// take returns the requests counted since the last call.
func (f *fakeS3) take() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = map[string]int{}
	return c
}

func checkSignature(r *http.Request) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.Sum256(body)
	if got := r.Header.Get("X-Amz-Content-Sha256"); got != hex.EncodeToString(sum[:]) {
		return fmt.Errorf("x-amz-content-sha256 %q is not the body's hash", got)
	}
	auth := r.Header.Get("Authorization")
	_, signed, ok := strings.Cut(auth, ",SignedHeaders=")
	signed, _, _ = strings.Cut(signed, ",")
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if !ok || err != nil {
		return fmt.Errorf("not signed: %q", auth)
	}
	again := &http.Request{Method: r.Method, Host: r.Host, Header: http.Header{},
		URL: &url.URL{Path: r.URL.Path, RawQuery: r.URL.RawQuery}}
	for _, k := range strings.Split(signed, ";") {
		if k != "host" {
			again.Header[http.CanonicalHeaderKey(k)] = r.Header.Values(k)
		}
	}
	blob.Sign(blob.S3{Region: "ap-southeast-3", AccessKey: accessKey, SecretKey: secretKey}, again, hex.EncodeToString(sum[:]), at)
	if got := again.Header.Get("Authorization"); got != auth {
		return fmt.Errorf("signature does not cover the request as sent:\n got %s\nwant %s", auth, got)
	}
	return nil
}

func (f *fakeS3) store() blob.S3 {
	return blob.S3{Endpoint: f.URL, Region: "ap-southeast-3", Bucket: bucket, AccessKey: accessKey, SecretKey: secretKey,
		Prefix: prefix, PathStyle: true}
}

func TestS3(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t)
	s := f.store()
	testStore(t, s)

	// An object is named by the prefix and the address and carries the
	// media type.
	f.take()
	b, err := s.Put(ctx, bytes.NewReader(pdf), 1<<20, all)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := f.backend.HeadObject(bucket, prefix+b.Addr[:2]+"/"+b.Addr)
	if err != nil || obj.Size != int64(len(pdf)) || obj.Metadata["Content-Type"] != pendopo.MediaPDF {
		t.Errorf("object: %+v %v", obj, err)
	}
	// Content already in the bucket is only looked at.
	if got := f.take(); !maps.Equal(got, map[string]int{"HEAD": 1}) {
		t.Errorf("stored twice: %v", got)
	}
	if _, err := s.Put(ctx, bytes.NewReader(append(bytes.Clone(png), 1)), 1<<20, all); err != nil {
		t.Fatal(err)
	}
	if got := f.take(); !maps.Equal(got, map[string]int{"HEAD": 1, "PUT": 1}) {
		t.Errorf("new content: %v", got)
	}
	// Refused files never reach the server.
	for _, tt := range []struct {
		name    string
		content []byte
		limit   int64
		kind    pendopo.ErrorKind
	}{
		{"program disguised as a PDF", []byte("MZ\x90\x00 this is a program"), 1 << 20, pendopo.KindUnsupported},
		{"over the limit", append(bytes.Clone(pdf), make([]byte, 2000)...), 1000, pendopo.KindTooLarge},
		{"empty", nil, 1 << 20, pendopo.KindInvalid},
	} {
		if _, err := s.Put(ctx, bytes.NewReader(tt.content), tt.limit, all); pendopo.KindOf(err) != tt.kind {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.kind)
		}
		if got := f.take(); len(got) > 0 {
			t.Errorf("%s: requests %v", tt.name, got)
		}
	}
	if _, err := s.Open(ctx, strings.Repeat("0", 64)); pendopo.KindOf(err) != pendopo.KindNotFound {
		t.Errorf("unknown address: %v", err)
	}
	if got := f.take(); !maps.Equal(got, map[string]int{"GET": 1}) {
		t.Errorf("unknown address: requests %v", got)
	}
	if _, err := s.Open(ctx, "../"+b.Addr); pendopo.KindOf(err) != pendopo.KindNotFound {
		t.Errorf("bad address: %v", err)
	}
	if got := f.take(); len(got) > 0 {
		t.Errorf("bad address: requests %v", got)
	}
}

// Without PathStyle the bucket is part of the host name, as Amazon S3
// prefers; every such name is routed to the fake server here.
func TestS3VirtualHost(t *testing.T) {
	f := newFakeS3(t, gofakes3.WithHostBucket(true))
	s := f.store()
	s.PathStyle = false
	_, port, _ := net.SplitHostPort(f.Listener.Addr().String())
	s.Endpoint = "http://s3.example.test:" + port
	s.Client = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return new(net.Dialer).DialContext(ctx, network, f.Listener.Addr().String())
		},
	}}
	testStore(t, s)
	if calls := f.take(); calls["PUT"] != 4 || calls["DELETE"] == 0 {
		t.Errorf("the contract did not store and delete through host-named buckets: %v", calls)
	}
}

// Failures name the status and S3's error code, never the secret, and a
// missing bucket is not mistaken for a missing file.
func TestS3Failures(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t)
	s := f.store()
	s.Bucket = "tidak-ada"
	_, err := s.Put(ctx, bytes.NewReader(pdf), 1<<20, all)
	if err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), "NoSuchBucket") || strings.Contains(err.Error(), secretKey) {
		t.Errorf("put into a missing bucket: %v", err)
	}
	sum := sha256.Sum256(pdf)
	_, err = s.Open(ctx, hex.EncodeToString(sum[:]))
	if pendopo.KindOf(err) != pendopo.KindInternal || !strings.Contains(err.Error(), "NoSuchBucket") {
		t.Errorf("open in a missing bucket: %v", err)
	}
	s = f.store()
	s.Endpoint = "s3.example.test"
	if _, err := s.Put(ctx, bytes.NewReader(pdf), 1<<20, all); err == nil || !strings.Contains(err.Error(), "endpoint") {
		t.Errorf("endpoint without a scheme: %v", err)
	}
}
