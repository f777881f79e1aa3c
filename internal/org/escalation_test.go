package org

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

// protectedCity is Kominfo with its admin and the people its admin must not
// change (review finding C1): the superadmin and the executive who work
// there, its head and a fellow admin; and an operator and a person without
// an account, whom the admin manages as before.
type protectedCity struct {
	kominfo, disdik                     int64
	superadmin, executive, head, fellow Employee
	operator, noAccount, guestTrainer   Employee
	operatorAccount                     int64
}

func newProtectedCity(t *testing.T, d *db.DB, s *Service) protectedCity {
	t.Helper()
	var c protectedCity
	c.kominfo = dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", TypeDinas)
	c.disdik = dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
	person := func(nip, name, email string, grants ...[2]any) (Employee, int64) {
		e := mustCreate(t, s, pns(c.kominfo, nip, name, email))
		if len(grants) == 0 {
			return e, 0
		}
		acc := dbtest.Account(t, d, e.ID)
		for _, g := range grants {
			dbtest.Grant(t, d, acc, g[0].(string), g[1].(int64))
		}
		return e, acc
	}
	c.superadmin, _ = person("198001012005011001", "Super Admin", "super@makassar.go.id",
		[2]any{"superadmin", int64(0)}, [2]any{"employee", c.kominfo})
	c.executive, _ = person("198001012005011002", "Sekretaris Daerah", "sekda@makassar.go.id", [2]any{"executive", int64(0)})
	c.head, _ = person("198001012005011003", "Kepala Dinas", "kadis@makassar.go.id", [2]any{"agency_head", c.kominfo})
	c.fellow, _ = person("198001012005011004", "Admin Kedua", "admin2@makassar.go.id", [2]any{"agency_admin", c.kominfo})
	c.guestTrainer, _ = person("198001012005011005", "Pelatih Tamu", "pelatih@makassar.go.id",
		[2]any{"employee", c.kominfo}, [2]any{"trainer", c.disdik})
	c.operator, c.operatorAccount = person("198001012005011006", "Dottoro'ta", "operator@makassar.go.id",
		[2]any{"employee", c.kominfo}, [2]any{"operator", c.kominfo})
	c.noAccount, _ = person("198001012005011007", "Nur'aini", "nuraini@makassar.go.id")
	return c
}

func (c protectedCity) protected() map[string]Employee {
	return map[string]Employee{"superadmin": c.superadmin, "executive": c.executive, "own head": c.head,
		"fellow admin": c.fellow, "trainer of another agency": c.guestTrainer}
}

func TestAgencyAdminCannotChangeProtectedPeople(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		c := newProtectedCity(t, d, s)
		admin := adminOf(c.kominfo)
		attacker := str("attacker@example.com")
		for name, e := range c.protected() {
			if _, err := s.UpdateEmployee(ctx, admin, e.ID, EmployeePatch{Email: attacker}); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s: update: %v, want forbidden", name, err)
			}
			if _, err := s.DeactivateEmployee(ctx, admin, e.ID, EndRetired, time.Time{}); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s: deactivate: %v, want forbidden", name, err)
			}
			if _, err := s.TransferEmployee(ctx, admin, e.ID, TransferInput{ToAgencyID: c.disdik}); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s: transfer: %v, want forbidden", name, err)
			}
			after, err := s.GetEmployee(ctx, system, e.ID)
			if err != nil || !after.Active || after.AgencyID != c.kominfo || *after.Email == *attacker {
				t.Errorf("%s: changed anyway: %+v, %v", name, after, err)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action IN ('update', 'deactivate', 'transfer')`); n != 0 {
			t.Errorf("%d audit records of refused changes", n)
		}

		for name, e := range map[string]Employee{"operator": c.operator, "person without an account": c.noAccount} {
			got, err := s.UpdateEmployee(ctx, admin, e.ID, EmployeePatch{Phone: str("0811-4455-6677")})
			if err != nil || *got.Phone != "+6281144556677" {
				t.Errorf("%s: admin update: %+v, %v", name, got, err)
			}
		}
		if _, err := s.TransferEmployee(ctx, admin, c.operator.ID, TransferInput{ToAgencyID: c.disdik}); err != nil {
			t.Errorf("admin transfers their operator: %v", err)
		}
		if _, err := s.DeactivateEmployee(ctx, admin, c.noAccount.ID, EndResigned, time.Time{}); err != nil {
			t.Errorf("admin deactivates a person without an account: %v", err)
		}
		got, err := s.UpdateEmployee(ctx, system, c.head.ID, EmployeePatch{Rank: str("IV/c")})
		if err != nil || got.Rank != "IV/c" {
			t.Errorf("the superadmin updates the head: %+v, %v", got, err)
		}
	})
}

func TestImportSkipsNoProtectedPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		c := newProtectedCity(t, d, s)
		csv := "NIP;Nama;Email;Jenis Pegawai\n" +
			"198001012005011003;Kepala Dinas;attacker@example.com;PNS\n" + // the head, line 2
			"198001012005011006;Dottoro'ta Baru;operator@makassar.go.id;PNS\n" + // the operator, line 3
			"199501012020121001;Pegawai Baru;baru@makassar.go.id;PNS\n" + // new, line 4
			"198001012005011001;Super Admin;attacker2@example.com;PNS\n" // the superadmin, line 5
		scope := c.kominfo
		rep, err := s.ImportEmployees(ctx, adminOf(c.kominfo), &scope, strings.NewReader(csv), "x.csv", false)
		if !errs.Is(err, errs.Invalid) || len(rep.Errors) != 2 {
			t.Fatalf("admin import: %+v, %v", rep, err)
		}
		for i, line := range []int{2, 5} {
			if e := rep.Errors[i]; e.Line != line || e.Key != "import.protected" || e.Column != "NIP" {
				t.Errorf("error %d: %+v, want line %d import.protected in NIP", i, e, line)
			}
		}
		if msg := rep.Errors[0].Message("id"); !strings.Contains(msg, "superadmin") {
			t.Errorf("message %q", msg)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employees WHERE email LIKE 'attacker%'`); n != 0 {
			t.Errorf("%d protected people changed", n)
		}

		ok := "NIP;Nama;Email;Jenis Pegawai\n" +
			"198001012005011006;Dottoro'ta Baru;operator@makassar.go.id;PNS\n" +
			"199501012020121001;Pegawai Baru;baru@makassar.go.id;PNS\n" +
			"198001012005011003;Kepala Dinas;kadis@makassar.go.id;PNS\n" // unchanged: not an update
		rep, err = s.ImportEmployees(ctx, adminOf(c.kominfo), &scope, strings.NewReader(ok), "x.csv", false)
		if err != nil || rep.Created != 1 || rep.Updated != 1 || rep.Unchanged != 1 {
			t.Fatalf("admin import of ordinary people: %+v, %v", rep, err)
		}
		rep, err = s.ImportEmployees(ctx, system, &scope, strings.NewReader(csv), "x.csv", true)
		if err != nil || rep.Updated != 2 || len(rep.Errors) != 0 {
			t.Errorf("the superadmin's import: %+v, %v", rep, err)
		}
	})
}

func TestLifecycleDatesBounded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		// 23:30 UTC on 1 June is already 2 June in Makassar's east (UTC+9).
		s.now = func() time.Time { return time.Date(2025, 6, 1, 23, 30, 0, 0, time.UTC) }
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		contract := func(name string) EmployeeInput {
			in := pns(dinkes, "", name, "")
			in.EmploymentType = EmploymentContract
			return in
		}
		day := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
		for _, c := range []struct {
			on   time.Time
			want string // "" accepted
		}{
			{day(1, 1, 2), "date.range"}, // 0001-01-01 is time.Time's zero, which means "today"
			{day(1024, 6, 1), "date.range"},
			{day(1949, 12, 31), "date.range"},
			{day(9999, 12, 31), "date.future"},
			{day(2025, 6, 3), "date.future"},
			{day(2025, 6, 2), ""},
			{day(1950, 1, 1), ""},
		} {
			e := mustCreate(t, s, contract("Pegawai "+c.on.Format(time.DateOnly)))
			_, err := s.DeactivateEmployee(ctx, adminOf(dinkes), e.ID, EndRetired, c.on)
			if c.want == "" && err != nil || c.want != "" && fieldKeys(t, err, errs.Invalid)["ended_on"] != c.want {
				t.Errorf("deactivation on %s: %v, want %q", c.on.Format(time.DateOnly), err, c.want)
			}
			e = mustCreate(t, s, contract("Dipindah "+c.on.Format(time.DateOnly)))
			_, err = s.TransferEmployee(ctx, adminOf(dinkes), e.ID, TransferInput{ToAgencyID: disdik, EffectiveOn: c.on})
			if c.want == "" && err != nil || c.want != "" && fieldKeys(t, err, errs.Invalid)["effective_on"] != c.want {
				t.Errorf("transfer on %s: %v, want %q", c.on.Format(time.DateOnly), err, c.want)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employee_transfers`); n != 2 {
			t.Errorf("%d transfers recorded, want the 2 with sensible dates", n)
		}
	})
}
