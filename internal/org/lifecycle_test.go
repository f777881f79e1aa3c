package org

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

// addAccount gives the person an account with a session, a live token and
// the roles employee and operator in their agency, as the auth package
// would.
func addAccount(t *testing.T, d *db.DB, employeeID, agencyID int64) int64 {
	t.Helper()
	acc, now := dbtest.Account(t, d, employeeID), time.Now().UTC()
	for _, q := range []string{
		`INSERT INTO sessions (id_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ('s' || $3, $1, 'c', $2, $2, $2)`,
		`INSERT INTO api_tokens (account_id, token_hash, prefix, created_at) VALUES ($1, 't' || $3, 'p', $2)`,
	} {
		if _, err := d.W.Exec(q, acc, now, itoa(acc)); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	dbtest.Grant(t, d, acc, "employee", agencyID)
	dbtest.Grant(t, d, acc, "operator", agencyID)
	return acc
}

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestDeactivateEmployee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		e := mustCreate(t, s, pns(dinkes, "196503152010011002", "Pensiunan", "p@x.id"))
		acc := addAccount(t, d, e.ID, dinkes)

		if _, err := s.DeactivateEmployee(ctx, adminOf(disdik), e.ID, EndRetired, time.Time{}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("other agency's admin: %v", err)
		}
		if _, err := s.DeactivateEmployee(ctx, adminOf(dinkes), e.ID, "bored", time.Time{}); fieldKeys(t, err, errs.Invalid)["reason"] != "one_of" {
			t.Errorf("bad reason: %v", err)
		}
		on := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
		got, err := s.DeactivateEmployee(ctx, adminOf(dinkes), e.ID, EndRetired, on)
		if err != nil {
			t.Fatal(err)
		}
		if got.Active || *got.EndReason != EndRetired || !got.EndedOn.Equal(on) {
			t.Errorf("deactivated %+v (ended %v)", got, got.EndedOn)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM sessions WHERE account_id = $1`, acc); n != 0 {
			t.Errorf("%d sessions left", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM api_tokens WHERE account_id = $1 AND revoked_at IS NULL`, acc); n != 0 {
			t.Errorf("%d live tokens left", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM accounts WHERE id = $1 AND active = FALSE`, acc); n != 1 {
			t.Error("account still active")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'deactivate' AND entity_id = $1`, itoa(e.ID)); n != 1 {
			t.Errorf("%d audit rows", n)
		}
		if _, err := s.DeactivateEmployee(ctx, adminOf(dinkes), e.ID, EndRetired, on); !errs.Is(err, errs.Conflict) {
			t.Errorf("twice: %v", err)
		}
	})
}

func TestTransferEmployee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		boss := mustCreate(t, s, pns(dinkes, "197003152000011002", "Kepala", ""))
		in := pns(dinkes, "198503152010011002", "Dipindah", "d@x.id")
		in.SupervisorID = &boss.ID
		e := mustCreate(t, s, in)
		acc := addAccount(t, d, e.ID, dinkes)

		if _, err := s.TransferEmployee(ctx, adminOf(disdik), e.ID, TransferInput{ToAgencyID: disdik}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("new agency's admin: %v", err)
		}
		if _, err := s.TransferEmployee(ctx, adminOf(dinkes), e.ID, TransferInput{ToAgencyID: dinkes}); fieldKeys(t, err, errs.Invalid)["to_agency_id"] != "transfer.same_agency" {
			t.Errorf("same agency: %v", err)
		}
		if _, err := s.TransferEmployee(ctx, adminOf(dinkes), e.ID, TransferInput{ToAgencyID: 999}); fieldKeys(t, err, errs.Invalid)["to_agency_id"] != "agency.unknown" {
			t.Errorf("unknown agency: %v", err)
		}
		// A city-wide role, which the transfer keeps; its holder is moved by the superadmin only.
		dbtest.Grant(t, d, acc, "expert", 0)
		on := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
		got, err := s.TransferEmployee(ctx, system, e.ID, TransferInput{ToAgencyID: disdik,
			UnitName: "Bidang SD", EffectiveOn: on, Decree: "821.2/001/BKPSDM"})
		if err != nil {
			t.Fatal(err)
		}
		if got.AgencyID != disdik || got.UnitName != "Bidang SD" || got.PositionName != "Analis" || got.SupervisorID != nil {
			t.Errorf("transferred %+v", got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM sessions WHERE account_id = $1`, acc); n != 0 {
			t.Errorf("%d sessions left", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM api_tokens WHERE account_id = $1 AND revoked_at IS NULL`, acc); n != 0 {
			t.Errorf("%d live tokens left", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM role_grants WHERE account_id = $1 AND agency_id = $2`, acc, dinkes); n != 0 {
			t.Errorf("%d grants left in the old agency", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM role_grants WHERE account_id = $1 AND role = 'employee' AND agency_id = $2`, acc, disdik); n != 1 {
			t.Errorf("%d employee grants in the new agency", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM role_grants WHERE account_id = $1 AND role = 'expert'`, acc); n != 1 {
			t.Error("the city-wide grant was lost")
		}
		history, err := s.ListTransfers(ctx, staffOf(disdik, e.ID), e.ID)
		if err != nil || len(history) != 1 {
			t.Fatalf("history %v, %v", history, err)
		}
		h := history[0]
		if h.FromAgencyName != "Dinas Kesehatan" || h.ToAgencyName != "Dinas Pendidikan" || h.FromUnitName != "Bidang Umum" ||
			!h.EffectiveOn.Equal(on) || h.Decree != "821.2/001/BKPSDM" {
			t.Errorf("history %+v", h)
		}
		if _, err := s.ListTransfers(ctx, staffOf(dinkes, boss.ID), e.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a former colleague reads the history: %v", err)
		}
	})
}

// TestAPersonsChangesTakeTurns: the same transfer or deactivation sent
// many times at once is done once (the others are told it no longer
// applies), and a transfer is recorded once in the person's history.
func TestAPersonsChangesTakeTurns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		moved := mustCreate(t, s, pns(dinkes, "198503152010011002", "Dipindah", "d@x.id"))
		leaving := mustCreate(t, s, pns(dinkes, "198503152010011003", "Pensiun", "p@x.id"))
		const n = 12
		var wg sync.WaitGroup
		var transfers, deactivations atomic.Int32
		for range n {
			wg.Go(func() {
				if _, err := s.TransferEmployee(ctx, system, moved.ID, TransferInput{ToAgencyID: disdik, Decree: "SK-1"}); err == nil {
					transfers.Add(1)
				} else if errs.CodeOf(err) != errs.Invalid {
					t.Errorf("a transfer already done: %v, want the same-agency refusal", err)
				}
			})
			wg.Go(func() {
				if _, err := s.DeactivateEmployee(ctx, system, leaving.ID, EndRetired, time.Time{}); err == nil {
					deactivations.Add(1)
				} else if !errs.Is(err, errs.Conflict) {
					t.Errorf("a deactivation already done: %v, want a conflict", err)
				}
			})
		}
		wg.Wait()
		var recorded int
		if err := d.R.QueryRow(`SELECT count(*) FROM employee_transfers WHERE employee_id = $1`, moved.ID).Scan(&recorded); err != nil {
			t.Fatal(err)
		}
		if transfers.Load() != 1 || recorded != 1 || deactivations.Load() != 1 {
			t.Errorf("%d transfers done, %d recorded, %d deactivations; want 1 each", transfers.Load(), recorded, deactivations.Load())
		}
	})
}
