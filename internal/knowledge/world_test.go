package knowledge_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

// world is a small city for the knowledge base's tests: an operator who
// writes, a trainer who reviews the SIMPEG category, an agent who writes
// but reviews nothing, an expert, an employee who only reads, and two
// applications.
type world struct {
	svc                                       *knowledge.Service
	operator, reviewer, agent, expert, reader *policy.Actor
	simpeg, sipd                              int64 // applications
	category                                  knowledge.Category
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	agency := dbtest.Agency(t, d, "BKPSDM", "Badan Kepegawaian", "badan")
	person := func(name, email string, role policy.Role, inAgency bool) *policy.Actor {
		emp, acc := dbtest.Person(t, d, agency, name, email)
		g := policy.Grant{Role: role}
		var agencyArg any
		if inAgency {
			g.AgencyID, agencyArg = agency, agency
		}
		if _, err := d.W.Exec(`INSERT INTO role_grants (account_id, role, agency_id, created_at) VALUES ($1, $2, $3, $4)`,
			acc, string(role), agencyArg, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		return &policy.Actor{AccountID: acc, EmployeeID: emp, AgencyID: agency, Name: name, Grants: []policy.Grant{g}}
	}
	w := &world{svc: knowledge.NewService(d),
		operator: person("Nur'aini Dottoro'ta", "nuraini@makassarkota.go.id", policy.Operator, true),
		reviewer: person("Andi Pelatih", "andi@makassarkota.go.id", policy.Trainer, true),
		agent:    person("Agen Satu", "agen@makassarkota.go.id", policy.Agent, false),
		expert:   person("Ahli E-Gov", "ahli@makassarkota.go.id", policy.Expert, false),
		reader:   person("Pegawai Biasa", "pegawai@makassarkota.go.id", policy.Employee, true),
	}
	for _, app := range []struct {
		slug, name string
		id         *int64
	}{{"simpeg", "SIMPEG", &w.simpeg}, {"sipd", "SIPD", &w.sipd}} {
		id, err := db.InsertID(context.Background(), d.W, `INSERT INTO apps (slug, name, owner_agency_id, status, created_at,
			updated_at) VALUES ($1, $2, $3, 'active', $4, $4) RETURNING id`, app.slug, app.name, agency, time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		*app.id = id
	}
	var err error
	w.category, err = w.svc.SaveCategory(context.Background(), w.expert, 0, knowledge.CategoryInput{Name: "SIMPEG",
		Description: "Kepegawaian", Reviewers: []string{"ANDI@makassarkota.go.id"}})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// unread returns the kinds of the notifications an account has.
func unread(t *testing.T, d *db.DB, account int64) []string {
	t.Helper()
	rows, err := d.R.Query(`SELECT kind FROM notifications WHERE account_id = $1 ORDER BY id`, account)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var kinds []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, k)
	}
	return kinds
}

func ptr[T any](v T) *T { return &v }
