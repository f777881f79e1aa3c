package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/period"
)

// loadTargets sets the learning targets the city's leaders would set for
// this year and quarter: 20 JP per employee and an LO index of 65 across
// the city, 95% of tickets within the SLA this quarter, every SIPD operator
// at level 3 (Bappeda owns SIPD), and Kominfo's own 24 JP. It looks the
// agencies, the application and the competency up by code and does
// without what is missing. The LO index's closed quarters are kept by its
// roll-up job when the server starts.
func loadTargets(ctx context.Context, d *db.DB) error {
	now := time.Now().In(cityZone())
	year, quarter := period.Of(now, period.Year).Label, period.Of(now, period.Quarter).Label
	id := func(q db.Querier, query string, args ...any) (*int64, error) {
		var v int64
		err := q.QueryRowContext(ctx, query, args...).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return &v, err
	}
	return d.Tx(ctx, func(tx *sql.Tx) error {
		bappeda, err := id(tx, `SELECT id FROM agencies WHERE code = 'BAPPEDA'`)
		if err != nil {
			return err
		}
		kominfo, err := id(tx, `SELECT id FROM agencies WHERE code = 'KOMINFO'`)
		if err != nil {
			return err
		}
		sipd, err := id(tx, `SELECT id FROM apps WHERE slug = 'sipd'`)
		if err != nil {
			return err
		}
		operate, err := id(tx, `SELECT id FROM competencies WHERE code = $1`, competency.AppCode("sipd", competency.UseOperate))
		if err != nil {
			return err
		}
		level := 3
		type target struct {
			agency    *int64
			period    string
			metric    string
			goal      float64
			comp, app *int64
			level     *int
			note      string
			needs     []*int64
		}
		for _, t := range []target{
			{nil, year, "jp_per_employee", 20, nil, nil, nil, "Amanat pengembangan kompetensi ASN: 20 JP per pegawai setahun.", nil},
			{nil, year, "lo_index", 65, nil, nil, nil, "Sasaran RPJMD: Makassar sebagai organisasi pembelajar.", nil},
			{nil, quarter, "sla_compliance", 95, nil, nil, nil, "Layanan bantuan 24 jam: 95% tiket selesai dalam SLA.", nil},
			{bappeda, year, "competency_level", 100, operate, sipd, &level, "Semua operator SIPD mandiri sebelum penyusunan RKPD.", []*int64{bappeda, operate, sipd}},
			{kominfo, year, "jp_per_employee", 24, nil, nil, nil, "Diskominfo memberi contoh: 24 JP per pegawai.", []*int64{kominfo}},
		} {
			missing := false
			for _, n := range t.needs {
				missing = missing || n == nil
			}
			if missing {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO learning_targets (agency_id, period, metric, goal, competency_id,
				level, app_id, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
				t.agency, t.period, t.metric, t.goal, t.comp, t.level, t.app, t.note, now.UTC()); err != nil {
				return fmt.Errorf("demo: target %s: %w", t.metric, err)
			}
		}
		return nil
	})
}
