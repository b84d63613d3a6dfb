package app

// PasswordHashes counts the password hashes the gate let run, for tests
// that check that work is the same whatever the account.
func PasswordHashes(a *App) int64 { return a.hashes.hashed.Load() }

// FillHashGate takes every hash slot and every place in the gate's queue
// until release is called, so that the next hash is turned away at once.
func FillHashGate(a *App) (release func()) {
	for range cap(a.hashes.slots) {
		a.hashes.slots <- struct{}{}
	}
	for range cap(a.hashes.queue) {
		a.hashes.queue <- struct{}{}
	}
	return func() {
		for range cap(a.hashes.queue) {
			<-a.hashes.queue
		}
		for range cap(a.hashes.slots) {
			<-a.hashes.slots
		}
	}
}
