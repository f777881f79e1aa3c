package auth

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

// fixture is a service over a fresh database with two agencies and a clock
// the test moves.
type fixture struct {
	s     *Service
	d     *db.DB
	clock time.Time
	// agencies by code
	ag map[string]int64
}

var cli = policy.SystemActor("test")

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	cfg := config.Default()
	cfg.SignInLimit = 3
	cfg.SessionTTL = time.Hour
	f := &fixture{d: d, clock: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), ag: map[string]int64{}}
	f.s = NewService(d, NewHasher(2), org.NewService(d), cfg)
	f.s.now = func() time.Time { return f.clock }
	for _, code := range []string{"DISKES", "DISDIK"} {
		f.ag[code] = dbtest.Agency(t, d, code, "Dinas "+code, "dinas")
	}
	return f
}

const testPassword = "Pa'ssw0rd-Ä-makassar"

// user creates a person with an account holding role in agency code.
func (f *fixture) user(t *testing.T, email string, role policy.Role, code string) UserResult {
	t.Helper()
	res, err := f.s.CreateUser(context.Background(), cli, UserInput{
		Email: email, Name: "Andi " + email, Role: role, AgencyCode: code, Password: testPassword})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return res
}

func (f *fixture) actor(t *testing.T, accountID int64) *policy.Actor {
	t.Helper()
	a, err := f.s.LoadActor(context.Background(), accountID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// deactivate marks the employee as gone with SQL, as org would.
func deactivate(t *testing.T, d *db.DB, employeeID int64, reason string) {
	t.Helper()
	if _, err := d.W.Exec(`UPDATE employees SET active = FALSE, end_reason = $2 WHERE id = $1`, employeeID, reason); err != nil {
		t.Fatal(err)
	}
}

// wantErr fails unless err has code and, when field is not "", names field.
func wantErr(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("got %v (%s), want %s", err, errs.CodeOf(err), code)
	}
	if field == "" {
		return
	}
	for _, fe := range errs.As(err).Fields {
		if fe.Name == field {
			return
		}
	}
	t.Fatalf("error %v does not name field %q", err, field)
}
