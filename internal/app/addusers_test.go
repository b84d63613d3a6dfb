package app_test

import (
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/app"
)

// AddUsers makes accounts that share a password with one hash: each signs
// in with it, an existing login is left alone, and a problem with any
// account makes none.
func TestAddUsersSharingPassword(t *testing.T) {
	x := newAccounts(t)
	const pw = "sandi demo yang cukup panjang"
	admin := pendopo.Role{Kind: pendopo.RoleRegionAdmin, Region: "33.74"}
	if _, err := x.AddUser(ctx, "Sudah Ada", "ada@contoh.id", "kata sandi lain yang panjang", nil); err != nil {
		t.Fatal(err)
	}
	users := []app.NewUser{{Name: "Admin Semarang", Login: "admin@contoh.id", Role: &admin}, {Name: "Warga", Login: "warga@contoh.id"},
		{Name: "Sudah Ada", Login: "ada@contoh.id"}}
	bad := append(users[:2:2], app.NewUser{Name: "Salah", Login: "bukan login"})
	if n, err := x.AddUsers(ctx, bad, pw); n != 0 || pendopo.KindOf(err) != pendopo.KindInvalid || x.HasAccount(ctx, "admin@contoh.id") {
		t.Fatalf("a bad login among them: made %d, %v", n, err)
	}
	if n, err := x.AddUsers(ctx, users, "pendek"); n != 0 || pendopo.KindOf(err) != pendopo.KindInvalid {
		t.Fatalf("a weak password: made %d, %v", n, err)
	}
	n, err := x.AddUsers(ctx, users, pw)
	if err != nil || n != 2 {
		t.Fatalf("made %d, %v; want 2", n, err)
	}
	for _, login := range []string{"admin@contoh.id", "warga@contoh.id"} {
		if _, _, err := x.Login(ctx, login, pw, "192.0.2.1", "test"); err != nil {
			t.Errorf("%s signs in: %v", login, err)
		}
	}
	if _, _, err := x.Login(ctx, "ada@contoh.id", pw, "192.0.2.1", "test"); err == nil {
		t.Error("the existing account's password was replaced")
	}
	if n, err := x.AddUsers(ctx, users, pw); err != nil || n != 0 {
		t.Errorf("again: made %d, %v", n, err)
	}
	if joined, err := x.Joined(ctx, "33.74"); err != nil || !joined {
		t.Errorf("the region admin made Semarang joined: %v %v", joined, err)
	}
}
