package ledger

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestAYearIsTheCitysAndBehindFollowsItsPace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		wita := time.FixedZone("WITA", 8*3600)
		s := NewService(d, wita)
		agency := dbtest.Agency(t, d, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		person, _ := dbtest.Person(t, d, agency, "Nur'aini", "nuraini@makassarkota.go.id")
		// 23:30 on 31 December in Makassar is still 2025 there, though
		// 2025-12-31 15:30 UTC; half an hour after midnight is 2026.
		for i, at := range []time.Time{time.Date(2025, 12, 31, 23, 30, 0, 0, wita), time.Date(2026, 1, 1, 0, 30, 0, 0, wita)} {
			if err := d.Tx(ctx, func(tx *sql.Tx) error {
				return Record(ctx, tx, Entry{EmployeeID: person, Kind: "bimtek", Title: "Bimtek", JP: 5 + i,
					SourceKind: SourceManual, SourceID: int64(i + 1), CompletedAt: at})
			}); err != nil {
				t.Fatal(err)
			}
		}
		self := &policy.Actor{AccountID: 1, EmployeeID: person, AgencyID: agency}
		tests := []struct {
			now      time.Time
			year, jp int
			pace     int
			status   string
		}{
			{time.Date(2025, 12, 31, 23, 59, 0, 0, wita), 2025, 5, 19, StatusBehind},
			{time.Date(2026, 3, 1, 12, 0, 0, 0, wita), 2026, 6, 3, StatusOnTrack},
			{time.Date(2026, 7, 1, 12, 0, 0, 0, wita), 2026, 6, 9, StatusBehind},
			{time.Date(2027, 2, 1, 0, 0, 0, 0, wita), 2026, 6, 20, StatusBehind},
		}
		for _, tc := range tests {
			s.now = func() time.Time { return tc.now }
			p, err := s.Person(ctx, self, person, tc.year)
			if err != nil {
				t.Fatal(err)
			}
			if p.JP != tc.jp || p.Pace != tc.pace || p.Status != tc.status || p.Remaining != 20-tc.jp {
				t.Errorf("on %v, year %d: %d JP, pace %d, %s; want %d, %d, %s", tc.now, tc.year, p.JP, p.Pace, p.Status,
					tc.jp, tc.pace, tc.status)
			}
		}
		if _, err := s.Person(ctx, self, person, 1999); err == nil {
			t.Error("year 1999 accepted")
		}
		other := &policy.Actor{AccountID: 2, EmployeeID: person + 1, AgencyID: agency}
		if _, err := s.Person(ctx, other, person, 2026); err == nil {
			t.Error("a colleague reads the person's ledger")
		}
		boss, _ := dbtest.Person(t, d, agency, "Dottoro'ta", "dottorota@makassarkota.go.id")
		if _, err := d.W.Exec(`UPDATE employees SET supervisor_id = $1 WHERE id = $2`, boss, person); err != nil {
			t.Fatal(err)
		}
		if p, err := s.Person(ctx, &policy.Actor{AccountID: 3, EmployeeID: boss, AgencyID: agency}, person, 2026); err != nil || p.JP != 6 {
			t.Errorf("the direct supervisor reads %+v, %v", p, err)
		}
	})
}
