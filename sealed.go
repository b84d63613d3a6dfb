package pendopo

import "context"

// SealedColumn names a column of values sealed (encrypted) with the
// instance's secret key, so that checking and rotating the key can visit
// every such value without knowing what it holds. The names are constants
// of the code, never input.
type SealedColumn struct {
	Table string
	// Key is the column whose value completes the sealing context, such
	// as an application's number in "application:<number>".
	Key string
	// Value is the column of sealed bytes.
	Value string
	// Text says Value is a text column holding the sealed bytes in
	// standard base64, rather than a byte column.
	Text bool
	// Where, when set, is a fixed SQL condition choosing the rows, such
	// as "key = 'audit-signing-key'" for one row of settings.
	Where string
	// Derived are columns computed with the secret key from the opened
	// value, such as keyed hashes, set again when a value is re-sealed.
	Derived []string
}

// Resealed replaces one row's sealed value: Value and the new values of
// the column's Derived columns, in their order. A nil Value leaves the
// row as it is.
type Resealed struct {
	Value   []byte
	Derived []string
}

// SecretStore is what checking and rotating the secret key needs.
type SecretStore interface {
	// EachSealed calls fn with every non-empty value of c, in the order of
	// c.Key, a page at a time; when fn returns a Value, the row is updated
	// to it. An error from fn stops the walk and is returned. Inside InTx
	// every update lands with the transaction or not at all.
	EachSealed(ctx context.Context, c SealedColumn, fn func(key string, sealed []byte) (Resealed, error)) error
	// AddSetting stores a setting that does not exist yet; an existing one
	// is ErrConflict, so that two instances starting at once cannot both
	// claim it.
	AddSetting(ctx context.Context, key, value string) error
}
