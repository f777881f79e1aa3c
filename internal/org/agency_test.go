package org

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

func TestAgencies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes, err := s.CreateAgency(ctx, system, AgencyInput{Code: "DINKES", Name: "Dinas Kesehatan", Type: TypeDinas})
		if err != nil {
			t.Fatal(err)
		}
		kec, err := s.CreateAgency(ctx, system, AgencyInput{Code: "KEC-UJT", Name: "Kecamatan Ujung Tanah", Type: TypeKecamatan})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("OKChildren", func(t *testing.T) {
			upt, err := s.CreateAgency(ctx, system, AgencyInput{Code: "UPT-PKM-1", Name: "UPT Puskesmas Dottoro'ta", Type: TypeUPT, ParentID: &dinkes.ID})
			if err != nil || upt.ParentID == nil || *upt.ParentID != dinkes.ID || upt.Name != "UPT Puskesmas Dottoro'ta" {
				t.Fatalf("upt %+v, %v", upt, err)
			}
			if _, err := s.CreateAgency(ctx, system, AgencyInput{Code: "KEL-1", Name: "Kelurahan Ä", Type: TypeKelurahan, ParentID: &kec.ID}); err != nil {
				t.Fatal(err)
			}
			got, err := s.GetAgencyByCode(ctx, " kel-1")
			if err != nil || got.Name != "Kelurahan Ä" {
				t.Errorf("by code: %+v, %v", got, err)
			}
		})

		t.Run("ErrInvalid", func(t *testing.T) {
			for name, tc := range map[string]struct {
				in         AgencyInput
				field, key string
			}{
				"upt without parent":  {AgencyInput{Code: "U2", Name: "U", Type: TypeUPT}, "parent_id", "agency.parent_required"},
				"upt under kecamatan": {AgencyInput{Code: "U3", Name: "U", Type: TypeUPT, ParentID: &kec.ID}, "parent_id", "agency.parent_type"},
				"kelurahan under dinas": {AgencyInput{Code: "K2", Name: "K", Type: TypeKelurahan, ParentID: &dinkes.ID},
					"parent_id", "agency.parent_type"},
				"unknown parent": {AgencyInput{Code: "X1", Name: "X", Type: TypeOther, ParentID: i64(999)}, "parent_id", "agency.unknown"},
				"bad type":       {AgencyInput{Code: "X2", Name: "X", Type: "ministry"}, "type", "one_of"},
				"no code":        {AgencyInput{Name: "X", Type: TypeOther}, "code", "required"},
				"code spaces":    {AgencyInput{Code: "A B", Name: "X", Type: TypeOther}, "code", "agency.code_format"},
			} {
				_, err := s.CreateAgency(ctx, system, tc.in)
				if got := fieldKeys(t, err, errs.Invalid)[tc.field]; got != tc.key {
					t.Errorf("%s: %s = %q, want %q", name, tc.field, got, tc.key)
				}
			}
			_, err := s.CreateAgency(ctx, system, AgencyInput{Code: "dinkes", Name: "Again", Type: TypeDinas})
			if got := fieldKeys(t, err, errs.Conflict)["code"]; got != "code.taken" {
				t.Errorf("duplicate code: %q", got)
			}
		})

		t.Run("ErrForbiddenForAgencyAdmin", func(t *testing.T) {
			_, err := s.CreateAgency(ctx, adminOf(dinkes.ID), AgencyInput{Code: "Z", Name: "Z", Type: TypeOther})
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("got %v", err)
			}
			_, err = s.UpdateAgency(ctx, adminOf(dinkes.ID), dinkes.ID, AgencyPatch{Name: str("Dinkes")})
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("got %v", err)
			}
		})

		t.Run("OKUpdate", func(t *testing.T) {
			a, err := s.UpdateAgency(ctx, system, dinkes.ID, AgencyPatch{Name: str("Dinas Kesehatan Kota Makassar")})
			if err != nil || a.Name != "Dinas Kesehatan Kota Makassar" || a.Code != "DINKES" {
				t.Errorf("%+v, %v", a, err)
			}
			_, err = s.UpdateAgency(ctx, system, dinkes.ID, AgencyPatch{ParentID: &dinkes.ID})
			if got := fieldKeys(t, err, errs.Invalid)["parent_id"]; got != "agency.parent_loop" {
				t.Errorf("self parent: %q", got)
			}
		})

		t.Run("OKListPages", func(t *testing.T) {
			var codes []string
			page := db.Page{Limit: 2}
			for {
				list, next, err := s.ListAgencies(ctx, AgencyFilter{}, page)
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range list {
					codes = append(codes, a.Code)
				}
				if next == "" {
					break
				}
				page.After = next
			}
			if len(codes) != 4 || codes[0] != "DINKES" || codes[3] != "UPT-PKM-1" {
				t.Errorf("codes %v", codes)
			}
			list, _, err := s.ListAgencies(ctx, AgencyFilter{Query: str("puskesmas")}, db.Page{})
			if err != nil || len(list) != 1 {
				t.Errorf("query: %v, %v", list, err)
			}
			list, _, err = s.ListAgencies(ctx, AgencyFilter{Type: str(TypeKecamatan)}, db.Page{})
			if err != nil || len(list) != 1 || list[0].ID != kec.ID {
				t.Errorf("type: %v, %v", list, err)
			}
			if _, _, err := s.ListAgencies(ctx, AgencyFilter{}, db.Page{After: "garbage!"}); !errs.Is(err, errs.Invalid) {
				t.Errorf("bad cursor: %v", err)
			}
		})
	})
}
