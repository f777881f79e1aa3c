package apps

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Dottoro'ta":                     "dottorota",
		"Makassar War Room":              "makassar-war-room",
		"Makassar Care & Rescue Center":  "makassar-care-rescue-center",
		"  e-Budgeting  ":                "e-budgeting",
		"Ä-Sistem Ümum":                  "a-sistem-umum",
		"SIPD (Sistem Informasi Daerah)": "sipd-sistem-informasi-daerah",
	} {
		if got := Slugify(in); got != want || !ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCreateApp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")

		t.Run("OK", func(t *testing.T) {
			a, err := s.CreateApp(ctx, adminOf(dinkes), AppInput{Name: "Dottoro'ta", OwnerAgencyID: dinkes,
				Status: "active", URL: "https://dottorota.makassarkota.go.id", Description: "Layanan dokter ke rumah"})
			if err != nil {
				t.Fatal(err)
			}
			if a.Slug != "dottorota" || a.OwnerAgencyName != "Dinas Kesehatan" || a.ID == 0 {
				t.Errorf("created %+v", a)
			}
			got, err := s.GetAppBySlug(ctx, "dottorota")
			if err != nil || got.Name != "Dottoro'ta" || got.Status != "active" {
				t.Errorf("read back %+v, %v", got, err)
			}
			if auditCount(t, d, "app") != 1 {
				t.Error("create not audited")
			}
		})
		t.Run("ErrSlugTaken", func(t *testing.T) {
			_, err := s.CreateApp(ctx, system, AppInput{Name: "Dottorota", OwnerAgencyID: kominfo})
			if f := fieldKeys(t, err, errs.Invalid); f["slug"] != "slug.taken" {
				t.Errorf("fields %v", f)
			}
		})
		t.Run("ErrBadInput", func(t *testing.T) {
			_, err := s.CreateApp(ctx, system, AppInput{Slug: "Bad Slug", OwnerAgencyID: kominfo, Status: "gone",
				URL: "ftp://x"})
			f := fieldKeys(t, err, errs.Invalid)
			want := map[string]string{"name": "required", "slug": "app.slug", "status": "one_of", "url": "app.url"}
			for k, v := range want {
				if f[k] != v {
					t.Errorf("field %s: %q, want %q (all %v)", k, f[k], v, f)
				}
			}
		})
		t.Run("ErrUnknownAgency", func(t *testing.T) {
			_, err := s.CreateApp(ctx, system, AppInput{Name: "SIPD", OwnerAgencyID: 9999})
			if f := fieldKeys(t, err, errs.Invalid); f["owner_agency_id"] != "agency.unknown" {
				t.Errorf("fields %v", f)
			}
		})
		t.Run("ErrOtherAgencyAdmin", func(t *testing.T) {
			_, err := s.CreateApp(ctx, adminOf(dinkes), AppInput{Name: "Webmail", OwnerAgencyID: kominfo})
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("got %v, want forbidden", err)
			}
		})
		t.Run("OKExpert", func(t *testing.T) {
			if _, err := s.CreateApp(ctx, expert(), AppInput{Name: "Webmail", OwnerAgencyID: kominfo}); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestUpdateApp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		kominfo := dbtest.Agency(t, d, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		a, err := s.CreateApp(ctx, system, AppInput{Name: "Makassar War Room", OwnerAgencyID: kominfo, Status: "active"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateApp(ctx, system, AppInput{Name: "SIMPEG", OwnerAgencyID: kominfo})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("OK", func(t *testing.T) {
			got, err := s.UpdateApp(ctx, adminOf(kominfo), a.ID, AppPatch{Status: str("maintenance"),
				Description: str("Pusat kendali kota, pemantauan dan pusat data")})
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != "maintenance" || got.Name != "Makassar War Room" || got.Slug != a.Slug {
				t.Errorf("updated %+v", got)
			}
		})
		t.Run("ErrSlugTaken", func(t *testing.T) {
			_, err := s.UpdateApp(ctx, system, a.ID, AppPatch{Slug: str(other.Slug)})
			if f := fieldKeys(t, err, errs.Invalid); f["slug"] != "slug.taken" {
				t.Errorf("fields %v", f)
			}
		})
		t.Run("ErrMoveToForeignAgency", func(t *testing.T) {
			_, err := s.UpdateApp(ctx, adminOf(kominfo), a.ID, AppPatch{OwnerAgencyID: i64(dinkes)})
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("got %v, want forbidden", err)
			}
		})
		t.Run("ErrOtherAgencyAdmin", func(t *testing.T) {
			_, err := s.UpdateApp(ctx, adminOf(dinkes), a.ID, AppPatch{Name: str("X")})
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("got %v, want forbidden", err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := s.UpdateApp(ctx, system, 9999, AppPatch{Name: str("X")})
			if !errs.Is(err, errs.NotFound) {
				t.Errorf("got %v, want not found", err)
			}
		})
		t.Run("OKApostrophes", func(t *testing.T) {
			name := "Nur'aini Ä Dottoro'ta"
			if _, err := s.UpdateApp(ctx, expert(), other.ID, AppPatch{Name: str(name)}); err != nil {
				t.Fatal(err)
			}
			got, err := s.GetApp(ctx, other.ID)
			if err != nil || got.Name != name {
				t.Errorf("got %q, %v", got.Name, err)
			}
		})
	})
}
