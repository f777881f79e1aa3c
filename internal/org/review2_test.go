package org

import (
	"context"
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
