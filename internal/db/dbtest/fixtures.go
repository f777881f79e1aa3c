package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/survey"
)

// The fixtures below insert rows with plain SQL, so a capability's tests can
// set up the rows of others without importing them (those packages import
// dbtest, so dbtest must not import them). They skip the services' rules and
// audit records: use them for the things a test is not about.

// Agency inserts an agency and returns its id.
func Agency(t testing.TB, d *db.DB, code, name, typ string) int64 {
	t.Helper()
	id, err := db.InsertID(context.Background(), d.W, `INSERT INTO agencies (code, name, type, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`, code, name, typ, time.Now().UTC())
	if err != nil {
		t.Fatalf("dbtest: agency %s: %v", code, err)
	}
	return id
}

// Person inserts a contract employee of the agency with an account and
// returns the employee and account ids.
func Person(t testing.TB, d *db.DB, agencyID int64, name, email string) (employeeID, accountID int64) {
	t.Helper()
	employeeID, err := db.InsertID(context.Background(), d.W, `INSERT INTO employees (agency_id, name, email,
		employment_type, created_at, updated_at) VALUES ($1, $2, $3, 'contract', $4, $4) RETURNING id`,
		agencyID, name, email, time.Now().UTC())
	if err != nil {
		t.Fatalf("dbtest: employee %s: %v", name, err)
	}
	return employeeID, Account(t, d, employeeID)
}

// Account inserts an account, without a password, for the employee and
// returns its id.
func Account(t testing.TB, d *db.DB, employeeID int64) int64 {
	t.Helper()
	id, err := db.InsertID(context.Background(), d.W, `INSERT INTO accounts (employee_id, created_at, updated_at)
		VALUES ($1, $2, $2) RETURNING id`, employeeID, time.Now().UTC())
	if err != nil {
		t.Fatalf("dbtest: account of employee %d: %v", employeeID, err)
	}
	return id
}

// Grant gives the account role in the agency, or city-wide when agencyID
// is 0.
func Grant(t testing.TB, d *db.DB, accountID int64, role string, agencyID int64) {
	t.Helper()
	agency := sql.NullInt64{Int64: agencyID, Valid: agencyID != 0}
	if _, err := d.W.Exec(`INSERT INTO role_grants (account_id, role, agency_id, created_at) VALUES ($1, $2, $3, $4)`,
		accountID, role, agency, time.Now().UTC()); err != nil {
		t.Fatalf("dbtest: grant %s to account %d: %v", role, accountID, err)
	}
}

// Competency inserts a competency (in a framework made on first use) and
// returns its id.
func Competency(t testing.TB, d *db.DB, code, name string) int64 {
	t.Helper()
	ctx, now := context.Background(), time.Now().UTC()
	if _, err := d.W.Exec(`INSERT INTO competency_frameworks (code, name, created_at, updated_at)
		VALUES ('test', 'Test', $1, $1) ON CONFLICT (code) DO NOTHING`, now); err != nil {
		t.Fatalf("dbtest: framework: %v", err)
	}
	id, err := db.InsertID(ctx, d.W, `INSERT INTO competencies (framework_id, code, name, level1, level2, level3, level4,
		created_at, updated_at) SELECT id, $1, $2, 'Mengenal', 'Menggunakan dengan bimbingan', 'Mandiri', 'Mengajarkan',
		$3, $3 FROM competency_frameworks WHERE code = 'test' RETURNING id`, code, name, now)
	if err != nil {
		t.Fatalf("dbtest: competency %s: %v", code, err)
	}
	return id
}

// Event inserts a city-wide bimtek a week from now with the seats and JP
// given and returns its id.
func Event(t testing.TB, d *db.DB, title string, capacity, jp int) int64 {
	t.Helper()
	now := time.Now().UTC()
	id, err := db.InsertID(context.Background(), d.W, `INSERT INTO events (kind, title, starts_at, ends_at, capacity, jp,
		created_at, updated_at) VALUES ('bimtek', $1, $2, $3, $4, $5, $6, $6) RETURNING id`,
		title, now.Add(7*24*time.Hour), now.Add(7*24*time.Hour+8*time.Hour), capacity, jp, now)
	if err != nil {
		t.Fatalf("dbtest: event %s: %v", title, err)
	}
	return id
}

// Enrolment inserts a person's enrolment in an event with the status given
// (enrolled, waitlisted, cancelled, completed) and returns its id.
func Enrolment(t testing.TB, d *db.DB, eventID, employeeID int64, status string) int64 {
	t.Helper()
	now := time.Now().UTC()
	var completed any
	if status == "completed" {
		completed = now
	}
	id, err := db.InsertID(context.Background(), d.W, `INSERT INTO enrolments (event_id, employee_id, status, approval,
		source, completed_at, created_at, updated_at) VALUES ($1, $2, $3, 'not_needed', 'organizer', $4, $5, $5)
		RETURNING id`, eventID, employeeID, status, completed, now)
	if err != nil {
		t.Fatalf("dbtest: enrolment of %d in event %d: %v", employeeID, eventID, err)
	}
	return id
}

// LOCampaign inserts a closed campaign of the LO instrument (made on first
// use: the seven dimensions, three items each) over the agencies of
// answers, with one response per value listed for an agency: that
// respondent gives the value to every item. It returns the campaign's id.
func LOCampaign(t testing.TB, d *db.DB, period string, closes time.Time, answers map[int64][]int) int64 {
	t.Helper()
	ctx, now := context.Background(), time.Now().UTC()
	var instrument int64
	err := d.W.QueryRow(`SELECT id FROM survey_instruments WHERE code = $1`, survey.LOInstrument).Scan(&instrument)
	if errors.Is(err, sql.ErrNoRows) {
		instrument, err = db.InsertID(ctx, d.W, `INSERT INTO survey_instruments (code, title, builtin, created_at, updated_at)
			VALUES ($1, 'Survei organisasi pembelajar', TRUE, $2, $2) RETURNING id`, survey.LOInstrument, now)
		for i, dim := range survey.Dimensions {
			for j := range 3 {
				if err == nil {
					_, err = d.W.Exec(`INSERT INTO survey_items (instrument_id, position, dimension, text_id)
						VALUES ($1, $2, $3, $4)`, instrument, 3*i+j+1, dim, fmt.Sprintf("Butir %s %d", dim, j+1))
				}
			}
		}
	}
	if err != nil {
		t.Fatalf("dbtest: LO instrument: %v", err)
	}
	id, err := db.InsertID(ctx, d.W, `INSERT INTO survey_campaigns (instrument_id, title, period, status, opens_at,
		closes_at, created_at, updated_at) VALUES ($1, $2, $3, 'closed', $4, $5, $6, $6) RETURNING id`,
		instrument, "Survei "+period, period, closes.Add(-14*24*time.Hour).UTC(), closes.UTC(), now)
	if err != nil {
		t.Fatalf("dbtest: campaign %s: %v", period, err)
	}
	for agency, values := range answers {
		if _, err := d.W.Exec(`INSERT INTO survey_campaign_agencies (campaign_id, agency_id) VALUES ($1, $2)`, id, agency); err != nil {
			t.Fatalf("dbtest: campaign agency: %v", err)
		}
		for _, v := range values {
			resp, err := db.InsertID(ctx, d.W, `INSERT INTO survey_responses (campaign_id, agency_id) VALUES ($1, $2) RETURNING id`, id, agency)
			if err == nil {
				_, err = d.W.Exec(`INSERT INTO survey_answers (response_id, item_id, value)
					SELECT $1, id, $2 FROM survey_items WHERE instrument_id = $3`, resp, v, instrument)
			}
			if err != nil {
				t.Fatalf("dbtest: response: %v", err)
			}
		}
	}
	return id
}
