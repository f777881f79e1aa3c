package org

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

func TestCountPeopleCountsActivePeoplePerAgency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := addAgency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := addAgency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		empty := addAgency(t, d, "BAPPEDA", "Bappeda", TypeBadan)
		mustCreate(t, s, pns(dinkes, "199001012015022002", "Nur'aini", "nuraini@makassar.go.id"))
		gone := mustCreate(t, s, pns(dinkes, "198503152010011001", "Andi Baso", "andi@makassar.go.id"))
		mustCreate(t, s, pns(disdik, "199207172019031003", "Ärni Dottoro'ta", "arni@makassar.go.id"))
		if _, err := s.DeactivateEmployee(ctx, system, gone.ID, EndRetired, time.Time{}); err != nil {
			t.Fatal(err)
		}
		got, err := s.CountPeople(ctx, []int64{dinkes, disdik, empty})
		if err != nil {
			t.Fatal(err)
		}
		if got[dinkes] != 1 || got[disdik] != 1 || got[empty] != 0 || len(got) != 2 {
			t.Errorf("counts %v", got)
		}
		if got, err := s.CountPeople(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("no agencies: %v, %v", got, err)
		}
	})
}

func TestAgenciesByIDReadsOnlyThoseThatExist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := NewService(d)
		dinkes := addAgency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		addAgency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		got, err := s.AgenciesByID(context.Background(), []int64{dinkes, 9999})
		if err != nil || len(got) != 1 || got[dinkes].Code != "DINKES" {
			t.Errorf("got %v, %v", got, err)
		}
	})
}
