package auth

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
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
		f.ag[code] = insertAgency(t, d, code)
	}
	return f
}

// insertAgency adds an agency with SQL, so fixtures do not depend on org.
func insertAgency(t *testing.T, d *db.DB, code string) int64 {
	t.Helper()
	id, err := db.InsertID(context.Background(), d.W, `INSERT INTO agencies (code, name, type, created_at, updated_at)
		VALUES ($1, $2, 'dinas', $3, $3) RETURNING id`, code, "Dinas "+code, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	return id
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
