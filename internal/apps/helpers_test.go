package apps

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

var system = policy.SystemActor("test")

// addAgency inserts an agency directly.
func addAgency(t *testing.T, d *db.DB, code, name string) int64 {
	t.Helper()
	id, err := db.InsertID(context.Background(), d.W, `INSERT INTO agencies (code, name, type, created_at, updated_at)
		VALUES ($1, $2, 'dinas', $3, $3) RETURNING id`, code, name, time.Now().UTC())
	if err != nil {
		t.Fatalf("add agency %s: %v", code, err)
	}
	return id
}

// addPerson inserts a contract employee of the agency with an account and
// returns the employee and account ids.
func addPerson(t *testing.T, d *db.DB, agencyID int64, name, email string) (employeeID, accountID int64) {
	t.Helper()
	ctx, now := context.Background(), time.Now().UTC()
	employeeID, err := db.InsertID(ctx, d.W, `INSERT INTO employees (agency_id, name, email, employment_type,
		created_at, updated_at) VALUES ($1, $2, $3, 'contract', $4, $4) RETURNING id`, agencyID, name, email, now)
	if err != nil {
		t.Fatalf("add employee %s: %v", name, err)
	}
	accountID, err = db.InsertID(ctx, d.W, `INSERT INTO accounts (employee_id, created_at, updated_at)
		VALUES ($1, $2, $2) RETURNING id`, employeeID, now)
	if err != nil {
		t.Fatalf("add account %s: %v", name, err)
	}
	return employeeID, accountID
}

func adminOf(agencyID int64) *policy.Actor {
	return &policy.Actor{AgencyID: agencyID, Email: "admin@test.id",
		Grants: []policy.Grant{{Role: policy.AgencyAdmin, AgencyID: agencyID}, {Role: policy.Employee, AgencyID: agencyID}}}
}

func expert() *policy.Actor {
	return &policy.Actor{Email: "ahli@test.id", Grants: []policy.Grant{{Role: policy.Expert}}}
}

// fieldKeys returns the field errors of err, which must carry code.
func fieldKeys(t *testing.T, err error, code errs.Code) map[string]string {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Code != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
	m := map[string]string{}
	for _, f := range e.Fields {
		m[f.Name] = f.Key
	}
	return m
}

func auditCount(t *testing.T, d *db.DB, entity string) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = $1`, entity).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func str(s string) *string { return &s }
func i64(n int64) *int64   { return &n }
