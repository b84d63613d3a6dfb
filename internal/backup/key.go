package backup

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// SealedKey is the secret key sealed under a passphrase: argon2id makes
// a key from the passphrase, and AES-256-GCM seals the secret key with it.
type SealedKey struct {
	KDF     string `json:"kdf"` // "argon2id"
	Time    uint32 `json:"time"`
	MemoryK uint32 `json:"memory_kib"`
	Threads uint8  `json:"threads"`
	Salt    []byte `json:"salt"`
	Nonce   []byte `json:"nonce"`
	Sealed  []byte `json:"sealed"`
}

// MinPassphrase is the shortest passphrase a backup's key is sealed with.
const MinPassphrase = 12

// keyAAD binds the sealed key to its use.
var keyAAD = []byte("pendopo backup secret key v1")

// ErrPassphrase is a passphrase that does not open the sealed key.
var ErrPassphrase = errors.New("the passphrase does not open the secret key in the backup")

// SealKey seals key under passphrase.
func SealKey(key []byte, passphrase string) (SealedKey, error) {
	if utf8.RuneCountInString(passphrase) < MinPassphrase {
		return SealedKey{}, errors.New("the passphrase must have at least 12 characters")
	}
	s := SealedKey{KDF: "argon2id", Time: 3, MemoryK: 64 << 10, Threads: 2, Salt: make([]byte, 16)}
	if _, err := rand.Read(s.Salt); err != nil {
		return s, err
	}
	aead, err := s.aead(passphrase)
	if err != nil {
		return s, err
	}
	s.Nonce = make([]byte, aead.NonceSize())
	if _, err := rand.Read(s.Nonce); err != nil {
		return s, err
	}
	s.Sealed = aead.Seal(nil, s.Nonce, key, keyAAD)
	return s, nil
}

// Open returns the secret key, or ErrPassphrase.
func (s SealedKey) Open(passphrase string) ([]byte, error) {
	if s.KDF != "argon2id" || s.Time == 0 || s.Time > 100 || s.MemoryK == 0 || s.MemoryK > 4<<20 || s.Threads == 0 {
		return nil, errors.New("the sealed secret key in the backup has unknown parameters")
	}
	aead, err := s.aead(passphrase)
	if err != nil {
		return nil, err
	}
	if len(s.Nonce) != aead.NonceSize() {
		return nil, ErrPassphrase
	}
	key, err := aead.Open(nil, s.Nonce, s.Sealed, keyAAD)
	if err != nil {
		return nil, ErrPassphrase
	}
	return key, nil
}

func (s SealedKey) aead(passphrase string) (cipher.AEAD, error) {
	k := argon2.IDKey([]byte(passphrase), s.Salt, s.Time, s.MemoryK, s.Threads, 32)
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
