package apps

import (
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

var system = policy.SystemActor("test")

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
