package apps

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
)

func TestAppNameRefusesControlCharacters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		_, err := s.CreateApp(ctx, system, AppInput{Name: "\u202e\u0007bell", Slug: "bell", OwnerAgencyID: dinkes})
		if got := fieldKeys(t, err, errs.Invalid)["name"]; got != "text.plain" {
			t.Errorf("create: key %q, want text.plain", got)
		}
		a, err := s.CreateApp(ctx, system, AppInput{Name: "Dottoro'ta Ä", OwnerAgencyID: dinkes})
		if err != nil || a.Name != "Dottoro'ta Ä" {
			t.Fatalf("plain name: %+v, %v", a, err)
		}
		_, err = s.UpdateApp(ctx, system, a.ID, AppPatch{Name: str("Dottoro\u2066ta")})
		if got := fieldKeys(t, err, errs.Invalid)["name"]; got != "text.plain" {
			t.Errorf("update: key %q, want text.plain", got)
		}
		_, err = s.UpdateApp(ctx, system, a.ID, AppPatch{Slug: str("bell\u0007")})
		if got := fieldKeys(t, err, errs.Invalid)["slug"]; got != "app.slug" {
			t.Errorf("slug: key %q, want app.slug", got)
		}
	})
}
