package org_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestAPIAdminCannotChangeProtectedPeople replays review finding C1
// through the API: Kominfo's admin cannot change the email (the sign-in
// name) of its agency head or of the executive working in Kominfo, nor
// deactivate or transfer the superadmin; their own staff they can.
func TestAPIAdminCannotChangeProtectedPeople(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", org.TypeDinas)
		disdik := h.Agency(t, "DISDIK", "Dinas Pendidikan", org.TypeDinas)
		h.Users(t,
			servertest.Person{Email: "super@makassarkota.go.id", Name: "Super Admin", Role: policy.Superadmin, Agency: "KOMINFO"},
			servertest.Person{Email: "sekda@makassarkota.go.id", Name: "Sekretaris Daerah", Role: policy.Executive, Agency: "KOMINFO"},
			servertest.Person{Email: "admin@kominfo.go.id", Name: "Admin Kominfo", Role: policy.AgencyAdmin, Agency: "KOMINFO"},
			servertest.Person{Email: "kadis@kominfo.go.id", Name: "Kepala Dinas", Role: policy.AgencyHead, Agency: "KOMINFO"},
			servertest.Person{Email: "staf@kominfo.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "KOMINFO"})
		admin := h.Token(t, "admin@kominfo.go.id")
		person := func(email string) string {
			e, err := h.Svc.Org.GetEmployeeByEmail(context.Background(), email)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/employees/%d", e.ID)
		}
		steal := map[string]any{"email": "attacker@example.com"}
		for _, email := range []string{"kadis@kominfo.go.id", "sekda@makassarkota.go.id", "super@makassarkota.go.id"} {
			servertest.Problem(t, h.Do(t, "PATCH", person(email), admin, steal, "application/merge-patch+json"), 403)
		}
		super := person("super@makassarkota.go.id")
		servertest.Problem(t, h.Do(t, "POST", super+"/deactivate", admin, map[string]any{"reason": org.EndRetired}, ""), 403)
		servertest.Problem(t, h.Do(t, "POST", super+"/transfer", admin, map[string]any{"to_agency_id": disdik.ID}, ""), 403)
		if _, err := h.Svc.Org.GetEmployeeByEmail(context.Background(), "attacker@example.com"); err == nil {
			t.Fatal("a protected person's email was changed")
		}

		staff := person("staf@kominfo.go.id")
		r := h.Do(t, "PATCH", staff, admin, map[string]any{"phone": "0811-4455-6677"}, "application/merge-patch+json")
		if r.Status != 200 {
			t.Errorf("admin updates their staff: %d %s", r.Status, r.Body)
		}
		// Dates outside what can be true (review finding, Low).
		servertest.ProblemFields(t, h.Do(t, "POST", staff+"/deactivate", admin,
			map[string]any{"reason": org.EndRetired, "on": "0002-01-01"}, ""), 422, "on")
		servertest.ProblemFields(t, h.Do(t, "POST", staff+"/deactivate", admin,
			map[string]any{"reason": org.EndRetired, "on": "0001-01-01"}, ""), 422, "on")
		servertest.ProblemFields(t, h.Do(t, "POST", staff+"/transfer", admin,
			map[string]any{"to_agency_id": disdik.ID, "effective_on": "9999-12-31"}, ""), 422, "effective_on")
		servertest.ProblemFields(t, h.Do(t, "POST", staff+"/transfer", admin,
			map[string]any{"to_agency_id": disdik.ID, "effective_on": "1900-01-01"}, ""), 422, "effective_on")
		if r := h.Do(t, "POST", staff+"/transfer", admin, map[string]any{"to_agency_id": disdik.ID}, ""); r.Status != 200 {
			t.Errorf("admin transfers their staff today: %d %s", r.Status, r.Body)
		}
	})
}

// TestPersonPageOffersOnlyAllowedActions checks that the person page of a
// protected person shows Kominfo's admin no edit, transfer or deactivation
// actions, while those of their own staff are offered.
func TestPersonPageOffersOnlyAllowedActions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", org.TypeDinas)
		pw := h.Users(t,
			servertest.Person{Email: "admin@kominfo.go.id", Name: "Admin Kominfo", Role: policy.AgencyAdmin, Agency: "KOMINFO"},
			servertest.Person{Email: "kadis@kominfo.go.id", Name: "Kepala Dinas", Role: policy.AgencyHead, Agency: "KOMINFO"},
			servertest.Person{Email: "staf@kominfo.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "KOMINFO"})
		browser := h.SignIn(t, "admin@kominfo.go.id", pw["admin@kominfo.go.id"])
		for email, allowed := range map[string]bool{"kadis@kominfo.go.id": false, "staf@kominfo.go.id": true} {
			e, err := h.Svc.Org.GetEmployeeByEmail(context.Background(), email)
			if err != nil {
				t.Fatal(err)
			}
			path := fmt.Sprintf("/pegawai/%d", e.ID)
			p := browser.Get(path)
			actions := []string{path + "/ubah", path + "/mutasi", path + "/nonaktif"}
			if allowed {
				p.Want(t, 200, "own staff's page", actions...)
			} else {
				p.Want(t, 200, "the head's page")
				p.Lacks(t, "the head's page", actions...)
			}
		}
	})
}
