package blob

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pendopo/pendopo"
)

// S3 keeps files in a bucket of S3-compatible object storage (Amazon S3,
// MinIO, Ceph, Garage and the like), so that instances on different
// machines share them without a shared disk. A file is the object
// Prefix + addr[:2] + "/" + addr. Requests are signed with AWS Signature
// Version 4; the bucket must stay private, since files are only ever
// served through the portal's access checks.
type S3 struct {
	// Endpoint is the server, https://host[:port]: for example
	// https://s3.ap-southeast-3.amazonaws.com, or http://127.0.0.1:9000
	// for a local MinIO.
	Endpoint string
	// Region is part of every signature; empty means us-east-1, which
	// most self-hosted servers expect.
	Region    string
	Bucket    string
	AccessKey string
	SecretKey string
	// Prefix is put before every object name, such as "berkas/".
	Prefix string
	// PathStyle names the bucket in the path (host/bucket/key), as MinIO
	// and most self-hosted servers need, instead of in the host name
	// (bucket.host/key).
	PathStyle bool
	// Client sends the requests; nil means a client with connection and
	// response timeouts.
	Client *http.Client
}

// defaultClient bounds connecting and waiting for a response but not the
// whole exchange: Open hands the body to a caller who may stream it to a
// slow reader. Redirects are not followed, so that a wrong region or
// endpoint shows as S3's own error rather than an unsigned second request.
var defaultClient = &http.Client{
	Transport: func() http.RoundTripper {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = 30 * time.Second
		return t
	}(),
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// putTimeout bounds checking for and uploading one file.
const putTimeout = 2 * time.Minute

func (s S3) key(addr string) string { return s.Prefix + addr[:2] + "/" + addr }

// Put stores a file. The content is checked and held in memory (at most
// limit bytes) before any request, so a refused file never reaches the
// bucket. Content already in the bucket is not uploaded again.
func (s S3) Put(ctx context.Context, r io.Reader, limit int64, accept []string) (Blob, error) {
	var buf bytes.Buffer
	b, err := receive(r, &buf, limit, accept)
	if err != nil {
		return Blob{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, putTimeout)
	defer cancel()
	key := s.key(b.Addr)
	resp, err := s.do(ctx, http.MethodHead, key, nil, nil)
	if err != nil {
		return Blob{}, fmt.Errorf("store upload: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return b, nil
	}
	// Any other answer means writing: 404 is the usual one, but keys
	// that may not list the bucket get 403 for a missing object. The PUT
	// reports real problems.
	resp, err = s.do(ctx, http.MethodPut, key, buf.Bytes(), http.Header{"Content-Type": {b.Media}})
	if err != nil {
		return Blob{}, fmt.Errorf("store upload: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, err := s.failure(resp, key)
		return Blob{}, fmt.Errorf("store upload: %w", err)
	}
	return b, nil
}

// Open returns a stored file.
func (s S3) Open(ctx context.Context, addr string) (io.ReadCloser, error) {
	if !addrRE.MatchString(addr) {
		return nil, pendopo.ErrNotFound
	}
	key := s.key(addr)
	resp, err := s.do(ctx, http.MethodGet, key, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("open file %s: %w", addr, err)
	}
	if resp.StatusCode == http.StatusOK {
		return resp.Body, nil
	}
	defer resp.Body.Close()
	code, err := s.failure(resp, key)
	if resp.StatusCode == http.StatusNotFound && code != "NoSuchBucket" {
		return nil, fmt.Errorf("file %s: %w", addr, pendopo.ErrNotFound)
	}
	return nil, fmt.Errorf("open file %s: %w", addr, err)
}

// Delete removes a stored file; the keys need s3:DeleteObject. S3 answers
// a missing object's deletion as a success too.
func (s S3) Delete(ctx context.Context, addr string) error {
	if !addrRE.MatchString(addr) {
		return nil
	}
	key := s.key(addr)
	resp, err := s.do(ctx, http.MethodDelete, key, nil, nil)
	if err != nil {
		return fmt.Errorf("delete file %s: %w", addr, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK, http.StatusNoContent, http.StatusNotFound:
		return nil
	}
	_, err = s.failure(resp, key)
	return fmt.Errorf("delete file %s: %w", addr, err)
}

// do sends one signed request for the object key.
func (s S3) do(ctx context.Context, method, key string, body []byte, header http.Header) (*http.Response, error) {
	u, err := s.url(key)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.URL = u // exactly the path that is signed
	for k, v := range header {
		req.Header[k] = v
	}
	sum := sha256.Sum256(body)
	s.sign(req, hex.EncodeToString(sum[:]), time.Now()) // wallclock: SigV4 dates are checked against the server's own clock
	c := s.Client
	if c == nil {
		c = defaultClient
	}
	return c.Do(req)
}

func (s S3) url(key string) (*url.URL, error) {
	e, err := url.Parse(s.Endpoint)
	if err != nil || e.Scheme != "http" && e.Scheme != "https" || e.Host == "" {
		return nil, errors.New("s3: the endpoint must be http(s)://host[:port]")
	}
	u := &url.URL{Scheme: e.Scheme, Host: e.Host, Path: "/" + key}
	if s.PathStyle {
		u.Path = "/" + s.Bucket + u.Path
	} else {
		u.Host = s.Bucket + "." + u.Host
	}
	u.RawPath = uriEncode(u.Path, false)
	return u, nil
}

// failure describes an error response by its status and S3's error code
// and message; it never repeats the request, so no credential leaks into
// logs. It returns the code, which is empty for HEAD.
func (s S3) failure(resp *http.Response, key string) (code string, err error) {
	var e struct{ Code, Message string }
	xml.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&e)
	msg := fmt.Sprintf("s3 %s %s/%s: %s", resp.Request.Method, s.Bucket, key, resp.Status)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return e.Code, errors.New(msg)
}

// sign signs req with AWS Signature Version 4 for the s3 service at time
// t: it sets x-amz-date, x-amz-content-sha256 to payloadHash (the hex
// SHA-256 of the body) and Authorization, which covers the host and every
// header already on req.
func (s S3) sign(req *http.Request, payloadHash string, t time.Time) {
	stamp := t.UTC().Format("20060102T150405Z")
	day := stamp[:8]
	region := cmp.Or(s.Region, "us-east-1")
	req.Header.Set("X-Amz-Date", stamp)
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)

	headers := map[string]string{"host": cmp.Or(req.Host, req.URL.Host)}
	for k, vs := range req.Header {
		k = strings.ToLower(k)
		if k == "authorization" {
			continue
		}
		vals := make([]string, len(vs))
		for i, v := range vs {
			vals[i] = strings.Join(strings.Fields(v), " ")
		}
		headers[k] = strings.Join(vals, ",")
	}
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	slices.Sort(names)
	signed := strings.Join(names, ";")

	type param struct{ k, v string }
	var params []param
	for k, vs := range req.URL.Query() {
		for _, v := range vs {
			params = append(params, param{uriEncode(k, true), uriEncode(v, true)})
		}
	}
	slices.SortFunc(params, func(a, b param) int { return cmp.Or(strings.Compare(a.k, b.k), strings.Compare(a.v, b.v)) })

	var c strings.Builder
	c.WriteString(req.Method + "\n")
	c.WriteString(cmp.Or(uriEncode(req.URL.Path, false), "/") + "\n")
	for i, p := range params {
		if i > 0 {
			c.WriteByte('&')
		}
		c.WriteString(p.k + "=" + p.v)
	}
	c.WriteByte('\n')
	for _, k := range names {
		c.WriteString(k + ":" + headers[k] + "\n")
	}
	c.WriteString("\n" + signed + "\n" + payloadHash)

	scope := day + "/" + region + "/s3/aws4_request"
	creq := sha256.Sum256([]byte(c.String()))
	toSign := "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + hex.EncodeToString(creq[:])
	key := []byte("AWS4" + s.SecretKey)
	for _, part := range []string{day, region, "s3", "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+s.AccessKey+"/"+scope+
		",SignedHeaders="+signed+",Signature="+hex.EncodeToString(hmacSHA256(key, toSign)))
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// uriEncode escapes s as Signature Version 4 asks: every byte but
// A-Z a-z 0-9 - _ . ~ becomes %XX, and so does '/' when encodeSlash is
// set (query names and values) but not in a path.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~', c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
