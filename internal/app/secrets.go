package app

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id costs. Defaults follow RFC 9106's second
// recommendation for memory-constrained systems; tests use cheaper ones.
type PasswordParams struct {
	Time    uint32
	MemoryK uint32 // KiB
	Threads uint8
}

// DefaultPasswordParams take about 0.4 s per hash on one CPU of a 2-core
// server. One lane (Threads 1) rather than two: a hash then keeps one CPU
// busy, not both, so the other goes on answering pages and probes while
// sign-ins are checked (see BENCHMARKS.md, sign-in under a flood). Hashes
// made with other costs keep verifying: the costs are read from each hash.
var DefaultPasswordParams = PasswordParams{Time: 3, MemoryK: 64 << 10, Threads: 1}

// hashPassword returns an encoded argon2id hash with a random salt.
func hashPassword(pw string, p PasswordParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := io.ReadFull(rand.Reader, salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryK, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryK, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// dummyPasswordHash is a well-formed hash with costs p that no password
// matches (its key is random, not derived), for checking a password
// against when the account does not exist: the check costs what a real
// one does, and making it costs nothing, not 64 MiB at start.
func dummyPasswordHash(p PasswordParams) string {
	salt, key := make([]byte, 16), make([]byte, 32)
	rand.Read(salt)
	rand.Read(key)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryK, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

var errBadHash = errors.New("malformed password hash")

// checkPassword compares a password with an encoded hash in constant time.
func checkPassword(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var p PasswordParams
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return false, errBadHash
		}
		switch k {
		case "m":
			p.MemoryK = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			p.Threads = uint8(n)
		}
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || p.Time == 0 || p.MemoryK == 0 || p.Threads == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryK, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// randomSecret returns n random bytes as URL-safe text.
func randomSecret(n int) string {
	b := make([]byte, n)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		panic(err) // the system's randomness failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// randomDigits returns a code of n decimal digits, uniform.
func randomDigits(n int) string {
	const max = 250 // a multiple of 10 below 256 keeps digits uniform
	out := make([]byte, 0, n)
	b := make([]byte, 1)
	for len(out) < n {
		if _, err := io.ReadFull(rand.Reader, b); err != nil {
			panic(err)
		}
		if b[0] < max {
			out = append(out, '0'+b[0]%10)
		}
	}
	return string(out)
}

// sha256Hex hashes a secret for storage.
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// sealer encrypts personal data at rest with AES-256-GCM, and makes keyed
// hashes of identities that must be matched but not read (the reporter of
// an anonymous report).
type sealer struct {
	aead   cipher.AEAD
	macKey []byte
}

// mac is a keyed hash of s, as hex: equal inputs give equal outputs, and
// without the instance key nobody can tell whose it is.
func (s *sealer) mac(v string) string {
	h := hmac.New(sha256.New, s.macKey)
	h.Write([]byte(v))
	return hex.EncodeToString(h.Sum(nil))
}

func newSealer(key []byte) (*sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("secret key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	// A separate key for hashing, derived from the secret key.
	mk := hmac.New(sha256.New, key)
	mk.Write([]byte("pendopo identity mac v1"))
	return &sealer{aead: aead, macKey: mk.Sum(nil)}, nil
}

// seal encrypts plain; the nonce is stored in front of the ciphertext.
func (s *sealer) seal(plain string, context string) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		panic(err)
	}
	return s.aead.Seal(nonce, nonce, []byte(plain), []byte(context))
}

// open decrypts what seal made for the same context.
func (s *sealer) open(enc []byte, context string) (string, error) {
	n := s.aead.NonceSize()
	if len(enc) < n {
		return "", errors.New("sealed value too short")
	}
	plain, err := s.aead.Open(nil, enc[:n], enc[n:], []byte(context))
	if err != nil {
		return "", fmt.Errorf("open sealed value: %w", err)
	}
	return string(plain), nil
}
