package org

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
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

func TestPlainText(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"Dottoro'ta", true}, {"Nur'aini", true}, {"Ä Ökonomie", true}, {"جاكرتا", true}, {"", true},
		{"\u202e\u0007bell", false}, {"bell\u0007", false}, {"tab\there", false}, {"line\nbreak", false},
		{"del\u007f", false}, {"c1\u0085", false}, {"\u202aembed", false}, {"\u202doverride", false},
		{"\u2066isolate", false}, {"\u2069pop", false}, {"\u200fmark", true},
	} {
		if got := PlainText(c.s); got != c.want {
			t.Errorf("PlainText(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestSingleLineFieldsRefuseControlCharacters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		const evil = "\u202e\u0007bell"
		for _, field := range []string{"name", "front_title", "back_title", "rank", "unit_name", "position_name"} {
			in := pns(dinkes, "198503152010011002", "Nur'aini", "n@x.id")
			switch field {
			case "name":
				in.Name = evil
			case "front_title":
				in.FrontTitle = evil
			case "back_title":
				in.BackTitle = evil
			case "rank":
				in.Rank = "\u2066IV"
			case "unit_name":
				in.UnitName = evil
			case "position_name":
				in.PositionName = evil
			}
			_, err := s.CreateEmployee(ctx, system, in)
			if got := fieldKeys(t, err, errs.Invalid)[field]; got != "text.plain" {
				t.Errorf("%s: key %q, want text.plain", field, got)
			}
		}
		e := mustCreate(t, s, pns(dinkes, "198503152010011002", "Nur'aini Ä", "n@x.id"))
		if e.Name != "Nur'aini Ä" {
			t.Errorf("name %q did not round-trip", e.Name)
		}
		if _, err := s.UpdateEmployee(ctx, system, e.ID, EmployeePatch{Name: str("Nur\u202eaini")}); fieldKeys(t, err, errs.Invalid)["name"] != "text.plain" {
			t.Errorf("update: %v", err)
		}
		if _, err := s.TransferEmployee(ctx, system, e.ID, TransferInput{ToAgencyID: disdik, UnitName: evil}); fieldKeys(t, err, errs.Invalid)["unit_name"] != "text.plain" {
			t.Errorf("transfer: %v", err)
		}
		_, err := s.CreateAgency(ctx, system, AgencyInput{Code: "BAPPEDA", Name: "Badan\u202d Perencanaan", Type: TypeBadan})
		if fieldKeys(t, err, errs.Invalid)["name"] != "text.plain" {
			t.Errorf("agency name: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employees WHERE name LIKE '%bell%'`); n != 0 {
			t.Errorf("%d refused people were stored", n)
		}
	})
}

func TestSupervisorMustBeActiveColleagueWithoutLoop(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		head := mustCreate(t, s, pns(dinkes, "197003152000011002", "Kepala", "kepala@x.id"))
		in := pns(dinkes, "198503152010011001", "Andi Baso", "andi@x.id")
		in.SupervisorID = &head.ID
		mid := mustCreate(t, s, in)
		gone := mustCreate(t, s, pns(dinkes, "199001012015022002", "Pensiun", "p@x.id"))
		if _, err := d.W.Exec(`UPDATE employees SET active = FALSE, end_reason = 'retired' WHERE id = $1`, gone.ID); err != nil {
			t.Fatal(err)
		}
		teacher := mustCreate(t, s, pns(disdik, "199207172019031003", "Guru", "guru@x.id"))

		for name, c := range map[string]struct {
			boss int64
			want string
		}{
			"inactive":     {gone.ID, "supervisor.inactive"},
			"other agency": {teacher.ID, "supervisor.other_agency"},
			"unknown":      {99999, "supervisor.unknown"},
		} {
			in := pns(dinkes, "198503152010011002", "Baru", "baru@x.id")
			in.SupervisorID = &c.boss
			_, err := s.CreateEmployee(ctx, system, in)
			if got := fieldKeys(t, err, errs.Invalid)["supervisor_id"]; got != c.want {
				t.Errorf("%s: key %q, want %q", name, got, c.want)
			}
		}
		for name, c := range map[string]struct {
			id, boss int64
			want     string
		}{
			"self":        {head.ID, head.ID, "supervisor.self"},
			"direct loop": {head.ID, mid.ID, "supervisor.loop"},
		} {
			_, err := s.UpdateEmployee(ctx, system, c.id, EmployeePatch{SupervisorID: &c.boss})
			if got := fieldKeys(t, err, errs.Invalid)["supervisor_id"]; got != c.want {
				t.Errorf("%s: key %q, want %q", name, got, c.want)
			}
		}
		// A longer loop: head -> mid -> low, then head's supervisor low.
		in = pns(dinkes, "198503152010011002", "Rendah", "rendah@x.id")
		in.SupervisorID = &mid.ID
		low := mustCreate(t, s, in)
		_, err := s.UpdateEmployee(ctx, system, head.ID, EmployeePatch{SupervisorID: &low.ID})
		if got := fieldKeys(t, err, errs.Invalid)["supervisor_id"]; got != "supervisor.loop" {
			t.Errorf("longer loop: key %q", got)
		}
		// Once their supervisor leaves, a person can still be changed otherwise.
		if _, err := d.W.Exec(`UPDATE employees SET active = FALSE, end_reason = 'retired' WHERE id = $1`, mid.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := s.UpdateEmployee(ctx, system, low.ID, EmployeePatch{Name: str("Rendah Hati")}); err != nil || got.Name != "Rendah Hati" {
			t.Errorf("update under a departed supervisor: %+v, %v", got, err)
		}
		if _, err := s.UpdateEmployee(ctx, system, low.ID, EmployeePatch{SupervisorID: &head.ID}); err != nil {
			t.Errorf("a new active supervisor: %v", err)
		}
	})
}

const importHeader = "NIP;Nama;Gelar Depan;Gelar Belakang;Email;Telepon;Kode OPD;Unit;Jabatan;Golongan;Jenis Pegawai;NIP Atasan\n"

// importProblems dry-runs a CSV and returns its problems as "line:key" of
// the NIP Atasan column.
func importProblems(t *testing.T, s *Service, rows string) map[string]bool {
	t.Helper()
	rep, err := s.ImportEmployees(context.Background(), system, nil, strings.NewReader(importHeader+rows), "x.csv", true)
	if err != nil && !errs.Is(err, errs.Invalid) {
		t.Fatalf("import: %v", err)
	}
	m := map[string]bool{}
	for _, p := range rep.Errors {
		if p.Column == "NIP Atasan" {
			m[fmt.Sprintf("%d:%s", p.Line, p.Key)] = true
		}
	}
	return m
}

func TestImportChecksSupervisors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		head := mustCreate(t, s, pns(dinkes, "197003152000011002", "Kepala", "kepala@x.id"))
		in := pns(dinkes, "198503152010011001", "Andi Baso", "andi@x.id")
		in.SupervisorID = &head.ID
		andi := mustCreate(t, s, in)
		below := pns(dinkes, "199609092021012001", "Staf Andi", "staf@x.id")
		below.SupervisorID = &andi.ID
		mustCreate(t, s, below)
		gone := mustCreate(t, s, pns(dinkes, "199001012015022002", "Pensiun", "p@x.id"))
		if _, err := d.W.Exec(`UPDATE employees SET active = FALSE, end_reason = 'retired' WHERE id = $1`, gone.ID); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, s, pns(disdik, "199207172019031003", "Guru", "guru@x.id"))

		for name, c := range map[string]struct {
			rows string
			want []string
		}{
			"inactive": {"198503152010011002;Baru;;;baru@x.id;;DINKES;;;III/a;PNS;199001012015022002\n",
				[]string{"2:supervisor.inactive"}},
			"other agency": {"198503152010011002;Baru;;;baru@x.id;;DINKES;;;III/a;PNS;199207172019031003\n",
				[]string{"2:supervisor.other_agency"}},
			"loop in the file": {"198503152010011002;Baru;;;baru@x.id;;DINKES;;;III/a;PNS;199507172019031001\n" +
				"199507172019031001;Lain;;;lain@x.id;;DINKES;;;III/a;PNS;198503152010011002\n",
				[]string{"2:supervisor.loop", "3:supervisor.loop"}},
			"loop with the database": {"197003152000011002;Kepala;;;kepala@x.id;;DINKES;;;III/a;PNS;198503152010011001\n",
				[]string{"2:supervisor.loop"}},
			// The import reads only the people the file names and the
			// chains above them: Andi, between the two, is in neither file.
			"loop two levels down the database": {"197003152000011002;Kepala;;;kepala@x.id;;DINKES;;;III/a;PNS;199609092021012001\n",
				[]string{"2:supervisor.loop"}},
		} {
			got := importProblems(t, s, c.rows)
			for _, w := range c.want {
				if !got[w] {
					t.Errorf("%s: problems %v, want %s", name, got, w)
				}
			}
		}
		if got := importProblems(t, s, "198503152010011002;Baru;;;baru@x.id;;DINKES;;;III/a;PNS;197003152000011002\n"); len(got) != 0 {
			t.Errorf("an active colleague: problems %v", got)
		}
	})
}
