package competency_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
)

// Everyone in the directory is an employee, whether or not they have an
// account yet: what every employee needs is theirs too; other roles still
// come from the grants of active accounts.
func TestEmployeeRequirementsReachPeopleWithoutAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newGapCity(t, d)
		c.requireRole(t, c.literasi, 2, string(policy.Employee), 0)       // every employee
		c.requireRole(t, c.keamanan, 3, string(policy.Employee), c.camat) // the kecamatan's staff
		c.requireRole(t, c.sipd, 4, string(policy.AgencyAdmin), 0)        // a role that needs its grant
		withAccount, acct := c.person(t, c.dinas, "Nur'aini", 0)
		dbtest.Grant(t, d, acct, string(policy.Employee), c.dinas)
		dbtest.Grant(t, d, acct, string(policy.AgencyAdmin), c.dinas)
		directoryOnly := func(agency int64, name string) int64 {
			id, err := db.InsertID(ctx, d.W, `INSERT INTO employees (agency_id, name, employment_type, created_at, updated_at)
				VALUES ($1, $2, 'contract', $3, $3) RETURNING id`, agency, name, time.Now().UTC())
			must(t, err)
			return id
		}
		dinasOnly := directoryOnly(c.dinas, "Dottoro'ta")
		camatOnly := directoryOnly(c.camat, "Pegawai Camat")
		gone := directoryOnly(c.camat, "Sudah Pensiun")
		c.exec(t, `UPDATE employees SET active = FALSE, end_reason = 'retired' WHERE id = $1`, gone)
		svc, actor := competency.NewGapService(d), policy.SystemActor("test")

		needs := func(emp int64) map[string]int {
			gaps, _, err := svc.PersonGaps(ctx, actor, emp, true, db.Page{})
			must(t, err)
			got := map[string]int{}
			for _, g := range gaps {
				got[g.Competency.Code] = g.RequiredLevel
			}
			return got
		}
		for _, tc := range []struct {
			name string
			emp  int64
			want map[string]int
		}{
			{"with an account and grants", withAccount, map[string]int{"literasi-digital": 2, "sipd.operasi": 4}},
			{"in the directory only", dinasOnly, map[string]int{"literasi-digital": 2}},
			{"in the kecamatan, directory only", camatOnly, map[string]int{"literasi-digital": 2, "keamanan-informasi": 3}},
		} {
			if got := needs(tc.emp); !maps.Equal(got, tc.want) {
				t.Errorf("%s: needs %v, want %v", tc.name, got, tc.want)
			}
		}
		city, _, err := svc.CityGaps(ctx, actor, db.Page{})
		must(t, err)
		lacking := map[string]int{}
		for _, g := range city {
			lacking[g.Competency.Code] = g.Lacking
		}
		if want := map[string]int{"literasi-digital": 3, "keamanan-informasi": 1, "sipd.operasi": 1}; !maps.Equal(lacking, want) {
			t.Errorf("city lacking %v, want %v", lacking, want)
		}
	})
}
