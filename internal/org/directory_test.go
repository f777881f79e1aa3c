package org

import (
	"context"
	"fmt"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestDirectory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		var ids []int64
		for i := range 7 {
			in := pns(dinkes, fmt.Sprintf("19850315201001100%d", i), fmt.Sprintf("Pegawai %d", i), fmt.Sprintf("p%d@x.id", i))
			in.Phone = "0812345678" + fmt.Sprint(i)
			ids = append(ids, mustCreate(t, s, in).ID)
		}
		other := mustCreate(t, s, pns(disdik, "199001012015022001", "Guru Nur'aini", "guru@x.id"))

		t.Run("OKMaskedForOthers", func(t *testing.T) {
			e, err := s.GetEmployee(ctx, staffOf(disdik, other.ID), ids[0])
			if err != nil {
				t.Fatal(err)
			}
			if e.NIP != nil || e.Email != nil || e.Phone != nil || !e.Masked || e.Name != "Pegawai 0" || e.UnitName != "Bidang Umum" {
				t.Errorf("another agency's staff sees %+v", e)
			}
			for name, actor := range map[string]*policy.Actor{
				"self":         staffOf(dinkes, ids[0]),
				"agency admin": adminOf(dinkes),
				"agency head":  {Grants: []policy.Grant{{Role: policy.AgencyHead, AgencyID: dinkes}}},
				"city-wide":    {Grants: []policy.Grant{{Role: policy.Executive}}},
			} {
				e, err := s.GetEmployee(ctx, actor, ids[0])
				if err != nil || e.NIP == nil || e.Email == nil || e.Phone == nil || e.Masked {
					t.Errorf("%s sees %+v, %v", name, e, err)
				}
			}
			if _, err := s.GetEmployee(ctx, nil, ids[0]); !errs.Is(err, errs.Unauthorized) {
				t.Errorf("anonymous: %v", err)
			}
			if _, err := s.GetEmployee(ctx, system, 99999); !errs.Is(err, errs.NotFound) {
				t.Errorf("missing: %v", err)
			}
		})

		t.Run("OKListPagesAndFilters", func(t *testing.T) {
			var names []string
			page := db.Page{Limit: 3}
			for {
				list, next, err := s.ListEmployees(ctx, staffOf(disdik, other.ID), EmployeeFilter{AgencyID: &dinkes}, page)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range list {
					if e.NIP != nil {
						t.Errorf("list shows NIP of %s to another agency", e.Name)
					}
					names = append(names, e.Name)
				}
				if next == "" {
					break
				}
				page.After = next
			}
			if len(names) != 7 || names[0] != "Pegawai 0" || names[6] != "Pegawai 6" {
				t.Errorf("names %v", names)
			}
			list, _, err := s.ListEmployees(ctx, system, EmployeeFilter{Query: str("nur'AINI")}, db.Page{})
			if err != nil || len(list) != 1 || list[0].ID != other.ID {
				t.Errorf("query by name: %v, %v", list, err)
			}
			list, _, err = s.ListEmployees(ctx, system, EmployeeFilter{Query: str("2015022001")}, db.Page{})
			if err != nil || len(list) != 1 {
				t.Errorf("query by NIP: %v, %v", list, err)
			}
			list, _, err = s.ListEmployees(ctx, staffOf(disdik, other.ID), EmployeeFilter{Query: str("2015022001")}, db.Page{})
			if err != nil || len(list) != 0 {
				t.Errorf("staff found a person by a NIP they may not see: %v, %v", list, err)
			}
			list, _, err = s.ListEmployees(ctx, adminOf(disdik), EmployeeFilter{AgencyID: &disdik, Query: str("2015022001")}, db.Page{})
			if err != nil || len(list) != 1 {
				t.Errorf("agency admin by NIP in their agency: %v, %v", list, err)
			}
			list, _, err = s.ListEmployees(ctx, system, EmployeeFilter{Active: new(false)}, db.Page{})
			if err != nil || len(list) != 0 {
				t.Errorf("inactive: %v, %v", list, err)
			}
		})

		t.Run("OKUpdate", func(t *testing.T) {
			e, err := s.UpdateEmployee(ctx, adminOf(dinkes), ids[1], EmployeePatch{Name: str("Ä Dottoro'ta"), Phone: str(""), UnitName: str("Seksi Baru")})
			if err != nil {
				t.Fatal(err)
			}
			if e.Name != "Ä Dottoro'ta" || e.Phone != nil || e.UnitName != "Seksi Baru" || *e.NIP != "198503152010011001" {
				t.Errorf("updated %+v", e)
			}
			units, err := s.ListUnits(ctx, dinkes)
			if err != nil || len(units) != 2 {
				t.Errorf("units %v, %v", units, err)
			}
		})

		t.Run("ErrUpdate", func(t *testing.T) {
			_, err := s.UpdateEmployee(ctx, adminOf(dinkes), other.ID, EmployeePatch{Name: str("X")})
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("other agency: %v", err)
			}
			_, err = s.UpdateEmployee(ctx, adminOf(dinkes), ids[1], EmployeePatch{Email: str("P2@X.ID")})
			if fieldKeys(t, err, errs.Conflict)["email"] != "email.taken" {
				t.Errorf("taken email: %v", err)
			}
			_, err = s.UpdateEmployee(ctx, adminOf(dinkes), ids[1], EmployeePatch{EmploymentType: str("contract")})
			if fieldKeys(t, err, errs.Invalid)["nip"] != "nip.not_allowed" {
				t.Errorf("contract keeping NIP: %v", err)
			}
			_, err = s.UpdateEmployee(ctx, adminOf(dinkes), ids[1], EmployeePatch{SupervisorID: &ids[1]})
			if fieldKeys(t, err, errs.Invalid)["supervisor_id"] != "supervisor.self" {
				t.Errorf("own supervisor: %v", err)
			}
		})
	})
}
