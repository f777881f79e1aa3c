package org

import (
	"context"
	"database/sql"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

func TestCreateEmployee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)

		t.Run("OK", func(t *testing.T) {
			in := pns(dinkes, "198503152010011002", "Andi Dottoro'ta Ä", "  Andi@Makassar.GO.ID ")
			in.FrontTitle, in.BackTitle, in.Phone = "Dr.", "S.Kom., M.T.", "0812-3456-7890"
			e, err := s.CreateEmployee(ctx, system, in)
			if err != nil {
				t.Fatal(err)
			}
			if e.Name != "Andi Dottoro'ta Ä" || *e.Email != "andi@makassar.go.id" || *e.Phone != "+6281234567890" {
				t.Errorf("stored %+v", e)
			}
			if e.AgencyName != "Dinas Kesehatan" || e.UnitName != "Bidang Umum" || e.PositionName != "Analis" {
				t.Errorf("names %q %q %q", e.AgencyName, e.UnitName, e.PositionName)
			}
			if got := e.DisplayName(); got != "Dr. Andi Dottoro'ta Ä, S.Kom., M.T." {
				t.Errorf("DisplayName = %q", got)
			}
			var n int
			if err := d.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'employee' AND action = 'create'`).Scan(&n); err != nil || n != 1 {
				t.Errorf("audit rows %d, %v", n, err)
			}
		})

		t.Run("OKContractWithoutNIP", func(t *testing.T) {
			e := mustCreate(t, s, EmployeeInput{AgencyID: dinkes, Name: "Nur'aini", EmploymentType: "contract"})
			if e.NIP != nil || e.Email != nil {
				t.Errorf("got %+v", e)
			}
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			for name, tc := range map[string]struct {
				in    EmployeeInput
				field string
				key   string
			}{
				"malformed NIP":      {pns(dinkes, "19850315201001100", "A", ""), "nip", "nip.length"},
				"NIP month 13":       {pns(dinkes, "198503152010131002", "A", ""), "nip", "nip.appointment"},
				"unknown agency":     {pns(9999, "198503152010011003", "A", ""), "agency_id", "agency.unknown"},
				"no name":            {pns(dinkes, "198503152010011003", " ", ""), "name", "required"},
				"bad email":          {pns(dinkes, "198503152010011003", "A", "a@b"), "email", "email.format"},
				"contract with NIP":  {EmployeeInput{AgencyID: dinkes, Name: "A", EmploymentType: "contract", NIP: "198503152010011003"}, "nip", "nip.not_allowed"},
				"pns without NIP":    {EmployeeInput{AgencyID: dinkes, Name: "A", EmploymentType: "pns"}, "nip", "nip.required"},
				"bad type":           {EmployeeInput{AgencyID: dinkes, Name: "A", EmploymentType: "intern"}, "employment_type", "one_of"},
				"unknown supervisor": {EmployeeInput{AgencyID: dinkes, Name: "A", EmploymentType: "contract", SupervisorID: i64(9999)}, "supervisor_id", "supervisor.unknown"},
				"bad phone":          {EmployeeInput{AgencyID: dinkes, Name: "A", EmploymentType: "contract", Phone: "12345"}, "phone", "phone.format"},
			} {
				_, err := s.CreateEmployee(ctx, system, tc.in)
				if got := fieldKeys(t, err, errs.Invalid)[tc.field]; got != tc.key {
					t.Errorf("%s: %s error %q, want %q (%v)", name, tc.field, got, tc.key, err)
				}
			}
		})

		t.Run("ErrDuplicate", func(t *testing.T) {
			mustCreate(t, s, pns(dinkes, "199001012015022001", "B", "b@makassar.go.id"))
			_, err := s.CreateEmployee(ctx, system, pns(dinkes, "199001012015022001", "C", "B@makassar.go.id"))
			keys := fieldKeys(t, err, errs.Conflict)
			if keys["nip"] != "nip.taken" || keys["email"] != "email.taken" {
				t.Errorf("keys %v", keys)
			}
		})

		t.Run("ErrForbiddenOtherAgency", func(t *testing.T) {
			disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
			_, err := s.CreateEmployee(ctx, adminOf(disdik), pns(dinkes, "199001012015022002", "D", ""))
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("got %v, want forbidden", err)
			}
			if _, err := s.CreateEmployee(ctx, adminOf(disdik), pns(disdik, "199001012015022002", "D", "")); err != nil {
				t.Errorf("own agency: %v", err)
			}
		})

		t.Run("OKInCallersTx", func(t *testing.T) {
			var id int64
			err := d.Tx(ctx, func(tx *sql.Tx) error {
				e, err := s.CreateEmployeeTx(ctx, tx, system, EmployeeInput{AgencyID: dinkes, Name: "E", EmploymentType: "outsourced", Email: "e@x.id"})
				id = e.ID
				return err
			})
			if err != nil || id == 0 {
				t.Fatalf("id %d, %v", id, err)
			}
		})
	})
}
