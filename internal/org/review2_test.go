package org

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

func TestTransferIsAuditedForBothAgencies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		e := mustCreate(t, s, pns(dinkes, "198503152010011002", "Dipindah", "d@x.id"))
		if _, err := s.TransferEmployee(context.Background(), system, e.ID, TransferInput{ToAgencyID: disdik}); err != nil {
			t.Fatal(err)
		}
		for _, agency := range []int64{dinkes, disdik} {
			if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'transfer' AND entity = 'employee'
				AND entity_id = $1 AND agency_id = $2`, itoa(e.ID), agency); n != 1 {
				t.Errorf("agency %d has %d transfer entries, want 1", agency, n)
			}
		}
	})
}
