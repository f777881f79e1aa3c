package auth_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestLockedAccountPages: after auth.LockAfter wrong passwords the owner
// is told at sign-in that the account is locked, a guesser is told nothing
// new, the agency's admin sees the lock on the users page and in the API
// and unlocks it there, and another agency's admin cannot.
func TestLockedAccountPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		// A pair limit above the lock, so the address throttle does not
		// answer first: the lock is for tries from anywhere.
		h := servertest.StartWith(t, d, func(c *config.Config) { c.SignInLimit = 100 })
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
		pw := h.Users(t, servertest.Person{Email: "andi@diskes.go.id", Name: "Andi", Role: policy.Employee, Agency: "DISKES"},
			servertest.Person{Email: "admin@diskes.go.id", Name: "Admin Diskes", Role: policy.AgencyAdmin, Agency: "DISKES"},
			servertest.Person{Email: "admin@disdik.go.id", Name: "Admin Disdik", Role: policy.AgencyAdmin, Agency: "DISDIK"})
		id := h.AccountID(t, "andi@diskes.go.id")
		userPage := fmt.Sprintf("/admin/pengguna/%d", id)

		guesser := h.Client(t)
		guesser.Get("/masuk")
		for i := range auth.LockAfter {
			guesser.PostForm("/masuk", url.Values{"email": {"andi@diskes.go.id"}, "password": {fmt.Sprintf("guess-number-%d", i)}}).
				Want(t, http.StatusUnauthorized, "a wrong password", "Email atau kata sandi salah")
		}
		guesser.PostForm("/masuk", url.Values{"email": {"andi@diskes.go.id"}, "password": {"one-more-guess"}}).
			Want(t, http.StatusUnauthorized, "a wrong password for the locked account", "Email atau kata sandi salah")
		owner := h.Client(t)
		owner.Get("/masuk")
		owner.PostForm("/masuk", url.Values{"email": {"andi@diskes.go.id"}, "password": {pw["andi@diskes.go.id"]}}).
			Want(t, http.StatusForbidden, "the right password for the locked account", "Akun Anda dikunci", "Hubungi admin OPD Anda")

		var list struct {
			Items []auth.Account `json:"items"`
		}
		h.Do(t, "GET", "/api/v1/accounts?q=andi%40diskes", h.Token(t, "admin@diskes.go.id"), nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].LockedAt == nil {
			t.Fatalf("the API's account: %+v", list.Items)
		}

		stranger := h.SignIn(t, "admin@disdik.go.id", pw["admin@disdik.go.id"])
		stranger.Get("/admin/pengguna") // a page with the session's token
		stranger.PostForm(userPage+"/buka-kunci", nil).Want(t, http.StatusForbidden, "another agency's admin unlocking")

		admin := h.SignIn(t, "admin@diskes.go.id", pw["admin@diskes.go.id"])
		admin.Get("/admin/pengguna?q=andi").Want(t, http.StatusOK, "the users page", "Terkunci")
		admin.Get(userPage).Want(t, http.StatusOK, "the account's page", "Terkunci", "20 kali salah kata sandi",
			`action="`+userPage+`/buka-kunci"`)
		admin.PostForm(userPage+"/buka-kunci", nil).Redirects(t, "the unlock", userPage)
		p := admin.Get(userPage)
		p.Want(t, http.StatusOK, "after the unlock", "Kunci akun telah dibuka")
		p.Lacks(t, "after the unlock", "Terkunci", "/buka-kunci")
		admin.PostForm(userPage+"/buka-kunci", nil).Want(t, http.StatusConflict, "unlocking again", "tidak sedang terkunci")

		owner.SignIn("andi@diskes.go.id", pw["andi@diskes.go.id"])
		owner.Get("/akun").Want(t, http.StatusOK, "the owner after the unlock", "andi@diskes.go.id")
	})
}
