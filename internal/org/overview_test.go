package org

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

func TestCountPeopleCountsActivePeoplePerAgency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		empty := dbtest.Agency(t, d, "BAPPEDA", "Bappeda", TypeBadan)
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
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		got, err := s.AgenciesByID(context.Background(), []int64{dinkes, 9999})
		if err != nil || len(got) != 1 || got[dinkes].Code != "DINKES" {
			t.Errorf("got %v, %v", got, err)
		}
	})
}

func TestDeactivateTakesTodayInIndonesiaWhileUTCIsStillYesterday(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		// 07:30 WITA on 2 June is 23:30 UTC on 1 June.
		s.now = func() time.Time { return time.Date(2025, 6, 1, 23, 30, 0, 0, time.UTC) }
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		a := mustCreate(t, s, pns(dinkes, "199001012015022002", "Nur'aini", "nuraini@makassar.go.id"))
		b := mustCreate(t, s, pns(dinkes, "198503152010011001", "Andi Baso", "andi@makassar.go.id"))
		if _, err := s.DeactivateEmployee(ctx, system, a.ID, EndResigned, time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Errorf("today in Makassar: %v", err)
		}
		_, err := s.DeactivateEmployee(ctx, system, b.ID, EndResigned, time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC))
		if got := fieldKeys(t, err, errs.Invalid)["ended_on"]; got != "date.future" {
			t.Errorf("tomorrow in Makassar: %q", got)
		}
	})
}
